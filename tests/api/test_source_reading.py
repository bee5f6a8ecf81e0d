"""A source made through the API is read like every other import: its claims are suggested and
its contradictions detected, by the same background import the browser upload uses."""
import json

from annotations.models import ImportBatch, ImportStatus

API = "/api/v1"


def create(client, auth, name, text):
    return client.post(API + "/sources", json.dumps({"name": name, "text": text}),
                       content_type="application/json", **auth)


def test_a_source_made_through_the_api_is_read_for_claims(client, auth, run_tasks):
    made = create(client, auth, "asylum.txt", "On 16 August 2012 Ecuador granted asylum.")
    assert made.status_code == 201, made.content
    source = made.json()
    batch = ImportBatch.objects.get()
    assert source["reading"] == {"status": "queued", "import_id": batch.pk, "url": f"/imports/{batch.pk}/"}

    run_tasks()

    claims = client.get(API + f"/claims?source={source['id']}", **auth).json()
    suggested = {(c["exact"], c["kind"], c["origin"]) for c in claims["items"]}
    assert ("16 August 2012", "date", "suggested") in suggested
    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.analysed, batch.suggested) == (
        ImportStatus.DONE, 1, 1, claims["count"])
    assert client.get(API + f"/sources/{source['id']}", **auth).json()["reading"] == {
        "status": "done", "import_id": batch.pk, "url": f"/imports/{batch.pk}/"}


def test_sources_made_through_the_api_get_contradiction_candidates(client, auth, run_tasks):
    for name, text in (("a.txt", "The Brenn dam opened in March 2004 and cost $120 million, officials said."),
                       ("b.txt", "The Brenn dam opened in 2006, after a delay; it cost $150 million in the end.")):
        assert create(client, auth, name, text).status_code == 201
    run_tasks()
    found = client.get(API + "/contradictions?status=candidate", **auth).json()
    assert found["count"] >= 1


def test_a_refused_source_queues_no_reading(client, auth):
    assert create(client, auth, "blank.txt", "   \n ").status_code == 400
    assert ImportBatch.objects.count() == 0
