"""What the API answers, field by field: who an action is done as, what a created source
keeps, what the filters select, and the exact error bodies of its handlers. Written against the
mutants a mutation run of workbench/api.py left alive (issue 15)."""
import json
import logging

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from ninja.errors import HttpError, ValidationError

from annotations.errors import NotAllowed
from annotations.models import Claim, Contradiction
from workbench import api

from ..conftest import with_role

from .conftest import API, bearer, post


@pytest.fixture
def no_role(db):
    return get_user_model().objects.create_user("nora", password="a-long-test-password")


# --- who an action is done as -------------------------------------------------------------


@pytest.mark.parametrize("action, before", [("confirm", "rejected"), ("reject", "confirmed")])
def test_a_token_without_a_role_cannot_confirm_or_reject_a_claim(client, no_role, make_source, make_claim,
                                                                 action, before):
    claim = make_claim(make_source("Opened in 2010."), "2010")
    Claim.objects.filter(pk=claim.pk).update(status=before)  # the action would change it
    records = claim.history.count()
    response = post(client, f"/claims/{claim.pk}/{action}", {}, bearer(no_role))
    assert response.status_code == 403 and "no reviewer role" in response.json()["detail"]
    claim.refresh_from_db()
    assert claim.status == before and claim.history.count() == records


def test_a_status_changed_through_the_api_is_recorded_as_the_tokens_user(client, user, other_user, make_source,
                                                                         make_claim):
    claim = make_claim(make_source("Opened in 2010."), "2010", user=other_user)
    assert post(client, f"/claims/{claim.pk}/reject", {}, bearer(user)).json()["status"] == "rejected"
    latest = claim.history.latest()
    assert (latest.status, latest.history_user) == ("rejected", user)  # not the claim's maker, nor nobody


def test_a_contradiction_judged_through_the_api_is_the_tokens_users(client, other_user, make_source, make_claim):
    a, b = make_claim(make_source("Opened in 2010."), "2010"), make_claim(make_source("Opened in 2011."), "2011")
    candidate = Contradiction.objects.create(kind="date", explanation="two years")  # suggested, nobody's yet
    candidate.claims.set([a, b])
    confirmed = post(client, f"/contradictions/{candidate.pk}/confirm", {}, bearer(other_user))
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert confirmed.json()["claims"] == [a.pk, b.pk]
    candidate.refresh_from_db()
    assert (candidate.status, candidate.confirmed_by) == ("confirmed", other_user)


# --- what is read back --------------------------------------------------------------------


def test_one_claim_is_read_back_by_its_id(client, auth, make_source, make_claim):
    source = make_source("Opened in 2010, closed in 2012.")
    first, second = make_claim(source, "2010"), make_claim(source, "2012")
    got = client.get(f"{API}/claims/{second.pk}", **auth).json()
    assert (got["id"], got["exact"], got["start"], got["created_by"]) == (second.pk, "2012", second.start, "rita")
    assert client.get(f"{API}/claims/{first.pk}", **auth).json()["exact"] == "2010"


def test_a_created_source_keeps_the_metadata_given_and_defaults_the_rest(client, auth):
    given = post(client, "/sources", {"name": "a.txt", "text": "Opened in 2010.", "title": "The dam",
                                      "publisher": "Daily Post", "published_on": "2024-03-05",
                                      "kind": "news"}, auth).json()
    assert (given["title"], given["publisher"], given["published_on"], given["kind"]) == (
        "The dam", "Daily Post", "2024-03-05", "news")
    bare = post(client, "/sources", {"name": "b.txt", "text": "Opened in 2011."}, auth)
    assert bare.status_code == 201, bare.content
    assert bare.json()["publisher"] == "" and bare.json()["published_on"] is None and bare.json()["title"]


def test_a_number_is_no_publication_date(client, auth):
    response = post(client, "/sources", {"name": "a.txt", "text": "Opened in 2010.", "published_on": 20240305}, auth)
    assert response.status_code == 422
    assert response.json()["field"] == "published_on"
    assert "must be a date written YYYY-MM-DD" in response.json()["detail"]


def test_a_source_imported_without_reading_says_not_read_and_done_once_read(client, auth, make_source):
    source = make_source("Opened in 2010.")
    assert client.get(f"{API}/sources/{source.pk}", **auth).json()["reading"] == {
        "status": "not read", "import_id": None, "url": None}
    source.analysed_at = source.created_at
    source.save(update_fields=["analysed_at"])
    assert client.get(f"{API}/sources/{source.pk}", **auth).json()["reading"]["status"] == "done"


def test_claims_are_listed_by_source_then_place_and_filtered_by_status(client, auth, make_source, make_claim):
    first, second = make_source("In 2012 and 2010."), make_source("In 2001.")
    late, early, other = make_claim(first, "2012"), make_claim(first, "2010"), make_claim(second, "2001")
    listed = [c["id"] for c in client.get(f"{API}/claims", **auth).json()["items"]]
    assert listed == [late.pk, early.pk, other.pk]  # the first source's claims first, by offset
    post(client, f"/claims/{early.pk}/reject", {}, auth)
    rejected = client.get(f"{API}/claims?status=rejected", **auth).json()
    assert [c["id"] for c in rejected["items"]] == [early.pk]


def test_contradictions_are_filtered_by_kind_and_by_source(client, auth, make_source, make_claim):
    a, b, c = make_source("Opened in 2010; 40 died."), make_source("Opened in 2011."), make_source("41 died.")
    dates = post(client, "/contradictions", {"claims": [make_claim(a, "2010").pk, make_claim(b, "2011").pk]},
                 auth).json()
    counts = post(client, "/contradictions", {"claims": [make_claim(a, "40", kind="count").pk,
                                                         make_claim(c, "41", kind="count").pk]}, auth).json()
    by_kind = client.get(f"{API}/contradictions?kind=count", **auth).json()
    assert [x["id"] for x in by_kind["items"]] == [counts["id"]]
    by_source = client.get(f"{API}/contradictions?source={b.pk}", **auth).json()
    assert [x["id"] for x in by_source["items"]] == [dates["id"]]
    assert client.get(f"{API}/contradictions?source={a.pk}", **auth).json()["count"] == 2


def test_flagging_unknown_claims_names_them_all(client, auth, make_source, make_claim):
    claim = make_claim(make_source("Opened in 2010."), "2010")
    response = post(client, "/contradictions", {"claims": [claim.pk, 999998, 999999]}, auth)
    assert response.status_code == 404
    assert response.json() == {"detail": "No claims with ids 999998, 999999.", "field": "claims"}
    assert Contradiction.objects.count() == 0 and Claim.objects.count() == 1


# --- the handlers' bodies -------------------------------------------------------------------


@pytest.fixture
def request_(db):
    return RequestFactory().get(f"{API}/sources")


def body(response):
    return json.loads(response.content)


def test_a_refusal_names_its_field_and_a_bare_404_says_not_found(request_):
    refused = api.on_not_allowed(request_, NotAllowed("Only a lead can do that.", field="claims"))
    assert refused.status_code == 403 and body(refused) == {"detail": "Only a lead can do that.", "field": "claims"}
    from django.http import Http404

    missing = api.on_not_found(request_, Http404())
    assert missing.status_code == 404 and body(missing) == {"detail": "Not found.", "field": None}


def test_an_http_error_keeps_its_status_and_message(request_):
    response = api.on_http_error(request_, HttpError(418, "I'm a teapot"))
    assert response.status_code == 418 and body(response) == {"detail": "I'm a teapot", "field": None}


def test_an_invalid_input_names_the_field_by_its_path_and_lists_every_error(request_):
    errors = [{"loc": ["body", "payload", "stances", "12"], "msg": "Input should be 'supports'"},
              {"loc": ["query", "limit"], "msg": "too big"}]
    response = api.on_invalid(request_, ValidationError(errors))
    assert response.status_code == 422
    assert body(response) == {"detail": "Input should be 'supports'", "field": "stances.12", "errors": errors}
    anonymous = body(api.on_invalid(request_, ValidationError([{}])))
    assert (anonymous["detail"], anonymous["field"]) == ("Invalid input.", None)


def test_an_unexpected_error_is_logged_with_its_path_and_traceback(request_, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        try:
            raise RuntimeError("secret internals")
        except RuntimeError as exc:
            response = api.on_unexpected(request_, exc)
    assert response.status_code == 500 and body(response)["detail"] == "Internal error; nothing was saved."
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == f"Internal Server Error: {API}/sources"
    assert record.exc_info[1].args == ("secret internals",)


# --- revisions, facts, contradictions by id, and the body parser ----------------------------


def test_a_revision_keeps_the_old_name_unless_given_one_and_a_refusal_names_the_text(client, auth, make_source):
    old = make_source("The toll rose to 190.", name="toll.txt")
    first = post(client, f"/sources/{old.pk}/revisions", {"text": "The toll rose to 220."}, auth).json()
    assert first["source"]["origin"] == "toll.txt"
    renamed = post(client, f"/sources/{first['source']['id']}/revisions",
                   {"text": "The toll rose to 230.", "name": "toll-v3.txt"}, auth).json()
    assert renamed["source"]["origin"] == "toll-v3.txt"
    refused = post(client, f"/sources/{renamed['source']['id']}/revisions", {"text": "The toll rose to 230."}, auth)
    assert refused.status_code == 409  # the same bytes as the latest version
    assert refused.json()["field"] == "text" and "was not imported" in refused.json()["detail"]


def test_one_contradiction_is_read_back_by_its_id(client, auth, make_source, make_claim):
    a, b = make_claim(make_source("Opened in 2010."), "2010"), make_claim(make_source("Opened in 2011."), "2011")
    flagged = post(client, "/contradictions", {"claims": [a.pk, b.pk], "note": "which year?"}, auth).json()
    got = client.get(f"{API}/contradictions/{flagged['id']}", **auth)
    assert got.status_code == 200 and got.json()["claims"] == [a.pk, b.pk] and got.json()["note"] == "which year?"


def test_facts_are_filtered_by_status(client, auth, fact):
    assert [f["id"] for f in client.get(f"{API}/facts?status=reconciled", **auth).json()["items"]] == [fact.pk]
    assert client.get(f"{API}/facts?status=disputed", **auth).json()["count"] == 0


def test_a_reviewer_token_cannot_edit_a_fact(client, other_user, fact):
    edit = {"version": fact.version, "value": "November 2012", "status": "reconciled",
            "rationale": "Changed my mind.", "subject": "Julian Assange"}
    response = client.put(f"{API}/facts/{fact.pk}", json.dumps(edit), content_type="application/json",
                          **bearer(other_user))
    assert response.status_code == 403 and "Only a lead can edit a fact" in response.json()["detail"]
    fact.refresh_from_db()
    assert fact.value_text == "16 August 2012"


def test_a_body_nested_too_deeply_is_refused_in_a_sentence(client, auth):
    response = client.post(f"{API}/sources", "[" * 100_000 + "]" * 100_000, content_type="application/json", **auth)
    assert response.status_code == 422
    assert response.json()["detail"] == "The request body is nested too deeply to read."
