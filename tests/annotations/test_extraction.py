import pytest

from annotations.errors import WorkbenchError
from annotations.extraction import extract, get_nlp
from annotations.management.commands.load_seeds import SEEDS_DIR
from annotations.importing import decode_source


def seed(prefix):
    path = next(SEEDS_DIR.glob(f"{prefix}_*.txt"))
    return decode_source(path.read_bytes(), name=path.name).text


@pytest.fixture(scope="module")
def seed_suggestions():
    texts = {p: seed(p) for p in ["000", "001", "002", "003", "004"]}
    return {p: (t, s) for (p, t), s in zip(texts.items(), extract(list(texts.values())))}


def exacts(seed_suggestions, prefix, kind=None):
    return [s.exact for s in seed_suggestions[prefix][1] if kind is None or s.kind == kind]


def test_offsets_point_into_the_text(seed_suggestions):
    for text, suggestions in seed_suggestions.values():
        for s in suggestions:
            assert text[s.start:s.end] == s.exact


def test_suggests_each_kind_from_the_seeds(seed_suggestions):
    assert "November 2012" in exacts(seed_suggestions, "000", "date")
    assert "August 16, 2012" in exacts(seed_suggestions, "001", "date")
    assert "US$23 million" in exacts(seed_suggestions, "000", "money")
    assert "$20 million dollars" in exacts(seed_suggestions, "002", "money")
    assert "an estimated 150,000-200,000" in exacts(seed_suggestions, "000", "count")
    assert "10-year" in exacts(seed_suggestions, "000", "duration")
    assert "Foreign Minister Ricardo Patiño" in exacts(seed_suggestions, "001", "entity")


def test_citation_markers_are_not_values(seed_suggestions):
    text, suggestions = seed_suggestions["001"]
    for s in suggestions:
        assert "[" not in s.exact and "]" not in s.exact
        assert text[s.start - 1:s.start] != "["
    assert "2017" in exacts(seed_suggestions, "001", "date")  # the year before ".[4]"


def test_paywall_header_and_datelines_give_no_claims(seed_suggestions):
    news = exacts(seed_suggestions, "003")
    assert not {"just $1", "$1", "$4.99", "$42"} & set(news)
    assert "November 21, 2022" not in news  # the dateline is metadata, not a claim
    assert "November 16, 2022" in news
    header = exacts(seed_suggestions, "001")
    assert "9343" not in header
    assert "December 5, 2025" not in exacts(seed_suggestions, "002")


def test_subject_context_masks_the_value(seed_suggestions):
    nov = next(s for s in seed_suggestions["000"][1] if s.exact == "November 2012")
    assert nov.context["masked"] == "Ecuador offered political asylum to Julian Assange in [DATE]."
    assert {"asylum", "assange"} <= set(nov.context["focus"])
    assert nov.value["start"] == "2012-11-01"


def test_other_dates_in_the_sentence_are_kept_as_anchors(seed_suggestions):
    twenty = next(s for s in seed_suggestions["002"][1] if s.exact == "$20 million dollars")
    assert [a["text"] for a in twenty.context["anchors"]] == ["early September 2025"]


def test_missing_model_names_the_setting_and_the_install(settings):
    get_nlp.cache_clear()
    settings.SPACY_MODEL = "no_such_pipeline_xx"
    try:
        with pytest.raises(WorkbenchError, match="SPACY_MODEL.*pip install"):
            get_nlp()
    finally:
        get_nlp.cache_clear()


# --- one reading per doc: sentences and entities looked up by offset, not walked per claim ---

from hypothesis import given, strategies as st  # noqa: E402

from annotations.extraction import _Disjoint, _reading  # noqa: E402


@given(st.lists(st.tuples(st.integers(0, 200), st.integers(1, 20)), max_size=40),
       st.integers(0, 220), st.integers(1, 30))
def test_disjoint_spans_answer_overlap_as_a_scan_would(spans, start, length):
    kept = _Disjoint()
    for a, n in spans:
        if not kept.overlaps(a, a + n):
            kept.add(a, a + n)
    # What the binary search answers is what a walk over every kept span answers.
    scan = any(start < b and a < start + length for a, b in kept.spans)
    assert kept.overlaps(start, start + length) == scan
    assert all(b <= c for (_, b), (c, _) in zip(kept.spans, kept.spans[1:]))


def test_the_reading_finds_each_tokens_sentence_and_entities_as_spacy_does():
    doc = get_nlp()(seed("001") + "\n" + seed("003"))
    reading = _reading(doc)
    assert reading.text == doc.text
    for token in doc:
        span = doc[token.i:token.i + 1]
        sent = reading.sentence(span)
        assert (sent.start, sent.end) == (span.sent.start, span.sent.end)
    for sent in doc.sents:
        assert [(e.start, e.end) for e in reading.ents_in(sent)] == [(e.start, e.end) for e in sent.ents]


# --- a date without a year: its sentence, its heading, its paragraph, or the source's own date ---

def _day(text, exact, **kw):
    [suggestions] = extract([text], **kw)
    return next(s.value["start"] for s in suggestions if s.exact == exact)


def test_a_date_without_a_year_takes_the_year_of_its_own_sentence():
    text = "The dam was finished in 1998. The gates opened on 21 March, in 2023, after a long wait.\n"
    assert _day(text, "21 March") == "2023-03-21"


def test_a_date_without_a_year_takes_the_year_heading_above_it():
    text = "2013\n• 2 Jul. – Contract signed with the builders\n2014\n• 3 Feb. – Work began on the piers\n"
    assert (_day(text, "2 Jul"), _day(text, "3 Feb")) == ("2013-07-02", "2014-02-03")


def test_a_date_without_a_year_takes_the_sources_own_date_not_an_unrelated_year():
    text = ("Published 5 March 2024\n\nThe plant was built in 1998 by a state firm.\n\n"
            "On 19 March the storm hit the plant and cut its power.\n")
    assert _day(text, "19 March") == "2024-03-19"
    quiet = "The plant was built in 1998 by a state firm.\n\nOn 19 March the storm hit the plant.\n"
    assert _day(quiet, "19 March", published_years=[2024]) == "2024-03-19"


def test_a_long_text_reports_how_far_its_reading_is_before_it_is_done(monkeypatch):
    # Bug 10: one long source sat at "sources read 0/1" for minutes. A long text is read in
    # pieces cut after a line break, and progress is reported after each.
    from annotations import extraction

    monkeypatch.setattr(extraction, "PROGRESS_CHUNK_CHARS", 400)
    paragraph = "The Brenn dam opened in March 2004 and cost $120 million, officials said on Monday.\n"
    text = paragraph * 40
    reports = []
    (whole,) = extraction.extract([text])
    (pieces,) = list(extraction.iter_extract([text], progress=lambda index, fraction: reports.append((index, fraction))))
    fractions = [f for _, f in reports]
    assert len(fractions) >= 5 and {i for i, _ in reports} == {0}
    assert all(0 < f < 1 for f in fractions) and fractions == sorted(set(fractions))
    # Read in pieces, the suggestions are the same as read whole.
    assert [(s.start, s.end, s.kind) for s in pieces] == [(s.start, s.end, s.kind) for s in whole]


def test_a_line_break_ends_a_sentence_unless_it_only_wraps_one():
    """PDF text wraps sentences ("41 per⏎cent funded"): the claim's sentence goes on past the
    break; a list item, a heading or a break after a full stop still ends one."""
    text = ("As of 30 June 2024 the Flash Appeal was only 41 per\ncent funded. Donors filled the gap.\n"
            "- 2 Jul. 2013 – the ministry launches the tender\n- Sept. 2019 – works resume\n"
            "Funding\nThe appeal was 60 per cent funded.")
    sentences = [s.text.strip() for s in get_nlp()(text).sents]
    assert "As of 30 June 2024 the Flash Appeal was only 41 per\ncent funded." in sentences
    assert "Sept. 2019 – works resume" in sentences and "Funding" in sentences
    [suggestions] = extract([text])
    share = next(s for s in suggestions if s.exact == "41 per\ncent")
    assert share.context["masked"].endswith("[PERCENT] funded.")
