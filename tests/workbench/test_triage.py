"""Triage in context: the review queue, the contradictions list and a contradiction's page
show each claim in its sentence with the value marked, the score and what it is about."""
import re

import pytest
from django.urls import reverse

from annotations.models import Claim, Contradiction

LONG_BEFORE = "After months of quiet talks between the two governments and their lawyers in London, "


@pytest.fixture
def corpus(make_source, make_claim):
    a = make_source(f"Intro line.\n{LONG_BEFORE}Ecuador granted asylum to Assange in November 2012. Later news.", title="Asylum, encyclopedia")
    b = make_source("Quito, 2012.\nThe asylum was granted on August 16, 2012, the minister said. More.", title="Asylum, news")
    c = make_source("The Brenn dam cost $120 million in total. It opened in 2004.", title="Dam, report")
    d = make_source("Officials said the Brenn dam cost $150 million. It opened in 2006.", title="Dam, news")
    nov = make_claim(a, "November 2012", subject="date asylum was granted")
    aug = make_claim(b, "August 16, 2012", subject="date asylum was granted")
    low = Contradiction.objects.create(kind="date", status="candidate", score=0.41, explanation="dates differ")
    low.claims.set([nov, aug])
    money = Contradiction.objects.create(kind="money", status="candidate", score=0.83, explanation="amounts differ")
    money.claims.set([make_claim(c, "$120 million", kind="money", subject="cost of the dam"),
                      make_claim(d, "$150 million", kind="money")])
    return {"a": a, "b": b, "c": c, "d": d, "low": low, "money": money}


def rows(page: str) -> list[int]:
    """The contradiction ids in the order the list shows them."""
    return [int(n) for n in re.findall(r'<tr class="status-\w+">\s*<td><a href="/contradictions/(\d+)/', page)]


def test_the_review_queue_shows_each_claim_in_its_sentence_with_score_and_property(reviewer, corpus):
    page = reviewer.get(reverse("review")).content.decode()
    assert ('Ecuador granted asylum to Assange in <mark class="kind-date">November 2012</mark>.' in page)
    assert LONG_BEFORE.strip() in page  # the whole sentence, not 32 characters of it
    assert "Intro line" not in page  # only the sentence
    assert "score 0.83" in page and "score 0.41" in page
    assert '<span class="property">cost of the dam</span>' in page


def test_the_review_queue_shows_suggested_claims_in_their_sentences(reviewer, make_source):
    from annotations.services import claims_suggest

    claims_suggest(sources=[make_source("Intro.\nThe Brenn dam opened in March 2004 after a long delay. Next.")])
    page = reviewer.get(reverse("review")).content.decode()
    assert 'The Brenn dam opened in <mark class="kind-date">March 2004</mark> after a long delay.' in page


def test_the_contradictions_list_shows_sentences_and_scores(reviewer, corpus):
    page = reviewer.get(reverse("contradiction-list")).content.decode()
    assert 'The Brenn dam cost <mark class="kind-money">$120 million</mark> in total.' in page
    assert "<td>0.83</td>" in page and "<td>0.41</td>" in page
    assert '<span class="property">date asylum was granted</span>' in page


def test_the_contradictions_list_sorts_by_score_date_and_kind_through_links(reviewer, corpus):
    url = reverse("contradiction-list")
    low, money = corpus["low"].pk, corpus["money"].pk
    flagged = Contradiction.objects.create(kind="count", status="confirmed")  # no score
    flagged.claims.set(Claim.objects.filter(kind="date"))
    page = reviewer.get(url).content.decode()
    assert rows(page) == [flagged.pk, money, low]  # newest first
    assert 'href="?sort=-score"' in page and 'href="?sort=kind"' in page and 'href="?sort=date"' in page
    assert rows(reviewer.get(url + "?sort=-score").content.decode()) == [money, low, flagged.pk]
    assert rows(reviewer.get(url + "?sort=score").content.decode()) == [low, money, flagged.pk]
    assert rows(reviewer.get(url + "?sort=date").content.decode()) == [low, money, flagged.pk]
    assert rows(reviewer.get(url + "?sort=kind").content.decode()) == [flagged.pk, low, money]


def test_the_contradictions_list_filters_by_source_and_keeps_the_filter_when_sorting(reviewer, corpus):
    url = reverse("contradiction-list") + f"?source={corpus['c'].pk}"
    page = reviewer.get(url).content.decode()
    assert rows(page) == [corpus["money"].pk]
    assert f'href="?source={corpus["c"].pk}&amp;sort=-score"' in page
    assert f'<option value="{corpus["c"].pk}" selected>' in page


def test_the_contradiction_page_shows_each_claims_sentence(reviewer, corpus):
    page = reviewer.get(corpus["low"].get_absolute_url()).content.decode()
    assert (f'{LONG_BEFORE}Ecuador granted asylum to Assange in <mark class="kind-date">November 2012</mark>.'
            in page)
    assert 'The asylum was granted on <mark class="kind-date">August 16, 2012</mark>, the minister said.' in page
