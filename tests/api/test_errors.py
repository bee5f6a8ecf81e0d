"""Every answer the API gives to a bad request is the documented JSON body
``{"detail": ..., "field": ...}`` with the status the README's table names, never a 500,
never an HTML page, never a traceback, in development (DEBUG) as in production."""
import json

import pytest
from django.test import Client

from annotations import services
from annotations.models import Claim, Contradiction, Fact, Source

from .conftest import API, bearer


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def api_client(db):
    # A server answers whatever happens; the test client would re-raise an escaped exception.
    return Client(raise_request_exception=False)


def post_raw(client, url, body, auth, content_type="application/json"):
    return client.post(API + url, body, content_type=content_type, **auth)


def assert_error(response, status, *, field=None, says=""):
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json"), response.content[:500]
    body = response.json()
    assert set(body) >= {"detail", "field"}, body
    assert isinstance(body["detail"], str) and body["detail"], body
    assert body["field"] == field, body
    assert says in body["detail"], body
    assert "Traceback" not in response.content.decode()
    return body


def source_payload(text):
    return json.dumps({"name": "big.txt", "text": text})


# --- bodies too large ---------------------------------------------------------------


def test_a_body_between_the_upload_limit_and_the_request_limit_is_a_json_413(api_client, auth, debug):
    # 7 MB: over DATA_UPLOAD_MAX_MEMORY_SIZE (6 MB), under WORKBENCH_MAX_REQUEST_BYTES (50 MB).
    response = post_raw(api_client, "/sources", source_payload("word " * (7 * 1024 * 1024 // 5)), auth)
    assert_error(response, 413, says="The request body is larger than 6 MB")
    assert Source.objects.count() == 0


def test_a_body_over_the_request_limit_is_a_json_413_from_the_middleware(api_client, auth, settings):
    settings.WORKBENCH_MAX_REQUEST_BYTES = 1000
    response = post_raw(api_client, "/sources", source_payload("word " * 400), auth)
    assert_error(response, 413, says="over the limit of 1,000 bytes")
    assert Source.objects.count() == 0


# --- bodies that are not the JSON object an operation reads ---------------------------


@pytest.mark.parametrize(("body", "content_type", "says"), [
    ('{"source": 1, "start": ', "application/json", "not valid JSON"),
    ("source=1&start=0&end=4", "application/x-www-form-urlencoded", "not valid JSON"),
    (b"\xff\xfe{}", "application/json", "not valid JSON"),
    ("[" * 100_000 + "]" * 100_000, "application/json", "nested too deeply"),
], ids=["truncated", "form-encoded", "not-utf8", "nested-100000"])
def test_a_body_that_is_not_json_is_a_422(api_client, auth, debug, body, content_type, says):
    assert_error(post_raw(api_client, "/claims", body, auth, content_type), 422, says=says)
    assert Claim.objects.count() == 0


def test_a_json_list_instead_of_an_object_is_a_422(api_client, auth, debug):
    body = assert_error(post_raw(api_client, "/claims", "[1, 2, 3]", auth), 422)
    assert "object" in body["detail"]


def test_nested_json_inside_a_field_is_a_422_naming_the_field(api_client, auth, make_source):
    source = make_source("Asylum was offered in November 2012.")
    note = "[" * 500 + "]" * 500
    body = ('{"source": %d, "start": 0, "end": 6, "exact": "Asylum", "kind": "other", "note": %s}'
            % (source.pk, note))
    assert_error(post_raw(api_client, "/claims", body, auth), 422, field="note")
    assert Claim.objects.count() == 0


# --- addresses and methods ---------------------------------------------------------------


def test_a_method_the_address_does_not_take_is_a_json_405(api_client, auth, debug):
    response = api_client.delete(API + "/claims", **auth)
    body = assert_error(response, 405, says="DELETE is not allowed here")
    assert "GET" in body["detail"] and "POST" in body["detail"]
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


def test_an_unknown_address_is_a_json_404_with_a_field(api_client, auth):
    assert_error(api_client.get(API + "/nothing/here", **auth), 404, says="No API endpoint")
    assert_error(api_client.get(API + "/claims/999999", **auth), 404)


def test_no_token_is_a_json_401_with_a_field(api_client, db):
    assert_error(api_client.get(API + "/sources"), 401, says="Bearer")


def test_a_refused_role_is_a_json_403_with_a_field(api_client, other_user):
    auth = bearer(other_user)  # a reviewer
    assert_error(post_raw(api_client, "/sources", source_payload("Some text."), auth), 403)
    assert Source.objects.count() == 0


# --- anything unexpected -------------------------------------------------------------------


def test_an_unexpected_error_is_a_json_500_and_what_was_written_is_undone(
        api_client, auth, debug, make_source, make_claim, monkeypatch):
    claim = make_claim(make_source("Opened in 2010."), "2010")
    real = services.claim_set_status

    def saves_then_breaks(**kwargs):
        real(**kwargs)  # the claim is rejected in the database...
        raise RuntimeError("secret internals")  # ...then something nobody foresaw breaks

    monkeypatch.setattr(services, "claim_set_status", saves_then_breaks)
    response = post_raw(api_client, f"/claims/{claim.pk}/reject", "{}", auth)
    assert_error(response, 500, says="Internal error; nothing was saved.")
    assert "secret internals" not in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "confirmed"


# --- the README's status codes: 404 for an id named in a body, 409 for a duplicate ----------


def test_an_unknown_id_in_a_body_is_a_404_naming_the_field(api_client, auth, make_source, make_claim):
    a, b = make_source("Opened in 2010."), make_source("Opened in 2011.")
    first, second = make_claim(a, "2010"), make_claim(b, "2011")
    claim = {"source": 999999, "start": 0, "end": 6, "exact": "Opened", "kind": "other"}
    assert_error(post_raw(api_client, "/claims", json.dumps(claim), auth), 404, field="source", says="999999")
    flag = {"claims": [first.pk, 999999]}
    assert_error(post_raw(api_client, "/contradictions", json.dumps(flag), auth), 404, field="claims", says="999999")
    fact = {"contradiction": 999999, "value": "2010", "rationale": "r",
            "stances": {str(first.pk): "supports", str(second.pk): "refutes"}}
    assert_error(post_raw(api_client, "/facts", json.dumps(fact), auth), 404, field="contradiction")
    assert (Claim.objects.count(), Contradiction.objects.count(), Fact.objects.count()) == (2, 0, 0)


def test_tagging_a_confirmed_claim_again_is_a_409(api_client, auth, make_source, make_claim):
    source = make_source("Asylum was offered in November 2012.")
    claim = make_claim(source, "November 2012", subject="asylum")
    start = source.text.index("November 2012")
    again = {"source": source.pk, "start": start, "end": start + 13, "exact": "November 2012", "kind": "date",
             "subject": "something else"}
    assert_error(post_raw(api_client, "/claims", json.dumps(again), auth), 409, says="already tagged")
    assert Claim.objects.count() == 1
    claim.refresh_from_db()
    assert claim.subject == "asylum"


def test_flagging_the_same_claims_again_is_a_409(api_client, auth, make_source, make_claim, user):
    claims = [make_claim(make_source("Opened in 2010."), "2010"), make_claim(make_source("Opened in 2011."), "2011")]
    flagged = services.contradiction_flag(claims=claims, user=user, note="first")
    body = json.dumps({"claims": [c.pk for c in claims], "note": "second"})
    assert_error(post_raw(api_client, "/contradictions", body, auth), 409, says=f"#{flagged.pk}")
    assert list(Contradiction.objects.values_list("note", flat=True)) == ["first"]


def test_a_domain_refusal_names_the_field_it_is_about(api_client, auth, make_source, make_claim, user):
    source = make_source("Asylum was offered in November 2012.")
    nul = {"source": source.pk, "start": 0, "end": 6, "exact": "Asylum", "kind": "other", "note": "a\x00b"}
    assert_error(post_raw(api_client, "/claims", json.dumps(nul), auth), 400, field="note", says="NUL")
    assert Claim.objects.count() == 0
    claims = [make_claim(source, "November 2012"), make_claim(make_source("Offered in 2013."), "2013")]
    flagged = services.contradiction_flag(claims=claims, user=user)
    stances = {str(claims[0].pk): "supports", str(claims[1].pk): "refutes"}
    blank = {"contradiction": flagged.pk, "value": "November 2012", "rationale": "   ", "stances": stances}
    assert_error(post_raw(api_client, "/facts", json.dumps(blank), auth), 400, field="rationale")
    blank = {"contradiction": flagged.pk, "value": "   ", "rationale": "Official.", "stances": stances}
    assert_error(post_raw(api_client, "/facts", json.dumps(blank), auth), 400, field="value")
    assert Fact.objects.count() == 0
