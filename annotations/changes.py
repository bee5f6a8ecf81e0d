"""What changed since a moment: the token a page keeps, and what differs from it.

A *version* of the reviewed data is read in one query: for claims, contradictions, facts and
evidence their number, their latest change (``updated_at``) and their highest id, and for the
claims of contradictions their number and highest id. Adding, changing or deleting any of them
changes it (a deletion changes a count). Every write the workbench makes bumps ``updated_at``:
services save through the model (``auto_now``), and the background reading of a claim sets it
in its ``update()``.

A *token* is the version's digest and the moment it was read ("<digest>.<milliseconds>"): a
page keeps it and asks ``changes_since`` later; the answer names the sources whose claims were
added, changed or deleted since (a claim's history keeps a deleted claim's source); when no
claim changed (a fact did), every source counts as changed.
"""
import hashlib
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone as dt_timezone

from django.db import connection

from .models import Claim, Contradiction, Evidence, Fact

# Writes committed a little before a token was read may carry an earlier updated_at (a
# transaction's rows are stamped before it commits; app servers' clocks differ a little).
CLOCK_MARGIN = timedelta(seconds=5)


def _version_sql() -> str:
    parts = []
    for model in (Claim, Contradiction, Fact, Evidence):
        table = connection.ops.quote_name(model._meta.db_table)
        parts += [f"(SELECT COUNT(*) FROM {table})", f"(SELECT MAX(updated_at) FROM {table})",
                  f"(SELECT MAX(id) FROM {table})"]
    through = connection.ops.quote_name(Contradiction.claims.through._meta.db_table)
    parts += [f"(SELECT COUNT(*) FROM {through})", f"(SELECT MAX(id) FROM {through})"]
    return "SELECT " + ", ".join(parts)


def data_version() -> str:
    """A digest that changes whenever a claim, contradiction, fact or piece of evidence is
    added, changed or deleted (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        row = cursor.fetchone()
    return hashlib.sha1(repr(tuple(str(v) for v in row)).encode()).hexdigest()[:16]


def token_now() -> str:
    return f"{data_version()}.{int(time.time() * 1000)}"


class BadToken(ValueError):
    """Not a token this module wrote."""


def _parse(token: str) -> tuple[str, datetime]:
    digest, _, millis = (token or "").partition(".")
    if len(digest) != 16 or not millis.isdigit() or len(millis) > 15:
        raise BadToken(f"“{token[:40]}” is not a change token: reload the page.")
    return digest, datetime.fromtimestamp(int(millis) / 1000, tz=dt_timezone.utc)


@dataclass
class Changes:
    token: str  # the new token, to ask with next time
    changed: bool
    sources: set[int] = field(default_factory=set)  # sources whose claims changed
    all_sources: bool = False  # something was deleted: any source may have changed


def changes_since(token: str) -> Changes:
    """Whether anything changed since ``token`` was read and, if so, which sources' claims
    (three queries when something changed, one when nothing did). BadToken for a malformed one."""
    digest, since = _parse(token)
    now = token_now()
    if now.split(".")[0] == digest:
        return Changes(token=token, changed=False)
    since -= CLOCK_MARGIN
    # Claims saved or read since, and the history of claims (which keeps deleted ones, with
    # their source).
    sources = set(Claim.objects.filter(updated_at__gte=since).values_list("source_id", flat=True).distinct())
    sources |= set(Claim.history.filter(history_date__gte=since).values_list("source_id", flat=True).distinct())
    return Changes(token=now, changed=True, sources=sources, all_sources=not sources)
