"""Quality floors on the planted-contradiction sets (figures: python -m bench.evaluate_detection)."""
from pathlib import Path

import pytest

from annotations.evaluation import evaluate, load_folder, load_gold

EVAL = Path(__file__).resolve().parents[1] / "eval"


@pytest.mark.parametrize("folder", [EVAL, EVAL / "second"], ids=["dam", "hospital"])
def test_detector_meets_recall_and_precision_floors(folder):
    result = evaluate(load_folder(folder / "docs"), load_gold(folder / "gold.json"), min_score=0.5)
    total = result["total"]
    assert total.recall >= 0.9, result["per_kind"]
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
