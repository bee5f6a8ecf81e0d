"""Undo of a reviewer's last action (issue 12): each undo service reverses exactly its action,
only for whoever did it, only while nothing changed since, and only for UNDO_SECONDS."""
from datetime import timedelta

import pytest
from django.utils import timezone

from annotations import services
from annotations.errors import ConflictError, NotAllowed, WorkbenchError
from annotations.models import Claim, ClaimStatus, Contradiction, ContradictionStatus
from annotations.services import (
    claim_create,
    claim_create_undo,
    claim_delete,
    claim_restore,
    claim_set_status,
    claim_set_status_undo,
    contradiction_flag,
    contradiction_set_status,
    contradiction_set_status_undo,
    last_change_id,
)


@pytest.fixture
def source(make_source):
    return make_source("Ecuador granted asylum on August 16, 2012, in London; 120 people attended.")


def _span(source, exact):
    start = source.text.index(exact)
    return {"source": source, "start": start, "end": start + len(exact), "exact": exact}


def _age(model, record_id, seconds):
    model.history.filter(history_id=record_id).update(history_date=timezone.now() - timedelta(seconds=seconds))


def test_undo_of_a_tag_deletes_the_claim_it_made(source, user):
    claim = claim_create(**_span(source, "August 16, 2012"), kind="date", user=user)
    claim_create_undo(record_id=last_change_id(Claim, claim.pk), user=user)
    assert not Claim.objects.exists()


def test_undo_of_a_tag_that_confirmed_a_suggestion_makes_it_a_suggestion_again(source, user):
    suggestion = claim_create(**_span(source, "August 16, 2012"), kind="date", user=None, origin="suggested",
                              subject="asylum")
    claim = claim_create(**_span(source, "August 16, 2012"), kind="date", user=user, subject="Assange asylum")
    assert claim.pk == suggestion.pk and claim.status == ClaimStatus.CONFIRMED
    _, deleted = claim_create_undo(record_id=last_change_id(Claim, claim.pk), user=user)
    claim.refresh_from_db()
    assert (deleted, claim.status, claim.subject) == (False, ClaimStatus.SUGGESTED, "asylum")


def test_undo_of_a_tag_is_refused_once_the_claim_is_in_a_contradiction(source, make_source, user):
    claim = claim_create(**_span(source, "August 16, 2012"), kind="date", user=user)
    record = last_change_id(Claim, claim.pk)
    other = make_source("Asylum was granted in November 2012.")
    contradiction = contradiction_flag(
        claims=[claim, claim_create(**_span(other, "November 2012"), kind="date", user=user)], user=user)
    with pytest.raises(ConflictError, match=f"contradiction #{contradiction.pk}"):
        claim_create_undo(record_id=record, user=user)
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_undo_of_someone_elses_tag_is_refused(source, user, other_user):
    claim = claim_create(**_span(source, "August 16, 2012"), kind="date", user=user)
    with pytest.raises(NotAllowed, match="rita's"):
        claim_create_undo(record_id=last_change_id(Claim, claim.pk), user=other_user)
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_undo_is_refused_when_too_late(source, user):
    claim = claim_create(**_span(source, "August 16, 2012"), kind="date", user=user)
    record = last_change_id(Claim, claim.pk)
    _age(Claim, record, services.UNDO_SECONDS + 1)
    with pytest.raises(WorkbenchError, match="Too late"):
        claim_create_undo(record_id=record, user=user)
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_undo_of_a_confirm_restores_the_previous_status(source, user, other_user):
    claim = claim_create(**_span(source, "120 people"), kind="count", user=None, origin="suggested")
    claim_set_status(claim=claim, status="confirmed", user=other_user)
    claim_set_status_undo(record_id=last_change_id(Claim, claim.pk), user=other_user)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUGGESTED


def test_undo_of_a_status_is_refused_when_the_claim_changed_since(source, user, lead_user):
    claim = claim_create(**_span(source, "120 people"), kind="count", user=None, origin="suggested")
    claim_set_status(claim=claim, status="confirmed", user=user)
    record = last_change_id(Claim, claim.pk)
    claim_set_status(claim=claim, status="rejected", user=lead_user)
    with pytest.raises(ConflictError, match="changed since \\(lena"):
        claim_set_status_undo(record_id=record, user=user)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED


def test_undo_of_a_status_by_someone_else_is_refused(source, user, lead_user):
    claim = claim_create(**_span(source, "120 people"), kind="count", user=None, origin="suggested")
    claim_set_status(claim=claim, status="rejected", user=user)
    with pytest.raises(NotAllowed):
        claim_set_status_undo(record_id=last_change_id(Claim, claim.pk), user=lead_user)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED


def test_restore_brings_a_deleted_claim_back_exactly(source, make_source, user):
    claim = claim_create(**_span(source, "August 16, 2012"), kind="date", user=user, subject="asylum",
                         note="the day Patiño announced it")
    claim_set_status(claim=claim, status="rejected", user=user)
    other = make_source("Asylum was granted in November 2012.")
    contradiction = contradiction_flag(
        claims=[claim, claim_create(**_span(other, "November 2012"), kind="date", user=user)], user=user)
    pk = claim.pk
    before = Claim.objects.values().get(pk=pk)
    claim_delete(claim=claim, user=user)
    assert not contradiction.claims.filter(pk=pk).exists()
    restored = claim_restore(record_id=last_change_id(Claim, pk), user=user)
    after = Claim.objects.values().get(pk=pk)
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before.items() if k != "updated_at"}
    assert restored.pk == pk and contradiction.claims.filter(pk=pk).exists()


def test_restore_is_refused_for_someone_else_too_late_or_when_the_span_was_tagged_again(source, user, other_user):
    claim = claim_create(**_span(source, "August 16, 2012"), kind="date", user=user)
    pk = claim.pk
    claim_delete(claim=claim, user=user)
    record = last_change_id(Claim, pk)
    with pytest.raises(NotAllowed):
        claim_restore(record_id=record, user=other_user)
    claim_create(**_span(source, "August 16, 2012"), kind="date", user=user)
    with pytest.raises(ConflictError, match="tagged again"):
        claim_restore(record_id=record, user=user)
    _age(Claim, record, services.UNDO_SECONDS + 1)
    with pytest.raises(WorkbenchError, match="Too late"):
        claim_restore(record_id=record, user=user)
    assert Claim.objects.count() == 1


def test_undo_names_the_right_action(source, user):
    """A record of a delete is not a tag: an undo button cannot be replayed as another action."""
    claim = claim_create(**_span(source, "August 16, 2012"), kind="date", user=user)
    pk = claim.pk
    claim_delete(claim=claim, user=user)
    with pytest.raises(WorkbenchError, match="no such tag"):
        claim_create_undo(record_id=last_change_id(Claim, pk), user=user)


@pytest.fixture
def candidate(source, make_source):
    other = make_source("Asylum was granted in November 2012.")
    a = claim_create(**_span(source, "August 16, 2012"), kind="date", user=None, origin="suggested")
    b = claim_create(**_span(other, "November 2012"), kind="date", user=None, origin="suggested")
    contradiction = Contradiction.objects.create(kind="date", status=ContradictionStatus.CANDIDATE, score=0.7)
    contradiction.claims.set([a, b])
    return contradiction


def test_undo_of_a_dismiss_reopens_the_candidate(candidate, other_user):
    contradiction_set_status(contradiction=candidate, status="dismissed", user=other_user)
    contradiction_set_status_undo(record_id=last_change_id(Contradiction, candidate.pk), user=other_user)
    candidate.refresh_from_db()
    assert (candidate.status, candidate.confirmed_by) == (ContradictionStatus.CANDIDATE, None)


def test_undo_of_a_confirm_gives_the_candidate_back_to_everyone(candidate, other_user):
    contradiction_set_status(contradiction=candidate, status="confirmed", user=other_user)
    contradiction_set_status_undo(record_id=last_change_id(Contradiction, candidate.pk), user=other_user)
    candidate.refresh_from_db()
    assert (candidate.status, candidate.confirmed_by) == (ContradictionStatus.CANDIDATE, None)


def test_undo_of_a_dismiss_is_refused_for_someone_else_and_when_changed_since(candidate, user, other_user):
    contradiction_set_status(contradiction=candidate, status="dismissed", user=other_user)
    record = last_change_id(Contradiction, candidate.pk)
    with pytest.raises(NotAllowed):
        contradiction_set_status_undo(record_id=record, user=user)
    contradiction_set_status(contradiction=candidate, status="confirmed", user=user)
    with pytest.raises(ConflictError):
        contradiction_set_status_undo(record_id=record, user=other_user)
    candidate.refresh_from_db()
    assert (candidate.status, candidate.confirmed_by) == (ContradictionStatus.CONFIRMED, user)
