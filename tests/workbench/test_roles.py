"""Each action tried as each role, in the browser and through the API."""
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from annotations.models import Claim, Contradiction, Fact, Source
from annotations.services import claim_create, contradiction_flag
from tests.conftest import with_role
from workbench.models import ApiToken

ROLES = ["none", "reviewer", "lead", "admin"]
# What a reconcile refusal says to each role that may not reconcile.
REFUSAL = {"none": "Only a lead can reconcile a contradiction into a fact.", "reviewer": "Only a lead can reconcile a contradiction into a fact."}


@pytest.fixture
def world(db, make_source):
    author = with_role(get_user_model().objects.create_user("author", password="x-long-pass-1"), "reviewer")
    a = make_source("Asylum was offered in November 2012 by Ecuador.", name="a.txt")
    b = make_source("Asylum was granted on August 16, 2012 by Ecuador.", name="b.txt")

    def tag(source, quote):
        start = source.text.index(quote)
        return claim_create(source=source, start=start, end=start + len(quote), exact=quote, kind="date", user=author)

    nov, aug = tag(a, "November 2012"), tag(b, "August 16, 2012")
    flagged = contradiction_flag(claims=[nov, aug], user=author)
    return {"author": author, "a": a, "b": b, "nov": nov, "aug": aug, "flagged": flagged}


def account(role):
    user = get_user_model().objects.create_user(f"as-{role}", password="x-long-pass-2")
    if role != "none":
        with_role(user, role)
    client = Client()
    client.force_login(user)
    return user, client


def tag_post(source, quote, kind="other"):
    start = source.text.index(quote)
    return {"source": source.pk, "start": start, "end": start + len(quote), "exact": quote, "kind": kind}


@pytest.mark.parametrize("role", ROLES)
def test_tagging_needs_a_role(world, role):
    _, client = account(role)
    client.post(reverse("claim-create"), tag_post(world["a"], "Asylum"))
    assert Claim.objects.filter(exact="Asylum").exists() is (role != "none")


@pytest.mark.parametrize("role", ROLES)
def test_reconciling_is_for_leads(world, role):
    _, client = account(role)
    flagged = world["flagged"]
    data = {"value_text": "16 August 2012", "status": "reconciled", "rationale": "r", "subject": "", "property": "",
            f"stance_{world['nov'].pk}": "refutes", f"stance_{world['aug'].pk}": "supports"}
    response = client.post(reverse("contradiction-reconcile", args=[flagged.pk]), data)
    assert Fact.objects.exists() is (role in {"lead", "admin"})
    if role in {"none", "reviewer"}:
        assert REFUSAL[role] in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_dismissing_someone_elses_contradiction_is_for_leads(world, role):
    _, client = account(role)
    client.post(reverse("contradiction-status", args=[world["flagged"].pk]), {"status": "dismissed"})
    world["flagged"].refresh_from_db()
    assert (world["flagged"].status == "dismissed") is (role in {"lead", "admin"})


def test_a_reviewer_may_dismiss_a_detector_candidate(world):
    candidate = Contradiction.objects.create(kind="date", status="candidate", score=0.7)
    candidate.claims.set([world["nov"], world["aug"]])
    _, client = account("reviewer")
    client.post(reverse("contradiction-status", args=[candidate.pk]), {"status": "dismissed"})
    candidate.refresh_from_db()
    assert candidate.status == "dismissed"


@pytest.mark.parametrize("role", ROLES)
def test_deleting_someone_elses_claim_is_for_leads(world, role):
    _, client = account(role)
    client.post(reverse("claim-delete", args=[world["nov"].pk]))
    assert Claim.objects.filter(pk=world["nov"].pk).exists() is (role not in {"lead", "admin"})


def test_a_reviewer_deletes_their_own_claim(world):
    user, client = account("reviewer")
    own = claim_create(source=world["a"], start=0, end=6, exact="Asylum", kind="other", user=user)
    client.post(reverse("claim-delete", args=[own.pk]))
    assert not Claim.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize("role", ROLES)
def test_imports_are_for_admins(world, role, run_tasks):
    _, client = account(role)
    response = client.post(reverse("source-upload"),
                           {"files": [SimpleUploadedFile("c.txt", b"A third source, about 2013.")]})
    run_tasks()
    assert Source.objects.filter(origin="c.txt").exists() is (role == "admin")
    if role != "admin":
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_editing_sources_is_for_leads(world, role):
    _, client = account(role)
    response = client.post(reverse("source-edit", args=[world["a"].pk]),
                           {"title": "Renamed", "publisher": "", "published_on": "", "kind": "other", "notes": ""})
    world["a"].refresh_from_db()
    assert (world["a"].title == "Renamed") is (role in {"lead", "admin"})
    if role not in {"lead", "admin"}:
        assert response.status_code == 403


def test_anonymous_users_are_sent_to_login_for_every_write(world):
    client = Client()
    for name, args in [("claim-create", []), ("contradiction-flag", []), ("claim-delete", [world["nov"].pk]),
                       ("contradiction-reconcile", [world["flagged"].pk]), ("source-upload", [])]:
        response = client.post(reverse(name, args=args), {})
        assert response.status_code == 302 and "/login/" in response["Location"], name
    assert Claim.objects.count() == 2


@pytest.mark.parametrize(("role", "status"), [("none", 403), ("reviewer", 403), ("lead", 201)])
def test_api_applies_the_same_roles(world, role, status):
    user, _ = account(role)
    token = ApiToken.issue(user).key
    response = Client().post("/api/v1/facts", json.dumps({
        "contradiction": world["flagged"].pk, "value": "16 August 2012", "rationale": "r",
        "stances": {str(world["nov"].pk): "refutes", str(world["aug"].pk): "supports"}}),
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == status, response.content
    if status == 403:
        assert REFUSAL[role] in response.json()["detail"]


def test_api_import_is_for_admins(world):
    user, _ = account("lead")
    token = ApiToken.issue(user).key
    response = Client().post("/api/v1/sources", json.dumps({"name": "x.txt", "text": "Some text."}),
                             content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403


def test_pages_hide_what_the_role_cannot_do(world):
    _, reviewer = account("reviewer")
    page = reviewer.get(reverse("source-list")).content.decode()
    assert reverse("source-upload") not in page and reverse("source-edit", args=[world["a"].pk]) not in page
    _, admin = account("admin")
    page = admin.get(reverse("source-list")).content.decode()
    assert reverse("source-upload") in page and reverse("source-edit", args=[world["a"].pk]) in page


# --- tagging a span someone else already tagged ----------------------------------------


def _rejected_claim_of(author, source, quote):
    """``author``'s own claim (kind other, with a subject and a note), which they rejected."""
    from annotations.services import claim_set_status

    start = source.text.index(quote)
    claim = claim_create(source=source, start=start, end=start + len(quote), exact=quote, kind="other",
                         user=author, subject="Ecuador's offer", note="Author's reading.")
    return claim_set_status(claim=claim, status="rejected", user=author)


def _as_saved(claim):
    claim = Claim.objects.get(pk=claim.pk)
    return (claim.subject, claim.note, claim.status, claim.created_by_id, claim.history.count())


@pytest.mark.parametrize("htmx", [True, False])
def test_tagging_does_not_take_over_someone_elses_rejected_claim(world, htmx):
    """Failed before the fix: the tag form confirmed the author's claim and replaced its
    subject and note with the second reviewer's ("BOB WAS HERE")."""
    theirs = _rejected_claim_of(world["author"], world["a"], "Ecuador")
    before = _as_saved(theirs)
    _, client = account("reviewer")
    data = {**tag_post(world["a"], "Ecuador"), "subject": "BOB WAS HERE", "note": "mine now",
            "next": reverse("compare") + f"?s={world['a'].pk}"}
    if htmx:
        response = client.post(reverse("claim-create"), data, HTTP_HX_REQUEST="true")
    else:
        response = client.post(reverse("claim-create"), data, follow=True)
    assert _as_saved(theirs) == before
    assert Claim.objects.filter(exact="Ecuador").count() == 1
    page = " ".join(response.content.decode().split())
    assert ("“Ecuador” is already tagged as an “other” claim by author (rejected); "
            "ask author or a lead to change it.") in page
    assert "Tagged “Ecuador”" not in page


def test_a_reviewer_retagging_their_own_rejected_claim_confirms_it(world):
    theirs = _rejected_claim_of(world["author"], world["a"], "Ecuador")
    client = Client()
    client.force_login(world["author"])
    client.post(reverse("claim-create"), {**tag_post(world["a"], "Ecuador"), "note": "On second reading."})
    theirs.refresh_from_db()
    assert (theirs.status, theirs.note, theirs.subject) == ("confirmed", "On second reading.", "Ecuador's offer")
    assert Claim.objects.filter(exact="Ecuador").count() == 1


def test_tagging_a_suggestion_someone_rejected_confirms_it(world):
    """A suggestion is the workbench's own: any reviewer may confirm it by tagging its span,
    as they may with its Confirm button."""
    from annotations.services import claim_set_status

    quote = "Ecuador"
    start = world["a"].text.index(quote)
    suggestion = claim_create(source=world["a"], start=start, end=start + len(quote), exact=quote, kind="entity",
                              user=None, origin="suggested")
    claim_set_status(claim=suggestion, status="rejected", user=world["author"])
    _, client = account("reviewer")
    client.post(reverse("claim-create"), {**tag_post(world["a"], quote, kind="entity"), "subject": "Ecuador"})
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.subject, suggestion.origin) == ("confirmed", "Ecuador", "suggested")


# --- a detector candidate a reviewer confirmed ------------------------------------------


@pytest.fixture
def confirmed_candidate(world):
    """A detector candidate (flagged by nobody) that the author confirmed."""
    from annotations.services import contradiction_set_status

    candidate = Contradiction.objects.create(kind="date", status="candidate", score=0.7)
    candidate.claims.set([world["nov"], world["aug"]])
    return contradiction_set_status(contradiction=candidate, status="confirmed", user=world["author"])


@pytest.mark.parametrize("status", ["dismissed", "candidate", "confirmed"])
def test_a_candidate_someone_confirmed_is_theirs_not_another_reviewers(world, confirmed_candidate, status):
    """Failed before the fix: with ``flagged_by`` empty, any reviewer could dismiss or reopen
    the contradiction the author confirmed (or confirm it again and take it over)."""
    changes = confirmed_candidate.history.count()
    _, client = account("reviewer")
    response = client.post(reverse("contradiction-status", args=[confirmed_candidate.pk]), {"status": status},
                           follow=True)
    confirmed_candidate.refresh_from_db()
    assert (confirmed_candidate.status, confirmed_candidate.confirmed_by) == ("confirmed", world["author"])
    assert confirmed_candidate.history.count() == changes
    assert "Only a lead can change a contradiction author confirmed." in response.content.decode()


@pytest.mark.parametrize(("role", "allowed"), [("reviewer", False), ("lead", True)])
def test_the_api_lets_only_a_lead_dismiss_a_candidate_someone_else_confirmed(world, confirmed_candidate, role,
                                                                              allowed):
    user, _ = account(role)
    response = Client().post(f"/api/v1/contradictions/{confirmed_candidate.pk}/dismiss", "{}",
                             content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user).key}")
    confirmed_candidate.refresh_from_db()
    assert confirmed_candidate.status == ("dismissed" if allowed else "confirmed")
    assert response.status_code == (200 if allowed else 403), response.content
