"""A fact's evidence: normalised values, confirmed evidence claims, attaching a second
contradiction to a fact, and editing stances and evidence (versioned, lead-only)."""
import pytest

from annotations.errors import ConflictError, NotAllowed, WorkbenchError
from annotations.models import Claim, Contradiction, Evidence, Fact
from annotations.services import (
    contradiction_attach,
    contradiction_flag,
    fact_evidence_update,
    fact_reconcile,
    fact_update,
)


def evidence_of(fact):
    return {e.claim.exact: e.stance for e in Evidence.objects.filter(fact=fact).select_related("claim")}


# --- bug 6: a fact's normalised value ---------------------------------------------------


def test_a_reconciled_fact_has_its_value_normalised_as_a_claims_is(fact):
    assert fact.value["type"] == "date"
    assert (fact.value["start"], fact.value["end"], fact.value["granularity"]) == ("2012-08-16", "2012-08-16", "day")


def test_editing_a_facts_value_normalises_the_new_value(fact, user):
    fact_update(fact=fact, user=user, version=1, value_text="November 2012", status="reconciled",
                rationale="Read again.", subject=fact.subject, property=fact.property)
    fact.refresh_from_db()
    assert (fact.value["start"], fact.value["end"], fact.value["granularity"]) == ("2012-11-01", "2012-11-30", "month")


# --- bug 9: claims weighed by a fact are confirmed ---------------------------------------


def test_reconciling_confirms_the_suggested_claims_it_weighs(seeds, user):
    text = seeds["000"].text
    at = text.index("November 2012")
    from annotations.services import claim_create

    suggested = claim_create(source=seeds["000"], start=at, end=at + 13, exact="November 2012", kind="date",
                             user=None, origin="suggested")
    at = seeds["001"].text.index("August 16, 2012")
    other = claim_create(source=seeds["001"], start=at, end=at + 15, exact="August 16, 2012", kind="date",
                         user=None, origin="suggested")
    assert {suggested.status, other.status} == {"suggested"}
    flagged = contradiction_flag(claims=[suggested, other], user=user)
    fact_reconcile(contradiction=flagged, user=user, value_text="16 August 2012", status="reconciled",
                   rationale="Patiño announced it.", stances={suggested.pk: "refutes", other.pk: "supports"})
    assert set(Claim.objects.filter(pk__in=[suggested.pk, other.pk]).values_list("status", flat=True)) == {"confirmed"}
    assert Claim.objects.get(pk=suggested.pk).history.first().history_user == user


# --- attaching a contradiction to an existing fact --------------------------------------


@pytest.fixture
def second(fact, seeds, make_claim, user):
    """A second contradiction about the same point: 000's "November 2012" against a date a
    third source gives (the value need not be right for the test)."""
    nov = Claim.objects.get(exact="November 2012", source=seeds["000"])
    return contradiction_flag(claims=[nov, make_claim(seeds["002"], "July 2025")], user=user)


def test_attaching_a_contradiction_adds_its_evidence_resolves_it_and_bumps_the_version(fact, second, user):
    other = next(c for c in second.claims.all() if not c.evidence.exists())
    nov = Claim.objects.get(exact="November 2012")
    result = contradiction_attach(contradiction=second, fact=fact, version=1, user=user,
                                  stances={nov.pk: "refutes", other.pk: "supports"})
    second.refresh_from_db()
    assert second.status == "resolved" and second.fact_id == fact.pk
    assert result.version == 2 and Fact.objects.get(pk=fact.pk).version == 2
    assert evidence_of(fact) == {"November 2012": "refutes", "August 16, 2012": "supports", other.exact: "supports"}
    assert Claim.objects.get(pk=other.pk).status == "confirmed"
    assert set(fact.contradictions.values_list("pk", flat=True)) >= {second.pk}


def test_attaching_from_a_stale_version_is_a_conflict_and_changes_nothing(fact, second, user):
    fact_update(fact=fact, user=user, version=1, value_text=fact.value_text, status=fact.status,
                rationale="Edited meanwhile.", subject=fact.subject, property=fact.property)
    stances = {c.pk: "supports" for c in second.claims.all()}
    with pytest.raises(ConflictError, match="version 1"):
        contradiction_attach(contradiction=second, fact=fact, version=1, user=user, stances=stances)
    second.refresh_from_db()
    assert second.status == "confirmed" and second.fact_id is None
    assert Evidence.objects.filter(fact=fact).count() == 2 and Fact.objects.get(pk=fact.pk).version == 2


def test_only_a_lead_attaches_a_contradiction(fact, second, other_user):
    with pytest.raises(NotAllowed):
        contradiction_attach(contradiction=second, fact=fact, version=1, user=other_user,
                             stances={c.pk: "supports" for c in second.claims.all()})
    assert Evidence.objects.filter(fact=fact).count() == 2


def test_attaching_needs_a_stance_for_every_claim(fact, second, user):
    with pytest.raises(WorkbenchError, match="give a stance for every claim"):
        contradiction_attach(contradiction=second, fact=fact, version=1, user=user, stances={})
    assert Evidence.objects.filter(fact=fact).count() == 2 and Fact.objects.get(pk=fact.pk).version == 1


def test_a_resolved_contradiction_cannot_be_attached_again(fact, user):
    resolved = fact.contradictions.get()
    with pytest.raises(ConflictError, match="already resolved"):
        contradiction_attach(contradiction=resolved, fact=fact, version=1, user=user,
                             stances={c.pk: "supports" for c in resolved.claims.all()})


# --- editing evidence ------------------------------------------------------------------


def test_a_lead_changes_a_stance_and_removes_evidence_and_the_version_moves_on(fact, second, user):
    nov = Claim.objects.get(exact="November 2012")
    other = next(c for c in second.claims.all() if c.pk != nov.pk)
    contradiction_attach(contradiction=second, fact=fact, version=1, user=user,
                         stances={nov.pk: "refutes", other.pk: "supports"})
    result = fact_evidence_update(fact=fact, user=user, version=2, stances={other.pk: "refutes"}, remove=[nov.pk])
    assert result.version == 3
    assert evidence_of(fact) == {"August 16, 2012": "supports", other.exact: "refutes"}
    assert Evidence.history.filter(claim_id=nov.pk, history_type="-").first().history_user == user


def test_evidence_edit_from_a_stale_version_changes_nothing(fact, user):
    nov = Claim.objects.get(exact="November 2012")
    with pytest.raises(ConflictError):
        fact_evidence_update(fact=fact, user=user, version=7, stances={nov.pk: "supports"}, remove=[])
    assert evidence_of(fact)["November 2012"] == "refutes" and Fact.objects.get(pk=fact.pk).version == 1


def test_a_fact_keeps_at_least_one_piece_of_evidence(fact, user):
    with pytest.raises(WorkbenchError, match="at least one"):
        fact_evidence_update(fact=fact, user=user, version=1, stances={},
                             remove=list(fact.evidence.values_list("claim_id", flat=True)))
    assert Evidence.objects.filter(fact=fact).count() == 2


def test_a_bad_stance_or_foreign_claim_is_refused(fact, user):
    nov = Claim.objects.get(exact="November 2012")
    with pytest.raises(WorkbenchError, match="supports"):
        fact_evidence_update(fact=fact, user=user, version=1, stances={nov.pk: "maybe"}, remove=[])
    with pytest.raises(WorkbenchError, match="not evidence"):
        fact_evidence_update(fact=fact, user=user, version=1, stances={}, remove=[999999])
    assert evidence_of(fact)["November 2012"] == "refutes" and Fact.objects.get(pk=fact.pk).version == 1


def test_only_a_lead_edits_evidence(fact, other_user):
    nov = Claim.objects.get(exact="November 2012")
    with pytest.raises(NotAllowed):
        fact_evidence_update(fact=fact, user=other_user, version=1, stances={nov.pk: "supports"}, remove=[])
    assert evidence_of(fact)["November 2012"] == "refutes"
