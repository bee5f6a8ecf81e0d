"""Normalising the values claims state into comparable intervals.

Every value becomes an interval (``low``..``high``) with its surface text kept beside it:
"November 2012" is 2012-11-01..2012-11-30, "about 100" is 85.5..115.5 (95..105 as written,
then 10 % either way), "$20 million" is USD 19M..21M and "$25 million" 24.5M..25.5M (a
number carries the precision it was written with, never looser than 5 %), "more than
$6 million" is 6M..infinity. Two values *contradict* only when their intervals cannot
overlap: "early September 2025" and "September 4, 2025" agree, "150,000-200,000" and
"150,000–200,000" are the same, "$20 million" and "$25 million" do not agree.
"""
import calendar
import math
import re
from datetime import date
from functools import lru_cache

from text_to_num import text2num

# --- shared pieces -------------------------------------------------------------------

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
MONTH_RE = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|Jun(?:e|\.)?|Jul(?:y|\.)?|"
    r"Aug(?:ust|\.)?|Sep(?:t(?:ember|\.)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
PART_RE = r"(?:early|mid|late|the\s+beginning\s+of|the\s+end\s+of|the\s+start\s+of)"
_DIGIT_WORD = r"(?:zero|one|two|three|four|five|six|seven|eight|nine)"
_WORD_UNDER_100 = (
    r"(?:(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    rf"seventy|eighty|ninety)(?:[-\s]{_DIGIT_WORD})?)"
)
_WORD_GROUP = rf"(?:{_WORD_UNDER_100}|a)(?:\s+(?:hundred|thousand|million|billion))+"  # "a hundred and ten"
# A number in words, read whole: "two thousand three hundred", "three hundred and one",
# "three point six" (a decimal), "twelve hundred", "forty-eight".
NUMBER_WORD_RE = (
    rf"(?:(?:{_WORD_GROUP}(?:,?\s+(?:and\s+)?{_WORD_GROUP})*(?:,?\s+(?:and\s+)?{_WORD_UNDER_100})?)"
    rf"|{_WORD_UNDER_100}(?:\s+point(?:\s+{_DIGIT_WORD})+)?)"
)
DIGIT_WORDS = {w: str(i) for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])}
# A scale word a PDF's line break hyphenated ("210 mil-⏎lion") is still the word.
_SCALE_WORDS = r"mil(?:-\n)?lion|bil(?:-\n)?lion|thou(?:-\n)?sand"
SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12,
}
HEDGE_ABOUT = {"about", "around", "approximately", "roughly", "some", "an estimated",
               "estimated", "circa", "nearly", "almost", "close to", "approx.", "~"}
HEDGE_MORE = {"more than", "over", "at least", "upwards of", "in excess of", "above", "exceeding",
              "topped", "exceeded", "surpassed"}
HEDGE_LESS = {"less than", "fewer than", "under", "up to", "at most", "below", "no more than", "within"}
HEDGE_RE = (
    r"(?:(?:just|slightly)\s+)?(?:(?:more|less|fewer)\s+than|at\s+(?:least|most)|up\s+to|upwards\s+of|in\s+excess\s+of|"
    r"no\s+more\s+than|close\s+to|an\s+estimated|estimated|about|around|approximately|approx\.|"
    r"roughly|some|nearly|almost|over|under|above|below|circa|topped|exceeded|surpassed|~)"
)
RANGE_DASH = r"\s*(?:-|–|—|to|and)\s*"


def _number(text: str) -> float | None:
    """'150,000' -> 150000.0, '5.25' -> 5.25, 'two hundred' -> 200.0, 'a dozen' -> 12."""
    # "1,200", and "1 200" as French, German or Swedish text groups the thousands.
    text = re.sub(r"(?<=\d)[ \u00a0\u202f\u2009](?=\d{3}\b)", "", _decimal_point(text).lower().replace(",", ""))
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        pass
    if text in {"a dozen", "dozen"}:
        return 12.0
    if " point " in text:  # "three point six"
        whole, _, decimals = text.partition(" point ")
        digits = [DIGIT_WORDS.get(w) for w in decimals.split()]
        whole_number = _number(whole)
        if whole_number is None or None in digits:
            return None
        return whole_number + float("0." + "".join(digits))
    if text.startswith("a "):  # "a hundred and twenty million"
        text = "one " + text[2:]
    try:
        return float(text2num(text.replace("-", " "), "en"))
    except (ValueError, TypeError):
        return None


# "16,4 billion", "38,5": a comma before one or two digits is a decimal comma (a comma that
# groups thousands has three after it).
DECIMAL_COMMA_NUMBER = re.compile(r"(\d+),(\d{1,2})")


def _decimal_point(text: str) -> str:
    return DECIMAL_COMMA_NUMBER.sub(r"\1.\2", text.strip()) if DECIMAL_COMMA_NUMBER.fullmatch(text.strip()) else text


def _precision(text: str, scale: float = 1.0) -> float:
    """Half a unit of the last significant digit written: '24,000' -> 500, '5.25' -> 0.005,
    '25' million -> 500,000 (a number before a scale word is rounded to that scale, as
    '20' million is; only a whole number written out in full, '25', is exact)."""
    digits = re.sub(r"(?<=\d)[ \u00a0\u202f\u2009](?=\d{3}\b)", "", _decimal_point(text)).replace(",", "").strip()
    if not re.fullmatch(r"\d+(?:\.\d+)?", digits):
        return 0.0
    if "." in digits:
        return 0.5 * 10 ** -len(digits.split(".")[1]) * scale
    trailing = len(digits) - len(digits.rstrip("0"))
    if digits == "0" or (trailing == 0 and scale == 1.0):
        return 0.0
    return 0.5 * 10 ** trailing * scale


def _hedged(low: float, high: float, hedge: str, precision: float) -> tuple[float, float]:
    hedge = " ".join(hedge.lower().split())
    just, _, bound = hedge.partition(" ")
    if just in {"just", "slightly"}:
        # "just over a quarter" is a little above 25 %, not anything above it.
        if bound in HEDGE_MORE:
            return low, high + 0.15 * abs(high)
        if bound in HEDGE_LESS:
            return low - 0.15 * abs(low), high
        hedge = bound
    # A bound is exact at the number written: "more than 300" is 300.., "up to 500" ..500,
    # "nearly 70" below 70 (and not far below).
    if hedge in HEDGE_MORE:
        return low, math.inf
    if hedge in HEDGE_LESS:
        return 0.0, high
    if hedge in {"nearly", "almost", "close to"}:
        return low - 0.1 * abs(low), high
    # A round number is only as exact as it was written, and never looser than 5 %.
    tolerance = min(precision, 0.05 * abs(high)) if precision else 0.0
    low, high = low - tolerance, high + tolerance
    if hedge in HEDGE_ABOUT:
        return low - 0.1 * abs(low), high + 0.1 * abs(high)
    return low, high


# --- numbers: counts, money, percentages, durations --------------------------------

CURRENCY_CODES = ("USD", "EUR", "GBP", "SEK", "NOK", "DKK", "ISK", "CZK", "CHF", "JPY", "CNY", "INR",
                  "CAD", "AUD", "NZD", "CLP", "MXN", "ARS", "COP", "PEN", "BRL", "ZAR", "MZN", "MWK")
# Currency names written after the amount; a name several currencies share ("crowns",
# "pesos") stays that name: it agrees with any of them (``_same_currency``).
CURRENCY_NAMES = {
    "u.s. dollars": "USD", "us dollars": "USD", "american dollars": "USD", "dollars": "USD",
    "euros": "EUR", "euro": "EUR", "pounds sterling": "GBP", "pounds": "GBP",
    "swedish crowns": "SEK", "swedish kronor": "SEK", "kronor": "SEK", "norwegian crowns": "NOK",
    "danish crowns": "DKK", "crowns": "crown", "swiss francs": "CHF", "francs": "franc",
    "chilean pesos": "CLP", "mexican pesos": "MXN", "pesos": "peso", "yen": "JPY", "yuan": "CNY",
    "rand": "ZAR", "meticais": "MZN", "kwacha": "MWK", "rupees": "rupee",
}
CURRENCY_FAMILY = {"SEK": "crown", "NOK": "crown", "DKK": "crown", "ISK": "crown", "CZK": "crown",
                   "CHF": "franc", "CLP": "peso", "MXN": "peso", "ARS": "peso", "COP": "peso",
                   "INR": "rupee"}
CURRENCIES = {"us$": "USD", "$": "USD", "€": "EUR", "£": "GBP", **{c.lower(): c for c in CURRENCY_CODES},
              **CURRENCY_NAMES}
_CURRENCY_NAME_RE = "|".join(re.escape(n) for n in sorted(CURRENCY_NAMES, key=len, reverse=True))

MONEY_RE = re.compile(
    rf"(?:(?P<hedge>{HEDGE_RE})\s+)?(?:just\s+)?"
    rf"(?P<cur>US\$|\$|€|£|(?-i:{'|'.join(CURRENCY_CODES)})\s?)"
    r"(?P<num>\d[\d,]*(?:\.\d+)?)"
    r"(?:\s?(?:-|–|to)\s?(?:US\$|\$|€|£)?(?P<num2>\d[\d,]*(?:\.\d+)?))?"
    rf"(?:\s?(?P<scale>{_SCALE_WORDS}|trillion|bn|mn|mln|tn|m|b|k)\b)?"
    r"(?:\s+(?P<cur2>dollars|euros|pounds))?",
    re.IGNORECASE,
)
# "2.6 billion U.S. dollars", "1,450 million dollars", "16-18 billion crowns": the currency
# named after the amount.
MONEY_WORDS_RE = re.compile(
    rf"(?:(?P<hedge>{HEDGE_RE})\s+)?(?:just\s+)?"
    rf"(?P<num>\d[\d,]*(?:\.\d+)?|{NUMBER_WORD_RE})"
    r"(?:\s?(?:-|–|to)\s?(?P<num2>\d[\d,]*(?:\.\d+)?))?"
    rf"(?:\s?(?P<scale>{_SCALE_WORDS}|trillion|bn|mn|mln|tn)\b)?"
    rf"\s+(?P<cur>{_CURRENCY_NAME_RE})(?![\w])",
    re.IGNORECASE,
)
COUNT_RE = re.compile(
    rf"(?:(?P<hedge>{HEDGE_RE})\s+)?"
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+|(?<![\d.,])\d{{1,3}}(?:[ \u00a0\u202f\u2009]\d{{3}})+(?![\d.,-])|\d+(?:\.\d+)?|{NUMBER_WORD_RE}|a\s+dozen|tens\s+of\s+thousands|hundreds\s+of\s+thousands|thousands|hundreds|dozens)"
    rf"(?:{RANGE_DASH}(?P<num2>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{NUMBER_WORD_RE}))?"
    rf"(?:\s+(?P<scale>{_SCALE_WORDS}))?",
    re.IGNORECASE,
)
PERCENT_RE = re.compile(
    rf"(?:(?P<hedge>{HEDGE_RE})\s+)?(?P<num>\d+(?:[.,]\d{{1,2}}(?=\s?(?:%|per|percent)))?|\d+(?:\.\d+)?|{NUMBER_WORD_RE})"
    rf"(?:{RANGE_DASH}(?P<num2>\d+(?:\.\d+)?|{NUMBER_WORD_RE}))?[\s-]?(?:%|per\s?cent|percent)",
    re.IGNORECASE,
)
# Shares written as fractions: "a quarter", "two thirds", "half", "seven in ten".
FRACTIONS = {"half": 1 / 2, "third": 1 / 3, "thirds": 1 / 3, "quarter": 1 / 4, "quarters": 1 / 4,
             "fifth": 1 / 5, "fifths": 1 / 5}
SMALL_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_SMALL_RE = "|".join(SMALL_NUMBERS)
# "The first quarter", "the third quarter of 2023", "the second half": a period, not a share.
_ORDINAL = r"(?:first|second|third|fourth|final|last|1st|2nd|3rd|4th)"
FRACTION_RE = re.compile(
    rf"(?:(?P<hedge>{HEDGE_RE})\s+)?"
    rf"(?:(?P<n>{_SMALL_RE}|\d{{1,2}})\s+in\s+(?P<d>{_SMALL_RE}|\d{{1,3}})|"
    r"(?<!first\s)(?<!second\s)(?<!third\s)(?<!fourth\s)(?<!final\s)(?<!last\s)(?<!1st\s)(?<!2nd\s)"
    r"(?<!3rd\s)(?<!4th\s)"
    rf"(?:(?P<k>{_SMALL_RE})\s+)?(?P<part>{'|'.join(FRACTIONS)})(?!\s+(?:quarter|half)\b))",
    re.IGNORECASE,
)
DURATION_UNITS = {"year": 365.25, "month": 30.44, "fortnight": 14.0, "week": 7.0, "day": 1.0, "decade": 3652.5,
                  "hour": 1 / 24, "minute": 1 / 1440, "second": 1 / 86400}
WORKING_DAY = {"working day", "business day"}
DURATION_RE = re.compile(
    rf"(?:(?P<hedge>{HEDGE_RE}|within)\s+)?(?P<num>\d+(?:\.\d+)?|{NUMBER_WORD_RE}|a|an|half\s+a)"
    rf"(?:{RANGE_DASH}(?P<num2>\d+(?:\.\d+)?|{NUMBER_WORD_RE}))?"
    r"[-\s](?P<unit>(?:working|business)[-\s]days?|years?|months?|fortnights?|weeks?|days?|decades?|hours?|minutes?|"
    r"seconds?)\b",
    re.IGNORECASE,
)
FUZZY_QUANTITIES = {
    "dozens": (24, 99), "hundreds": (200, 999), "thousands": (2_000, 9_999),
    "tens of thousands": (20_000, 99_999), "hundreds of thousands": (200_000, 999_999),
}


def _scale(match) -> float:
    return SCALES.get((match.group("scale") or "").lower().replace("-\n", ""), 1.0)


def _interval_from_match(match, *, scale: float = 1.0) -> tuple[float, float, float] | None:
    raw = match.group("num")
    fuzzy = FUZZY_QUANTITIES.get(" ".join(raw.lower().split()))
    if fuzzy:
        return fuzzy[0] * scale, fuzzy[1] * scale, 0.0
    first = _number(raw)
    if first is None:
        return None
    second = _number(match.group("num2")) if match.groupdict().get("num2") else None
    precision = _precision(raw, scale)
    low, high = first * scale, (second if second is not None else first) * scale
    if second is not None:
        precision = max(precision, _precision(match.group("num2"), scale))
    if low > high:
        return None
    return low, high, precision


def _numeric(kind: str, low: float, high: float, hedge: str, precision: float, **extra) -> dict:
    low, high = _hedged(low, high, hedge or "", precision)
    return {"type": kind, "low": low, "high": high if high != math.inf else None,
            "hedge": " ".join((hedge or "").lower().split()), **extra}


def _parse_scaled(pattern: re.Pattern, kind: str, text: str, **extra) -> dict | None:
    """Amounts with an optional scale word ("$5.25bn", "two hundred", "150,000-200,000")."""
    match = pattern.fullmatch(text)
    if not match:
        return None
    scale = _scale(match)
    interval = _interval_from_match(match, scale=scale)
    if interval is None:
        return None
    if kind == "money":
        extra["currency"] = CURRENCIES.get(" ".join(match.group("cur").lower().split()), "USD")
    return _numeric(kind, *interval[:2], match.group("hedge"), interval[2], **extra)


def parse_money(text: str) -> dict | None:
    text = text.strip()
    return (_parse_scaled(MONEY_RE, "money", text.rstrip("."))
            or _parse_scaled(MONEY_WORDS_RE, "money", text))


# "1.450 job reductions": things counted come whole, so a dot before three digits groups the
# thousands, as German, Spanish or Swedish text writes them (with no scale word after it).
DOTTED_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})+)$")


def parse_count(text: str) -> dict | None:
    text = DOTTED_THOUSANDS.sub(lambda m: m.group(1).replace(".", ""), text.strip())
    return _parse_scaled(COUNT_RE, "count", text)


DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d{1,2}\s?(?:%|per))")


def parse_percent(text: str) -> dict | None:
    text = DECIMAL_COMMA.sub(".", text)  # "38,5 %", as German or Swedish sources write it
    match = PERCENT_RE.fullmatch(text.strip())
    if not match:
        return _parse_fraction(text)
    interval = _interval_from_match(match)
    return _numeric("percent", *interval[:2], match.group("hedge"), interval[2]) if interval else None


def _small(word: str) -> float:
    return float(SMALL_NUMBERS.get(word.lower(), word))


def _parse_fraction(text: str) -> dict | None:
    match = FRACTION_RE.fullmatch(" ".join(text.split()))
    if not match:
        return None
    if match.group("part"):
        share = _small(match.group("k") or "one") * FRACTIONS[match.group("part").lower()] * 100
        step = FRACTIONS[match.group("part").lower()] * 100
    else:
        denominator = _small(match.group("d"))
        if not denominator or _small(match.group("n")) > denominator:
            return None
        share, step = _small(match.group("n")) / denominator * 100, 100 / denominator
    # A fraction is a round figure: as loose as the step between its neighbours allows.
    return _numeric("percent", share, share, match.group("hedge"), step / 2)


def parse_duration(text: str) -> dict | None:
    match = DURATION_RE.fullmatch(text.strip())
    if not match:
        return None
    unit = re.sub(r"[-\s]+", " ", match.group("unit").lower()).rstrip("s")
    raw = match.group("num").lower()
    if raw in {"a", "an"}:
        low = high = 1.0
    elif raw.startswith("half"):
        low = high = 0.5
    else:
        interval = _interval_from_match(match)
        if interval is None:
            return None
        low, high, _ = interval
    if unit in WORKING_DAY:
        # Five working days a week, and holidays besides: "90 working days" is some four months.
        low, high, unit = low * 7 / 5, high * 7 / 5 * 1.1, "day"
    days = DURATION_UNITS[unit]
    return _numeric("duration", low * days, high * days, match.group("hedge"), 0.0, unit=unit)


# --- measures: lengths, speeds, areas, masses, rainfall, capacities (converted by pint) ---

# Unit as written -> pint expression. Only unambiguous spellings: "in" (a preposition) and a
# bare "t" are left out.
MEASURE_UNITS = {
    "km/h": "km/hour", "kph": "km/hour", "kmh": "km/hour", "mph": "mile/hour", "knots": "knot",
    "km²": "km**2", "km2": "km**2", "sq km": "km**2", "square kilometres": "km**2",
    "square kilometers": "km**2", "m²": "m**2", "square metres": "m**2", "square meters": "m**2",
    "hectares": "hectare", "ha": "hectare", "acres": "acre",
    "km": "km", "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km",
    "miles": "mile", "mile": "mile", "metres": "m", "meters": "m", "metre": "m", "meter": "m",
    "m": "m", "feet": "foot", "foot": "foot", "ft": "foot", "cm": "cm", "mm": "mm",
    "millimetres": "mm", "millimeters": "mm", "inches": "inch",
    "tonnes": "metric_ton", "tons": "metric_ton", "kt": "kilotonne", "Mt": "megatonne",
    "kg": "kg", "kilograms": "kg", "litres": "liter", "liters": "liter",
    "cubic metres": "m**3", "cubic meters": "m**3", "m³": "m**3",
}
# A rate: "kt/yr", "tonnes a year", "120 miles an hour", "litres per day".
PER_TIME = r"(?:\s*/\s*(?:yr|year|a|h|hr|hour|day|d)\b|\s+(?:an?|per)\s+(?:year|hour|day)\b)"
PER_UNITS = (("h", "hour"), ("d", "day"))
_UNIT_RE = "|".join(re.escape(u) for u in sorted(MEASURE_UNITS, key=len, reverse=True))
MEASURE_RE = re.compile(
    rf"(?:(?P<hedge>{HEDGE_RE})\s+)?"
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|(?<![\d.,])\d{{1,3}}(?:[ \u00a0\u202f\u2009]\d{{3}})+(?![\d.,-])|"
    rf"\d+(?:\.\d+)?|{NUMBER_WORD_RE})"
    rf"(?:{RANGE_DASH}(?P<num2>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|{NUMBER_WORD_RE}))?"
    rf"(?:\s+(?P<scale>{_SCALE_WORDS}))?"
    rf"[\s-]?(?P<unit>(?-i:{_UNIT_RE}))(?:(?:\s+of\s+[a-z][a-z-]*(?:\s+[a-z][a-z-]*){{0,2}}?)?(?P<per>{PER_TIME}))?(?![\w²³])",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _units():
    """pint's registry, built once per process (it takes a moment) and only when needed."""
    import pint

    return pint.UnitRegistry()


def parse_measure(text: str) -> dict | None:
    """A measure as an interval in SI base units, with its dimension: "30 miles" and "48 km"
    are both lengths in metres, so they compare."""
    match = MEASURE_RE.fullmatch(text.strip())
    if not match:
        return None
    interval = _interval_from_match(match, scale=_scale(match))
    if interval is None:
        return None
    low, high = _hedged(interval[0], interval[1], match.group("hedge") or "", interval[2])
    units = _units()
    per = (match.group("per") or "").strip(" /").lower().split()
    if per:  # "a year", "/yr", "an hour", "/h", "per day", "/d"
        per = next((unit for short, unit in PER_UNITS if per[-1] in {short, "hr" if short == "h" else short, unit}),
                   "year")
    expression = MEASURE_UNITS[match.group("unit")] + (f" / {per}" if per else "")
    base = units.Quantity(1.0, expression).to_base_units()
    factor = base.magnitude
    return {"type": "measure", "low": low * factor, "high": None if high == math.inf else high * factor,
            "hedge": " ".join((match.group("hedge") or "").lower().split()),
            "unit": match.group("unit") + (match.group("per") or ""), "written": list(interval[:2]),
            "factor": factor, "base_unit": f"{base.units:~}", "dimension": str(base.dimensionality),
            # What a year of it comes to: "450 kt/yr" against a capacity of "450,000 tonnes".
            **({"year_dimension": _dimension_of(MEASURE_UNITS[match.group("unit")])} if per == "year" else {})}


@lru_cache(maxsize=None)
def _dimension_of(unit: str) -> str:
    return str(_units().Quantity(1.0, unit).to_base_units().dimensionality)


YEAR_SECONDS = 365.25 * 86400
# What a year's output is written in without "a year": masses and volumes (not lengths: "3 mm a
# year" of sea-level rise is no wall's height).
YEAR_TOTALS = {"[mass]", "[length] ** 3"}


def _as_year_total(a: dict, b: dict) -> dict:
    """``a`` as a year's total when it is a yearly rate and ``b`` a plain amount of what it
    counts per year (annual output is often written without "a year"); else ``a``."""
    if (a.get("type") == "measure" and a.get("year_dimension") in YEAR_TOTALS
            and a.get("year_dimension") == b.get("dimension")):
        return {**a, "low": a["low"] * YEAR_SECONDS,
                "high": None if a.get("high") is None else a["high"] * YEAR_SECONDS, "dimension": b["dimension"]}
    return a


def _aligned(a: dict, b: dict) -> tuple[dict, dict]:
    if a.get("type") != "measure" or ("year_dimension" not in a and "year_dimension" not in b):
        return a, b  # the common case, and called for every pair
    return _as_year_total(a, b), _as_year_total(b, a)


# --- dates ---------------------------------------------------------------------------

_ORDINAL_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
DAY_WORDS = {
    **{w: i + 1 for i, w in enumerate(_ORDINAL_UNITS)},
    **{w: i + 10 for i, w in enumerate(["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
                                         "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"])},
    **{f"twenty-{w}": 21 + i for i, w in enumerate(_ORDINAL_UNITS)},
    "thirtieth": 30, "thirty-first": 31,
}
_DAY_WORD_RE = "|".join(sorted((w.replace("-", "[-\\s]") for w in DAY_WORDS), key=len, reverse=True))

# A year as said aloud: "twenty twenty-two", "nineteen ninety-eight", "two thousand and nine".
_SPOKEN_YEAR_RE = (rf"(?:nineteen|twenty)[\s-]+(?!hundred){_WORD_UNDER_100}|"
                   rf"two\s+thousand(?:\s+and)?(?:\s+{_WORD_UNDER_100})?")


def _year_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    words = text.lower().replace("-", " ").split()
    if words[0] == "two":  # two thousand (and) nine
        rest = _number(" ".join(w for w in words[2:] if w != "and")) if len(words) > 2 else 0
        if rest is None:
            raise ValueError(f"not a year: {text}")
        return 2000 + int(rest)
    century, rest = _number(words[0]), _number(" ".join(words[1:]))
    if century is None or rest is None or not 10 <= rest < 100:
        raise ValueError(f"not a year: {text}")  # "nineteen nine eight"
    return int(century) * 100 + int(rest)


DATE_PATTERNS = [
    # between January and February 1981 / from 2022 to 2024 / between 1910 and 1963
    ("range", re.compile(
        rf"(?:between|from)\s+(?P<a>{MONTH_RE}(?:\s+\d{{4}})?|\d{{4}})\s+(?:and|to|until|through)\s+"
        rf"(?P<b>{MONTH_RE}\s+\d{{4}}|\d{{4}})", re.I)),
    ("iso", re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})")),
    # "the fourteenth of March", as a transcript or a translation writes it.
    ("dwm", re.compile(rf"(?:the\s+)?(?P<dw>{_DAY_WORD_RE})\s+(?:of\s+)?(?P<month>{MONTH_RE})\b"
                       rf"(?:,?\s+(?:of\s+the\s+)?(?P<y>\d{{4}}|{_SPOKEN_YEAR_RE})(?:\s+year\b)?)?", re.I)),
    # "March fourteenth, 2024", "November ninth twenty twenty-two", as a speaker says it.
    ("mdw", re.compile(rf"(?P<month>{MONTH_RE})\s+(?:the\s+)?(?P<dw>{_DAY_WORD_RE})\b"
                       rf"(?:,?\s+(?P<y>\d{{4}}|{_SPOKEN_YEAR_RE}))?", re.I)),
    # Day and month with slashes, read only when the order cannot be mistaken: "14/03/2024"
    # (no month 14) and "03/14/2024" (likewise); "03/04/2024" is left alone.
    ("slashed", re.compile(r"(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<y>(?:1[6-9]|20)\d\d)(?![\d/])")),
    ("mdy", re.compile(rf"(?P<part>{PART_RE}\s+)?(?P<month>{MONTH_RE})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})", re.I)),
    # "16 August 2012", and as machine translation writes it: "24. October 2023",
    # "the 14 of March of the 2024 year".
    ("dmy", re.compile(rf"(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:of\s+)?(?P<month>{MONTH_RE})"
                       rf"(?:\s+of\s+the|,)?\s+(?P<y>\d{{4}})(?:\s+year\b)?", re.I)),
    # Day first with dots, as German or Swedish sources write it: "09.11.2022".
    ("dotted", re.compile(r"(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>(?:1[6-9]|20)\d\d)(?![\d.])")),
    # A quarter or half of a year: "the first quarter of 2023", "Q3 2024", "H1 2025".
    ("quarter", re.compile(
        rf"(?:the\s+)?(?:(?P<nth>{_ORDINAL})\s+(?P<unit>quarter|half)\s+(?:of\s+)?(?:the\s+)?|"
        r"(?P<code>[QH][1-4])\s*[/-]?\s*)(?:FY\s*)?(?P<y>1[6-9]\d\d|20\d\d)(?:\s+year\b)?", re.I)),
    ("my", re.compile(rf"(?:(?P<part>{PART_RE})[\s-]+)?(?P<month>{MONTH_RE})(?:\s+of)?,?\s+(?P<y>\d{{4}})", re.I)),
    # "mid-March", "early July": the year from the sentence or the source.
    ("pm", re.compile(rf"(?P<part>{PART_RE})[\s-]+(?P<month>{MONTH_RE})(?!\w|\s+\d)", re.I)),
    ("md", re.compile(rf"(?P<month>{MONTH_RE})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b", re.I)),
    ("dm", re.compile(rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{MONTH_RE})\b", re.I)),
    ("decade", re.compile(rf"(?:the\s+)?(?:(?P<part>{PART_RE})[\s-]+)?(?P<decade>\d{{3}}0)'?s", re.I)),
    ("century", re.compile(rf"(?:the\s+)?(?:(?P<part>{PART_RE})[\s-]+)?(?P<c>\d{{1,2}})(?:st|nd|rd|th)\s+century", re.I)),
    ("year", re.compile(rf"(?:(?:in|since|by|during|of|until)\s+)?(?:(?P<part>{PART_RE})[\s-]+)?(?P<y>1[6-9]\d\d|20\d\d)", re.I)),
]


def _month(name: str) -> int:
    return MONTHS[name.strip(".").lower()[:3]]


def _part(part: str | None, start: date, end: date) -> tuple[date, date]:
    """early / mid / late: the first half, the middle half or the last half of an interval.

    Halves, not thirds: writers disagree where "early September" ends, and reading it
    generously keeps "early September" and "September 14" from being called a conflict.
    """
    if not part:
        return start, end
    part = " ".join(part.lower().split())
    span = (end - start).days + 1
    half, quarter = max(1, span // 2), span // 4
    if part in {"early", "the beginning of", "the start of"}:
        return start, date.fromordinal(start.toordinal() + half - 1)
    if part == "mid":
        return date.fromordinal(start.toordinal() + quarter), date.fromordinal(end.toordinal() - quarter)
    return date.fromordinal(end.toordinal() - half + 1), end  # late, the end of


ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}


def _quarter(g: dict, year: int) -> tuple[date, date]:
    """The months of "the first quarter", "Q3", "H1", "the second half" of a year."""
    if g["code"]:
        months, n = (3 if g["code"][0].upper() == "Q" else 6), int(g["code"][1])
    else:
        months = 3 if g["unit"].lower() == "quarter" else 6
        nth = g["nth"].lower()
        n = 12 // months if nth in {"final", "last"} else ORDINALS[nth]
    if n * months > 12:
        raise ValueError("no such part of a year")  # "H3", "the fourth half"
    first = (n - 1) * months + 1
    return date(year, first, 1), _month_interval(year, first + months - 1)[1]


def _month_interval(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _endpoint(text: str, year_hint: int | None, *, last: bool) -> date | None:
    text = text.strip()
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 12, 31) if last else date(int(text), 1, 1)
    match = re.fullmatch(rf"(?P<month>{MONTH_RE})(?:\s+(?P<y>\d{{4}}))?", text, re.I)
    if not match:
        return None
    year = int(match.group("y")) if match.group("y") else year_hint
    if year is None:
        return None
    start, end = _month_interval(year, _month(match.group("month")))
    return end if last else start


def parse_date(text: str, *, year_hint: int | None = None) -> dict | None:
    """A date expression as an interval with its granularity, or None."""
    text = " ".join(text.split()).strip().rstrip(".,")
    for name, pattern in DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if not match:
            continue
        g = match.groupdict()
        try:
            if name == "range":
                year_b = re.search(r"\d{4}", g["b"])
                hint = int(year_b.group()) if year_b else year_hint
                start = _endpoint(g["a"], hint, last=False)
                end = _endpoint(g["b"], hint, last=True)
                if start is None or end is None or start > end:
                    return None
                granularity = "range"
            elif name in {"dwm", "mdw", "pm"} and g["month"] in {"may", "march"}:
                return None  # "acting early may save lives", "the first may not be the last"
            elif name in {"dwm", "mdw"}:
                year = _year_number(g["y"]) if g["y"] else year_hint
                if year is None:
                    return None
                start = end = date(year, _month(g["month"]), DAY_WORDS[g["dw"].lower().replace(" ", "-")])
                granularity = "day"
            elif name == "slashed":
                a, b = int(g["a"]), int(g["b"])
                if (a <= 12) == (b <= 12):
                    return None  # 03/04/2024: April or March, the text does not say
                day, month = (a, b) if a > 12 else (b, a)
                start = end = date(int(g["y"]), month, day)
                granularity = "day"
            elif name in {"iso", "dotted", "mdy", "dmy", "md", "dm"}:
                year = int(g["y"]) if g.get("y") else year_hint
                if year is None:
                    return None
                month = int(g["m"]) if name in {"iso", "dotted"} else _month(g["month"])
                start = end = date(year, month, int(g["d"]))
                granularity = "day"
            elif name == "quarter":
                start, end = _quarter(g, int(g["y"]))
                granularity = "quarter" if (g["code"] or "Q")[0].upper() == "Q" and (g["unit"] or "").lower() != "half" else "half-year"
            elif name == "pm":
                if year_hint is None:
                    return None
                start, end = _part(g["part"], *_month_interval(year_hint, _month(g["month"])))
                granularity = "part-of-month"
            elif name == "my":
                start, end = _part(g["part"], *_month_interval(int(g["y"]), _month(g["month"])))
                granularity = "month" if not g["part"] else "part-of-month"
            elif name == "decade":
                decade = int(g["decade"])
                start, end = _part(g["part"], date(decade, 1, 1), date(decade + 9, 12, 31))
                granularity = "decade"
            elif name == "century":
                first = (int(g["c"]) - 1) * 100 + 1
                start, end = _part(g["part"], date(first, 1, 1), date(first + 99, 12, 31))
                granularity = "century"
            else:
                year = int(g["y"])
                start, end = _part(g["part"], date(year, 1, 1), date(year, 12, 31))
                granularity = "year" if not g["part"] else "part-of-year"
        except (ValueError, TypeError):  # 30 February and the like
            return None
        return {"type": "date", "start": start.isoformat(), "end": end.isoformat(),
                "granularity": granularity}
    return None


def parse_value(kind: str, text: str, *, year_hint: int | None = None) -> dict | None:
    """Normalise the surface text of a claim of the given kind; None when it cannot be read."""
    parser = {
        "date": lambda t: parse_date(t, year_hint=year_hint),
        "money": parse_money,
        "count": parse_count,
        "percent": parse_percent,
        "duration": parse_duration,
        "measure": parse_measure,
    }.get(kind)
    if parser is None:
        return None
    value = parser(text)
    if value is not None:
        value["text"] = text
    return value


# --- comparison ----------------------------------------------------------------------


def _bounds(value: dict) -> tuple:
    if value["type"] == "date":
        return date.fromisoformat(value["start"]), date.fromisoformat(value["end"])
    high = value["high"] if value["high"] is not None else math.inf
    return value["low"], high


def comparable(a: dict, b: dict) -> bool:
    """Whether the two values can be set against each other at all: one type, and for money
    one currency, for measures one dimension."""
    if a.get("type") != b.get("type"):
        return False
    a, b = _aligned(a, b)
    if a["type"] == "money" and not _same_currency(a.get("currency"), b.get("currency")):
        return False  # different currencies: the detector cannot tell
    # A length and a mass measure different things.
    return a["type"] != "measure" or a.get("dimension") == b.get("dimension")


def compatible(a: dict, b: dict) -> bool:
    """True when both values can be true at once (their intervals overlap); values that are
    not comparable can never be said to conflict."""
    if not comparable(a, b):
        return True
    if a["type"] == "entity":
        return entity_compatible(a, b)
    a, b = _aligned(a, b)
    a_low, a_high = _bounds(a)
    b_low, b_high = _bounds(b)
    return a_low <= b_high and b_low <= a_high


def gap(a: dict, b: dict) -> float:
    """How far apart two values of one kind are, from 0 (touching) to 1 (orders of magnitude,
    or a century, apart): near values of one point are a discrepancy ("1,320" and "1,230
    classrooms"), far ones are more often two different things ("38 deaths", "301 people")."""
    if a.get("type") != b.get("type") or a.get("type") == "entity":
        return 0.0
    a, b = _aligned(a, b)
    a_low, a_high = _bounds(a)
    b_low, b_high = _bounds(b)
    if a["type"] == "date":
        days = max((b_low - a_high).days, (a_low - b_high).days, 0)
        return min(1.0, math.log1p(days) / math.log1p(36525))  # a century apart is as far
    below, above = (a_high, b_low) if a_high < b_low else (b_high, a_low)
    if not math.isfinite(below) or above <= below:
        return 0.0  # touching, or one of them unbounded towards the other
    if below <= 0:
        # "up to 50" against 70 is measured from 50, not from 0: a linear gap.
        return min(1.0, (above - below) / (abs(above) + abs(below)))
    return min(1.0, math.log10(above / below) / 2)  # a hundredfold apart is as far as it gets


def _same_currency(a: str | None, b: str | None) -> bool:
    """One currency, or a name several share ("crowns") and one of them (SEK)."""
    return a == b or CURRENCY_FAMILY.get(a) == b or CURRENCY_FAMILY.get(b) == a


def entity_compatible(a: dict, b: dict) -> bool:
    from rapidfuzz import fuzz

    names = (a.get("name", "").lower(), b.get("name", "").lower())
    return fuzz.token_set_ratio(*names) >= 80 or names[0].split()[-1:] == names[1].split()[-1:]


def describe(value: dict) -> str:
    """A short, readable form of a normalised value, for explanations."""
    kind = value.get("type")
    if kind == "date":
        start, end, granularity = value.get("start", "?"), value.get("end", "?"), value.get("granularity")
        if start == end:
            return start
        if granularity == "month":
            return start[:7]
        if granularity == "year":
            return start[:4]
        return f"{start}..{end}"
    if kind == "entity":
        return value.get("name", "")
    low, high = value.get("low"), value.get("high")
    if low is None:
        return value.get("text", "")
    unit = {"money": value.get("currency", "") + " ", "percent": "", "duration": ""}.get(kind, "")
    suffix = {"percent": "%", "duration": " days", "measure": f" {value.get('base_unit', '')}"}.get(kind, "")

    def fmt(x):
        return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.2f}".rstrip("0").rstrip(".")

    if kind == "measure" and value.get("written"):
        # As written and in SI units: "100 miles = 160,934 m".
        a, b = value["written"]
        number = fmt(a) if math.isclose(a, b) else f"{fmt(a)}–{fmt(b)}"
        base = fmt(a * value["factor"]) if math.isclose(a, b) else f"{fmt(a * value['factor'])}–{fmt(b * value['factor'])}"
        hedge = f"{value['hedge']} " if value.get("hedge") else ""
        return f"{hedge}{number} {value['unit'].strip()} = {base} {value['base_unit']}"

    if high is None:
        return f"≥ {unit}{fmt(low)}{suffix}"
    if math.isclose(low, high):
        return f"{unit}{fmt(low)}{suffix}"
    return f"{unit}{fmt(low)}–{fmt(high)}{suffix}"

