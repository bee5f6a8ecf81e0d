"""Ids read from a request (a query string, a form, a path): one bounded parser for all of them.

``str.isdigit()`` accepts "²" and ``int()`` then refuses it; ``int()`` accepts "١٢", " 12 " and
"1_000"; and a 20-digit number overflows the database. An id is therefore ASCII digits only,
from 1 to MAX_ID, or it is refused with a message before any query is made.
"""
import re

# Ids stay within what every database stores (SQLite and PostgreSQL: 63 bits).
MAX_ID = 2**62

_ID = re.compile(r"[0-9]{1,19}")  # MAX_ID has 19 digits; [0-9] rather than \d, which is Unicode


class InvalidId(ValueError):
    """Not an id; ``str(error)`` says so in words a reviewer can read."""


def parse_id(value, *, what: str = "") -> int:
    """The id written in ``value``, or InvalidId. ``what`` names the thing ("claim") in the message."""
    text = value if isinstance(value, str) else str(value)
    number = int(text) if _ID.fullmatch(text) else 0
    if not 1 <= number <= MAX_ID:
        shown = text if len(text) <= 24 else text[:24] + "…"
        raise InvalidId(f"“{shown}” is not a{' ' + what if what else 'n'} id: an id is a whole number "
                        f"from 1 to {MAX_ID}, written in the digits 0-9.")
    return number


def parse_ids(values, *, what: str = "") -> list[int]:
    """Every id in ``values`` (a query string's or a form's list), in order, without repeats."""
    return list(dict.fromkeys(parse_id(v, what=what) for v in values))
