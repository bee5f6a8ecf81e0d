"""A fact's pages and exports: every exported address resolves, values are normalised from
the browser and the API, the reconcile form's prefill, attaching a contradiction, editing
evidence, and the conflict page's diff."""
import json
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from annotations.claim_review import review_chunks
from annotations.models import Claim, Contradiction, Evidence, Fact
from annotations.services import contradiction_flag
from annotations.web_annotation import collection_chunks
from workbench.models import ApiToken

from ..conftest import with_role


@pytest.fixture
def client_of(django_user_model):
    def make(name, role="lead"):
        user = with_role(django_user_model.objects.create_user(name, password="a-long-test-password"), role)
        client = Client()
        client.force_login(user)
        client.user = user
        return client
    return make


def urls_in(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from urls_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from urls_in(value)
    elif isinstance(node, str) and node.startswith(settings.WORKBENCH_BASE_URL):
        yield node


# --- bug 5 -------------------------------------------------------------------------------


def test_claimreview_quotes_the_source_exactly(fact):
    reviews = json.loads("".join(review_chunks()))
    august = next(r for r in reviews if "August 16, 2012" in r["claimReviewed"])
    assert "August 16, 2012, with" in august["claimReviewed"]
    text = " ".join(Claim.objects.get(exact="August 16, 2012").source.text.split())
    for review in reviews:
        for piece in review["claimReviewed"].split("…"):
            assert piece.strip() in text or piece.strip() in " ".join(
                Claim.objects.get(exact="November 2012").source.text.split()), piece


def test_every_address_the_exports_give_resolves(fact, client_of):
    client = client_of("lena")
    exported = json.loads("".join(review_chunks())) + [json.loads("".join(collection_chunks()))]
    urls = set(urls_in(exported))
    assert any("#" in u for u in urls)  # ClaimReview points at the claim on the fact's page
    pages = {}
    for url in sorted(urls):
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path not in pages:
            response = client.get(path)
            assert response.status_code == 200, f"{url}: {response.status_code}"
            pages[path] = b"".join(response.streaming_content) if response.streaming else response.content
        if parts.fragment:
            assert f'id="{parts.fragment}"'.encode() in pages[path], url


# --- bug 6 -------------------------------------------------------------------------------


@pytest.fixture
def flagged(seeds, make_claim, user):
    nov = make_claim(seeds["000"], "November 2012")
    aug = make_claim(seeds["001"], "August 16, 2012")
    return contradiction_flag(claims=[nov, aug], user=user), nov, aug


def test_a_fact_reconciled_in_the_browser_has_a_normalised_value(flagged, client_of):
    contradiction, nov, aug = flagged
    response = client_of("lena").post(reverse("contradiction-reconcile", args=[contradiction.pk]), {
        "value_text": "16 August 2012", "status": "reconciled", "subject": "Julian Assange",
        "property": "date asylum granted", "rationale": "Patiño announced it.",
        f"stance_{nov.pk}": "refutes", f"stance_{aug.pk}": "supports"})
    assert response.status_code == 302
    fact = Fact.objects.get()
    assert (fact.value["type"], fact.value["start"], fact.value["end"]) == ("date", "2012-08-16", "2012-08-16")


def test_a_fact_reconciled_through_the_api_has_a_normalised_value(flagged, user):
    contradiction, nov, aug = flagged
    token = ApiToken.issue(user).key
    response = Client().post("/api/v1/facts", json.dumps({
        "contradiction": contradiction.pk, "value": "16 August 2012", "status": "reconciled",
        "rationale": "Patiño announced it.", "subject": "Julian Assange",
        "stances": {str(nov.pk): "refutes", str(aug.pk): "supports"}}),
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 201, response.content
    assert response.json()["value_normalised"]["start"] == "2012-08-16"
    assert Fact.objects.get().value["granularity"] == "day"


# --- bug 8 -------------------------------------------------------------------------------


def test_the_reconcile_form_never_prefills_a_value(client_of, seeds, user):
    from annotations.services import claims_suggest, contradictions_detect

    claims_suggest(sources=[seeds["000"], seeds["001"]])
    contradictions_detect()
    nov = Claim.objects.get(exact="November 2012")
    contradiction = next(c for c in nov.contradictions.all() if c.claims.filter(exact="August 16, 2012").exists())
    page = client_of("lena").get(reverse("contradiction-detail", args=[contradiction.pk])).content.decode()
    subject = re.search(r'name="subject"[^>]*value="([^"]*)"', page)
    prop = re.search(r'name="property"[^>]*value="([^"]*)"', page)
    assert subject and "Assange" in subject.group(1), page[page.find('name="subject"') - 200:][:400]
    for field in (subject, prop):
        if field:
            for claim in contradiction.claims.all():
                assert claim.exact not in field.group(1)
            assert "2012" not in field.group(1)


# --- attaching a contradiction, editing evidence ------------------------------------------


@pytest.fixture
def second(fact, seeds, make_claim, user):
    nov = Claim.objects.get(exact="November 2012")
    return contradiction_flag(claims=[nov, make_claim(seeds["002"], "July 2025")], user=user)


def test_a_lead_attaches_a_contradiction_to_an_existing_fact(fact, second, client_of):
    client = client_of("lena")
    page = client.get(reverse("contradiction-detail", args=[second.pk])).content.decode()
    assert "Attach to an existing fact" in page and f'value="{fact.pk}"' in page
    nov, july = Claim.objects.get(exact="November 2012"), Claim.objects.get(exact="July 2025")
    response = client.post(reverse("contradiction-attach", args=[second.pk]), {
        "fact": fact.pk, f"version_{fact.pk}": 1, f"stance_{nov.pk}": "refutes", f"stance_{july.pk}": "refutes"})
    assert response.status_code == 302 and response["Location"] == fact.get_absolute_url()
    second.refresh_from_db()
    assert second.fact_id == fact.pk and Fact.objects.get(pk=fact.pk).version == 2
    assert Evidence.objects.get(fact=fact, claim=july).stance == "refutes"


def test_attaching_from_a_stale_page_is_refused_and_changes_nothing(fact, second, client_of):
    client = client_of("lena")
    nov, july = Claim.objects.get(exact="November 2012"), Claim.objects.get(exact="July 2025")
    Fact.objects.filter(pk=fact.pk).update(version=5)
    response = client.post(reverse("contradiction-attach", args=[second.pk]), {
        "fact": fact.pk, f"version_{fact.pk}": 1, f"stance_{nov.pk}": "refutes", f"stance_{july.pk}": "refutes"})
    assert response.status_code == 409
    assert "changed this fact while you were editing it" in response.content.decode()
    assert Contradiction.objects.get(pk=second.pk).fact_id is None
    assert not Evidence.objects.filter(fact=fact, claim=july).exists()


@pytest.mark.parametrize(("fact_id", "status"), [("99999", 404), ("12x", 400)])
def test_attaching_to_a_fact_that_does_not_exist_is_refused(fact, second, client_of, fact_id, status):
    nov, july = Claim.objects.get(exact="November 2012"), Claim.objects.get(exact="July 2025")
    response = client_of("lena").post(reverse("contradiction-attach", args=[second.pk]), {
        "fact": fact_id, f"stance_{nov.pk}": "refutes", f"stance_{july.pk}": "refutes"})
    assert response.status_code == status
    assert Contradiction.objects.get(pk=second.pk).fact_id is None


def test_a_reviewer_may_not_attach(fact, second, client_of):
    client = client_of("rev", "reviewer")
    nov, july = Claim.objects.get(exact="November 2012"), Claim.objects.get(exact="July 2025")
    response = client.post(reverse("contradiction-attach", args=[second.pk]), {
        "fact": fact.pk, f"version_{fact.pk}": 1, f"stance_{nov.pk}": "refutes", f"stance_{july.pk}": "refutes"})
    assert response.status_code == 403
    assert Contradiction.objects.get(pk=second.pk).fact_id is None


def test_a_lead_edits_stances_and_removes_evidence_on_the_fact_edit_page(fact, second, client_of):
    client = client_of("lena")
    nov, aug = Claim.objects.get(exact="November 2012"), Claim.objects.get(exact="August 16, 2012")
    page = client.get(reverse("fact-edit", args=[fact.pk])).content.decode()
    assert f'name="stance_{nov.pk}"' in page and f'name="remove" value="{nov.pk}"' in page
    response = client.post(reverse("fact-evidence", args=[fact.pk]), {
        "version": 1, f"stance_{nov.pk}": "refutes", f"stance_{aug.pk}": "refutes", "remove": [nov.pk]})
    assert response.status_code == 302
    assert {e.claim_id: e.stance for e in Evidence.objects.filter(fact=fact)} == {aug.pk: "refutes"}
    assert Fact.objects.get(pk=fact.pk).version == 2


def test_a_stale_evidence_edit_is_a_conflict_and_changes_nothing(fact, client_of):
    client = client_of("lena")
    nov, aug = Claim.objects.get(exact="November 2012"), Claim.objects.get(exact="August 16, 2012")
    Fact.objects.filter(pk=fact.pk).update(version=3)
    response = client.post(reverse("fact-evidence", args=[fact.pk]), {
        "version": 1, f"stance_{nov.pk}": "supports", f"stance_{aug.pk}": "supports"})
    assert response.status_code == 409
    assert {e.claim_id: e.stance for e in Evidence.objects.filter(fact=fact)} == {nov.pk: "refutes", aug.pk: "supports"}


def test_the_fact_page_links_each_piece_of_evidence_to_its_span(fact, client_of):
    page = client_of("lena").get(fact.get_absolute_url()).content.decode()
    for claim in fact.claims.all():
        assert f'href="/compare/?s={claim.source_id}#claim-{claim.pk}"' in page


# --- the conflict page's diff --------------------------------------------------------------


def test_a_conflict_shows_what_changed_between_the_colleagues_text_and_yours(fact, client_of):
    first, second = client_of("first"), client_of("second")
    data = {"version": 1, "value_text": fact.value_text, "status": fact.status, "subject": fact.subject,
            "property": fact.property, "rationale": fact.rationale}
    assert first.post(reverse("fact-edit", args=[fact.pk]), {
        **data, "rationale": "Patiño announced it that day; the cable confirms it."}).status_code == 302
    response = second.post(reverse("fact-edit", args=[fact.pk]), {
        **data, "value_text": "November 2012", "status": "disputed"})
    assert response.status_code == 409
    page = response.content.decode()
    diff = page[page.index('conflict-diff'):]
    diff = diff[:diff.index("</table>")]
    value_row = re.search(r'<tr[^>]*data-field="value_text".*?</tr>', diff, re.S).group(0)
    assert "<del>16 August</del>" in value_row and "<ins>November</ins>" in value_row
    rationale_row = re.search(r'<tr[^>]*data-field="rationale".*?</tr>', diff, re.S).group(0)
    assert "Patiño announced it that <del>day; the cable confirms it.</del> <ins>day.</ins>" in rationale_row
    status_row = re.search(r'<tr[^>]*data-field="status".*?</tr>', diff, re.S).group(0)
    assert "<del>Reconciled</del>" in status_row and "<ins>Disputed</ins>" in status_row
    subject_row = re.search(r'<tr[^>]*data-field="subject".*?</tr>', diff, re.S).group(0)
    assert "<ins>" not in subject_row and "same" in subject_row
    assert "struck through" in page  # the legend says which marks are whose


def test_a_reviewer_may_not_edit_evidence(fact, client_of):
    client = client_of("rev", "reviewer")
    nov, aug = Claim.objects.get(exact="November 2012"), Claim.objects.get(exact="August 16, 2012")
    response = client.post(reverse("fact-evidence", args=[fact.pk]), {
        "version": 1, f"stance_{nov.pk}": "supports", f"stance_{aug.pk}": "supports", "remove": [aug.pk]})
    assert response.status_code == 403
    assert {e.claim_id: e.stance for e in Evidence.objects.filter(fact=fact)} == {nov.pk: "refutes", aug.pk: "supports"}
    assert Fact.objects.get(pk=fact.pk).version == 1


def test_the_source_text_address_serves_the_text_the_selectors_count_into(fact, client_of):
    claim = Claim.objects.get(exact="August 16, 2012")
    response = client_of("lena").get(reverse("source-text", args=[claim.source_id]))
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode()[claim.start:claim.end] == "August 16, 2012"
