"""The timeline as an SVG document a browser shows without any script: lanes, the axis, each
value as the interval it denotes (a day a tick, a month or a year a bar, "early 2014" a
fuzzy bar), disputed points joined by a dashed line with a diamond between their lanes.
Every mark is a link with a <title> saying in words what it is; colours are presentation
attributes (no style element: the Content-Security-Policy allows none)."""
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from annotations.timeline import Item, Timeline

WIDTH = 1200
LABEL_W = 230  # the lanes' titles
PLOT_X, PLOT_RIGHT = 240, WIDTH - 20
TOP = 46  # the axis labels above the lanes
SUB = 16  # height of one row of marks in a lane
LANE_PAD = 8
FILLS = {"agrees": "#1e7b34", "contradicts": "#b3261e", "undecided": "#b45309", "fact": "#14213d",
         "alone": "#94a3b8"}
WORDS = {"agrees": "agrees with the fact", "contradicts": "contradicts the fact", "undecided": "undecided",
         "fact": "the fact's value", "alone": "in no point yet"}
LEGEND_H = 46


def _ticks(first: date, last: date) -> list[tuple[date, str]]:
    """Year ticks (every 1, 2, 5, 10, … years: at most 12), or month ticks for a short span."""
    years = last.year - first.year
    if years >= 2:
        step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500) if years / s <= 12)
        start = first.year - first.year % step + (step if first.year % step else 0)
        return [(date(y, 1, 1), str(y)) for y in range(start, last.year + 1, step)]
    months = (last.year - first.year) * 12 + last.month - first.month
    step = next(s for s in (1, 2, 3, 6) if months / s <= 12)
    ticks, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        if (m - 1) % step == 0:
            ticks.append((date(y, m, 1), date(y, m, 1).strftime("%b %Y")))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return ticks


def _pack(items: list[Item], x) -> dict[int, int]:
    """Rows within a lane, so marks of one lane never overlap: each item (by id) its row."""
    ends: list[float] = []
    row_of = {}
    for item in sorted(items, key=lambda i: (i.start, i.end)):
        left = x(item.start)
        for n, end in enumerate(ends):
            if end + 2 <= left:
                ends[n] = max(x(item.end, after=True), left + 3)
                row_of[id(item)] = n
                break
        else:
            ends.append(max(x(item.end, after=True), left + 3))
            row_of[id(item)] = len(ends) - 1
    return row_of


def timeline_svg(timeline: Timeline, *, title: str = "Timeline", base: str = "") -> SafeString:
    """The whole SVG document (also what the download is). ``base`` goes before every link
    (the site's address, for a downloaded file: its links then still lead to the workbench)."""
    if not timeline.items:
        return mark_safe(
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="60" viewBox="0 0 {WIDTH} 60" role="img" '
            f'aria-label="{escape(title)}: no dated values"><text x="10" y="34" font-family="sans-serif" font-size="14" '
            f'fill="#5b6475">No dated value among the chosen sources and filters.</text></svg>')
    first = date(timeline.first.year, 1, 1)
    last = date(timeline.last.year, 12, 31)
    span = (last.toordinal() + 1 - first.toordinal()) or 1

    def x(day: date, after: bool = False) -> float:
        return PLOT_X + (day.toordinal() + (1 if after else 0) - first.toordinal()) / span * (PLOT_RIGHT - PLOT_X)

    by_lane: dict[int, list[Item]] = {}
    for item in timeline.items:
        by_lane.setdefault(item.lane, []).append(item)
    lane_y, y, rows_of = {}, TOP, {}
    for lane, _ in timeline.lanes:
        rows_of.update(_pack(by_lane.get(lane, []), x))
        count = 1 + max((rows_of[id(i)] for i in by_lane.get(lane, [])), default=0)
        lane_y[lane] = (y, count * SUB + 2 * LANE_PAD)
        y += lane_y[lane][1]
    height = y + LEGEND_H + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{WIDTH}" '
           f'height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="system-ui, sans-serif" font-size="12" '
           f'aria-labelledby="timeline-title" class="timeline-svg">',
           f'<title id="timeline-title">{escape(title)}</title>',
           f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>']
    # Lanes and their titles, then the axis's grid over them.
    for n, (lane, name) in enumerate(timeline.lanes):
        top, h = lane_y[lane]
        out.append(f'<rect x="0" y="{top}" width="{WIDTH}" height="{h}" fill="{"#f6f7f9" if n % 2 else "#ffffff"}"/>')
        shown = name if len(name) <= 34 else name[:33] + "…"
        out.append(f'<text x="8" y="{top + h / 2 + 4:.1f}" font-weight="{700 if lane == 0 else 600}" fill="#1d2330">'
                   f'<title>{escape(name)}</title>{escape(shown)}</text>')
    for day, label in _ticks(first, last):
        tx = x(day)
        out.append(f'<line x1="{tx:.1f}" y1="{TOP - 6}" x2="{tx:.1f}" y2="{y}" stroke="#d9dde5" stroke-width="1"/>')
        out.append(f'<text x="{tx:.1f}" y="{TOP - 12}" text-anchor="middle" fill="#5b6475">{label}</text>')
    # Joins under the marks: a disputed point's items, lane by lane, with a diamond between
    # the first two lanes, linking the point (its contradiction, else its row of the matrix).
    centre = {}
    for item in timeline.items:
        top, _ = lane_y[item.lane]
        centre[id(item)] = ((x(item.start) + max(x(item.end, after=True), x(item.start) + 3)) / 2,
                            top + LANE_PAD + rows_of[id(item)] * SUB + SUB / 2)
    for row, items in timeline.joins:
        points = sorted((centre[id(i)] for i in items), key=lambda p: (p[1], p[0]))
        href = (f"/contradictions/{row.contradictions[0].id}/" if row.contradictions else f"/matrix/#row-{row.key}")
        said = "; ".join(f"{i.text} ({i.label.split(':', 1)[0]})" for i in items)
        (ax, ay), (bx, by) = points[0], points[1]
        mx, my = (ax + bx) / 2, (ay + by) / 2
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        out.append(f'<a href="{escape(base + href)}" class="join" aria-label="Disputed: {escape(row.label)}">'
                   f'<title>Disputed: {escape(row.label)}: {escape(said)}</title>'
                   f'<polyline points="{path}" fill="none" stroke="#b3261e" stroke-width="1.5" stroke-dasharray="4 3"/>'
                   f'<path d="M{mx:.1f},{my - 6:.1f} L{mx + 6:.1f},{my:.1f} L{mx:.1f},{my + 6:.1f} L{mx - 6:.1f},{my:.1f} Z" '
                   f'fill="#ffffff" stroke="#b3261e" stroke-width="1.5"/>'
                   f'<text x="{mx:.1f}" y="{my + 3.5:.1f}" text-anchor="middle" font-size="9" font-weight="700" '
                   f'fill="#b3261e">!</text></a>')
    for item in timeline.items:
        cx, cy = centre[id(item)]
        x1, x2 = x(item.start), x(item.end, after=True)
        fill = FILLS.get(item.status, "#475569")
        if item.shape == "tick":
            mark = (f'<rect x="{x1 - 1.5:.1f}" y="{cy - SUB / 2 + 1:.1f}" width="3" height="{SUB - 2}" fill="{fill}"/>'
                    f'<rect x="{x1 - 6:.1f}" y="{cy - SUB / 2:.1f}" width="12" height="{SUB}" fill="{fill}" fill-opacity="0"/>')
        elif item.shape == "fuzzy":
            mark = (f'<rect x="{x1:.1f}" y="{cy - 5:.1f}" width="{max(3, x2 - x1):.1f}" height="10" rx="5" fill="{fill}" '
                    f'fill-opacity="0.35" stroke="{fill}" stroke-dasharray="3 2"/>')
        else:
            mark = (f'<rect x="{x1:.1f}" y="{cy - 5:.1f}" width="{max(3, x2 - x1):.1f}" height="10" rx="2" fill="{fill}" '
                    f'fill-opacity="0.85"/>')
        out.append(f'<a href="{escape(base + item.href)}" class="mark mark-{item.status}" aria-label="{escape(item.label)}">'
                   f'<title>{escape(item.label)}</title>{mark}</a>')
    # The legend says in words what each colour and shape means.
    ly, lx = y + 20, 8
    for status in ("fact", "agrees", "contradicts", "undecided", "alone"):
        out.append(f'<rect x="{lx}" y="{ly - 9}" width="18" height="10" rx="2" fill="{FILLS[status]}"/>'
                   f'<text x="{lx + 24}" y="{ly}" fill="#1d2330">{WORDS[status]}</text>')
        lx += 34 + 7 * len(WORDS[status])
    out.append(f'<text x="8" y="{ly + 20}" fill="#5b6475">A bar: a month or a year; a tick: a day; a dashed bar: '
               f'“early”, “late”, a decade; a dashed line with ◇: the values of a disputed point, joined.</text>')
    out.append("</svg>")
    return mark_safe("".join(out))
