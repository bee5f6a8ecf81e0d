import json

import pytest
from django.core.management import call_command

from annotations.management.commands.load_seeds import load_seeds
from annotations.models import Claim, Contradiction
from annotations.services import contradiction_set_status, contradictions_detect


@pytest.fixture
def analysed_seeds(db):
    load_seeds()
    return Contradiction.objects.filter(status="candidate")


def candidate_with(exacts: set[str]):
    return [c for c in Contradiction.objects.prefetch_related("claims")
            if exacts <= {claim.exact for claim in c.claims.all()}]


def test_seeds_get_suggested_claims(analysed_seeds):
    assert Claim.objects.filter(origin="suggested", status="suggested").count() > 50


def test_assange_asylum_date_conflict_is_proposed_first_among_the_dates(analysed_seeds):
    [candidate] = candidate_with({"November 2012", "August 16, 2012"})
    # The fitted score puts it at about a third: below the confident list, but the likeliest
    # date conflict the seeds hold, and far above what a pair of unrelated dates gets.
    dates = Contradiction.objects.filter(kind="date").order_by("-score")
    assert dates.first() == candidate and candidate.score > 0.2
    assert {c.source.origin[:3] for c in candidate.claims.all()} == {"000", "001"}
    assert "asylum" in candidate.explanation and "do not overlap" in candidate.explanation


@pytest.mark.parametrize(
    "same_fact",
    [{"an estimated 150,000-200,000", "an estimated 150,000–200,000"},
     {"early September 2025", "September 4, 2025"}],
)
def test_the_same_fact_written_differently_is_never_set_against_itself(analysed_seeds, same_fact):
    from annotations.values import compatible

    for contradiction in Contradiction.objects.prefetch_related("claims"):
        claims = {c.exact: c for c in contradiction.claims.all()}
        if same_fact <= set(claims):
            # Together only as one side: both against a third claim that neither agrees with.
            a, b = (claims[exact] for exact in same_fact)
            assert compatible(a.value, b.value)
            others = [c for exact, c in claims.items() if exact not in same_fact]
            assert others and all(not compatible(a.value, c.value) and not compatible(b.value, c.value)
                                  for c in others), contradiction.explanation


def test_aid_amounts_are_surfaced_as_likely_different_events(analysed_seeds):
    [candidate] = candidate_with({"$20 million dollars", "$25 million"})
    assert candidate.score < 0.5  # low confidence: for the reviewer to judge
    text = candidate.explanation
    assert "two different events" in text
    assert "early September 2025" in text and "September" in text and "2024" in text
    assert "pledge" in text and "sign" in text


def test_candidates_are_saved_with_their_history_and_claims(analysed_seeds, client, django_user_model):
    from django.urls import reverse

    [candidate] = candidate_with({"November 2012", "August 16, 2012"})
    created = candidate.history.get()
    assert created.history_type == "+"
    assert {row.claim_id for row in created.claims.all()} == {c.pk for c in candidate.claims.all()}
    client.force_login(django_user_model.objects.create_superuser("root", password="a-long-test-password"))
    page = client.get(reverse("admin:annotations_contradiction_history", args=[candidate.pk]))
    assert page.status_code == 200 and "Created" in page.content.decode()


def test_detecting_again_saves_nothing_new(analysed_seeds):
    count = Contradiction.objects.count()
    history = Contradiction.history.count()
    again = contradictions_detect()
    assert len(again) >= count - Contradiction.objects.filter(status="dismissed").count() > 0
    assert (Contradiction.objects.count(), Contradiction.history.count()) == (count, history)


def test_dismissed_candidates_are_not_proposed_again(analysed_seeds, user):
    [candidate] = candidate_with({"November 2012", "August 16, 2012"})
    contradiction_set_status(contradiction=candidate, status="dismissed", user=user)
    again = contradictions_detect()
    assert candidate.pk not in {c.pk for c, _ in again}
    assert len(candidate_with({"November 2012", "August 16, 2012"})) == 1


def test_detection_is_idempotent(analysed_seeds):
    before = Contradiction.objects.count()
    contradictions_detect()
    assert Contradiction.objects.count() == before


def test_rejected_claims_take_no_part(analysed_seeds, user):
    Claim.objects.filter(exact="November 2012").update(status="rejected")
    Contradiction.objects.all().delete()
    contradictions_detect()
    assert candidate_with({"November 2012", "August 16, 2012"}) == []


def test_detect_command_prints_json_candidates(analysed_seeds, capsys):
    call_command("detect_contradictions", "--format", "json")
    assert all(r["score"] >= 0.5 for r in json.loads(capsys.readouterr().out))  # the confident ones
    call_command("detect_contradictions", "--format", "json", "--min-score", "0.2")
    records = json.loads(capsys.readouterr().out)
    assert records and all(r["score"] >= 0.2 for r in records)
    record = next(r for r in records if {c["exact"] for c in r["claims"]} >= {"November 2012", "August 16, 2012"})
    assert set(record) >= {"kind", "score", "explanation", "claims"}
    nov = next(c for c in record["claims"] if c["exact"] == "November 2012")
    assert nov["source"] == "000_344638030b921028.txt"
    assert set(nov) == {"source", "start", "end", "exact", "prefix", "suffix", "value"}
    assert nov["prefix"].endswith("Julian Assange in ") and len(nov["prefix"]) == 32
    assert nov["value"]["start"] == "2012-11-01"


def test_detect_command_min_score_and_sources(analysed_seeds, capsys):
    call_command("detect_contradictions", "--format", "json", "--min-score", "0",
                 "--sources", "002_764fa0b398ef884e.txt")
    records = json.loads(capsys.readouterr().out)
    assert any(r["score"] < 0.5 for r in records)
    assert all(any(c["source"].startswith("002") for c in r["claims"]) for r in records)


def test_detect_command_refuses_unknown_source(analysed_seeds):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown sources: nope.txt"):
        call_command("detect_contradictions", "--sources", "nope.txt")


def test_import_folder_runs_extraction_and_detection(db, tmp_path, capsys):
    (tmp_path / "a.txt").write_text("The bridge opened to traffic on 3 May 2010 after four years of work.")
    (tmp_path / "b.txt").write_text("The bridge opened to traffic in August 2011, its builders said.")
    call_command("import_sources", str(tmp_path))
    captured = capsys.readouterr()
    assert "Read 2 sources: suggested" in captured.out
    assert "Importing and reading: 100%" in captured.err and "2/2" in captured.err and "file/s" in captured.err
    assert candidate_with({"3 May 2010", "August 2011"})


def test_models_import_no_detection_code():
    import ast
    from pathlib import Path

    import annotations.models

    tree = ast.parse(Path(annotations.models.__file__).read_text())
    imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not {m for m in imported if m.split(".")[-1] in {"matching", "extraction"}}


def test_the_min_score_setting_decides_which_candidates_are_marked(db, settings):
    candidate = Contradiction(kind="count", status="candidate", score=0.6)
    settings.WORKBENCH_MIN_SCORE = 0.5
    assert candidate.is_marked
    settings.WORKBENCH_MIN_SCORE = 0.7
    assert not candidate.is_marked
