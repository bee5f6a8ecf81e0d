"""The matrix's cells as HTML, written here rather than by the template engine: a page of 50
points × 50 sources is 2,500 cells, which Django's templates take most of a second to render
(as highlighting.py writes a source's segments). Each cell says its status in words and a
mark, not colour alone, and links each value to the side-by-side view at its claim."""
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from annotations.matrix import AGREES, CONTRADICTS, Cell

MARKS = {AGREES: "✓", CONTRADICTS: "✗"}
EMPTY_CELL = '<td class="cell cell-empty" data-source="{source}"><span class="cell-none" aria-label="says nothing">—</span></td>'
# A value longer than this is cut in the cell (the side-by-side view shows it whole).
VALUE_CHARS = 80


def _value(text: str) -> str:
    return escape(text if len(text) <= VALUE_CHARS else text[:VALUE_CHARS - 1] + "…")


def cells_html(cells: list[Cell]) -> SafeString:
    """The <td> of each cell of one row, in column order."""
    compare = reverse("compare")
    parts = []
    for cell in cells:
        if not cell.stated:
            parts.append(EMPTY_CELL.format(source=cell.source_id))
            continue
        values = "".join(
            f'<li><a class="cell-value" href="{compare}?{escape(cell.compare)}#claim-{s.claim_id}" data-claim="{s.claim_id}"'
            f' title="Open the source at this claim (#{s.claim_id}, characters {s.start}–{s.end})">{_value(s.exact)}</a></li>'
            for s in cell.stated)
        parts.append(
            f'<td class="cell cell-{cell.status}" data-source="{cell.source_id}" data-status="{cell.status}">'
            f'<span class="cell-status">{MARKS.get(cell.status, "?")} {escape(cell.label)}</span>'
            f'<ul class="plain">{values}</ul></td>')
    return mark_safe("".join(parts))
