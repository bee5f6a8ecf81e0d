import pytest
from django.db import IntegrityError, transaction

from annotations.errors import ConflictError, WorkbenchError
from annotations.models import Claim, Contradiction, Evidence, Fact
from annotations.services import (
    claim_create,
    claim_delete,
    contradiction_flag,
    contradiction_set_status,
    fact_reconcile,
)

ASYLUM_A = "Ecuador offered political asylum to Julian Assange in November 2012. It was revoked in 2019."
ASYLUM_B = "Assange was granted diplomatic asylum on August 16, 2012, with Patiño's support."


@pytest.fixture
def two_sources(make_source):
    return make_source(ASYLUM_A, name="a.txt"), make_source(ASYLUM_B, name="b.txt")


@pytest.fixture
def contradiction(two_sources, make_claim, user):
    a, b = two_sources
    claims = [make_claim(a, "November 2012"), make_claim(b, "August 16, 2012")]
    return contradiction_flag(claims=claims, user=user, note="Which month?")


# --- claim_create ------------------------------------------------------------------


def test_tagging_a_claim_keeps_span_quote_and_context(two_sources, user):
    a, _ = two_sources
    start = ASYLUM_A.index("November 2012")
    claim = claim_create(source=a, start=start, end=start + 13, exact="November 2012", kind="date",
                         user=user, subject="asylum offered")
    assert (claim.start, claim.end, claim.exact) == (start, start + 13, "November 2012")
    assert claim.prefix == ASYLUM_A[start - 32:start]
    assert claim.suffix == ASYLUM_A[start + 13:start + 45]
    assert claim.status == "confirmed" and claim.origin == "manual" and claim.created_by == user


def test_a_tagged_claim_gets_its_value_at_once_and_its_reading_from_the_worker(two_sources, user, run_tasks):
    a, b = two_sources
    start = ASYLUM_A.index("November 2012")
    claim = claim_create(source=a, start=start, end=start + 13, exact="November 2012", kind="date", user=user)
    assert claim.value["start"] == "2012-11-01" and claim.value["end"] == "2012-11-30"
    assert Claim.objects.get(pk=claim.pk).context == {}  # spaCy has not read it yet
    run_tasks()
    claim.refresh_from_db()
    assert claim.context["masked"] == "Ecuador offered political asylum to Julian Assange in [DATE]."
    assert {"asylum", "assange"} <= set(claim.context["focus"])
    assert claim.history.count() == 1  # the worker's reading is no reviewer's edit


def test_a_claim_deleted_before_the_worker_reads_it_is_let_be(two_sources, user, run_tasks):
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    a, _ = two_sources
    claim = claim_create(source=a, start=0, end=7, exact="Ecuador", kind="other", user=user)
    claim_delete(claim=claim, user=user)
    run_tasks()
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


def test_offsets_count_code_points_so_emoji_and_accents_shift_nothing(make_source, user):
    text = "🇪🇨 Patiño said 👍🏽 on August 16, 2012."
    source = make_source(text)
    start = text.index("August 16, 2012")
    claim = claim_create(source=source, start=start, end=start + 15, exact="August 16, 2012",
                         kind="date", user=user)
    assert source.text[claim.start:claim.end] == "August 16, 2012"
    # The browser counts UTF-16 units: the same place is further along there.
    assert len(text[:start].encode("utf-16-le")) // 2 > start


@pytest.mark.parametrize(
    ("start", "end", "exact", "message"),
    [
        (-1, 5, "x", "not inside"),
        (10, 5, "x", "not inside"),
        (7, 7, "", "not inside"),
        (0, 10_000, "x", "not inside"),
        (0, 7, "Ecuador", None),  # valid: control case
        (0, 7, "Ecuadir", "does not match"),
        (0, 8, "Ecuador ", None),
        (7, 8, " ", "empty or only white space"),
    ],
)
def test_span_checks(two_sources, user, start, end, exact, message):
    a, _ = two_sources
    if message is None:
        assert claim_create(source=a, start=start, end=end, exact=exact, kind="entity", user=user).pk
        return
    with pytest.raises(WorkbenchError, match=message):
        claim_create(source=a, start=start, end=end, exact=exact, kind="entity", user=user)
    assert Claim.objects.count() == 0


def test_unknown_kind_is_refused(two_sources, user):
    a, _ = two_sources
    with pytest.raises(WorkbenchError, match="kind"):
        claim_create(source=a, start=0, end=7, exact="Ecuador", kind="rumour", user=user)
    assert Claim.objects.count() == 0


def test_same_span_and_kind_twice_is_refused_but_overlap_is_allowed(two_sources, make_claim):
    a, _ = two_sources
    make_claim(a, "November 2012")
    with pytest.raises(WorkbenchError, match="already tagged"):
        make_claim(a, "November 2012")
    nested = make_claim(a, "in November 2012. It", kind="other")
    overlapping = make_claim(a, "2012. It was revoked", kind="other")
    assert {c.pk for c in Claim.objects.all()} >= {nested.pk, overlapping.pk}
    assert Claim.objects.count() == 3


@pytest.mark.parametrize(("kind", "phrase"), [("entity", "an entity claim"), ("other", "an “other” claim"),
                                               ("date", "a date claim")])
def test_the_already_tagged_refusal_names_the_kind_and_who_tagged_it(two_sources, make_claim, kind, phrase):
    a, _ = two_sources
    make_claim(a, "Ecuador", kind=kind)
    with pytest.raises(WorkbenchError) as refused:
        make_claim(a, "Ecuador", kind=kind)
    assert str(refused.value) == f"“Ecuador” is already tagged as {phrase} by rita."


def test_tagging_a_suggested_span_confirms_the_suggestion(two_sources, user):
    a, _ = two_sources
    start = ASYLUM_A.index("November 2012")
    suggestion = claim_create(source=a, start=start, end=start + 13, exact="November 2012", kind="date",
                              user=None, origin="suggested")
    tagged = claim_create(source=a, start=start, end=start + 13, exact="November 2012", kind="date", user=user)
    assert tagged.pk == suggestion.pk and Claim.objects.get().status == "confirmed"


def test_a_wrong_quote_on_a_suggested_span_is_refused_and_the_suggestion_stays(two_sources, user):
    a, _ = two_sources
    start = ASYLUM_A.index("November 2012")
    suggestion = claim_create(source=a, start=start, end=start + 13, exact="November 2012", kind="date",
                              user=None, origin="suggested")
    with pytest.raises(WorkbenchError, match="does not match the source"):
        claim_create(source=a, start=start, end=start + 13, exact="December 2012", kind="date", user=user)
    assert list(Claim.objects.values_list("pk", "exact", "status")) == [(suggestion.pk, "November 2012", "suggested")]


def test_database_refuses_an_empty_span_even_without_the_service(two_sources):
    a, _ = two_sources
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(source=a, start=5, end=5, exact="", kind="date")


def test_claim_backing_a_fact_cannot_be_deleted(contradiction, user):
    claim = contradiction.claims.first()
    fact_reconcile(contradiction=contradiction, user=user, value_text="16 August 2012",
                   status="reconciled", rationale="Official record.",
                   stances={c.pk: "supports" for c in contradiction.claims.all()})
    with pytest.raises(WorkbenchError, match="evidence"):
        claim_delete(claim=claim, user=user)
    assert Claim.objects.filter(pk=claim.pk).exists()


# --- contradiction_flag ------------------------------------------------------------


def test_a_detector_candidate_belongs_to_the_reviewer_who_confirmed_it(two_sources, make_claim, other_user, user):
    """Failed before the fix: another reviewer dismissed it, since nobody had flagged it."""
    from django.contrib.auth import get_user_model

    from annotations.errors import NotAllowed
    from tests.conftest import with_role

    a, b = two_sources
    candidate = Contradiction.objects.create(kind="date", status="candidate", score=0.7)
    candidate.claims.set([make_claim(a, "November 2012"), make_claim(b, "August 16, 2012")])
    contradiction_set_status(contradiction=candidate, status="confirmed", user=other_user)
    colleague = with_role(get_user_model().objects.create_user("cora", password="a-long-test-password"), "reviewer")
    for status in ("dismissed", "candidate", "confirmed"):
        with pytest.raises(NotAllowed, match="Only a lead can change a contradiction omar confirmed."):
            contradiction_set_status(contradiction=candidate, status=status, user=colleague)
        candidate.refresh_from_db()
        assert (candidate.status, candidate.confirmed_by) == ("confirmed", other_user)
    # Its owner and a lead (rita is an admin) still may.
    assert contradiction_set_status(contradiction=candidate, status="candidate", user=other_user).status == "candidate"
    assert contradiction_set_status(contradiction=candidate, status="dismissed", user=user).status == "dismissed"



def test_flagging_links_claims_from_two_sources(contradiction, user):
    assert contradiction.status == "confirmed"
    assert contradiction.kind == "date"
    assert contradiction.flagged_by == user
    assert {c.source.origin for c in contradiction.claims.all()} == {"a.txt", "b.txt"}


def test_flag_needs_two_claims(two_sources, make_claim, user):
    claim = make_claim(two_sources[0], "November 2012")
    with pytest.raises(WorkbenchError, match="at least two claims"):
        contradiction_flag(claims=[claim, claim], user=user)
    assert Contradiction.objects.count() == 0


def test_flag_needs_two_sources(two_sources, make_claim, user):
    a, _ = two_sources
    claims = [make_claim(a, "November 2012"), make_claim(a, "2019")]
    with pytest.raises(WorkbenchError, match="two different sources"):
        contradiction_flag(claims=claims, user=user)
    assert Contradiction.objects.count() == 0


def test_flagging_the_same_claims_twice_is_refused(contradiction, user):
    with pytest.raises(WorkbenchError, match=f"already flagged as contradiction #{contradiction.pk}"):
        contradiction_flag(claims=list(contradiction.claims.all()), user=user)


def test_mixed_kinds_make_an_other_contradiction(two_sources, make_claim, user):
    a, b = two_sources
    flagged = contradiction_flag(claims=[make_claim(a, "2019"), make_claim(b, "Patiño", kind="entity")], user=user)
    assert flagged.kind == "other"


def test_dismiss_and_reopen(contradiction, user):
    assert contradiction_set_status(contradiction=contradiction, status="dismissed", user=user).status == "dismissed"
    assert contradiction_set_status(contradiction=contradiction, status="candidate", user=user).status == "candidate"


def test_a_contradiction_is_not_resolved_through_its_status(contradiction, user):
    with pytest.raises(WorkbenchError, match="resolved by reconciling it into a fact"):
        contradiction_set_status(contradiction=contradiction, status="resolved", user=user)
    contradiction.refresh_from_db()
    assert (contradiction.status, contradiction.fact) == ("confirmed", None)


def test_confirming_a_candidate_records_who_confirmed_it(two_sources, make_claim, other_user):
    a, b = two_sources
    candidate = Contradiction.objects.create(kind="date", status="candidate", score=0.7)
    candidate.claims.set([make_claim(a, "November 2012"), make_claim(b, "August 16, 2012")])
    contradiction_set_status(contradiction=candidate, status="confirmed", user=other_user)
    candidate.refresh_from_db()
    assert (candidate.status, candidate.confirmed_by, candidate.flagged_by) == ("confirmed", other_user, None)


# --- contradictions_detect: what the detector may propose --------------------------


@pytest.fixture
def three_claims(make_source, make_claim):
    sources = [make_source(f"The bridge opened in {year}.", name=f"{year}.txt") for year in (2019, 2020, 2021)]
    return [make_claim(source, str(year)) for source, year in zip(sources, (2019, 2020, 2021))]


def detected_sets(monkeypatch, proposals):
    """Run detection with a detector that proposes exactly ``proposals`` (lists of claims),
    and return the claim-id sets of the candidates it kept."""
    from annotations import services
    from annotations.matching import Candidate

    monkeypatch.setattr(services, "find_candidates", lambda views: [
        Candidate(kind="date", score=0.9, explanation="years differ", claims=list(claims)) for claims in proposals])
    return {frozenset(c.pk for c in contradiction.claims.all()) for contradiction, _ in
            services.contradictions_detect()}


def test_a_dismissed_set_of_claims_is_never_proposed_again_nor_any_set_around_it(
        three_claims, monkeypatch, user):
    x, y, z = three_claims
    dismissed = contradiction_flag(claims=[x, y], user=user)
    contradiction_set_status(contradiction=dismissed, status="dismissed", user=user)
    kept = detected_sets(monkeypatch, [[x, y], [x, y, z], [y, z]])
    assert kept == {frozenset({y.pk, z.pk})}
    assert Contradiction.objects.filter(status="candidate").count() == 1


def test_no_part_of_a_dismissed_set_is_proposed_again(three_claims, monkeypatch, user):
    x, y, z = three_claims
    dismissed = contradiction_flag(claims=[x, y, z], user=user)
    contradiction_set_status(contradiction=dismissed, status="dismissed", user=user)
    assert detected_sets(monkeypatch, [[x, z], [y, z]]) == set()
    assert not Contradiction.objects.filter(status="candidate").exists()


def test_a_dismissed_set_does_not_hide_sets_it_only_touches(three_claims, monkeypatch, user):
    x, y, z = three_claims
    dismissed = contradiction_flag(claims=[x, y], user=user)
    contradiction_set_status(contradiction=dismissed, status="dismissed", user=user)
    assert detected_sets(monkeypatch, [[x, z]]) == {frozenset({x.pk, z.pk})}


# --- fact_reconcile ----------------------------------------------------------------


def _stances(contradiction):
    return {c.pk: ("supports" if "August" in c.exact else "refutes") for c in contradiction.claims.all()}


def test_reconcile_creates_fact_with_evidence_and_resolves(contradiction, user):
    fact = fact_reconcile(
        contradiction=contradiction, user=user, value_text="16 August 2012", status="reconciled",
        rationale="The asylum decision was announced on 16 August 2012.", stances=_stances(contradiction),
        subject="Julian Assange", property="date asylum granted",
    )
    contradiction.refresh_from_db()
    assert contradiction.status == "resolved" and contradiction.fact == fact
    assert fact.reviewer == user and fact.version == 1
    stances = {e.claim.exact: e.stance for e in fact.evidence.select_related("claim")}
    assert stances == {"November 2012": "refutes", "August 16, 2012": "supports"}


def test_reconcile_defaults_subject_to_the_first_claims_quote(contradiction, user):
    fact = fact_reconcile(contradiction=contradiction, user=user, value_text="16 August 2012",
                          status="reconciled", rationale="r", stances=_stances(contradiction))
    assert fact.subject == "November 2012"  # claims in source order; neither has a subject


def test_reconcile_defaults_subject_to_the_subject_a_claim_has(contradiction, user):
    Claim.objects.filter(exact="August 16, 2012").update(subject="Julian Assange's asylum")
    fact = fact_reconcile(contradiction=contradiction, user=user, value_text="16 August 2012",
                          status="reconciled", rationale="r", stances=_stances(contradiction))
    assert fact.subject == "Julian Assange's asylum"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"value_text": "  "}, "value you stand by"),
        ({"rationale": ""}, "rationale"),
        ({"status": "maybe"}, "Unknown fact status"),
        ({"stances": "missing-one"}, "missing"),
        ({"stances": "extra"}, "not part of this contradiction"),
        ({"stances": "bad-value"}, "supports"),
    ],
)
def test_reconcile_refusals_save_nothing(contradiction, user, change, message):
    stances = _stances(contradiction)
    kwargs = dict(value_text="16 August 2012", status="reconciled", rationale="r", stances=stances)
    if change.get("stances") == "missing-one":
        stances.pop(next(iter(stances)))
    elif change.get("stances") == "extra":
        stances[999999] = "supports"
    elif change.get("stances") == "bad-value":
        stances[next(iter(stances))] = "maybe"
    else:
        kwargs.update(change)
    with pytest.raises(WorkbenchError, match=message):
        fact_reconcile(contradiction=contradiction, user=user, **kwargs)
    contradiction.refresh_from_db()
    assert contradiction.status == "confirmed" and contradiction.fact is None
    assert Fact.objects.count() == 0 and Evidence.objects.count() == 0


def test_reconciling_twice_is_a_conflict(contradiction, user, lead_user):
    fact_reconcile(contradiction=contradiction, user=user, value_text="16 August 2012",
                   status="reconciled", rationale="r", stances=_stances(contradiction))
    with pytest.raises(ConflictError, match="already resolved"):
        fact_reconcile(contradiction=contradiction, user=lead_user, value_text="November 2012",
                       status="reconciled", rationale="r", stances=_stances(contradiction))
    assert Fact.objects.count() == 1


def test_dismissed_contradiction_cannot_be_reconciled(contradiction, user):
    contradiction_set_status(contradiction=contradiction, status="dismissed", user=user)
    with pytest.raises(WorkbenchError, match="reopen"):
        fact_reconcile(contradiction=contradiction, user=user, value_text="x", status="reconciled",
                       rationale="r", stances=_stances(contradiction))


def test_resolved_contradiction_status_cannot_be_changed(contradiction, user):
    fact_reconcile(contradiction=contradiction, user=user, value_text="16 August 2012",
                   status="reconciled", rationale="r", stances=_stances(contradiction))
    with pytest.raises(WorkbenchError, match="already resolved"):
        contradiction_set_status(contradiction=contradiction, status="dismissed", user=user)


def test_changes_are_kept_in_history(contradiction, user):
    fact = fact_reconcile(contradiction=contradiction, user=user, value_text="16 August 2012",
                          status="reconciled", rationale="r", stances=_stances(contradiction))
    assert fact.history.count() == 1
    statuses = list(contradiction.history.order_by("history_date").values_list("status", flat=True))
    # flagged, claims linked (the m2m change is its own entry), resolved
    assert statuses == ["confirmed", "confirmed", "resolved"]
    assert {h.history_user for h in contradiction.history.all()} == {user}
    assert fact.history.get().history_user == user


def test_text_with_a_nul_character_is_refused(two_sources, user):
    a, _ = two_sources
    with pytest.raises(WorkbenchError, match="note contains a NUL character"):
        claim_create(source=a, start=0, end=7, exact="Ecuador", kind="entity", user=user, note="bad\x00note")
    assert Claim.objects.count() == 0
