import html
import re
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from workbench.highlighting import highlight, segment_text


@dataclass
class FakeClaim:
    pk: int
    start: int
    end: int
    kind: str = "date"
    status: str = "confirmed"
    exact: str = ""

    def get_kind_display(self):
        return self.kind.title()


SEGMENT = re.compile(r'<span class="([^"]*)" data-start="(\d+)"(?: data-claims="([^"]*)")?[^>]*>(.*?)</span>', re.S)


def rendered_segments(markup: str):
    return [(m.group(1).split(), int(m.group(2)), (m.group(3) or "").split(), html.unescape(m.group(4)))
            for m in SEGMENT.finditer(markup)]


def test_nested_and_overlapping_claims_keep_every_character_once():
    text = "Granted on August 16, 2012 in London."
    outer = FakeClaim(1, 11, 26)          # August 16, 2012
    inner = FakeClaim(2, 22, 26)          # 2012
    overlap = FakeClaim(3, 18, 33, "other")  # 16, 2012 in Lon
    segments = rendered_segments(highlight(text, [outer, inner, overlap]))
    assert "".join(s[3] for s in segments) == text
    by_text = {s[3]: s[2] for s in segments}
    assert by_text["2012"] == ["2", "1", "3"]  # innermost first, all three listed
    assert by_text["August "] == ["1"]
    assert by_text["16, "] == ["1", "3"]
    assert by_text[" in Lon"] == ["3"]


def test_text_is_escaped_never_markup():
    markup = highlight('<script>alert("x")</script> & more', [FakeClaim(1, 0, 8)])
    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup


def test_label_names_the_kind_where_a_claim_starts_only():
    text = "On August 16, 2012."
    segments = SEGMENT.finditer(str(highlight(text, [FakeClaim(1, 3, 18), FakeClaim(2, 14, 18, "count")])))
    labels = [re.search(r'data-label="([^"]*)"', m.group(0)) for m in segments]
    assert [l.group(1) if l else None for l in labels] == [None, "DATE", "COUNT", None]


def test_contradicted_claims_are_marked():
    markup = str(highlight("a 2012 b 2013", [FakeClaim(1, 2, 6), FakeClaim(2, 9, 13)], contradicted={2}))
    classes = [s[0] for s in rendered_segments(markup) if s[2]]
    assert "contradicted" not in classes[0] and "contradicted" in classes[1]


@st.composite
def text_and_claims(draw):
    text = draw(st.text(min_size=1, max_size=80))
    spans = draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, len(text))), max_size=12))
    claims = [FakeClaim(i + 1, min(a, b), max(a, b)) for i, (a, b) in enumerate(spans) if a != b]
    return text, claims


@given(text_and_claims())
def test_segments_cover_the_text_exactly_and_each_claim_exactly(case):
    text, claims = case
    segments = segment_text(text, claims)
    assert "".join(text[s.start:s.end] for s in segments) == text
    for claim in claims:
        covered = [s for s in segments if claim in s.claims]
        assert covered[0].start == claim.start and covered[-1].end == claim.end
        assert all(a.end == b.start for a, b in zip(covered, covered[1:]))


# --- The revision page's second layer: insertions and deletions over the claims ---------

def test_a_claim_straddling_an_insertion_is_cut_at_its_edge_so_both_show():
    from workbench.highlighting import Mark

    text = "the toll rose to 220 today"
    claim = FakeClaim(1, text.index("rose"), text.index("220") + 3)  # "rose to 220"
    markup = highlight(text, [claim], marks=[Mark(text.index("220"), len(text), "ins", "new-change-1")])
    inserted = re.search(r'<ins id="new-change-1" class="change" data-start="17">(.*?)</ins>', markup).group(1)
    assert [(s[3], s[2]) for s in rendered_segments(inserted)] == [("220", ["1"]), (" today", [])]
    before = markup.split("<ins")[0]
    assert ("rose to ", ["1"]) in [(s[3], s[2]) for s in rendered_segments(before)]
    assert html.unescape(re.sub(r"<[^>]+>", "", markup)) == text


def test_an_empty_mark_is_a_place_and_anchors_precede_each_claim():
    from workbench.highlighting import Mark

    text = "a b c"
    markup = highlight(text, [FakeClaim(7, 2, 3)], marks=[Mark(5, 5, "del", "new-change-1")], anchors=True)
    assert markup.endswith('<span class="change-place del-place" id="new-change-1" data-start="5" title="deleted here"></span>')
    assert '<span class="anchor" id="claim-7" data-start="2"></span><span class="seg claim' in markup
    assert 'id="claim-7"' not in highlight(text, [FakeClaim(7, 2, 3)])  # the compare page has no anchors
