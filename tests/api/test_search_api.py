"""GET /api/v1/search: hits in code points, paginated like every list, JSON errors."""
import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/search"


def test_hits_carry_source_title_code_point_offsets_and_context(client, auth, make_source):
    text = "Título 🇪🇨😀 — el Canciller Patiño concedió el asilo.\nMás tarde, asilo otra vez.\n"
    source = make_source(text, title="Quito 😀")
    body = client.get(URL, {"q": "asilo"}, **auth).json()
    assert body["count"] == 2 and body["complete"] is True and body["sources"] == 1
    first = body["items"][0]
    assert first["source"] == source.pk and first["source_title"] == "Quito 😀"
    assert text[first["start"]:first["end"]] == "asilo"
    assert first["start"] == text.index("asilo")  # a Python str offset: the emoji count once each
    context, at = first["context"], first["context_start"]
    assert context == text[at:at + len(context)] and "concedió el asilo" in context


def test_pages_with_limit_and_offset(client, auth, make_source):
    for i in range(3):
        make_source(f"Report {i}: the dam and the dam.\n")
    pages = [client.get(URL, {"q": "dam", "limit": 4, "offset": o}, **auth).json() for o in (0, 4)]
    assert [len(p["items"]) for p in pages] == [4, 2] and all(p["count"] == 6 for p in pages)
    spans = [(h["source"], h["start"]) for p in pages for h in p["items"]]
    assert len(set(spans)) == 6 and spans == sorted(spans)


def test_a_phrase_in_quotes(client, auth, make_source):
    make_source("The asylum was granted.\n")
    b = make_source("Granted asylum, at last.\n")
    body = client.get(URL, {"q": '"granted asylum"'}, **auth).json()
    assert [(h["source"], h["start"], h["end"]) for h in body["items"]] == [(b.pk, 0, 14)]


@pytest.mark.parametrize("params,status,field,words", [
    ({}, 422, "q", "Field required"),
    ({"q": ""}, 400, "q", "Type a word"),
    ({"q": '"*" ( ) - :'}, 400, "q", "Nothing to search for"),
    ({"q": "dam", "limit": 0}, 422, "limit", "greater than or equal to 1"),
    ({"q": "dam", "limit": 501}, 422, "limit", "less than or equal to 500"),
    ({"q": "dam", "offset": -1}, 422, "offset", "greater than or equal to 0"),
])
def test_bad_queries_are_json_errors(client, auth, make_source, params, status, field, words):
    make_source("The dam.\n")
    response = client.get(URL, params, **auth)
    assert response.status_code == status and response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["field"] == field and words in body["detail"]


def test_syntax_characters_never_fail(client, auth, make_source):
    make_source("The dam NEAR the town or the river; text: dam.\n")
    for q in ['"dam', "dam*", "NEAR(the town)", "-dam", "text:dam", "(dam)", "dam OR town"]:
        response = client.get(URL, {"q": q}, **auth)
        assert response.status_code == 200, q
        assert response.json()["count"] >= 1, q


def test_needs_authentication(client, make_source):
    response = client.get(URL, {"q": "dam"})
    assert response.status_code == 401 and "Bearer" in response.json()["detail"]
