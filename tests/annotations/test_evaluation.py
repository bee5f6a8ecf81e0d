"""Quality floors on the planted-contradiction sets (figures: python -m bench.evaluate_detection)."""
from pathlib import Path

import pytest

from annotations.evaluation import evaluate, load_folder, load_gold

EVAL = Path(__file__).resolve().parents[1] / "eval"


@pytest.mark.parametrize("folder", [EVAL, EVAL / "second"], ids=["dam", "hospital"])
def test_detector_meets_recall_and_precision_floors(folder):
    # The score is fitted (bench/fit_scores.py) on these sets among others: every planted
    # contradiction is proposed, most with confidence, and nothing wrong is confident.
    everything = evaluate(load_folder(folder / "docs"), load_gold(folder / "gold.json"), min_score=0.0)
    assert everything["total"].recall == 1.0, everything["per_kind"]
    result = evaluate(load_folder(folder / "docs"), load_gold(folder / "gold.json"), min_score=0.5,
                      candidates=everything["candidates"])
    total = result["total"]
    assert total.recall >= 0.65, result["per_kind"]
    assert total.precision >= 0.8, [c.explanation for c in result["candidates"]]


def test_no_trap_is_proposed_with_confidence():
    result = evaluate(load_folder(EVAL / "docs"), load_gold(EVAL / "gold.json"), min_score=0.5)
    assert result["traps"] == []


def test_agreeing_values_are_never_candidates_at_all():
    # Below the threshold only "different events" may appear, for the reviewer to judge.
    result = evaluate(load_folder(EVAL / "docs"), load_gold(EVAL / "gold.json"), min_score=0.0)
    assert set(result["traps"]) <= {"different events"}


def test_third_set_holds_its_measured_figures():
    # Written after tuning; its figures (bench/RESULTS.md) are guarded against regressions.
    result = evaluate(load_folder(EVAL / "third" / "docs"), load_gold(EVAL / "third" / "gold.json"))
    assert result["total"].precision >= 0.8 and result["total"].recall >= 0.75


# --- the eval-dev scorer (contract: ../shared/eval-dev/README.md, "Scoring") ---

from annotations.evaluation import DevSet, saved_offset_map  # noqa: E402
from annotations.extraction import Suggestion  # noqa: E402
from annotations.importing import normalise_text  # noqa: E402
from annotations.matching import Candidate  # noqa: E402

DEV = EVAL / "dev"


def test_saved_offsets_map_repaired_text_back_to_the_file_as_saved():
    clean = "Line one.\nZambézia got 41 per\ncent of €4 billion.\n"
    saved = clean.encode("utf-8").decode("cp1252").replace("\n", "\r\n")
    normalised = normalise_text(saved)
    assert normalised == clean
    starts, ends = saved_offset_map(saved, normalised)
    for quote in ["Zambézia", "41 per\ncent", "€4 billion", "Line one."]:
        at = clean.find(quote)
        saved_quote = quote.encode("utf-8").decode("cp1252").replace("\n", "\r\n")
        assert saved[starts[at]:ends[at + len(quote)]] == saved_quote


def _count(start, end, n):
    return Suggestion(start=start, end=end, exact="x", kind="count", subject="",
                      value={"type": "count", "low": n, "high": n, "hedge": ""})


def _gold_candidates(devset, items, values=(1, 2)):
    """One candidate per gold item, its two sides at the gold quotes (normalised offsets)."""
    out = []
    for item in items:
        claims = []
        for side, n in zip((item["a"], item["b"]), values):
            quote = normalise_text(side["quote"])
            at = devset.normalised[side["doc"]].find(quote)
            claims.append((side["doc"], _count(at, at + len(quote), n)))
        out.append(Candidate(kind="count", score=0.9, explanation="", claims=claims))
    return out


def test_gold_pairs_score_perfectly_and_trap_pairs_count_as_traps():
    devset = DevSet.load(DEV / "cyclone_tendai")
    perfect, _ = devset.score(_gold_candidates(devset, devset.gold["contradictions"]), min_score=0.5)
    assert (perfect.precision, perfect.recall, perfect.traps) == (1.0, 1.0, 0)
    traps = _gold_candidates(devset, devset.gold["non_contradictions"])
    trapped, _ = devset.score(traps, min_score=0.5)
    assert trapped.precision == 0.0 and trapped.traps == len(devset.gold["non_contradictions"])
    below, _ = devset.score(traps, min_score=0.95)
    assert below.predictions == 0 and below.traps == 0


def test_a_candidate_of_agreeing_values_predicts_nothing():
    devset = DevSet.load(DEV / "cyclone_tendai")
    same = _gold_candidates(devset, devset.gold["contradictions"][:1], values=(3, 3))
    assert devset.predictions(same) == []
