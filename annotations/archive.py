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
- a contradiction by the sorted keys of its claims;
- what became of a claim in a source's new version (reanchoring), and a value the source
  corrected there (correction), by [the new version's sha256, the old claim's key].

Importing adds what is missing, leaves what is identical, and reports (never overwrites)
a record whose key exists with different content. Importing the same archive twice changes
nothing the second time.
"""
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, models, transaction
from django.db.models import Prefetch
from django.utils import timezone

from .errors import ImportRefused, WorkbenchError
from .importing import refuse_binary
from .models import Claim, Contradiction, Correction, Evidence, Fact, Reanchoring, Source
from .services import claims_embed_saved, contradiction_claims_check, fact_statement_check

FORMAT = "fact-workbench-archive"
VERSION = 1

SOURCE_FIELDS = ["title", "origin", "publisher", "published_on", "kind", "text", "notes"]
# A claim's embedding is left out: derived data (a model's reading of its property and
# sentence), recomputed when the archive is imported. ``property`` came after version 1's first
# archives: a claim record without it imports with none, and is not a conflict for lacking it.
CLAIM_FIELDS = ["exact", "prefix", "suffix", "value", "subject", "context", "note", "origin", "status",
                "property"]
# ``needs_review`` came with source versions (a record without it imports with none).
FACT_FIELDS = ["value", "status", "rationale", "version", "needs_review"]
REANCHORING_FIELDS = ["outcome", "score", "reason"]
CORRECTION_FIELDS = ["old_value", "new_value", "old_start", "old_end", "new_start", "new_end"]
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
    claims = Claim.objects.select_related("source", "created_by").defer("source__text", "embedding").order_by("pk")
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
    steps = Reanchoring.objects.select_related("revision", "old_claim__source", "new_claim__source", "placed_by").defer(
        "revision__text", "old_claim__source__text", "new_claim__source__text").order_by("pk")
    for step in steps.iterator(chunk_size=2000):
        yield _record("reanchoring", key=[step.revision.raw_sha256, claim_key(step.old_claim)],
                      new_claim=claim_key(step.new_claim) if step.new_claim else None,
                      **{f: getattr(step, f) for f in REANCHORING_FIELDS}, placed_by=_user(step.placed_by),
                      created_at=_time(step.created_at))
    corrections = Correction.objects.select_related("revision", "old_claim__source", "new_claim__source").defer(
        "revision__text", "old_claim__source__text", "new_claim__source__text").order_by("pk")
    for c in corrections.iterator(chunk_size=2000):
        yield _record("correction", key=[c.revision.raw_sha256, claim_key(c.old_claim)],
                      new_claim=claim_key(c.new_claim), **{f: getattr(c, f) for f in CORRECTION_FIELDS},
                      created_at=_time(c.created_at))


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


# --- checking records ----------------------------------------------------------------
# An archive may come from anywhere, so each record is checked as the app checks what a
# reviewer enters: first that each value has its field's JSON type (a list is not text), then
# the models' own full_clean() (choices, lengths, formats, the span invariant, constraints) and
# the domain's rules. A ValidationError names the field; archive_import adds the line.


def _cut(value, limit: int = 40) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _not_a_choice(model_field, value) -> str:
    return f"“{_cut(value)}” is not one of {', '.join(str(v) for v, _ in model_field.flatchoices)}."


def _typed(model, name: str, value, *, label: str | None = None):
    """``value`` from the archive for ``model.name``, if it has the field's JSON type.

    A missing or null value is the field's default (older archives wrote null for empty
    text); what the value may be beyond its type is full_clean()'s to say."""
    field = model._meta.get_field(name)
    label = label or name
    if value is None:
        return None if field.null else field.get_default()

    def refuse(message):
        return ValidationError({label: message})

    if isinstance(field, (models.CharField, models.TextField)):
        if not isinstance(value, str):
            raise refuse(_not_a_choice(field, value) if field.choices else f"{_cut(value)} is not text.")
        if "\x00" in value:  # PostgreSQL cannot store it, and no person writes it
            raise refuse("it contains a NUL character (\\x00).")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise refuse("it is not valid Unicode (a lone surrogate).") from None
    elif isinstance(field, (models.DateField, models.DateTimeField)):
        if not isinstance(value, str):
            raise refuse(f"{_cut(value)} is not a date written as text.")
        try:
            value = field.to_python(value)
        except ValidationError as exc:
            raise refuse(_rendered(model, name, exc.error_list[0])) from exc
        if isinstance(field, models.DateTimeField) and timezone.is_naive(value):
            value = timezone.make_aware(value)
    elif isinstance(field, models.IntegerField):
        if isinstance(value, bool) or not isinstance(value, int):
            raise refuse(f"{_cut(value)} is not a whole number.")
    elif isinstance(field, models.FloatField):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise refuse(f"{_cut(value)} is not a number.")
    elif isinstance(field, models.JSONField) and not isinstance(value, dict):
        raise refuse(f"{_cut(value)} is not a JSON object.")
    return value


def _rendered(model, name: str, error: ValidationError) -> str:
    """One of Django's messages, with the offending value cut short (it may be megabytes)."""
    params = dict(error.params or {})
    if error.code == "invalid_choice":
        return _not_a_choice(model._meta.get_field(name), params.get("value"))
    if "value" in params:
        params["value"] = _cut(params["value"])
    # Formatted before str(): a plural message (ngettext_lazy) picks its form from params.
    return str(error.message % params if params else error.message)


def _checked(obj, *, created: bool):
    """full_clean(), its messages cut short; uniqueness and constraints only for an object
    about to be created (one already here is compared, not saved)."""
    try:
        obj.full_clean(validate_unique=created, validate_constraints=created)
    except ValidationError as exc:  # full_clean() always raises one keyed by field
        raise ValidationError({
            field: [_rendered(type(obj), field, e) if field != NON_FIELD_ERRORS else " ".join(e.messages)
                    for e in items]
            for field, items in exc.error_dict.items()
        }) from exc
    return obj


def _key(record: dict, size: int | None = None) -> list:
    key = record.get("key")
    if not isinstance(key, list) or (size is not None and len(key) != size):
        raise ValidationError({"key": f"{_cut(key)} is not a key of this archive's format."})
    return key


def _domain(check, *args, **kwargs) -> None:
    """A rule of the services (services.py), its refusal as a ValidationError (naming the
    field when the refusal names one)."""
    try:
        check(*args, **kwargs)
    except WorkbenchError as exc:
        field = getattr(exc, "field", None)
        raise ValidationError({field: str(exc)} if field else str(exc)) from exc


def _source_text(text: str) -> None:
    """A source's text as the importer would accept it (importing.py): no binary, not blank,
    no larger than an imported file may be."""
    limit = settings.WORKBENCH_MAX_SOURCE_BYTES
    # Every character of an imported text came from one byte of the file or more.
    if len(text) > limit:
        raise ValidationError({"text": f"it is {len(text):,} characters, over the limit of {limit:,} "
                                       "bytes for an imported file (WORKBENCH_MAX_SOURCE_BYTES)."})
    try:
        refuse_binary(text, name="the text")
    except ImportRefused as exc:
        raise ValidationError({"text": exc.reason}) from exc
    if text and not text.strip():
        raise ValidationError({"text": "it contains only white space."})


class _Importer:
    def __init__(self, report: ImportReport):
        self.report = report
        self.users: dict[str, object] = {}
        self.sources: dict[str, Source] = {}
        self.claims: dict[tuple, Claim] = {}
        self.facts: dict[tuple, Fact] = {}
        self.new_claims: list[Claim] = []  # to embed once the archive is in

    # -- helpers ---------------------------------------------------------------------

    def user(self, username, field: str):
        if username is None or username == "":
            return None
        if not isinstance(username, str):
            raise ValidationError({field: f"{_cut(username)} is not a user name."})
        if username not in self.users:
            self.users[username] = get_user_model().objects.filter(username=username).first()
        if self.users[username] is None:
            raise ValidationError({field: f"the archive refers to a user “{_cut(username)}” it does not contain."})
        return self.users[username]

    def _settle(self, kind: str, label: str, obj, record: dict, fields: list[str], created: bool) -> None:
        if created:
            self.report.count("created", kind)
            return
        # A field the record lacks (one added after the archive was written) is no conflict.
        differing = [f for f in fields if f in record and _plain(getattr(obj, f)) != _plain(record.get(f))]
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
    def _stamp(obj, created_at):
        if created_at is not None:
            type(obj).objects.filter(pk=obj.pk).update(created_at=created_at)

    @staticmethod
    def _created_at(model, record):
        return _typed(model, "created_at", record.get("created_at"))

    def source(self, sha, field: str = "key"):
        if not isinstance(sha, str):
            raise ValidationError({field: f"{_cut(sha)} is not a source's key."})
        if sha not in self.sources:
            self.sources[sha] = Source.objects.filter(raw_sha256=sha).first()
        if self.sources[sha] is None:
            raise WorkbenchError(f"The archive refers to a source ({sha[:12]}…) it does not contain.")
        return self.sources[sha]

    @staticmethod
    def _claim_key(key, field: str = "key") -> tuple:
        if not isinstance(key, list) or len(key) != 4:
            raise ValidationError({field: f"{_cut(key)} is not a claim's key."})
        sha, start, end, kind = key
        return (sha, _typed(Claim, "start", start), _typed(Claim, "end", end), _typed(Claim, "kind", kind))

    def claim(self, key, field: str = "key"):
        key = self._claim_key(key, field)
        if key not in self.claims:
            sha, start, end, kind = key
            self.claims[key] = Claim.objects.filter(source=self.source(sha), start=start, end=end, kind=kind).first()
        if self.claims[key] is None:
            raise WorkbenchError(f"The archive refers to a claim {_short(list(key))} it does not contain.")
        return self.claims[key]

    @staticmethod
    def _fact_key(key, field: str = "key") -> tuple:
        if not isinstance(key, list) or len(key) != 4:
            raise ValidationError({field: f"{_cut(key)} is not a fact's key."})
        return tuple(_typed(Fact, name, value) for name, value in
                     zip(("subject", "property", "value_text", "reconciled_at"), key))

    def fact(self, key, field: str = "key"):
        key = self._fact_key(key, field)
        if key not in self.facts:
            subject, prop, value, at = key
            self.facts[key] = Fact.objects.filter(
                subject=subject, property=prop, value_text=value, reconciled_at=at).first()
        if self.facts[key] is None:
            raise WorkbenchError(f"The archive refers to a fact {_short([str(k) for k in key])} it does not contain.")
        return self.facts[key]

    # -- records ---------------------------------------------------------------------
    # Each builds the object the record describes and checks it, whether or not an equal
    # key is already here: a bad record refuses the archive either way.

    def do_user(self, r):
        User = get_user_model()
        username = _typed(User, "username", r.get("username"))
        personal = {f: _typed(User, f, r.get(f)) for f in USER_PERSONAL_FIELDS}
        user = User.objects.filter(username=username).first()
        created = user is None
        candidate = User(username=username, is_active=False, **personal)
        candidate.set_unusable_password()  # an imported account cannot log in until an admin says so
        _checked(candidate, created=created)
        if created:
            candidate.save()
            user = candidate
        self.users[username] = user
        # An archive made without e-mail addresses says nothing about them: no conflict.
        self._settle("user", username, user, r, [f for f in ["email"] if f in r], created)

    def do_source(self, r):
        sha = _typed(Source, "raw_sha256", r.get("key"), label="key")
        fields = {f: _typed(Source, f, r.get(f)) for f in SOURCE_FIELDS}
        _source_text(fields["text"])
        candidate = Source(raw_sha256=sha, imported_by=self.user(r.get("imported_by"), "imported_by"),
                           supersedes=self.source(r["supersedes"], "supersedes") if r.get("supersedes") else None,
                           **fields)
        created_at = self._created_at(Source, r)
        source = Source.objects.filter(raw_sha256=sha).first()
        created = source is None
        _checked(candidate, created=created)
        if created:
            candidate.save()
            self._stamp(candidate, created_at)
            source = candidate
        self.sources[sha] = source
        self._settle("source", source.origin, source, r, SOURCE_FIELDS, created)

    def do_claim(self, r):
        sha, start, end, kind = self._claim_key(r.get("key"))
        source = self.source(sha)
        fields = {f: _typed(Claim, f, r.get(f)) for f in CLAIM_FIELDS}
        candidate = Claim(source=source, start=start, end=end, kind=kind,
                          created_by=self.user(r.get("created_by"), "created_by"), **fields)
        created_at = self._created_at(Claim, r)
        claim = Claim.objects.filter(source=source, start=start, end=end, kind=kind).first()
        created = claim is None
        _checked(candidate, created=created)
        if created:
            candidate.save()
            self._stamp(candidate, created_at)
            claim = candidate
            self.new_claims.append(claim)
        self.claims[(sha, start, end, kind)] = claim
        self._settle("claim", f"“{claim.exact[:40]}” in {source.origin}", claim, r, CLAIM_FIELDS, created)

    def do_fact(self, r):
        key = self._fact_key(_key(r))
        subject, prop, value_text, at = key
        fields = {f: _typed(Fact, f, r.get(f)) for f in FACT_FIELDS}
        candidate = Fact(subject=subject, property=prop, value_text=value_text, reconciled_at=at,
                         reviewer=self.user(r.get("reviewer"), "reviewer"), **fields)
        created_at = self._created_at(Fact, r)
        _domain(fact_statement_check, value_text=value_text, rationale=fields["rationale"])
        fact = Fact.objects.filter(subject=subject, property=prop, value_text=value_text, reconciled_at=at).first()
        created = fact is None
        _checked(candidate, created=created)
        if created:
            candidate.save()
            self._stamp(candidate, created_at)
            fact = candidate
        self.facts[key] = fact
        self._settle("fact", f"“{subject[:40]}: {value_text[:40]}”", fact, r, FACT_FIELDS, created)

    def do_evidence(self, r):
        fact, claim = self.fact(r.get("fact"), "fact"), self.claim(r.get("claim"), "claim")
        candidate = Evidence(fact=fact, claim=claim, stance=_typed(Evidence, "stance", r.get("stance")))
        evidence = Evidence.objects.filter(fact=fact, claim=claim).first()
        created = evidence is None
        _checked(candidate, created=created)
        if created:
            candidate.save()
            evidence = candidate
        self._settle("evidence", f"for “{fact.subject[:40]}”", evidence, r, ["stance"], created)

    def do_contradiction(self, r):
        claims = list({c.pk: c for c in (self.claim(k) for k in _key(r))}.values())
        _domain(contradiction_claims_check, claims)
        wanted = {c.pk for c in claims}
        existing = next((c for c in Contradiction.objects.filter(claims__in=wanted).distinct()
                         if set(c.claims.values_list("pk", flat=True)) == wanted), None)
        created = existing is None
        candidate = Contradiction(
            flagged_by=self.user(r.get("flagged_by"), "flagged_by"),
            confirmed_by=self.user(r.get("confirmed_by"), "confirmed_by"),
            fact=self.fact(r["fact"], "fact") if r.get("fact") else None,
            **{f: _typed(Contradiction, f, r.get(f)) for f in CONTRADICTION_FIELDS})
        created_at = self._created_at(Contradiction, r)
        _checked(candidate, created=created)
        if created:
            candidate.save()
            candidate.claims.set(claims)
            self._stamp(candidate, created_at)
            existing = candidate
        self._settle("contradiction", " vs ".join(f"“{c.exact[:30]}”" for c in claims), existing, r,
                     CONTRADICTION_FIELDS, created)


    def _revision_key(self, key) -> tuple[Source, Claim]:
        if not isinstance(key, list) or len(key) != 2:
            raise ValidationError({"key": f"{_cut(key)} is not [a new version's key, an old claim's key]."})
        return self.source(key[0]), self.claim(key[1], "key")

    def do_reanchoring(self, r):
        self._version_step(Reanchoring, "reanchoring", REANCHORING_FIELDS, r, lambda: {
            "new_claim": self.claim(r["new_claim"], "new_claim") if r.get("new_claim") else None,
            "placed_by": self.user(r.get("placed_by"), "placed_by")})

    def do_correction(self, r):
        self._version_step(Correction, "correction", CORRECTION_FIELDS, r, lambda: {
            "new_claim": self.claim(r.get("new_claim"), "new_claim")})

    def _version_step(self, model, name, fields, r, links):
        """A record of what a new version did to one old claim (a re-anchoring or a
        correction): made once, keyed by the version and the old claim."""
        revision, old_claim = self._revision_key(r.get("key"))
        candidate = model(revision=revision, old_claim=old_claim, **links(),
                          **{f: _typed(model, f, r.get(f)) for f in fields})
        created_at = self._created_at(model, r)
        step = model.objects.filter(revision=revision, old_claim=old_claim).first()
        created = step is None
        _checked(candidate, created=created)
        if created:
            candidate.save()
            self._stamp(candidate, created_at)
            step = candidate
        self._settle(name, f"of “{old_claim.exact[:40]}”", step, r, fields, created)


def _plain(value):
    """Values as they are written to JSON, to compare a database field with an archive one."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _short(value) -> str:
    text = json.dumps(_plain(value), ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def _described(exc: ValidationError) -> str:
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    return " ".join(message if field == NON_FIELD_ERRORS else f"{field}: {message}"
                    for field, messages in exc.message_dict.items() for message in messages)


def archive_import(lines: Iterable[str]) -> ImportReport:
    """Load an archive into this database in one transaction.

    Every record is checked as the app checks what a reviewer enters; the first that fails
    (not JSON, an unknown version, a reference to something the archive does not contain,
    a value the app would refuse) raises WorkbenchError naming its line and field, and
    nothing is imported."""
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
            except RecursionError as exc:
                raise WorkbenchError(f"Line {number} is nested too deeply to be a record.") from exc
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
            record_type = record.get("type")
            handler = getattr(importer, f"do_{record_type}", None) if isinstance(record_type, str) else None
            if handler is None:
                raise WorkbenchError(f"Line {number}: unknown record type {_cut(record_type)!r}.")
            where = f"Line {number} ({record_type})"
            try:
                handler(record)
            except ValidationError as exc:
                raise WorkbenchError(f"{where}: {_described(exc)}") from exc
            except WorkbenchError as exc:
                raise WorkbenchError(f"{where}: {exc}") from exc
            except RecursionError as exc:
                raise WorkbenchError(f"{where}: a value is nested too deeply.") from exc
            except (KeyError, TypeError, ValueError) as exc:
                raise WorkbenchError(f"{where}: missing or malformed field {exc}.") from exc
            except DatabaseError as exc:
                # The checks above should leave the database nothing to refuse; if it does,
                # the reviewer still gets the line, and the transaction undoes everything.
                raise WorkbenchError(f"{where}: the database refused it ({exc}).") from exc
        if not header_seen:
            raise WorkbenchError("The archive is empty.")
    # The archive carries no embeddings: the claims it brought are embedded after the commit,
    # so the database is not held while the model works (an interruption leaves the rest to
    # ``manage.py embed_claims``).
    claims_embed_saved(importer.new_claims)
    return report


