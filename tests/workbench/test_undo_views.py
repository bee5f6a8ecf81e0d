"""The tag form's second identical submit and the one undo view (issue 12)."""
from django.urls import reverse

from annotations.models import Claim
from annotations.services import last_change_id

HTMX = {"HTTP_HX_REQUEST": "true"}


def _tag(client, source, exact, kind="entity", subject="OPEC"):
    start = source.text.index(exact)
    return client.post(reverse("claim-create"), {"source": source.pk, "start": start, "end": start + len(exact),
                                                 "exact": exact, "kind": kind, "subject": subject}, **HTMX)


def test_a_second_identical_tag_is_a_409_and_saves_nothing(client, user, make_source):
    source = make_source("Ecuador left OPEC in 2020.")
    client.force_login(user)
    assert _tag(client, source, "OPEC").status_code == 200
    second = _tag(client, source, "OPEC")
    assert second.status_code == 409
    assert "already tagged as an entity claim by rita" in second.content.decode()
    assert list(Claim.objects.values_list("kind", "subject")) == [("entity", "OPEC")]


def test_the_tag_message_carries_an_undo_that_removes_the_claim(client, user, make_source):
    source = make_source("Ecuador left OPEC in 2020.")
    client.force_login(user)
    response = _tag(client, source, "OPEC")
    claim = Claim.objects.get()
    record = last_change_id(Claim, claim.pk)
    assert f'name="record" value="{record}"' in response.content.decode()
    undone = client.post(reverse("undo"), {"action": "tag", "record": record}, **HTMX)
    assert "Undone: “OPEC” is no longer tagged." in undone.content.decode()
    assert not Claim.objects.exists()


def test_undo_of_someone_elses_tag_is_refused_and_changes_nothing(client, user, other_user, make_source):
    source = make_source("Ecuador left OPEC in 2020.")
    client.force_login(user)
    _tag(client, source, "OPEC")
    record = last_change_id(Claim, Claim.objects.get().pk)
    client.force_login(other_user)
    refused = client.post(reverse("undo"), {"action": "tag", "record": record}, **HTMX)
    assert refused.status_code == 403
    assert "this tag was rita&#x27;s" in refused.content.decode()
    assert Claim.objects.count() == 1


def test_undo_with_a_malformed_record_or_unknown_action_is_refused(client, user, make_source):
    source = make_source("Ecuador left OPEC in 2020.")
    client.force_login(user)
    _tag(client, source, "OPEC")
    record = last_change_id(Claim, Claim.objects.get().pk)
    assert client.post(reverse("undo"), {"action": "tag", "record": "1_0"}, **HTMX).status_code == 400
    assert client.post(reverse("undo"), {"action": "drop-table", "record": record}, **HTMX).status_code == 400
    assert Claim.objects.count() == 1


def test_a_dismiss_in_the_review_queue_reports_itself_with_an_undo_that_reopens_it(client, other_user, make_source):
    from annotations.models import Contradiction, ContradictionStatus
    from annotations.services import claim_create

    claims = []
    for text, exact in (("Granted on August 16, 2012.", "August 16, 2012"), ("Granted in November 2012.", "November 2012")):
        source = make_source(text)
        start = source.text.index(exact)
        claims.append(claim_create(source=source, start=start, end=start + len(exact), exact=exact, kind="date",
                                   user=None, origin="suggested"))
    candidate = Contradiction.objects.create(kind="date", status=ContradictionStatus.CANDIDATE, score=0.7)
    candidate.claims.set(claims)
    client.force_login(other_user)
    response = client.post(reverse("contradiction-status", args=[candidate.pk]), {"status": "dismissed"}, **HTMX)
    page = response.content.decode()
    assert f'id="review-contradiction-{candidate.pk}"' in page
    assert f"Contradiction #{candidate.pk} is now dismissed." in page
    record = last_change_id(Contradiction, candidate.pk)
    assert f'name="record" value="{record}"' in page and 'value="contradiction-status"' in page
    undone = client.post(reverse("undo"), {"action": "contradiction-status", "record": record}, **HTMX)
    assert f"Undone: contradiction #{candidate.pk} is candidate again." in undone.content.decode()
    candidate.refresh_from_db()
    assert candidate.status == ContradictionStatus.CANDIDATE
