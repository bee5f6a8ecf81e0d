"""Pages stay cheap as the corpus grows: a fixed number of queries whatever the number of
sources, claims, contradictions and facts, and a long source renders only what is needed."""
import re

import pytest
from django.urls import reverse

from annotations.models import Claim, ClaimOrigin, ClaimStatus, ImportBatch, Source
from annotations.services import (
    claim_create,
    contradiction_flag,
    fact_reconcile,
    import_batch_create,
    source_import,
)
from workbench.views import COLUMN_LIST_LIMIT

SENTENCE = "The Harlow bridge opened in March {year} and cost ${amount} million, officials said on the record today."


def long_text(words: int) -> str:
    parts, count, n = [], 0, 0
    while count < words:
        sentence = SENTENCE.format(year=1990 + n % 30, amount=10 + n % 900)
        parts.append(sentence)
        count += len(sentence.split())
        n += 1
    return " ".join(parts)


@pytest.fixture
def long_source(db, user):
    """50,000 words with 2,000 claims (bulk inserted: the page is under test, not tagging)."""
    text = long_text(50_000)
    source = source_import(name="long.txt", raw=text.encode(), user=user)
    Claim.objects.bulk_create(
        Claim(source=source, start=m.start(), end=m.end(), exact=m.group(), kind="date",
              origin=ClaimOrigin.SUGGESTED, status=ClaimStatus.SUGGESTED,
              context={"masked": "x" * 300, "keys": list(range(40))})
        for m in list(re.finditer(r"March \d{4}", text))[:2000])
    other = source_import(name="short.txt", raw=b"The Harlow bridge opened in May 1991.", user=user)
    contradiction_flag(claims=[Claim.objects.filter(source=source).first(),
                               claim_create(source=other, start=28, end=36, exact="May 1991", kind="date", user=user)],
                       user=user)
    return source


def test_a_long_source_renders_in_a_fixed_number_of_queries(client, user, long_source, django_assert_num_queries):
    assert len(long_source.text.split()) >= 50_000 and long_source.claims.count() == 2000
    client.force_login(user)
    url = reverse("compare") + f"?s={long_source.pk}"
    client.get(url)
    # session, user, the user's roles, the source, its claims, their contradictions, the facts'
    # verdicts on them, and the version of the data the live updates poll against
    with django_assert_num_queries(8):
        response = client.get(url)
    html = response.content.decode()
    # The text shows every claim highlighted; the list shows the first ones and offers the rest.
    assert html.count(' data-claims="') == 2000
    assert html.count('<li class="claim-item ') == COLUMN_LIST_LIMIT
    assert f"Show all 2000 claims ({2000 - COLUMN_LIST_LIMIT} more)" in html
    assert html.count("⚑") >= 1


def test_the_rest_of_a_long_list_loads_on_demand_in_fixed_queries(client, user, long_source, django_assert_num_queries):
    client.force_login(user)
    url = reverse("source-claims", args=[long_source.pk])
    client.get(url, headers={"HX-Request": "true"})
    with django_assert_num_queries(7):
        response = client.get(url, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith(f'<ul class="claim-items" id="claim-items-{long_source.pk}"')
    assert html.count('<li class="claim-item ') == 2000 and "Show all" not in html


def grow(user, n: int) -> None:
    """n more pairs of sources, each with claims, a contradiction and a fact."""
    start = Source.objects.count()
    for i in range(start, start + n):
        a = source_import(name=f"a{i}.txt", raw=f"Story {i}: the dam opened in May {1990 + i}.".encode(), user=user)
        b = source_import(name=f"b{i}.txt", raw=f"Story {i}: the dam opened in June {1990 + i}.".encode(), user=user)
        ca = claim_create(source=a, start=a.text.index("May"), end=a.text.index("May") + 8,
                          exact=a.text[a.text.index("May"):a.text.index("May") + 8], kind="date", user=user)
        cb = claim_create(source=b, start=b.text.index("June"), end=b.text.index("June") + 9,
                          exact=b.text[b.text.index("June"):b.text.index("June") + 9], kind="date", user=user)
        claim_create(source=a, start=0, end=8, exact=a.text[:8], kind="other", user=user)
        flagged = contradiction_flag(claims=[ca, cb], user=user)
        if i % 2:
            fact_reconcile(contradiction=flagged, user=user, value_text="May", status="reconciled",
                           rationale="The opening ceremony was filmed.",
                           stances={ca.pk: "supports", cb.pk: "refutes"})
    import_batch_create(files=[(f"upload{start}.txt", b"Some text about 2001.")], user=user)


PAGES = {
    "source-list": lambda: reverse("source-list"),
    "contradiction-list": lambda: reverse("contradiction-list"),
    "fact-list": lambda: reverse("fact-list"),
    "review": lambda: reverse("review"),
    "compare": lambda: reverse("compare") + "?" + "&".join(
        f"s={pk}" for pk in Source.objects.order_by("pk").values_list("pk", flat=True)[:5]),
    "contradiction-detail": lambda: Claim.objects.filter(kind="date").first().contradictions.first().get_absolute_url(),
    "claim-detail": lambda: reverse("claim-detail", args=[Claim.objects.filter(kind="date").first().pk]),
    "fact-detail": lambda: Claim.objects.filter(evidence__isnull=False).first().facts.first().get_absolute_url(),
    "source-upload": lambda: reverse("source-upload"),
    "import-detail": lambda: ImportBatch.objects.first().get_absolute_url(),
    "api-claims": lambda: "/api/v1/claims?limit=500",
    "api-contradictions": lambda: "/api/v1/contradictions?limit=500",
    "api-facts": lambda: "/api/v1/facts?limit=500",
    "api-sources": lambda: "/api/v1/sources?limit=500",
}


@pytest.mark.parametrize("name", PAGES)
def test_main_pages_cost_the_same_number_of_queries_as_the_corpus_grows(client, user, name, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    grow(user, 2)
    url = PAGES[name]()
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(user, 6)
    url = PAGES[name]()
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_long_lists_show_a_page_at_a_time(client, user, db):
    from annotations.models import Contradiction
    from workbench.views import PAGE_SIZE

    a = source_import(name="a.txt", raw=b"The dam opened in May 1990.", user=user)
    b = source_import(name="b.txt", raw=b"The dam opened in June 1991.", user=user)
    ca = claim_create(source=a, start=18, end=26, exact="May 1990", kind="date", user=user)
    cb = claim_create(source=b, start=18, end=27, exact="June 1991", kind="date", user=user)
    made = Contradiction.objects.bulk_create(
        Contradiction(kind="date", status="candidate", score=0.9 if n % 2 else 0.3, explanation=f"#{n}")
        for n in range(2 * PAGE_SIZE + 10))
    Contradiction.claims.through.objects.bulk_create(
        Contradiction.claims.through(contradiction_id=c.pk, claim_id=claim.pk) for c in made for claim in (ca, cb))
    client.force_login(user)

    listing = client.get(reverse("contradiction-list")).content.decode()
    assert listing.count('<tr class="status-candidate">') == PAGE_SIZE
    assert f"{2 * PAGE_SIZE + 10} contradictions" in listing and "Page 1 of 3" in listing
    last = client.get(reverse("contradiction-list") + "?status=candidate&page=3").content.decode()
    assert last.count('<tr class="status-candidate">') == 10 and "Page 3 of 3" in last
    assert 'href="?status=candidate&amp;page=2"' in last  # the filter is kept from page to page

    review = client.get(reverse("review")).content.decode()
    assert f"{PAGE_SIZE + 5} waiting, the {PAGE_SIZE} best shown" in review
    assert f"{PAGE_SIZE + 5} candidates the detector is unsure of (the {PAGE_SIZE} best shown)" in review
