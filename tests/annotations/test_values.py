import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.values import compatible, describe, parse_value


def v(kind, text, **kw):
    value = parse_value(kind, text, **kw)
    assert value is not None, text
    return value


@pytest.mark.parametrize(
    ("text", "start", "end", "granularity"),
    [
        ("November 2012", "2012-11-01", "2012-11-30", "month"),
        ("August 16, 2012", "2012-08-16", "2012-08-16", "day"),
        ("16 August 2012", "2012-08-16", "2012-08-16", "day"),
        ("1980-01-02", "1980-01-02", "1980-01-02", "day"),
        ("the mid-1980s", "1982-07-02", "1987-07-02", "decade"),
        ("2019", "2019-01-01", "2019-12-31", "year"),
        ("between January and February 1981", "1981-01-01", "1981-02-28", "range"),
        ("early September 2025", "2025-09-01", "2025-09-15", "part-of-month"),
    ],
)
def test_dates_become_intervals(text, start, end, granularity):
    value = v("date", text)
    assert (value["start"], value["end"], value["granularity"]) == (start, end, granularity)


@pytest.mark.parametrize("text", ["16 August", "Aug. 16", "August 16th"])
def test_dates_without_a_year_take_it_from_context(text):
    assert v("date", text, year_hint=2012)["start"] == "2012-08-16"
    assert parse_value("date", text) is None


@pytest.mark.parametrize(
    ("text", "low", "high", "currency"),
    [
        ("$20 million", 19e6, 21e6, "USD"),
        ("$20 million dollars", 19e6, 21e6, "USD"),
        # A number before a scale word is rounded to that scale's unit, like any round number:
        # "$25 million" is 24.5M..25.5M, not exactly 25,000,000 (bug 12 of issue 12).
        ("US$23 million", 22.5e6, 23.5e6, "USD"),
        ("$25 million", 24.5e6, 25.5e6, "USD"),
        ("$2.5 million", 2.45e6, 2.55e6, "USD"),
        ("$25", 25, 25, "USD"),
        ("$5.25bn", 5.245e9, 5.255e9, "USD"),
        ("more than $6 million", 6e6, math.inf, "USD"),
        ("€310m", 305e6, 315e6, "EUR"),
    ],
)
def test_money_amounts_carry_their_precision(text, low, high, currency):
    value = v("money", text)
    assert value["currency"] == currency
    assert value["low"] == pytest.approx(low)
    assert (value["high"] if value["high"] is not None else math.inf) == pytest.approx(high)


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ("150,000-200,000", "150,000–200,000", True),
        ("about 100", "103", True),
        ("24,000", "24,312", True),
        ("two hundred", "200", True),
        ("some 24,000", "25,000", True),
        ("$20 million", "$25 million", False),
        ("4,500", "12,000", False),
    ],
)
def test_number_compatibility(a, b, agree):
    kind = "money" if "$" in a else "count"
    assert compatible(v(kind, a), v(kind, b)) is agree


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ("early September 2025", "September 4, 2025", True),
        ("in 2019", "April 2019", True),
        ("November 2012", "August 16, 2012", False),
        ("late 2021", "November 2021", True),
        ("the 1980s", "1979", False),
    ],
)
def test_date_compatibility(a, b, agree):
    assert compatible(v("date", a), v("date", b)) is agree


def test_durations_and_percentages():
    assert compatible(v("duration", "10-year"), v("duration", "ten years"))
    assert not compatible(v("duration", "15-year"), v("duration", "ten years"))
    assert compatible(v("percent", "40%"), v("percent", "41 per cent"))
    assert not compatible(v("percent", "18%"), v("percent", "6 percent"))


def test_describe_is_readable():
    assert describe(v("date", "November 2012")) == "2012-11"
    # A number before a scale word carries its rounding, as "$20 million" (19M..21M) does.
    assert describe(v("money", "US$23 million")) == "USD 22,500,000–23,500,000"


@given(st.integers(min_value=1, max_value=10**9))
def test_a_number_always_agrees_with_itself_written_with_commas(n):
    assert compatible(v("count", str(n)), v("count", f"{n:,}"))


@given(st.integers(min_value=1, max_value=10**6), st.sampled_from(["about", "some", "approximately", "more than"]))
def test_a_hedged_number_contains_the_plain_number(n, hedge):
    hedged = v("count", f"{hedge} {n:,}")
    assert hedged["low"] <= n <= (hedged["high"] if hedged["high"] is not None else math.inf)


@given(st.dates(min_value=__import__("datetime").date(1700, 1, 1), max_value=__import__("datetime").date(2099, 12, 31)))
def test_a_day_lies_inside_its_month_and_year(day):
    month = v("date", day.strftime("%B %Y"))
    year = v("date", str(day.year))
    exact = v("date", f"{day.strftime('%B')} {day.day}, {day.year}")
    assert compatible(exact, month) and compatible(exact, year)
    assert month["start"] <= exact["start"] <= month["end"]


@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_compatibility_is_symmetric(a, b):
    va, vb = v("count", f"{a:,}"), v("count", f"about {b:,}")
    assert compatible(va, vb) == compatible(vb, va)
