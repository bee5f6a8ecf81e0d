"""POST /api/v1/sources/{id}/revisions: a new version, its claims re-anchored, corrections."""
from annotations.models import Source
from tests.api.test_api import API, post

OLD = "Officials said the death toll rose to 190 on Monday.\nAid arrived on Tuesday.\n"
NEW = "Officials said the death toll rose to 220 on Monday.\nMore aid is expected.\n"


def test_a_new_version_through_the_api_lists_outcomes_and_corrections(client, auth, make_source, make_claim):
    old = make_source(OLD, name="toll.txt")
    toll = make_claim(old, "190", kind="count")
    tuesday = make_claim(old, "Tuesday", kind="date")
    answer = post(client, f"/sources/{old.pk}/revisions", {"text": NEW}, auth)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["source"]["supersedes_id"] == old.pk and body["source"]["origin"] == "toll.txt"
    outcomes = {r["old_claim_id"]: r["outcome"] for r in body["reanchorings"]}
    assert outcomes == {toll.pk: "changed", tuesday.pk: "orphaned"}
    (correction,) = body["corrections"]
    assert correction["old_claim_id"] == toll.pk and NEW[correction["new_start"]:correction["new_end"]] == "220"
    # Lists show the latest version by default.
    listed = client.get(API + "/sources", **auth).json()["items"]
    assert [s["id"] for s in listed] == [body["source"]["id"]]
    every = client.get(API + "/sources?all_versions=true", **auth).json()["items"]
    assert {s["id"] for s in every} == {old.pk, body["source"]["id"]}


def test_a_revision_with_the_same_text_is_a_400_and_saves_nothing(client, auth, make_source):
    old = make_source(OLD)
    answer = post(client, f"/sources/{old.pk}/revisions", {"text": OLD.replace("\n", "\r\n")}, auth)
    assert answer.status_code == 400 and "nothing changed" in answer.json()["detail"]
    assert Source.objects.count() == 1
    assert post(client, "/sources/999/revisions", {"text": NEW}, auth).status_code == 404


def test_the_schema_offers_the_revisions_endpoint(client, db):
    schema = client.get(API + "/openapi.json").json()
    assert "post" in schema["paths"]["/api/v1/sources/{source_id}/revisions"]
