"""Reading a source by its structure: table rows with their header, key–value lines,
timeline and bullet items, headings.

A sentence splitter sees a CSV table as one long run-on sentence and a key–value line as a
fragment; the value in ``World Bank approval,2024-06-27,World Bank`` is then neither found
(the comma glues it to its neighbours) nor known to be about an approval. This module reads
the lines of a source once, from their shape alone (no parse): a block of lines that split
into the same number of cells on one delimiter is a table, a short label before a colon is a
key, a bullet or a leading date before a dash is an item. Each statement keeps exact offsets
into the source, and says what its values measure (its label, with the unit of a header).
Prose sentences stay spaCy's; ``extraction`` asks here which statement, if any, holds a span.
"""
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS

from .values import (
    CURRENCIES,
    DATE_PATTERNS,
    DURATION_UNITS,
    MEASURE_UNITS,
    SCALES,
    WORKING_DAY,
    parse_date,
    parse_value,
)

# Delimiters tried in this order; a line taken by one table is not read again.
DELIMITERS = ("\t", "|", ";", ",")
# Prose has commas too: a comma (or semicolon) table needs a header and two rows at least,
# and short cells.
MIN_ROWS = {"\t": 2, "|": 2, ";": 3, ",": 3}
MAX_CELL_CHARS = 80
# The header of a value column that says nothing of what is measured ("Field,Value,Source"):
# the row's first cell names the property instead.
GENERIC_HEADERS = {"value", "values", "figure", "figures", "amount", "number", "data", "total",
                   "estimate", "result", "count", "quantity", "reported", "detail", "details"}
LABEL_HEADERS = {"field", "indicator", "item", "parameter", "metric", "variable", "attribute", "key",
                 "measure", "category", "statistic", "characteristic", "property", "description"}
THOUSANDS = re.compile(r",\d{3}(?!\d)")  # "64,000": a number, not two cells
NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
SEPARATOR_ROW = re.compile(r"^[\s|:+-]*-{2,}[\s|:+-]*$")
UNIT_IN_LABEL = re.compile(r"\s*(?:\(([^()]{1,30})\)|\[([^\[\]]{1,30})\]|,\s*([^\s,][^,]{0,20}))\s*$")
# A key: a short label that starts with a letter, then a colon and a space ("Fatalities: 57").
KEY_VALUE = re.compile(r"(?P<label>[A-Za-z][^:\n]{0,48}?)[ \t]*:[ \t]+(?P<value>\S[^\n]*?)[ \t\r]*$")
# Several keys on one line ("Status: Closed   Type: Tropical cyclone | Alert level: Red").
SEGMENT_BREAK = re.compile(r"[ \t]*\|[ \t]*|[ \t]{3,}")
BULLET = re.compile(r"[ \t]*(?:[•·▪◦‣►*]|[-–—](?=[ \t])|\(?[a-z0-9]{1,2}[.)])[ \t]+")
ITEM_DASH = re.compile(r"\.?[ \t]*(?:[–—:]|-(?=[ \t])|,[^–—\n]{0,30}?[–—])[ \t]*")
# A date at the start of an item: the date patterns as one (their group names dropped).
DATE_AT_START = re.compile(
    "|".join(f"(?:{re.sub(r'[(][?]P<[a-z0-9]+>', '(?:', p.pattern)})" for name, p in DATE_PATTERNS
             if name not in {"range", "decade", "century"}),
    re.I,
)
HEADING = re.compile(r"[^\s.,;:!?][^\n]{0,78}[^\s.,;:!?]|[^\s.,;:!?]")
PERCENT_WORDS = re.compile(r"%|\bper\s?cent\b|\bpercent(?:age)?\b|\bshare\b|\bproportion\b", re.I)
COUNT_UNITS = {"units", "unit", "number", "no", "no.", "people", "persons", "count", "#"}
DATE_WORDS = re.compile(r"\b(?:date|year|day|when)\b", re.I)
# The words of a bracketed qualifier after a value: no number (a number there restates the
# value: "195 km/h (120 mph)"). One ending a field's value ("Deaths: 57 (north district)").
QUALIFIER_WORDS = r"[^()\d\n]{2,40}"
BRACKETED_AFTER = re.compile(rf"[ \t]*\({QUALIFIER_WORDS}\)[ \t]*$")


@dataclass(frozen=True)
class Statement:
    """One line (or row) of the source read by its structure."""
    kind: str  # "row" (table row), "field" (key: value), "item" (bullet / timeline), "heading"
    start: int  # the statement's line in the source
    end: int
    label: str = ""  # what its values measure: the field, the column header or the key
    unit: str = ""  # the unit a header or label gives ("%", "USD million", "m")
    row_label: str = ""  # a wide table: the row's first cell, what the row is about
    lead: tuple[int, int] | None = None  # an item's leading date, which governs the item
    value: tuple[int, int] | None = None  # the cell, or the part after a key's colon


@dataclass
class Structure:
    """The statements of a source, looked up by offset, and what the value patterns need:
    the text with table delimiters blanked (same length, same offsets), the ranges that hold
    labels rather than claims, and the cells whose kind their header gives."""
    statements: list[Statement]
    scan_text: str
    # Words the source writes in lower case somewhere: a label's first word among them is
    # a common word ("Deaths"), not a name ("Vialmar").
    lower_words: set[str]
    names: set[str]  # words written capitalised after a lower-case word: names
    labels: list[tuple[int, int]]
    typed: dict[tuple[int, int], tuple[str, dict]] = field(default_factory=dict)

    def __post_init__(self):
        self.statements.sort(key=lambda s: (s.start, s.end))
        self._starts = [s.start for s in self.statements]

    def at(self, start: int, end: int) -> Statement | None:
        """The statement (not a heading) holding text[start:end], if any: the cell or key
        whose value holds it before the line as a whole."""
        i = bisect_right(self._starts, start) - 1
        line = None
        while i >= 0:
            s = self.statements[i]
            if s.end < start:
                break  # lines do not overlap: nothing earlier reaches the span
            if s.kind != "heading" and s.start <= start and end <= s.end:
                if s.value and s.value[0] <= start and end <= s.value[1]:
                    return s
                if s.value is None and line is None:
                    line = s
            i -= 1
        return line


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        end = pos + len(line.rstrip("\r"))
        spans.append((pos, end))
        pos += len(line) + 1
    return spans


def _cells(text: str, a: int, b: int, delimiter: str, numbers: bool = False) -> list[tuple[int, int]]:
    """The cells of text[a:b] as (start, end) without surrounding blanks; a quoted cell may
    hold the delimiter ("1,096,402"), and so may a number when ``numbers`` is set (an unquoted
    "64,000"); a markdown row's outer pipes make no empty cells."""
    cells, start, quoted = [], a, False
    for i in range(a, b):
        ch = text[i]
        if ch == '"' and delimiter != "\t":
            quoted = not quoted
        elif ch == delimiter and not quoted and not (
                numbers and text[i - 1:i].isdigit() and THOUSANDS.match(text, i)):
            cells.append((start, i))
            start = i + 1
    cells.append((start, b))
    trimmed = []
    for x, y in cells:
        while x < y and text[x] in " \t\"":
            x += 1
        while y > x and text[y - 1] in " \t\"\r":
            y -= 1
        trimmed.append((x, y))
    if delimiter == "|" and len(trimmed) > 2:
        if trimmed[0][0] == trimmed[0][1]:
            trimmed = trimmed[1:]
        if trimmed[-1][0] == trimmed[-1][1]:
            trimmed = trimmed[:-1]
    return trimmed


def _label_with_commas(text: str, cells, count: int):
    """A row with more cells than its table, whose first few are words ("Market share, heavy
    plate (%),38,EC decision"): an unquoted comma inside the label, which keeps them as one."""
    extra = len(cells) - count
    if any(_is_number(text[x:y]) or not text[x:y].strip() for x, y in cells[:extra + 1]):
        return cells
    return [(cells[0][0], cells[extra][1]), *cells[extra + 1:]]


def _table_blocks(text: str, lines, taken: set[int]):
    """(delimiter, [(line index, cells), ...]) for each run of lines with the same cell count;
    a comma line is read with or without thousands separators, whichever fits the run."""
    for delimiter in DELIMITERS:
        run: list[int] = []
        count = 0
        cells_of: dict[int, list] = {}

        def flush():
            if len(run) >= MIN_ROWS[delimiter]:
                yield delimiter, [(i, cells_of[i]) for i in run]

        for index, (a, b) in enumerate(lines):
            if index in taken or delimiter not in text[a:b] or (delimiter in ",;" and BULLET.match(text, a, b)):
                yield from flush()
                run, count = [], 0
                continue
            if delimiter == "|" and SEPARATOR_ROW.match(text[a:b]) and run:
                run.append(index)  # a markdown rule under the header
                cells_of[index] = []
                continue
            cells = _cells(text, a, b, delimiter)
            if delimiter == "," and len(cells) != count:
                cells = next((c for c in [_cells(text, a, b, delimiter, numbers=True)] if len(c) == count), cells)
            if delimiter == "," and len(cells) > count >= 2:
                cells = _label_with_commas(text, cells, count)
            cells_of[index] = cells
            fits = len(cells) >= 2 and all(y - x <= MAX_CELL_CHARS for x, y in cells)
            if fits and delimiter in ",;":
                # Prose: a cell that reads as a sentence ("…, and then it rained.").
                fits = not any(text[y - 1:y] in {".", "!", "?"} and y - x > 25 for x, y in cells)
            if fits and len(cells) == count:
                run.append(index)
                continue
            yield from flush()
            run, count = ([index], len(cells)) if fits else ([], 0)
        yield from flush()


def _label_and_unit(label: str) -> tuple[str, str]:
    """"Share of votes (%)" -> ("Share of votes", "%"); "Budget, EUR" -> ("Budget", "EUR")."""
    match = UNIT_IN_LABEL.search(label)
    if not match or match.start() == 0:
        return label.strip(), ""
    unit = next(g for g in match.groups() if g is not None).strip()
    if match.group(3) is not None and not _looks_like_unit(unit):
        return label.strip(), ""  # "Deaths, Malawi" names a place, not a unit
    return label[:match.start()].strip(), unit


def _looks_like_unit(unit: str) -> bool:
    return _unit_kind(unit) not in {None, "count"} or unit.lower() in COUNT_UNITS


def _is_number(cell: str) -> bool:
    return bool(NUMBER.fullmatch(cell))


def _unit_kind(unit: str) -> str | None:
    """The kind of value a unit makes of a bare number, or None."""
    words = unit.replace("(", " ").replace(")", " ").split()
    lower = unit.lower().strip()
    if not lower:
        return None
    if PERCENT_WORDS.search(unit):
        return "percent"
    if _currency(unit):
        return "money"
    if lower.rstrip("s") in DURATION_UNITS or re.sub(r"[-\s]+", " ", lower).rstrip("s") in WORKING_DAY:
        return "duration"
    if lower in COUNT_UNITS:
        return "count"
    if _measure_unit(unit) or (len(words) == 1 and _pint_unit(unit)):
        return "measure"
    return None


def _currency(unit: str) -> tuple[str, float] | None:
    """(currency code, scale) from "USD million", "EUR", "$", "€ bn", "US$ m"."""
    lower = " ".join(unit.lower().split())
    for name in sorted(CURRENCIES, key=len, reverse=True):
        pattern = rf"(?<![a-z]){re.escape(name)}(?![a-z])"
        if re.search(pattern, lower):
            scale = next((SCALES[w] for w in re.findall(r"[a-z]+", re.sub(pattern, " ", lower))
                          if w in SCALES), 1.0)
            return CURRENCIES[name], scale
    return None


def _measure_unit(unit: str) -> str | None:
    return unit.strip() if unit.strip() in MEASURE_UNITS else None


@lru_cache(maxsize=256)
def _pint_unit(unit: str) -> bool:
    """A unit pint knows that has a dimension ("hPa", "t", "mm"); not a word such as "units"."""
    from .values import _units

    try:
        quantity = _units().Quantity(1.0, unit.strip())
    except Exception:  # pint raises many kinds of errors for what is not a unit
        return False
    return not quantity.dimensionless


def cell_value(cell: str, label: str, unit: str) -> tuple[str, dict] | None:
    """(kind, value) of a bare cell, its kind taken from its header or field: "61.2" under
    "Share of votes (%)" is a percentage, "1850" under "Recovery needs (USD million)" money,
    "412" under "rainfall (mm)" a measure, "2024-06-27" a date, a plain number a count."""
    cell = cell.strip()
    if not cell:
        return None
    for name, pattern in DATE_PATTERNS:
        if name != "year" and pattern.fullmatch(cell):
            value = parse_date(cell)
            return ("date", {**value, "text": cell}) if value else None
    if not _is_number(cell):
        return None
    number = cell.replace(",", "")
    kind = _unit_kind(unit) if unit else None
    if kind is None and PERCENT_WORDS.search(label):
        kind = "percent"
    if kind is None and re.fullmatch(r"(?:1[6-9]|20)\d\d", number) and DATE_WORDS.search(label):
        kind = "date"
    written = {
        "percent": lambda: f"{number}%",
        "duration": lambda: f"{number} {unit.strip().lower().rstrip('s')}s",
        "date": lambda: number,
    }
    if kind == "money":
        code, scale = _currency(unit)
        scale_word = {1e3: " thousand", 1e6: " million", 1e9: " billion", 1e12: " trillion"}.get(scale, "")
        value = parse_value("money", f"{code if len(code) == 3 and code.isupper() else 'USD'} "
                                     f"{number}{scale_word}")
        if value is not None:
            value["currency"] = code
    elif kind == "measure":
        value = _measure(number, unit.strip())
    elif kind in written:
        value = parse_value(kind, written[kind]())
    else:
        kind, value = "count", parse_value("count", number)
    if value is None:
        return None
    value["text"] = cell
    return kind, value


def _measure(number: str, unit: str) -> dict | None:
    # The units prose knows first ("kt/yr" is kilotonnes a year; to pint "kt" is a knot).
    known = parse_value("measure", f"{number} {unit}")
    if known is not None or unit in MEASURE_UNITS:
        return known
    from .values import _units

    value = float(number)
    base = _units().Quantity(1.0, unit).to_base_units()
    decimals = number.split(".")[1] if "." in number else ""
    trailing = len(number) - len(number.rstrip("0")) if not decimals else 0
    precision = 0.5 * 10 ** (-len(decimals) if decimals else trailing) if (decimals or trailing) else 0.0
    precision = min(precision, 0.05 * abs(value))
    factor = base.magnitude
    return {"type": "measure", "low": (value - precision) * factor, "high": (value + precision) * factor,
            "hedge": "", "unit": unit, "written": [value, value], "factor": factor,
            "base_unit": f"{base.units:~}", "dimension": str(base.dimensionality)}


def _holds_values(text: str, body) -> bool:
    """A table's body rows hold bare values: at least half of them have a cell that is only
    a number, a date or an amount, as a table's cells are and a sentence's clauses are not."""
    bare = sum(any(_is_number(text[x:y]) or cell_value(text[x:y], "", "") for x, y in cells)
               for _, cells in body if cells)
    return bool(body) and bare * 2 >= len(body)


def _between_cells(text: str, line: tuple[int, int], cells, delimiter: str):
    """Positions of the delimiters on the line that lie outside every cell."""
    inside = sorted(cells)
    k = 0
    for i in range(*line):
        while k < len(inside) and inside[k][1] <= i:
            k += 1
        if text[i] == delimiter and not (k < len(inside) and inside[k][0] <= i < inside[k][1]):
            yield i


def _read_tables(text, lines, structure_parts):
    statements, labels, typed, taken = structure_parts
    blanks = []
    for delimiter, block in list(_table_blocks(text, lines, taken)):
        indices = [i for i, _ in block]
        rows = [(i, cells) for i, cells in block if cells]
        head_cells = [text[x:y] for x, y in rows[0][1]]
        headerless = any(_is_number(c) or cell_value(c, "", "") for c in head_cells[1:])
        header, body = ([""] * len(head_cells), rows) if headerless else (head_cells, rows[1:])
        if delimiter in ",;" and not _holds_values(text, body):
            continue  # prose lines with a comma or two each ("On 3 March, 41 people died")
        if not headerless:
            labels.append(lines[rows[0][0]])
        long_form = headerless or header[0].strip().lower() in LABEL_HEADERS or (
            len(header) > 1 and header[1].strip().lower() in GENERIC_HEADERS)
        taken.update(indices)
        # The delimiters between cells only: a quoted cell's commas ("$1,200 million") stay.
        blanks.extend(i for index, cells in block for i in _between_cells(text, lines[index], cells, delimiter))
        for index, cells in body:
            a, b = lines[index]
            first = text[cells[0][0]:cells[0][1]]
            label_cell = not _is_number(first) and not cell_value(first, "", "")
            if label_cell:
                labels.append(cells[0])
            for column, (x, y) in enumerate(cells):
                if column == 0 and label_cell:
                    continue
                column_header = header[column] if column < len(header) else ""
                if long_form and label_cell:
                    name, row_label = first, ""
                    if column_header.strip().lower() not in GENERIC_HEADERS and column > 1:
                        name = f"{first} ({column_header.strip()})" if column_header.strip() else first
                else:
                    name, row_label = column_header, first if label_cell else ""
                label, unit = _label_and_unit(name)
                if not unit and long_form and column_header:
                    unit = _label_and_unit(column_header)[1]
                statements.append(Statement("row", a, b, label=label, unit=unit, row_label=row_label,
                                            value=(x, y)))
                typed_value = cell_value(text[x:y], label, unit)
                if typed_value:
                    typed[(x, y)] = typed_value
            statements.append(Statement("row", a, b, label=_label_and_unit(first)[0] if long_form else ""))
    return blanks


def _speaker_turn(label: str, value: str) -> bool:
    """"KLAUS MEIER: We still expect synergies of 120 million euros." in a transcript: a
    speaker's label in capitals before a sentence, not a field and its value."""
    letters = [c for c in label if c.isalpha()]
    return (bool(letters) and all(c.isupper() for c in letters) and len(value.split()) >= 4
            and value[:1].isalpha()  # a sentence, not "PEOPLE IN NEED: 1.2 million people …"
            and value.rstrip()[-1:] in {".", "?", "!", '"', "”"})


def _key_values(text: str, a: int, b: int):
    """(label span, value span) for each "Label: value" segment of the line text[a:b]."""
    pieces, pos = [], a
    for match in SEGMENT_BREAK.finditer(text, a, b):
        pieces.append((pos, match.start()))
        pos = match.end()
    pieces.append((pos, b))
    found = []
    for x, y in pieces:
        match = KEY_VALUE.match(text, x, y)
        if not match or match.end() != y:
            continue
        label, value = match.group("label"), match.group("value")
        if len(value) > MAX_CELL_CHARS or re.search(r"[.!?]\s+[A-Z\"“]", value):
            continue  # a speaker or a lead-in before prose ("MINISTER ALDUNATE: The tribunal …")
        if len(label.split()) > 7 or re.search(r"[!?;\"“”]|https?$|\.\s", label):
            continue
        if _speaker_turn(label, value):
            continue
        found.append((match.span("label"), match.span("value")))
    return found


def _item(text: str, a: int, b: int) -> tuple[int, tuple[int, int] | None] | None:
    """(where the item's text starts, its leading date span) for a bullet or dated line."""
    bullet = BULLET.match(text, a, b)
    body = bullet.end() if bullet else a
    while body < b and text[body] in " \t":
        body += 1
    date = DATE_AT_START.match(text, body, b)
    lead = None
    if date:
        # A date written as a range over its months ("Mar.–Jun. 2020") ends at the year.
        dash = ITEM_DASH.match(text, date.end(), b)
        if dash and re.search(r"[A-Za-z]{2,}", text[dash.end():b]):
            lead = (date.start(), date.end())
    if bullet is None and lead is None:
        return None
    return body, lead


def read(text: str) -> Structure:
    """The structure of a source: its tables, key–value lines, items and headings."""
    lines = _lines(text)
    statements: list[Statement] = []
    labels: list[tuple[int, int]] = []
    typed: dict = {}
    taken: set[int] = set()
    blanks = _read_tables(text, lines, (statements, labels, typed, taken))
    scan = list(text)
    for position in blanks:
        scan[position] = " "  # a value pattern sees "approval 2024-06-27 World Bank"
    for index, (a, b) in enumerate(lines):
        if index in taken or a == b:
            continue
        line = text[a:b]
        item = _item(text, a, b)
        pairs = _key_values(text, a, b) if item is None or item[1] is None else []
        if pairs:
            for (la, lb), (va, vb) in pairs:
                label, unit = _label_and_unit(text[la:lb])
                statements.append(Statement("field", a, b, label=label, unit=unit, value=(va, vb)))
                # The value before a bracketed qualifier: "Deaths: 57 (north district)".
                qualified = BRACKETED_AFTER.search(text, va, vb)
                value_end = qualified.start() if qualified else vb
                typed_value = cell_value(text[va:value_end], label, unit)
                if typed_value:
                    typed[(va, value_end)] = typed_value
                labels.append((la, lb))
        elif item is not None:
            statements.append(Statement("item", a, b, lead=item[1]))
        elif HEADING.fullmatch(line.strip()) and len(line.split()) <= 10 and _blank_or_edge(text, lines, index):
            statements.append(Statement("heading", a, b, label=line.strip()))
    return Structure(statements=statements, scan_text="".join(scan), labels=labels,
                     typed=typed,
                     lower_words=set(re.findall(r"(?<![\w.])[a-z][a-z'-]+", text)),
                     names=set(re.findall(r"(?<=[a-z,] )[A-Z][a-z]+", text)))


def _blank_or_edge(text, lines, index) -> bool:
    """A heading stands apart: a blank line (or the start) above it, text below it."""
    above = index == 0 or lines[index - 1][0] == lines[index - 1][1]
    below = index + 1 < len(lines) and lines[index + 1][0] != lines[index + 1][1]
    return above and below


# --- what a structured value measures -------------------------------------------------

UNIT_NAMES = {"%": "percent", "per cent": "percent", "percent": "percent"}


def phrase(label: str, unit: str = "", lower_words: set[str] | None = None,
           names: set[str] | None = None) -> str:
    """A label as a property: lower case unless a name ("World Bank approval" keeps its
    capitals, "Share of votes" does not; a word the source writes in lower case elsewhere
    is no name), with its unit after a comma: "share of votes, percent", "budget, EUR"."""
    words = " ".join(label.replace("–", "-").replace("—", "-").split()).strip(" -:,")
    parts = words.split(" ")
    if parts and parts[0][:1].isupper() and parts[0][1:].islower():
        following = parts[1] if len(parts) > 1 else ""
        common = parts[0].lower() in (lower_words or set()) or parts[0] not in (names or set())
        if not following[:1].isupper() and common:
            parts[0] = parts[0].lower()
    text = " ".join(parts)
    if unit:
        text += ", " + UNIT_NAMES.get(unit.strip().lower(), unit.strip())
    return text[:80]


def label_keys(label: str) -> list[str]:
    """The content words of a label, folded to a crude singular: its keys and focus."""
    keys = set()
    for word in re.findall(r"[A-Za-z][A-Za-z'-]+", label):
        word = word.lower()
        if word in STOP_WORDS or len(word) < 3:
            continue
        if word.endswith("s") and not word.endswith("ss") and len(word) > 4:
            word = word[:-1]
        keys.add(word)
    return sorted(keys)
