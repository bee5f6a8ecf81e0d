"""The JSON API: same rules as the browser, JSON errors naming the field, token auth."""
import pytest

from annotations.models import Claim, Contradiction, Fact, Source

from .conftest import API, bearer, post


def test_openapi_document_and_docs_are_served(client, db):
    schema = client.get(API + "/openapi.json").json()
    assert schema["info"]["version"] == "1"
    assert {"/api/v1/sources", "/api/v1/claims", "/api/v1/contradictions", "/api/v1/facts"} <= set(schema["paths"])
    docs = client.get(API + "/docs")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
    assert b"cdn" not in docs.content.lower()  # served locally


def test_without_a_token_the_api_answers_401_in_json(client, db):
    response = client.get(API + "/sources")
    assert response.status_code == 401 and "Bearer" in response.json()["detail"]
    wrong = client.get(API + "/sources", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 401


def test_unknown_address_is_a_json_404(client, auth):
    response = client.get(API + "/nothing/here", **auth)
    assert response.status_code == 404 and "No API endpoint" in response.json()["detail"]


def test_full_loop_through_the_api(client, auth, user):
    a = post(client, "/sources", {"name": "a.txt", "text": "Asylum was offered in November 2012."}, auth)
    b = post(client, "/sources", {"name": "b.txt", "text": "Asylum was granted on August 16, 2012.",
                                  "kind": "news"}, auth)
    assert a.status_code == b.status_code == 201
    assert b.json()["kind"] == "news"
    ids = []
    for source, quote in ((a.json(), "November 2012"), (b.json(), "August 16, 2012")):
        start = source["text"].index(quote)
        made = post(client, "/claims", {"source": source["id"], "start": start, "end": start + len(quote),
                                        "exact": quote, "kind": "date"}, auth)
        assert made.status_code == 201, made.content
        assert made.json()["created_by"] == "rita"
        ids.append(made.json()["id"])
    flagged = post(client, "/contradictions", {"claims": ids, "note": "month?"}, auth)
    assert flagged.status_code == 201 and flagged.json()["claims"] == ids
    fact = post(client, "/facts", {"contradiction": flagged.json()["id"], "value": "16 August 2012",
                                   "rationale": "Official.", "stances": {str(ids[0]): "refutes", str(ids[1]): "supports"}},
                auth)
    assert fact.status_code == 201, fact.content
    assert {e["claim"]: e["stance"] for e in fact.json()["evidence"]} == {ids[0]: "refutes", ids[1]: "supports"}
    assert Contradiction.objects.get().status == "resolved"
    again = post(client, "/facts", {"contradiction": flagged.json()["id"], "value": "x", "rationale": "y",
                                    "stances": {str(ids[0]): "refutes", str(ids[1]): "supports"}}, auth)
    assert again.status_code == 409 and "already resolved" in again.json()["detail"]
    listed = client.get(API + f"/claims?source={a.json()['id']}", **auth).json()
    assert listed["count"] == 1 and listed["items"][0]["exact"] == "November 2012"


def test_bad_input_gets_a_4xx_naming_the_field(client, auth):
    response = post(client, "/claims", {"source": 1, "start": "soon"}, auth)
    assert response.status_code == 422
    assert response.json()["field"] == "start"


def test_domain_refusal_is_a_400_and_saves_nothing(client, auth, make_source):
    source = make_source("Asylum was offered in November 2012.")
    response = post(client, "/claims", {"source": source.pk, "start": 0, "end": 6, "exact": "Asylun",
                                        "kind": "other"}, auth)
    assert response.status_code == 400 and "does not match" in response.json()["detail"]
    assert Claim.objects.count() == 0


def test_duplicate_source_is_a_409(client, auth):
    post(client, "/sources", {"name": "a.txt", "text": "Same text."}, auth)
    response = post(client, "/sources", {"name": "b.txt", "text": "Same text."}, auth)
    assert response.status_code == 409 and response.json()["field"] == "text"
    assert Source.objects.count() == 1


def test_pagination_and_filters(client, auth, make_source):
    for i in range(3):
        make_source(f"Source number {i}.", kind="news" if i else "ngo")
    page = client.get(API + "/sources?limit=2&offset=1", **auth).json()
    assert page["count"] == 3 and len(page["items"]) == 2
    assert client.get(API + "/sources?kind=ngo", **auth).json()["count"] == 1
    assert client.get(API + "/sources?limit=100000", **auth).status_code == 422


def test_huge_ids_are_a_422_not_a_crash(client, auth):
    assert client.get(API + f"/claims/{2**70}", **auth).status_code == 422
    assert client.get(API + "/claims/999999", **auth).status_code == 404


def test_confirm_and_reject_claims_and_dismiss_contradictions(client, auth, make_source, make_claim):
    a, b = make_source("Opened in 2010."), make_source("Opened in 2011.")
    first, second = make_claim(a, "2010"), make_claim(b, "2011")
    assert post(client, f"/claims/{first.pk}/reject", {}, auth).json()["status"] == "rejected"
    assert post(client, f"/claims/{first.pk}/confirm", {}, auth).json()["status"] == "confirmed"
    flagged = post(client, "/contradictions", {"claims": [first.pk, second.pk]}, auth).json()
    dismissed = post(client, f"/contradictions/{flagged['id']}/dismiss", {}, auth)
    assert dismissed.json()["status"] == "dismissed"
    assert client.get(API + "/contradictions?status=dismissed", **auth).json()["count"] == 1
    assert Fact.objects.count() == 0


def test_tagging_over_someone_elses_rejected_claim_is_refused_and_changes_nothing(client, make_source, make_claim,
                                                                                  user, other_user):
    """Failed before the fix: 201, and the claim rita made and rejected said "BOB WAS HERE"."""
    from annotations.services import claim_set_status

    source = make_source("Asylum was offered in November 2012.")
    theirs = claim_set_status(claim=make_claim(source, "Asylum", kind="other", subject="asylum", note="Rita's."),
                              status="rejected", user=user)
    bob = bearer(other_user)
    response = post(client, "/claims", {"source": source.pk, "start": 0, "end": 6, "exact": "Asylum",
                                        "kind": "other", "subject": "BOB WAS HERE", "note": "x"}, bob)
    assert response.status_code == 409  # the span is taken: a conflict, as a duplicate is
    assert response.json()["detail"] == ("“Asylum” is already tagged as an “other” claim by rita (rejected); "
                                         "ask rita or a lead to change it.")
    saved = Claim.objects.get()
    assert (saved.pk, saved.subject, saved.note, saved.status, saved.created_by) == (
        theirs.pk, "asylum", "Rita's.", "rejected", user)


@pytest.mark.parametrize("what", ["claim note", "contradiction note", "fact rationale"])
def test_a_5mb_free_text_is_a_400_naming_its_limit_and_saves_nothing(client, auth, make_source, make_claim, what):
    """Failed before the fix: 201, and 5 MB of text saved in the field."""
    five_mb = "x" * (5 * 1024 * 1024)
    a, b = make_source("Opened in 2010."), make_source("Opened in 2011.")
    first, second = make_claim(a, "2010"), make_claim(b, "2011")
    if what == "claim note":
        url, data = "/claims", {"source": a.pk, "start": 0, "end": 6, "exact": "Opened", "kind": "other",
                                "note": five_mb}
        limit = "Note: at most 10,000"
    elif what == "contradiction note":
        url, data, limit = "/contradictions", {"claims": [first.pk, second.pk], "note": five_mb}, "Note: at most 10,000"
    else:
        flagged = post(client, "/contradictions", {"claims": [first.pk, second.pk]}, auth).json()["id"]
        url, data = "/facts", {"contradiction": flagged, "value": "2010", "rationale": five_mb,
                               "stances": {str(first.pk): "supports", str(second.pk): "refutes"}}
        limit = "Rationale: at most 20,000"
    counts = (Claim.objects.count(), Contradiction.objects.count(), Fact.objects.count())
    response = post(client, url, data, auth)
    assert response.status_code == 400, response.content[:200]
    assert response.json()["detail"] == f"{limit} characters (this one has 5,242,880)."
    assert (Claim.objects.count(), Contradiction.objects.count(), Fact.objects.count()) == counts


def test_a_measure_with_its_property_is_tagged_and_read_back(client, auth, make_source):
    source = make_source("The bridge is 30 miles long.")
    start = source.text.index("30 miles")
    response = post(client, "/claims", {"source": source.pk, "start": start, "end": start + 8, "exact": "30 miles",
                                        "kind": "measure", "property": "length of the bridge"}, auth)
    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["property"]) == ("measure", "length of the bridge")
    listed = client.get(API + "/claims?kind=measure", **auth).json()
    assert [(c["exact"], c["property"]) for c in listed["items"]] == [("30 miles", "length of the bridge")]


def test_a_claim_property_over_its_limit_is_refused_and_saves_nothing(client, auth, make_source):
    source = make_source("The bridge is 30 miles long.")
    response = post(client, "/claims", {"source": source.pk, "start": 14, "end": 22, "exact": "30 miles",
                                        "kind": "measure", "property": "x" * 201}, auth)
    assert response.status_code == 422 and response.json()["field"] == "property"
    assert not Claim.objects.exists()


def test_the_schema_offers_the_measure_kind_and_a_claims_property(client):
    schema = client.get(API + "/openapi.json").json()["components"]["schemas"]
    assert "measure" in schema["ClaimKind"]["enum"]
    assert schema["ClaimIn"]["properties"]["property"]["maxLength"] == 200
    assert "property" in schema["ClaimOut"]["properties"]
