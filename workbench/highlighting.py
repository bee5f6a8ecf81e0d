"""Rendering a source text with its claims highlighted.

Claims may overlap or nest, which HTML elements cannot, so the text is cut at every
claim boundary into flat segments; each segment lists every claim covering it. Every
segment carries ``data-start`` (its code point offset), which the browser uses to turn a
selection into code point offsets. Concatenating the segments gives back the text exactly.

A second layer, ``marks`` (the revision page's word-level insertions and deletions), cuts the
text at its boundaries too, so a claim inside an inserted stretch shows as both; marks never
overlap one another, so each wraps its whole segments in one <ins> or <del>.
"""
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass
class Segment:
    start: int
    end: int
    claims: list = field(default_factory=list)  # innermost (shortest) first


@dataclass(frozen=True)
class Mark:
    """A stretch marked as changed: ``tag`` is "ins" or "del"; an empty one (start == end) is
    the place where words were deleted from, or inserted into, the other text. ``id`` names it
    for links."""
    start: int
    end: int
    tag: str
    id: str


def segment_text(text: str, claims, cuts=()) -> list[Segment]:
    """Cut text into segments at claim boundaries and at the offsets in ``cuts`` (a sweep over
    sorted boundaries)."""
    n = len(text)
    spans = [c for c in claims if 0 <= c.start < c.end <= n]
    bounds = sorted({0, n, *(c.start for c in spans), *(c.end for c in spans), *(i for i in cuts if 0 <= i <= n)})
    by_start: dict[int, list] = {}
    for claim in spans:
        by_start.setdefault(claim.start, []).append(claim)
    active: list = []
    segments = []
    for a, b in zip(bounds, bounds[1:]):
        active = [c for c in active if c.end > a] + by_start.get(a, [])
        covering = sorted(active, key=lambda c: (c.end - c.start, c.pk))
        segments.append(Segment(a, b, covering))
    return segments


# How a fact's verdict on a claim reads beside it: a mark and words, never colour alone.
VERDICT_MARKS = {"supports": "✔", "refutes": "✘"}


def verdict_text(stance: str, fact_id: int) -> str:
    """"✔ supports fact #3" / "✘ refuted by fact #3": a fact's verdict on a claim."""
    return f"✔ supports fact #{fact_id}" if stance == "supports" else f"✘ refuted by fact #{fact_id}"


def _segment_html(text: str, seg: Segment, *, contradicted: set[int], verdicts: dict) -> str:
    chunk = escape(text[seg.start:seg.end])
    if not seg.claims:
        return f'<span class="seg" data-start="{seg.start}">{chunk}</span>'
    top = seg.claims[0]
    classes = ["seg", "claim", f"kind-{top.kind}"]
    if any(c.status == "suggested" for c in seg.claims):
        classes.append("suggested")
    if any(c.status == "rejected" for c in seg.claims) and all(c.status == "rejected" for c in seg.claims):
        classes.append("rejected")
    if any(c.pk in contradicted for c in seg.claims):
        classes.append("contradicted")
    stances = {stance for c in seg.claims for stance, _ in verdicts.get(c.pk, ())}
    classes += sorted({"supports": "supported", "refutes": "refuted"}[s] for s in stances)
    depth = min(len(seg.claims), 4)
    if depth > 1:
        classes.append(f"depth-{depth}")
    # The kind's name is shown as a label where each claim begins (colour is not enough),
    # through CSS generated content so it never enters the selectable text.
    starting = [c for c in seg.claims if c.start == seg.start]
    label = " ".join(
        c.get_kind_display().split(" ")[0].upper() + ("⚑" if c.pk in contradicted else "")
        + "".join(" " + verdict_text(stance, fact) for stance, fact in verdicts.get(c.pk, ()))
        for c in sorted(starting, key=lambda c: -(c.end - c.start))
    )
    ids = " ".join(str(c.pk) for c in seg.claims)
    title = escape("; ".join(
        f"{c.get_kind_display()}: {c.exact[:80]}"
        + (f" ({c.property})" if getattr(c, "property", "") else "")
        + "".join(f" ({verdict_text(stance, fact)})" for stance, fact in verdicts.get(c.pk, ()))
        for c in seg.claims))
    label_attr = f' data-label="{escape(label)}"' if label else ""
    return (
        f'<span class="{" ".join(classes)}" data-start="{seg.start}" data-claims="{ids}"'
        f'{label_attr} title="{title}">{chunk}</span>'
    )


def highlight(text: str, claims, *, contradicted: set[int] = frozenset(), verdicts: dict | None = None,
              marks: list[Mark] = (), anchors: bool = False) -> SafeString:
    """The text as HTML segments; ``contradicted`` holds ids of claims in open contradictions,
    ``verdicts`` maps a claim id to the (stance, fact id) of each fact weighing it. ``marks``
    (sorted, not overlapping) wrap their segments in <ins> or <del>; with ``anchors`` an empty
    ``#claim-ID`` anchor precedes each claim's first segment, for links to it on the page."""
    verdicts = verdicts or {}
    marks = sorted(marks, key=lambda m: (m.start, m.end))
    segments = segment_text(text, claims, cuts=[i for m in marks for i in (m.start, m.end)])
    parts, k, open_mark = [], 0, None
    for seg in segments + [Segment(len(text), len(text))]:  # the sentinel places marks at the very end
        while k < len(marks) and marks[k].start == seg.start and (marks[k].start == marks[k].end or seg.end > seg.start):
            mark = marks[k]
            if mark.start == mark.end:  # a place: where the other text's words were or went
                parts.append(f'<span class="change-place {mark.tag}-place" id="{mark.id}" data-start="{mark.start}"'
                             f' title="{"deleted here" if mark.tag == "del" else "inserted here"}"></span>')
                k += 1
                continue
            # data-start on the mark too, so a selection ending just after it still reads an offset.
            parts.append(f'<{mark.tag} id="{mark.id}" class="change" data-start="{mark.start}">')
            open_mark = mark
            k += 1
            break
        if seg.end == seg.start:
            continue
        if anchors:
            parts += [f'<span class="anchor" id="claim-{c.pk}" data-start="{seg.start}"></span>'
                      for c in sorted(seg.claims, key=lambda c: -(c.end - c.start)) if c.start == seg.start]
        parts.append(_segment_html(text, seg, contradicted=contradicted, verdicts=verdicts))
        if open_mark and seg.end == open_mark.end:
            parts.append(f"</{open_mark.tag}>")
            open_mark = None
    return mark_safe("".join(parts))
