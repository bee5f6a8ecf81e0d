"""Rendering a source text with its claims highlighted.

Claims may overlap or nest, which HTML elements cannot, so the text is cut at every
claim boundary into flat segments; each segment lists every claim covering it. Every
segment carries ``data-start`` (its code point offset), which the browser uses to turn a
selection into code point offsets. Concatenating the segments gives back the text exactly.
"""
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass
class Segment:
    start: int
    end: int
    claims: list = field(default_factory=list)  # innermost (shortest) first


def segment_text(text: str, claims) -> list[Segment]:
    """Cut text into segments at claim boundaries (a sweep over sorted boundaries)."""
    n = len(text)
    spans = [c for c in claims if 0 <= c.start < c.end <= n]
    bounds = sorted({0, n, *(c.start for c in spans), *(c.end for c in spans)})
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


def highlight(text: str, claims, *, contradicted: set[int] = frozenset(), verdicts: dict | None = None) -> SafeString:
    """The text as HTML segments; ``contradicted`` holds ids of claims in open contradictions,
    ``verdicts`` maps a claim id to the (stance, fact id) of each fact weighing it."""
    return mark_safe("".join(
        _segment_html(text, seg, contradicted=contradicted, verdicts=verdicts or {})
        for seg in segment_text(text, claims)
    ))
