"""The lossless archive: everything the workbench holds, as one JSON Lines file, and back.

Line 1 is a header ``{"type": "archive", "format": "fact-workbench-archive", "version": 1}``;
then one record per line: users, sources (with their text), claims, facts, evidence,
contradictions. A user is only a username unless the archive was made ``with_emails``
(an admin's choice): e-mail addresses and names are personal data that a copy of the
annotations does not need. Records refer to each other by natural keys, never database ids, so an
archive loads into any database:

- a source by the sha256 of its raw bytes;
- a claim by [source sha256, start, end, kind];
- a fact by [subject, property, value, reconciled_at];
- a contradiction by the sorted keys of its claims.

Importing adds what is missing, leaves what is identical, and reports (never overwrites)
a record whose key exists with different content. Importing the same archive twice changes
nothing the second time.
"""
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.dateparse import parse_date, parse_datetime

from .errors import WorkbenchError
from .models import Claim, Contradiction, Evidence, Fact, Source

FORMAT = "fact-workbench-archive"
VERSION = 1

SOURCE_FIELDS = ["title", "origin", "publisher", "published_on", "kind", "text", "notes"]
CLAIM_FIELDS = ["exact", "prefix", "suffix", "value", "subject", "context", "note", "origin", "status"]
FACT_FIELDS = ["value", "status", "rationale", "version"]
CONTRADICTION_FIELDS = ["kind", "status", "note", "score", "explanation"]
USER_PERSONAL_FIELDS = ["email", "first_name", "last_name"]


def _user(user) -> str | None:
    return user.get_username() if user else None


def _time(value) -> str | None:
    return value.isoformat() if value else None


def claim_key(claim: Claim) -> list:
    return [claim.source.raw_sha256, claim.start, claim.end, claim.kind]


def fact_key(fact: Fact) -> list:
    return [fact.subject, fact.property, fact.value_text, fact.reconciled_at.isoformat()]


def _record(record_type: str, **fields) -> str:
    return json.dumps({"type": record_type, **fields}, ensure_ascii=False, sort_keys=True) + "\n"


def archive_lines(*, with_emails: bool = False) -> Iterator[str]:
    """The archive, line by line; people's e-mail addresses and names only ``with_emails``."""
    yield _record("archive", format=FORMAT, version=VERSION)
    User = get_user_model()
    for user in User.objects.order_by("pk").iterator():
        personal = {f: getattr(user, f) for f in USER_PERSONAL_FIELDS} if with_emails else {}
        yield _record("user", username=user.get_username(), **personal)
    for source in Source.objects.select_related("imported_by", "supersedes").order_by("pk").iterator(chunk_size=100):
        yield _record(
            "source", key=source.raw_sha256, **{f: getattr(source, f) for f in SOURCE_FIELDS if f != "published_on"},
            published_on=source.published_on.isoformat() if source.published_on else None,
            imported_by=_user(source.imported_by), created_at=_time(source.created_at),
            supersedes=source.supersedes.raw_sha256 if source.supersedes else None,
        )
    claims = Claim.objects.select_related("source", "created_by").defer("source__text").order_by("pk")
    for claim in claims.iterator(chunk_size=2000):
        yield _record("claim", key=claim_key(claim), **{f: getattr(claim, f) for f in CLAIM_FIELDS},
                      created_by=_user(claim.created_by), created_at=_time(claim.created_at))
    for fact in Fact.objects.select_related("reviewer").order_by("pk").iterator(chunk_size=500):
        yield _record("fact", key=fact_key(fact), **{f: getattr(fact, f) for f in FACT_FIELDS},
                      reviewer=_user(fact.reviewer), created_at=_time(fact.created_at))
    evidence = Evidence.objects.select_related("fact", "claim__source").defer("claim__source__text").order_by("pk")
    for item in evidence.iterator(chunk_size=2000):
        yield _record("evidence", fact=fact_key(item.fact), claim=claim_key(item.claim), stance=item.stance)
    contradictions = Contradiction.objects.select_related(
        "flagged_by", "confirmed_by", "fact").prefetch_related(
        Prefetch("claims", queryset=Claim.objects.select_related("source").only(
            "id", "start", "end", "kind", "source__raw_sha256"))).order_by("pk")
    for c in contradictions.iterator(chunk_size=500):
        yield _record(
            "contradiction", key=sorted(claim_key(claim) for claim in c.claims.all()),
            **{f: getattr(c, f) for f in CONTRADICTION_FIELDS},
            flagged_by=_user(c.flagged_by), confirmed_by=_user(c.confirmed_by),
            fact=fact_key(c.fact) if c.fact else None, created_at=_time(c.created_at),
        )


@dataclass
class ImportReport:
    created: dict = field(default_factory=dict)
    unchanged: dict = field(default_factory=dict)
    conflicts: list = field(default_factory=list)

    def count(self, bucket: str, kind: str) -> None:
        counts = getattr(self, bucket)
        counts[kind] = counts.get(kind, 0) + 1

    def summary(self) -> str:
        def fmt(counts):
            return ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "nothing"
        return (f"Created: {fmt(self.created)}. Already present: {fmt(self.unchanged)}. "
                f"Conflicts: {len(self.conflicts)}.")


class _Importer:
    def __init__(self, report: ImportReport):
        self.report = report
        self.users: dict[str, object] = {}
        self.sources: dict[str, Source] = {}
        self.claims: dict[tuple, Claim] = {}
        self.facts: dict[tuple, Fact] = {}

    # -- helpers ---------------------------------------------------------------------

    def user(self, username):
        if not username:
            return None
        if username not in self.users:
            User = get_user_model()
            self.users[username] = User.objects.filter(username=username).first()
        return self.users[username]

    def _settle(self, kind: str, label: str, obj, record: dict, fields: list[str], created: bool) -> None:
        if created:
            self.report.count("created", kind)
            return
        differing = [f for f in fields if _plain(getattr(obj, f)) != _plain(record.get(f))]
        if differing:
            self.report.conflicts.append(
                f"{kind} {label}: " + ", ".join(
                    f"{f} is {_short(getattr(obj, f))} here but {_short(record.get(f))} in the archive"
                    for f in differing
                ) + " (kept as it is here)"
            )
        else:
            self.report.count("unchanged", kind)

    @staticmethod
    def _stamp(obj, record):
        if record.get("created_at"):
            type(obj).objects.filter(pk=obj.pk).update(created_at=parse_datetime(record["created_at"]))

    def source(self, sha):
        if sha not in self.sources:
            self.sources[sha] = Source.objects.filter(raw_sha256=sha).first()
        if self.sources[sha] is None:
            raise WorkbenchError(f"The archive refers to a source ({sha[:12]}…) it does not contain.")
        return self.sources[sha]

    def claim(self, key):
        key = tuple(key)
        if key not in self.claims:
            sha, start, end, kind = key
            self.claims[key] = Claim.objects.filter(source=self.source(sha), start=start, end=end, kind=kind).first()
        if self.claims[key] is None:
            raise WorkbenchError(f"The archive refers to a claim {list(key)} it does not contain.")
        return self.claims[key]

    def fact(self, key):
        key = tuple(key)
        if key not in self.facts:
            subject, prop, value, at = key
            self.facts[key] = Fact.objects.filter(
                subject=subject, property=prop, value_text=value, reconciled_at=parse_datetime(at)).first()
        if self.facts[key] is None:
            raise WorkbenchError(f"The archive refers to a fact {list(key)} it does not contain.")
        return self.facts[key]

    # -- records ---------------------------------------------------------------------

    def do_user(self, r):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=r["username"],
            defaults={"email": r.get("email", ""), "first_name": r.get("first_name", ""),
                      "last_name": r.get("last_name", ""), "is_active": False},
        )
        if created:
            user.set_unusable_password()  # an imported account cannot log in until an admin says so
            user.save()
        self.users[r["username"]] = user
        # An archive made without e-mail addresses says nothing about them: no conflict.
        self._settle("user", r["username"], user, r, [f for f in ["email"] if f in r], created)

    def do_source(self, r):
        source = Source.objects.filter(raw_sha256=r["key"]).first()
        created = source is None
        if created:
            source = Source(raw_sha256=r["key"], imported_by=self.user(r.get("imported_by")),
                            **{f: r.get(f) or "" for f in SOURCE_FIELDS if f != "published_on"},
                            published_on=parse_date(r["published_on"]) if r.get("published_on") else None)
            if r.get("supersedes"):
                source.supersedes = self.source(r["supersedes"])
            source.full_clean()
            source.save()
            self._stamp(source, r)
        self.sources[r["key"]] = source
        record = dict(r, published_on=r.get("published_on"))
        self._settle("source", source.origin, source, record, SOURCE_FIELDS, created)

    def do_claim(self, r):
        sha, start, end, kind = r["key"]
        source = self.source(sha)
        claim = Claim.objects.filter(source=source, start=start, end=end, kind=kind).first()
        created = claim is None
        if created:
            claim = Claim(source=source, start=start, end=end, kind=kind,
                          created_by=self.user(r.get("created_by")),
                          **{f: r.get(f) if r.get(f) is not None else "" for f in CLAIM_FIELDS})
            claim.full_clean()
            claim.save()
            self._stamp(claim, r)
        self.claims[tuple(r["key"])] = claim
        self._settle("claim", f"“{claim.exact[:40]}” in {source.origin}", claim, r, CLAIM_FIELDS, created)

    def do_fact(self, r):
        subject, prop, value_text, at = r["key"]
        fact = Fact.objects.filter(subject=subject, property=prop, value_text=value_text,
                                   reconciled_at=parse_datetime(at)).first()
        created = fact is None
        if created:
            fact = Fact(subject=subject, property=prop, value_text=value_text, reconciled_at=parse_datetime(at),
                        reviewer=self.user(r.get("reviewer")), **{f: r[f] for f in FACT_FIELDS})
            fact.full_clean()
            fact.save()
            self._stamp(fact, r)
        self.facts[tuple(r["key"])] = fact
        self._settle("fact", f"“{subject[:40]}: {value_text[:40]}”", fact, r, FACT_FIELDS, created)

    def do_evidence(self, r):
        fact, claim = self.fact(r["fact"]), self.claim(r["claim"])
        evidence, created = Evidence.objects.get_or_create(fact=fact, claim=claim, defaults={"stance": r["stance"]})
        self._settle("evidence", f"for “{fact.subject[:40]}”", evidence, r, ["stance"], created)

    def do_contradiction(self, r):
        claims = [self.claim(k) for k in r["key"]]
        wanted = {c.pk for c in claims}
        existing = next((c for c in Contradiction.objects.filter(claims__in=wanted).distinct()
                         if set(c.claims.values_list("pk", flat=True)) == wanted), None)
        created = existing is None
        fact = self.fact(r["fact"]) if r.get("fact") else None
        if created:
            existing = Contradiction(flagged_by=self.user(r.get("flagged_by")),
                                     confirmed_by=self.user(r.get("confirmed_by")), fact=fact,
                                     **{f: r[f] for f in CONTRADICTION_FIELDS})
            existing.full_clean()
            existing.save()
            existing.claims.set(claims)
            self._stamp(existing, r)
        self._settle("contradiction", " vs ".join(f"“{c.exact[:30]}”" for c in claims), existing, r,
                     CONTRADICTION_FIELDS, created)


def _plain(value):
    """Values as they are written to JSON, to compare a database field with an archive one."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _short(value) -> str:
    text = json.dumps(_plain(value), ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def archive_import(lines: Iterable[str]) -> ImportReport:
    """Load an archive into this database in one transaction; raise WorkbenchError (and
    change nothing) if it is not a readable archive of a known version."""
    report = ImportReport()
    importer = _Importer(report)
    header_seen = False
    with transaction.atomic():
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise WorkbenchError(f"Line {number} is not JSON: {exc.msg}.") from exc
            if not isinstance(record, dict):
                raise WorkbenchError(f"Line {number} is not a record (a JSON object).")
            if not header_seen:
                if record.get("type") != "archive" or record.get("format") != FORMAT:
                    raise WorkbenchError("This is not a workbench archive (its first line is not the header).")
                if record.get("version") != VERSION:
                    raise WorkbenchError(f"Archive version {record.get('version')} is not supported "
                                         f"(this workbench reads version {VERSION}).")
                header_seen = True
                continue
            handler = getattr(importer, f"do_{record.get('type')}", None)
            if handler is None:
                raise WorkbenchError(f"Line {number}: unknown record type {record.get('type')!r}.")
            try:
                handler(record)
            except WorkbenchError as exc:
                raise WorkbenchError(f"Line {number}: {exc}") from exc
            except ValidationError as exc:
                raise WorkbenchError(f"Line {number} ({record['type']}): {' '.join(exc.messages)}") from exc
            except (KeyError, TypeError, ValueError) as exc:
                raise WorkbenchError(f"Line {number} ({record['type']}): missing or malformed field {exc}.") from exc
        if not header_seen:
            raise WorkbenchError("The archive is empty.")
    return report
