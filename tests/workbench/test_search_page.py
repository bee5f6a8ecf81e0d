"""The search page (/search/) and the header's search box."""
import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    client.force_login(get_user_model().objects.create_user("sam", password="a-long-test-password"))
    return client


def test_lists_hits_in_context_with_marks_and_a_link_to_the_place(reader, make_source):
    text = "😀 Intro.\nThe <b>asylum</b> was granted to Assange in August 2012 by Ecuador.\n"
    source = make_source(text, title="Quito <i>daily</i>")
    start = text.index("asylum")
    html = reader.get("/search/", {"q": "asylum"}).content.decode()
    assert "1 hit in 1 source" in html
    assert "Quito &lt;i&gt;daily&lt;/i&gt;" in html  # the title, escaped
    assert f'href="/compare/?s={source.pk}#at-{start}-{start + 6}"' in html
    # The text around it, escaped, with the hit marked.
    assert 'The &lt;b&gt;<mark class="mark-hit">asylum</mark>&lt;/b&gt; was granted to Assange' in html
    assert "<b>asylum" not in html


def test_every_term_is_marked_and_each_occurrence_is_a_hit(reader, make_source):
    make_source("Ecuador granted asylum to Assange.\n")
    html = reader.get("/search/", {"q": "Assange asylum"}).content.decode()
    assert "2 hits in 1 source" in html
    assert html.count('<mark class="mark-hit">') == 2 and html.count('<mark class="mark-also">') == 2


def test_no_hits_says_so(reader, make_source):
    make_source("Nothing of interest.\n")
    html = reader.get("/search/", {"q": '"granted asylum"'}).content.decode()
    assert "No source contains “&quot;granted asylum&quot;”" in html and 'id="hits"' not in html


def test_a_query_with_nothing_to_search_is_explained_not_an_error_page(reader, make_source):
    make_source("The dam.\n")
    response = reader.get("/search/", {"q": '"*" ( ) -'})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="search-error"' in html and "Nothing to search for" in html
    # What was typed stays in the box, escaped.
    assert 'value="&quot;*&quot; ( ) -"' in html


def test_pages_of_hits(reader, make_source):
    for i in range(3):
        make_source(f"Report {i}:" + " dam," * 10 + "\n")
    first = reader.get("/search/", {"q": "dam"}).content.decode()
    second = reader.get("/search/", {"q": "dam", "page": 2}).content.decode()
    assert "30 hits in 3 sources" in first and "Page 1 of 2" in first and "page=2" in first
    assert first.count('<li class="hit">') == 25 and second.count('<li class="hit">') == 5
    assert "Page 2 of 2" in second
    # A page past the end (an old link) shows the last page.
    assert reader.get("/search/", {"q": "dam", "page": 9}).content.decode().count('<li class="hit">') == 5


def test_the_header_has_the_search_box_on_every_page(reader):
    html = reader.get("/sources/").content.decode()
    assert 'action="/search/"' in html and 'id="site-search"' in html and 'name="q"' in html


def test_the_page_needs_login(client):
    response = client.get("/search/", {"q": "dam"})
    assert response.status_code == 302 and "/login/" in response["Location"]
