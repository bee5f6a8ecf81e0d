"""Search across the text of every source, with the database's own full-text index.

SQLite (the default): an FTS5 table, ``annotations_source_fts``, over ``Source.text`` (external
content: the text is stored once, in the sources' table), kept in step by triggers on that
table, so every way a source is made or deleted (services, admin, archive import, tests'
factories) updates it. PostgreSQL: a GIN index on ``to_tsvector('simple', text)``, queried
with ``SearchQuery(search_type="websearch")``. Both are made by migration 0009.

The index only narrows the candidates: the database reports byte offsets (FTS5) or none at
all (PostgreSQL), so the hits themselves, in code points as every offset in the workbench,
are found in Python over the candidates' text. Both sides read a query the same way:

* words are runs of letters and digits (what FTS5's unicode61 tokenizer and PostgreSQL's
  parser treat as words); anything else separates them, so no character a reviewer types is
  ever query syntax (``"``, ``*``, ``-``, ``:``, parentheses, NEAR, OR are plain text);
* "words in double quotes" are a phrase; several terms must all be in a source;
* letter case does not count; accents do (PostgreSQL has no accent folding without the
  unaccent extension, and both databases must find the same sources).

A common word may be in most sources, so a search counts at most ``MAX_HITS`` hits, source
by source in the order sources were imported, and reads no further: every query costs about
the same whatever the size of the corpus. How many sources match at all is the index's
answer, exact and cheap.
"""
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from .errors import WorkbenchError
from .models import Source

FTS_TABLE = "annotations_source_fts"
# Letters and digits: the characters FTS5's unicode61 tokenizer keeps in a token (categories
# L*, N*); underscores and everything else separate words, as there.
WORD = r"[^\W_]+"
SEPARATOR = r"[\W_]+"
# A term is bounded by non-word characters: "cost" is not found inside "costly".
BEFORE, AFTER = r"(?<![^\W_])", r"(?![^\W_])"
MAX_QUERY_CHARS = 500
MAX_TERMS = 20
MAX_HITS = 1_000
CONTEXT_CHARS = 80  # shown on each side of a hit
CHUNK = 200  # candidate sources read from the database at a time

# The FTS5 table and the triggers that keep it in step with annotations_source (migration
# 0009 runs them; ``index_repair`` runs the triggers again after a migration that rebuilt the
# sources' table, which drops its triggers). remove_diacritics 0: accents count, as on PostgreSQL.
SQLITE_CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "text, content='annotations_source', content_rowid='id', tokenize='unicode61 remove_diacritics 0')"
)
SQLITE_TRIGGERS = {
    "annotations_source_fts_insert": (
        "CREATE TRIGGER IF NOT EXISTS annotations_source_fts_insert AFTER INSERT ON annotations_source BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END"
    ),
    "annotations_source_fts_delete": (
        "CREATE TRIGGER IF NOT EXISTS annotations_source_fts_delete AFTER DELETE ON annotations_source BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); END"
    ),
    # The text is never edited (every offset points into it); should it be all the same,
    # the index follows rather than silently going stale.
    "annotations_source_fts_update": (
        "CREATE TRIGGER IF NOT EXISTS annotations_source_fts_update AFTER UPDATE OF text ON annotations_source BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); "
        f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END"
    ),
}
SQLITE_REBUILD = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS] + [f"DROP TABLE IF EXISTS {FTS_TABLE}"]
# PostgreSQL: the text search configuration of the GIN index and of every query (they must
# be the same for the index to be used). 'simple': no stemming and no stop words, so what the
# index finds is what the Python pass finds.
PG_CONFIG = "simple"
PG_INDEX = "annotations_source_text_search"


class SearchQueryError(WorkbenchError):
    """A query that cannot be searched for (nothing to search, or too long)."""


@dataclass(frozen=True)
class Term:
    text: str  # as typed, quotes removed
    words: tuple[str, ...]

    @property
    def pattern(self) -> str:
        return SEPARATOR.join(re.escape(w) for w in self.words)


@dataclass(frozen=True)
class Hit:
    source: int
    source_title: str
    start: int  # code points into Source.text
    end: int
    context_start: int  # where ``context`` starts in the text
    context: str
    before: str  # context[: start - context_start]
    match: str  # text[start:end]
    after: str
    # The context cut into (text, mark): mark is "hit" for this hit, "also" for another
    # match of the query nearby, "" for the rest; a page shows the marks, escaped.
    parts: tuple[tuple[str, str], ...] = ()
    more_after: bool = False  # the text goes on after the context


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: list[Hit]  # the page asked for
    count: int  # hits counted, at most MAX_HITS
    complete: bool  # False when the count stopped at MAX_HITS
    sources: int  # sources that match, in all


def query_terms(query: str) -> list[Term]:
    """The terms of a query: "quoted phrases" and single words. An unclosed quote runs to the
    end. A word with inner punctuation ("e-mail", "12.5") is the phrase of its parts, as the
    index reads it. Refuses, in words, a query with nothing to search for."""
    query = query.strip()
    if not query:
        raise SearchQueryError("Type a word or a phrase to search for.", field="q")
    if len(query) > MAX_QUERY_CHARS:
        raise SearchQueryError(
            f"A search is at most {MAX_QUERY_CHARS} characters (this one has {len(query):,}).", field="q")
    terms = []
    for match in re.finditer(r'"([^"]*)"?|([^\s"]+)', query):
        text = match.group(1) if match.group(1) is not None else match.group(2)
        words = tuple(re.findall(WORD, text))
        if words and all(t.words != words for t in terms):
            terms.append(Term(text=" ".join(text.split()), words=words))
    if not terms:
        raise SearchQueryError(
            f"Nothing to search for in “{query}”: search for words (letters or digits); "
            "put a phrase in double quotes.", field="q")
    if len(terms) > MAX_TERMS or sum(len(t.words) for t in terms) > 4 * MAX_TERMS:
        raise SearchQueryError(f"A search has at most {MAX_TERMS} words or phrases; leave some out.", field="q")
    return terms


def _pg_candidates(terms: list[Term]) -> QuerySet[Source]:
    """PostgreSQL: the sources whose text matches every term, through the GIN index."""
    from django.contrib.postgres.search import SearchQuery, SearchVector

    # Each term in double quotes: websearch_to_tsquery reads quoted text as a phrase and
    # never as operators (or, -), and parses it as the index parsed the text. The quote is
    # the only character it treats specially inside, and none is left in a term.
    websearch = " ".join(f'"{t.text.replace(chr(34), " ")}"' for t in terms)
    return Source.objects.alias(found=SearchVector("text", config=PG_CONFIG)).filter(
        found=SearchQuery(websearch, config=PG_CONFIG, search_type="websearch"))


def _fts_match(terms: list[Term]) -> str:
    """SQLite: an FTS5 query, each term the phrase of its words, which are letters and digits
    only, so the query has no other syntax. Terms side by side must all match."""
    return " ".join('"' + " ".join(t.words) + '"' for t in terms)


def _candidate_chunks(terms: list[Term]):
    """Lists of (id, title, text) of the sources that contain every term, in id order,
    CHUNK at a time: a search that stops early reads no further."""
    last = 0
    while True:
        if connection.vendor == "postgresql":
            sources = _pg_candidates(terms).filter(pk__gt=last)
        elif connection.vendor == "sqlite":
            # The index walks its matches in rowid order from ``last`` and stops at CHUNK.
            sources = Source.objects.filter(pk__in=RawSQL(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid > %s ORDER BY rowid LIMIT %s",
                (_fts_match(terms), last, CHUNK)))
        else:
            raise NotImplementedError(f"No full-text search on {connection.vendor}.")
        chunk = list(sources.order_by("pk").values_list("pk", "title", "text")[:CHUNK])
        if not chunk:
            return
        yield chunk
        last = chunk[-1][0]


def _source_count(terms: list[Term]) -> int:
    """How many sources contain every term: the index's count."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [_fts_match(terms)])
            return cursor.fetchone()[0]
    return _pg_candidates(terms).count()


def _matcher(terms: list[Term]) -> re.Pattern:
    # Longest first, so a phrase wins over a word it starts with.
    alternatives = sorted((t.pattern for t in terms), key=len, reverse=True)
    return re.compile(BEFORE + "(?:" + "|".join(alternatives) + ")" + AFTER, re.IGNORECASE)


def _lowered_matcher(terms: list[Term]) -> re.Pattern:
    """The matcher for lower-cased text, without the look-behind: a pattern that starts with
    plain letters lets the regex engine skip through the text (about ten times faster on
    a common word); ``_occurrences`` checks the start of the word itself."""
    alternatives = sorted((SEPARATOR.join(re.escape(w.lower()) for w in t.words) for t in terms),
                          key=len, reverse=True)
    return re.compile("(?:" + "|".join(alternatives) + ")" + AFTER)


def _occurrences(text: str, matcher: re.Pattern, lowered_matcher: re.Pattern):
    """(start, end) of every hit in ``text``, in code points."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is longer ("İ"): offsets would shift
        yield from (found.span() for found in matcher.finditer(text))
        return
    at = 0
    while (found := lowered_matcher.search(lowered, at)) is not None:
        start = found.start()
        if start and lowered[start - 1].isalnum():  # inside a word ("cost" in "outcost")
            at = start + 1
            continue
        yield found.span()
        at = found.end()


def _context(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the text shown around a hit: about CONTEXT_CHARS each side, cut at a
    space so no word is shown in part."""
    left = max(0, start - CONTEXT_CHARS)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    right = min(len(text), end + CONTEXT_CHARS)
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    return left, right


def _parts(matcher: re.Pattern, text: str, left: int, right: int, hit: int) -> tuple[tuple[str, str], ...]:
    parts, at = [], left
    for found in matcher.finditer(text, left, right):
        if found.start() > at:
            parts.append((text[at:found.start()], ""))
        parts.append((found.group(), "hit" if found.start() == hit else "also"))
        at = found.end()
    if at < right:
        parts.append((text[at:right], ""))
    return tuple(parts)


def sources_search(*, query: str, limit: int = 20, offset: int = 0) -> SearchResult:
    """Hits of ``query`` in the text of every source, source by source (in the order they were
    imported) and in reading order within a source: ``limit`` of them from ``offset``, with
    the text around each. Raises SearchQueryError for a query with nothing to search."""
    terms = query_terms(query)
    matcher, lowered_matcher = _matcher(terms), _lowered_matcher(terms)
    hits: list[Hit] = []
    count, complete = 0, True
    for chunk in _candidate_chunks(terms):
        for pk, title, text in chunk:
            for start, end in _occurrences(text, matcher, lowered_matcher):
                if count >= MAX_HITS:
                    complete = False
                    break
                if offset <= count < offset + limit:
                    left, right = _context(text, start, end)
                    hits.append(Hit(source=pk, source_title=title, start=start, end=end, context_start=left,
                                    context=text[left:right], before=text[left:start], match=text[start:end],
                                    after=text[end:right], parts=_parts(matcher, text, left, right, start),
                                    more_after=right < len(text)))
                count += 1
            if not complete:
                break
        if not complete:
            break
    return SearchResult(query=query, hits=hits, count=count, complete=complete, sources=_source_count(terms))


def index_repair(*, using: str = "default") -> bool:
    """On SQLite, make the full-text index's triggers again if they are missing and rebuild
    the index, returning whether it had to. Django's SQLite schema editor changes a table by
    copying it into a new one, which drops its triggers: a later migration that changes
    ``Source`` would otherwise leave new sources out of the search, silently."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return False
    with conn.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
                       [f"{FTS_TABLE}%"])
        present = {row[0] for row in cursor.fetchall()}
        if FTS_TABLE in present and set(SQLITE_TRIGGERS) <= present:
            return False
        cursor.execute(SQLITE_CREATE_TABLE)
        for sql in SQLITE_TRIGGERS.values():
            cursor.execute(sql)
        cursor.execute(SQLITE_REBUILD)
    return True
