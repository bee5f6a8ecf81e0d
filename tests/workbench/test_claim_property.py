"""A claim's property (what its value measures) on every page that shows claims, editable on
the claim's card, and prefilling the fact's property when a contradiction is reconciled."""
import html

import pytest
from django.urls import reverse

from annotations.models import PROPERTY_MAX, Claim, ClaimStatus, Fact
from annotations.services import contradiction_flag

HTMX = {"HTTP_HX_REQUEST": "true"}
TEXTS = ("The storm killed 57 people. The bridge is 30 miles long.",
         "At least 61 people died in the storm. The bridge spans 48 km.")


def page(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.fixture
def two(make_source):
    return [make_source(text, title=f"Report {n}") for n, text in enumerate(TEXTS, 1)]


@pytest.fixture
def deaths(two, make_claim):
    return [make_claim(two[0], "57", kind="count", property="deaths"),
            make_claim(two[1], "61", kind="count", property="deaths")]


@pytest.fixture
def contradiction(deaths, user):
    return contradiction_flag(claims=deaths, user=user)


def test_side_by_side_lists_each_claims_property(reviewer, two, deaths):
    text = page(reviewer.get(reverse("compare") + f"?s={two[0].pk}&s={two[1].pk}"))
    assert text.count('<span class="property" title="What the value measures">deaths</span>') == 2
    assert 'title="Count: 57 (deaths)"' in text  # the highlighted span's popover
    assert 'data-property="deaths ' in text  # the claim list filter finds it by its property


def test_the_tag_form_offers_the_measure_kind_and_a_property_with_its_limit(reviewer, two):
    text = page(reviewer.get(reverse("compare") + f"?s={two[0].pk}"))
    assert '<option value="measure">Measure (distance, weight, …)</option>' in text
    assert f'name="property" data-limit="{PROPERTY_MAX}"' in text


def test_tagging_a_measure_with_a_property(reviewer, two):
    source = two[0]
    start = source.text.index("30 miles")
    response = reviewer.post(reverse("claim-create"), {
        "source": source.pk, "start": start, "end": start + 8, "exact": "30 miles", "kind": "measure",
        "property": "length of the bridge"})
    assert response.status_code == 302
    claim = Claim.objects.get(source=source, exact="30 miles")
    assert (claim.kind, claim.property) == ("measure", "length of the bridge")


def test_the_claim_card_shows_the_property_and_an_editable_field_with_its_limit(reviewer, deaths):
    text = page(reviewer.get(reverse("claim-detail", args=[deaths[0].pk]), **HTMX))
    assert "deaths: 57 (count)" in text
    assert f'name="property" value="deaths" data-limit="{PROPERTY_MAX}"' in text
    assert f"at most {PROPERTY_MAX} characters" in text


def test_editing_the_property_on_the_claim_card(reviewer, deaths):
    response = reviewer.post(reverse("claim-property", args=[deaths[0].pk]), {"property": "people killed"}, **HTMX)
    text = page(response)
    assert "people killed: 57 (count)" in text  # the card, redrawn
    assert "“57” measures people killed." in text  # the report
    assert Claim.objects.get(pk=deaths[0].pk).property == "people killed"


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_a_property_over_its_limit_is_refused_clearly_and_nothing_saved(reviewer, deaths, headers):
    url = reverse("claim-property", args=[deaths[0].pk])
    response = reviewer.post(url, {"property": "x" * (PROPERTY_MAX + 1)}, follow=not headers, **headers)
    text = html.unescape(response.content.decode())
    assert "The property was not saved: Property: at most 200 characters (this one has 201)." in text
    if headers:
        assert response.status_code == 400
    assert Claim.objects.get(pk=deaths[0].pk).property == "deaths"


def test_review_queue_shows_a_suggestions_property(reviewer, deaths):
    Claim.objects.filter(pk=deaths[0].pk).update(status=ClaimStatus.SUGGESTED, origin="suggested")
    text = page(reviewer.get(reverse("review")))
    assert '<span class="reading">deaths: 57 (count)</span>' in text


def test_review_queue_shows_each_candidates_claims_property(reviewer, contradiction):
    contradiction.status = "candidate"
    contradiction.score = 0.9
    contradiction.save()
    text = page(reviewer.get(reverse("review")))
    assert "deaths: 57 (count)" in text and "deaths: 61 (count)" in text


def test_contradiction_page_says_what_each_claim_measures(reviewer, contradiction):
    text = page(reviewer.get(contradiction.get_absolute_url()))
    assert '<div class="meta reading">deaths: 57 (count)</div>' in text
    assert '<div class="meta reading">deaths: 61 (count)</div>' in text


def test_contradiction_list_says_what_each_claim_measures(reviewer, contradiction):
    text = page(reviewer.get(reverse("contradiction-list")))
    assert "deaths: 57 (count)" in text and "deaths: 61 (count)" in text


def test_reconcile_form_starts_with_the_claims_property(reviewer, contradiction, deaths):
    Claim.objects.filter(pk=deaths[1].pk).update(property="fatalities")
    third = deaths[0].source
    extra = Claim.objects.create(source=third, start=third.text.index("30"), end=third.text.index("30") + 2,
                                 exact="30", kind="count", property="fatalities")
    contradiction.claims.add(extra)
    text = page(reviewer.get(contradiction.get_absolute_url()))
    assert 'name="property" value="fatalities"' in text  # two of three say it


def test_reconciling_keeps_the_property_the_reviewer_typed(reviewer, contradiction, deaths):
    stances = {f"stance_{c.pk}": "supports" for c in deaths}
    response = reviewer.post(reverse("contradiction-reconcile", args=[contradiction.pk]), {
        "value_text": "57", "status": "reconciled", "rationale": "Coroner.", "property": "storm deaths", **stances})
    assert response.status_code == 302
    assert Fact.objects.get().property == "storm deaths"


def test_admin_lists_and_searches_claims_by_property(client, user, deaths):
    user.is_staff = True
    user.save()
    client.force_login(user)
    Claim.objects.filter(pk=deaths[1].pk).update(property="fatalities")
    text = page(client.get(reverse("admin:annotations_claim_changelist") + "?q=fatalities"))
    assert '<td class="field-property">fatalities</td>' in text
    assert "field-property\">deaths" not in text
