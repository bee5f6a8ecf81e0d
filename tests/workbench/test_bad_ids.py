"""Bad numbers in the browser views (issue 10, failure 3): every id a request carries is read
by one bounded parser (workbench/ids.py). A malformed id is a 400 and one that names nothing a
404, each with a message on the page; never a 500, and a refused POST changes nothing."""
import pytest
from django.urls import reverse

from annotations.models import Claim, Contradiction, Fact, ImportBatch, Source
from workbench.ids import MAX_ID, InvalidId, parse_id

HTMX = {"HTTP_HX_REQUEST": "true"}
BAD = ["99999999999999999999", "²", "-1", "0", "1e3", "abc", ""]
# Ids in the path: the URL resolver only matches ASCII digits, so the rest is "no such page".
PATH_GETS = ["/claims/{}/", "/sources/{}/edit/", "/sources/{}/column/", "/sources/{}/claims/",
             "/imports/{}/", "/contradictions/{}/", "/facts/{}/", "/facts/{}/edit/"]
PATH_POSTS = ["/claims/{}/delete/", "/claims/{}/status/", "/contradictions/{}/status/",
              "/contradictions/{}/reconcile/", "/imports/{}/retry/", "/facts/{}/edit/", "/sources/{}/edit/"]


@pytest.fixture
def lead(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def world(fact, seeds):
    """Sources, claims, a contradiction and a fact, so a wrong id could hit something."""
    return fact


def snapshot():
    return (
        list(Claim.objects.order_by("pk").values_list("pk", "status", "subject", "note")),
        list(Contradiction.objects.order_by("pk").values_list("pk", "status", "note")),
        list(Fact.objects.order_by("pk").values_list("pk", "version", "value_text")),
        list(Source.objects.order_by("pk").values_list("pk", "title")),
        ImportBatch.objects.count(),
    )


def assert_refused_with_message(response, statuses=(400, 404)):
    assert response.status_code in statuses, response.status_code
    page = response.content.decode()
    assert 'role="alert"' in page and "msg-error" in page, page[:400]


@pytest.mark.parametrize("value", BAD)
def test_parse_id_refuses_what_is_not_an_id(value):
    with pytest.raises(InvalidId, match="is not an id"):
        parse_id(value)


def test_parse_id_reads_ascii_digits_up_to_the_bound():
    assert parse_id("1") == 1 and parse_id(str(MAX_ID)) == MAX_ID
    for value in [str(MAX_ID + 1), "١٢", " 12", "12\n", "1_000", "+5", "5.0"]:
        with pytest.raises(InvalidId):
            parse_id(value)


@pytest.mark.parametrize("value", BAD)
def test_compare_with_a_bad_source_id_is_a_400_with_a_message(lead, world, value):
    response = lead.get(reverse("compare"), {"s": [str(world.evidence.first().claim.source_id), value]})
    assert_refused_with_message(response, (400,))
    assert "is not a source id" in response.content.decode()


def test_compare_with_ids_that_name_no_source_is_a_404(lead, world):
    response = lead.get(reverse("compare"), {"s": ["424242", "424243"]})
    assert_refused_with_message(response, (404,))
    assert "424242" in response.content.decode()


def test_compare_with_one_unknown_source_shows_the_others_and_says_so(lead, seeds):
    response = lead.get(reverse("compare"), {"s": [str(seeds["000"].pk), "424242"]})
    page = response.content.decode()
    assert response.status_code == 200 and f'id="column-{seeds["000"].pk}"' in page
    assert "424242" in page and "msg-error" in page


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize("value", BAD)
def test_flagging_with_a_bad_claim_id_is_a_400_and_flags_nothing(lead, world, value, htmx):
    good = list(Claim.objects.values_list("pk", flat=True))
    before = snapshot()
    response = lead.post(reverse("contradiction-flag"), {"claims": [*map(str, good), value]},
                         **(HTMX if htmx else {}))
    assert response.status_code == 400
    assert "is not a claim id" in response.content.decode() and "msg-error" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_flagging_a_claim_that_does_not_exist_is_a_404_and_flags_nothing(lead, world, htmx):
    good = list(Claim.objects.values_list("pk", flat=True))
    before = snapshot()
    response = lead.post(reverse("contradiction-flag"), {"claims": [*good, 424242]}, **(HTMX if htmx else {}))
    assert response.status_code == 404
    assert "424242" in response.content.decode() and "msg-error" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize("value", BAD)
def test_tagging_in_a_bad_source_id_is_a_400_and_saves_nothing(lead, world, value, htmx):
    before = snapshot()
    response = lead.post(reverse("claim-create"), {"source": value, "start": 0, "end": 3, "exact": "abc",
                                                   "kind": "date"}, **(HTMX if htmx else {}))
    assert response.status_code == 400
    page = response.content.decode()
    assert ("is not a source id" in page or "No source was given" in page) and "msg-error" in page
    assert snapshot() == before


@pytest.mark.parametrize("value", BAD)
@pytest.mark.parametrize("url", PATH_GETS)
def test_a_bad_id_in_a_page_address_is_a_404_with_a_message(lead, world, url, value):
    assert_refused_with_message(lead.get(url.format(value)), (404,))


@pytest.mark.parametrize("value", [*BAD, "424242"])
@pytest.mark.parametrize("url", PATH_POSTS)
def test_a_bad_id_in_a_form_address_is_a_404_and_changes_nothing(lead, world, url, value):
    before = snapshot()
    data = {"status": "confirmed", "value_text": "x", "rationale": "x", "version": "1", "title": "x"}
    assert_refused_with_message(lead.post(url.format(value), data), (404,))
    assert snapshot() == before


@pytest.mark.parametrize("url", PATH_GETS)
def test_a_well_formed_id_that_names_nothing_is_a_404_with_a_message(lead, world, url):
    assert_refused_with_message(lead.get(url.format(424242)), (404,))


@pytest.mark.parametrize("page", BAD)
@pytest.mark.parametrize("name", ["source-list", "contradiction-list", "fact-list"])
def test_a_bad_page_number_shows_a_page_of_the_list(lead, world, name, page):
    # Page numbers are not ids: Django's paginator reads anything, falling back to a real page.
    response = lead.get(reverse(name), {"page": page})
    assert response.status_code == 200 and "<main>" in response.content.decode()


# 0 is the first offset, not a bad one.
@pytest.mark.parametrize(("field", "value"), [(f, v) for f in ("start", "end") for v in BAD if (f, v) != ("start", "0")])
def test_a_bad_offset_in_the_tag_form_is_refused_and_saves_nothing(lead, world, seeds, field, value):
    # Offsets are not ids (the domain checks them against the text), but no number breaks a page.
    data = {"source": seeds["000"].pk, "start": 0, "end": 3, "exact": seeds["000"].text[:3], "kind": "date",
            field: value}
    before = snapshot()
    response = lead.post(reverse("claim-create"), data, **HTMX)
    assert response.status_code in (400, 422) and "The claim was not saved" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("value", BAD)
def test_a_bad_version_in_the_fact_form_is_refused_and_changes_nothing(lead, world, value):
    before = snapshot()
    response = lead.post(reverse("fact-edit", args=[world.pk]), {
        "version": value, "value_text": "changed", "status": "reconciled", "subject": "s", "property": "p",
        "rationale": "r"})
    assert response.status_code in (409, 422)
    assert 'role="alert"' in response.content.decode() and "version" in response.content.decode()
    assert snapshot() == before
