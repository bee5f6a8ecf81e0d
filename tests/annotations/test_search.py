"""Search across sources (annotations/search.py): words, phrases, several terms, offsets in
code points, and user input that is never query syntax."""
import pytest

from annotations import search
from annotations.models import Source
from annotations.search import SearchQueryError, sources_search

pytestmark = pytest.mark.django_db


def found(query, **kwargs):
    return [(h.source, h.match) for h in sources_search(query=query, **kwargs).hits]


def test_a_word_is_found_in_the_text_not_only_the_title(make_source):
    a = make_source("Title one\n\nThe asylum was granted in August 2012.", title="Quito")
    make_source("Title two\n\nNothing here about that.", title="asylum in the title only")
    result = sources_search(query="asylum")
    assert [(h.source, h.match) for h in result.hits] == [(a.pk, "asylum")]
    assert result.count == 1 and result.sources == 1 and result.complete


def test_case_does_not_count_and_words_are_whole(make_source):
    a = make_source("It COST a lot.\nIt was costly. The cost rose.")
    result = sources_search(query="cost")
    assert [(h.start, h.end, h.match) for h in result.hits] == [(3, 7, "COST"), (34, 38, "cost")]
    assert all(a.text[h.start:h.end] == h.match for h in result.hits)


def test_a_phrase_must_appear_in_that_order(make_source):
    make_source("Asylum granted in 2012, said the minister.\n")
    b = make_source("Granted: the asylum. In 2012 nothing else.\n")
    assert found('"asylum granted"') and not any(s == b.pk for s, _ in found('"asylum granted"'))
    assert found('"granted asylum"') == []
    # The phrase spans a line break and punctuation, as the index reads it.
    c = make_source("They were granted\nasylum, at last.\n")
    assert found('"granted asylum"') == [(c.pk, "granted\nasylum")]


def test_several_words_must_all_be_in_the_source(make_source):
    a = make_source("Ecuador granted asylum to Assange.\n")
    make_source("Ecuador is a country.\n")
    make_source("Assange stayed in London.\n")
    result = sources_search(query="Assange Ecuador")
    assert {h.source for h in result.hits} == {a.pk}
    # Each term is marked where it stands, in reading order.
    assert [h.match for h in result.hits] == ["Ecuador", "Assange"]


def test_offsets_are_code_points_after_emoji_and_accents(make_source):
    text = "🇪🇨 Canciller Patiño 😀 anunció: «el año» José Núñez concedió el asilo el 16 de agosto.\n"
    source = make_source(text)
    for query, expected in [("asilo", "asilo"), ("Núñez", "Núñez"), ('"16 de agosto"', "16 de agosto"),
                            ("AñO", "año"), ("patiño", "Patiño")]:
        hits = sources_search(query=query).hits
        assert [h.match for h in hits] == [expected], query
        hit = hits[0]
        assert source.text[hit.start:hit.end] == expected
        assert hit.before + hit.match + hit.after == hit.context == source.text[hit.context_start:hit.context_start + len(hit.context)]


def test_accents_count(make_source):
    make_source("Canciller Patiño habló.\n")
    assert found("Patino") == []


def test_no_hits_is_an_empty_result(make_source):
    make_source("Nothing of interest.\n")
    result = sources_search(query="zeppelin")
    assert (result.hits, result.count, result.sources) == ([], 0, 0)


@pytest.mark.parametrize("query", [
    '"', '""', '"asylum', 'asylum"', "asy*", "*", "NEAR(asylum granted)", "NEAR", "-asylum", "asylum -granted",
    "text:asylum", "(asylum)", "((", "asylum OR", "AND", "NOT asylum", "a^b", "{asylum}", "'; DROP TABLE x; --",
    "asylum:*", "granted + asylum", "\\", "%", "_",
])
def test_query_syntax_characters_are_plain_text(make_source, query):
    make_source("The asylum was granted. NEAR the end, AND or NOT, text: here.\n")
    try:
        result = sources_search(query=query)
    except SearchQueryError as exc:
        assert "search for words" in str(exc) or "Type a word" in str(exc)
    else:
        assert all(h.match.lower() in {"asylum", "granted", "near", "and", "not", "text", "or"} for h in result.hits)


def test_words_stand_for_themselves_even_when_they_are_operator_names(make_source):
    a = make_source("Meet me NEAR the dock, or not at all.\n")
    assert found("NEAR") == [(a.pk, "NEAR")]
    assert [m for _, m in found("or not")] == ["or", "not"]
    assert found("-dock") == [(a.pk, "dock")]


@pytest.mark.parametrize("query,message", [
    ("", "Type a word"), ("   ", "Type a word"), ('"*" ( ) - :', "Nothing to search for"),
    ("x" * 501, "at most 500 characters"), (" ".join(f"w{i}" for i in range(21)), "at most 20 words"),
])
def test_a_query_with_nothing_to_search_is_refused_in_words(query, message):
    with pytest.raises(SearchQueryError, match=message):
        sources_search(query=query)


def test_pagination_walks_every_hit_once_across_sources(make_source):
    sources = [make_source(f"Report {i}: the dam, the dam and the dam.\n") for i in range(4)]
    pages = [sources_search(query="dam", limit=5, offset=o) for o in (0, 5, 10)]
    hits = [(h.source, h.start) for p in pages for h in p.hits]
    assert len(hits) == 12 == len(set(hits)) and all(p.count == 12 for p in pages)
    assert hits == sorted(hits) and {s for s, _ in hits} == {s.pk for s in sources}
    assert sources_search(query="dam", limit=5, offset=12).hits == []


def test_the_count_stops_at_max_hits(make_source, monkeypatch):
    monkeypatch.setattr(search, "MAX_HITS", 5)
    make_source("dam dam dam\n")
    make_source("dam, dam, dam\n")
    result = sources_search(query="dam", limit=10)
    assert (result.count, result.complete, result.sources, len(result.hits)) == (5, False, 2, 5)


def test_a_deleted_source_leaves_the_index(make_source):
    a = make_source("The zeppelin landed.\n")
    b = make_source("Another zeppelin.\n")
    Source.objects.filter(pk=a.pk).delete()
    assert found("zeppelin") == [(b.pk, "zeppelin")]
    assert sources_search(query="zeppelin").sources == 1


def test_sources_made_outside_the_services_are_found_too(db):
    source = Source.objects.create(title="Bare", origin="bare.txt", text="A bare zeppelin.", raw_sha256="1" * 64)
    assert found("zeppelin") == [(source.pk, "zeppelin")]


def test_context_shows_the_text_around_the_hit(make_source):
    text = "word " * 40 + "the asylum was granted " + "more " * 40
    make_source(text)
    hit = sources_search(query="asylum").hits[0]
    assert hit.before.endswith("the ") and hit.after.startswith(" was granted")
    assert len(hit.before) <= search.CONTEXT_CHARS and len(hit.after) <= search.CONTEXT_CHARS
    assert not hit.before.startswith(" ") and hit.context.split(" ")[0] == "word"


def test_repair_makes_dropped_triggers_again_and_reindexes(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's triggers; PostgreSQL's index needs no upkeep")
    with connection.cursor() as cursor:
        for name in search.SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
    source = Source.objects.create(title="Late", origin="late.txt", text="A late zeppelin.", raw_sha256="2" * 64)
    assert found("zeppelin") == []  # what a rebuilt table would do without repair
    assert search.index_repair() is True
    assert found("zeppelin") == [(source.pk, "zeppelin")]
    assert search.index_repair() is False


def test_a_word_inside_another_is_no_hit_and_a_repeated_phrase_is_found_where_it_starts(make_source):
    a = make_source("outcost costs cost; bb b b.\n")
    assert [(h.start, h.match) for h in sources_search(query="cost").hits] == [(14, "cost")]
    # "b b" inside "bb b b": not at 0 (inside "bb"), but at 23.
    assert [(h.start, h.end) for h in sources_search(query='"b b"').hits] == [(23, 26)]


def test_a_text_whose_lower_case_is_longer_keeps_its_offsets(make_source):
    text = "İstanbul İzmir: the DAM at İzmir.\n"  # "İ".lower() is two code points
    make_source(text)
    hit = sources_search(query="dam").hits[0]
    assert text[hit.start:hit.end] == "DAM" and hit.start == text.index("DAM")


def test_a_later_migration_that_rebuilds_the_sources_table_keeps_the_search(transactional_db):
    """Django's SQLite schema editor changes a table by copying it, which drops its triggers;
    the post_migrate handler (annotations.apps) makes them again."""
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's triggers; PostgreSQL's index needs no upkeep")

    def triggers():
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'annotations_source'")
            return {row[0] for row in cursor.fetchall()} & set(search.SQLITE_TRIGGERS)

    with connection.schema_editor() as editor:
        editor._remake_table(Source)  # what an AddField with a default or an AlterField does
    assert triggers() == set()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert triggers() == set(search.SQLITE_TRIGGERS)
    source = Source.objects.create(title="After", origin="after.txt", text="A zeppelin after it.", raw_sha256="4" * 64)
    assert found("zeppelin") == [(source.pk, "zeppelin")]
