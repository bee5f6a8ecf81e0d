"""A claim's property (what its value measures) and the measure kind, through the domain and
every export."""
import csv
import io
import json

import pytest

from annotations.claim_review import claim_review
from annotations.errors import NotAllowed, WorkbenchError
from annotations.exports import CLAIM_COLUMNS, export_lines
from annotations.models import PROPERTY_MAX, Claim, ClaimKind, Evidence, common_property
from annotations.selectors import reconcile_prefill
from annotations.services import claim_property_set, contradiction_flag, fact_reconcile
from annotations.web_annotation import claim_annotation

TEXTS = ("The storm killed 57 people. The bridge is 30 miles long.",
         "At least 61 people died in the storm. The bridge spans 48 km.")


@pytest.fixture
def two(make_source):
    return [make_source(text) for text in TEXTS]


@pytest.fixture
def deaths(two, make_claim):
    return [make_claim(two[0], "57", kind="count", property="deaths"),
            make_claim(two[1], "61", kind="count", property="deaths")]


def test_common_property_is_the_most_frequent_non_empty_one(two, make_claim):
    claims = [make_claim(two[0], "57", kind="count", property="people killed"),
              make_claim(two[1], "61", kind="count", property="deaths"),
              make_claim(two[1], "48 km", kind="measure", property="deaths"),
              make_claim(two[0], "30 miles", kind="measure")]
    assert common_property(claims) == "deaths"
    assert common_property(claims[3:]) == ""


def test_reconcile_prefill_offers_the_claims_property(deaths):
    assert reconcile_prefill(deaths)["property"] == "deaths"


def test_reconciling_without_a_property_takes_the_claims_one(deaths, user):
    contradiction = contradiction_flag(claims=deaths, user=user)
    fact = fact_reconcile(contradiction=contradiction, user=user, value_text="57", status="reconciled",
                          rationale="The coroner's count.", stances={deaths[0].pk: "supports", deaths[1].pk: "refutes"})
    assert fact.property == "deaths"


def test_a_property_the_reviewer_typed_wins(deaths, user):
    contradiction = contradiction_flag(claims=deaths, user=user)
    fact = fact_reconcile(contradiction=contradiction, user=user, value_text="57", status="reconciled",
                          rationale="The coroner's count.", property="storm deaths",
                          stances={deaths[0].pk: "supports", deaths[1].pk: "refutes"})
    assert fact.property == "storm deaths"


def test_claim_property_set_saves_and_keeps_history(deaths, user):
    claim = claim_property_set(claim=deaths[0], property="  people killed ", user=user)
    assert Claim.objects.get(pk=claim.pk).property == "people killed"
    assert claim.history.first().property == "people killed"


def test_a_property_over_its_limit_is_refused_and_nothing_saved(deaths, user):
    with pytest.raises(WorkbenchError, match=f"at most {PROPERTY_MAX:,} characters \\(this one has 201\\)"):
        claim_property_set(claim=deaths[0], property="x" * (PROPERTY_MAX + 1), user=user)
    assert Claim.objects.get(pk=deaths[0].pk).property == "deaths"


def test_a_reviewer_may_not_rewrite_someone_elses_property(deaths, other_user):
    with pytest.raises(NotAllowed):
        claim_property_set(claim=deaths[0], property="injuries", user=other_user)
    assert Claim.objects.get(pk=deaths[0].pk).property == "deaths"


def test_a_measure_is_a_kind_of_claim(two, make_claim):
    claim = make_claim(two[0], "30 miles", kind="measure", property="length of the bridge")
    assert ClaimKind(claim.kind) == ClaimKind.MEASURE
    assert claim.reading.startswith("length of the bridge: ") and claim.reading.endswith("(measure)")


def test_reading_says_property_value_and_kind(deaths):
    assert deaths[0].reading == "deaths: 57 (count)"
    Claim.objects.filter(pk=deaths[0].pk).update(property="")
    assert Claim.objects.get(pk=deaths[0].pk).reading == "57 (count)"


def test_claims_csv_and_jsonl_carry_property_and_measure(two, make_claim):
    make_claim(two[0], "57", kind="count", property="deaths")
    make_claim(two[1], "48 km", kind="measure", property="length of the bridge")
    rows = list(csv.DictReader(io.StringIO("".join(export_lines(what="claims", fmt="csv")))))
    assert list(rows[0]) == CLAIM_COLUMNS and CLAIM_COLUMNS[-1] == "property"  # new columns go last
    assert {(r["exact"], r["kind"], r["property"]) for r in rows} == {
        ("57", "count", "deaths"), ("48 km", "measure", "length of the bridge")}
    records = [json.loads(line) for line in export_lines(what="claims", fmt="jsonl")]
    assert {(r["kind"], r["property"]) for r in records} == {("count", "deaths"), ("measure", "length of the bridge")}
    assert not any("embedding" in r for r in records)


def test_web_annotation_classifies_a_claim_by_its_property(two, make_claim):
    claim = make_claim(two[1], "48 km", kind="measure", property="length of the bridge")
    body = claim_annotation(claim)["body"]
    assert {"type": "TextualBody", "value": "measure", "purpose": "tagging"} in body
    assert {"type": "TextualBody", "value": "length of the bridge", "purpose": "classifying"} in body


def test_claim_review_names_the_kind_and_property(deaths, user):
    contradiction = contradiction_flag(claims=deaths, user=user)
    fact = fact_reconcile(contradiction=contradiction, user=user, value_text="57", status="reconciled",
                          rationale="The coroner's count.", stances={deaths[0].pk: "supports", deaths[1].pk: "refutes"})
    review = claim_review(Evidence.objects.select_related("fact", "claim__source").get(fact=fact, claim=deaths[0]))
    assert review["itemReviewed"]["keywords"] == ["count", "deaths"]


def test_reading_a_claim_fills_an_empty_property_but_never_a_reviewers(two, make_claim):
    from annotations.services import claim_describe

    empty = make_claim(two[0], "57", kind="count")
    written = make_claim(two[1], "61", kind="count", property="storm deaths")
    claim_describe(claim_id=empty.pk)
    claim_describe(claim_id=written.pk)
    empty.refresh_from_db()
    written.refresh_from_db()
    assert empty.property and "killed" in empty.property  # read from the parse
    assert written.property == "storm deaths"
    assert empty.embedding and written.embedding  # both embedded for matching


def test_a_property_the_reviewer_cleared_stays_cleared(deaths, user):
    from annotations.services import claim_describe

    claim = claim_property_set(claim=deaths[0], property="", user=user)
    claim_describe(claim_id=claim.pk, fill_property=False)  # what the edit queued
    claim.refresh_from_db()
    assert claim.property == ""
    assert claim.embedding
