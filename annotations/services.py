"""Every change a reviewer can make, one function each.

Each runs in one transaction, validates with ``full_clean()`` and raises ``WorkbenchError``
with a message a reviewer can read; on refusal nothing is saved.
"""
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from . import permissions
from .errors import ConflictError, ImportRefused, WorkbenchError
from .importing import decode_source
from .matching import Candidate, ClaimView, find_candidates
from .metadata import guess_metadata
from .models import (
    QUOTE_CONTEXT_CHARS,
    Claim,
    ClaimOrigin,
    ClaimStatus,
    Contradiction,
    ContradictionStatus,
    Evidence,
    Fact,
    FactStatus,
    Source,
    Stance,
)


def _attributed(obj, user):
    """Record who made the change in the object's history, also outside a web request."""
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    return obj


def _validated(obj, *, exclude=None):
    """full_clean() with the errors folded into one readable WorkbenchError."""
    for model_field in obj._meta.concrete_fields:
        value = getattr(obj, model_field.attname, None)
        if isinstance(value, str) and "\x00" in value:
            # PostgreSQL cannot store NUL; no human-written text contains it.
            raise WorkbenchError(f"The {model_field.verbose_name} contains a NUL character (\\x00); remove it.")
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            parts = []
            for field, errors in exc.message_dict.items():
                label = "" if field == "__all__" else f"{field.replace('_', ' ')}: "
                parts.extend(label + message for message in errors)
            raise WorkbenchError(" ".join(parts)) from exc
        raise WorkbenchError(" ".join(exc.messages)) from exc
    return obj


# --- sources -------------------------------------------------------------------------


@transaction.atomic
def source_import(*, name: str, raw: bytes, user=None, metadata: Mapping | None = None) -> Source:
    """Import one file's bytes as a new Source, or raise ImportRefused saying why.

    ``metadata`` (title, publisher, published_on, kind, notes) overrides what is guessed
    from the text; blank values are ignored so a guess is never replaced by nothing.
    """
    permissions.require_admin(user, "import sources")
    decoded = decode_source(raw, name=name)
    existing = Source.objects.filter(raw_sha256=decoded.raw_sha256).first()
    if existing is not None:
        raise ImportRefused(name, f"it is a duplicate of “{existing.title}” ({existing.origin}).")
    guessed = guess_metadata(decoded.text)
    fields = {
        "title": guessed.title,
        "publisher": guessed.publisher,
        "published_on": guessed.published_on,
        "kind": guessed.kind,
    }
    fields.update({k: v for k, v in (metadata or {}).items() if v not in (None, "")})
    source = Source(
        origin=name[:500], text=decoded.text, raw_sha256=decoded.raw_sha256, imported_by=user,
        **fields,
    )
    _validated(source)
    _attributed(source, user)
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError as exc:  # a concurrent import of the same bytes won the race
        raise ImportRefused(name, "it is a duplicate of a source imported a moment ago.") from exc
    return source


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


@transaction.atomic
def claim_create(*, source: Source, start: int, end: int, exact: str, kind: str, user,
                 subject: str = "", note: str = "", origin: str = ClaimOrigin.MANUAL,
                 value: Mapping | None = None) -> Claim:
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
    existing = Claim.objects.filter(source=source, start=start, end=end, kind=kind).first()
    if existing is not None and existing.exact == exact:
        if existing.status == ClaimStatus.CONFIRMED:
            raise WorkbenchError(f"“{exact[:60]}” is already tagged as a {kind} claim here.")
        # Tagging a suggested (or earlier rejected) span confirms it: one claim, not two.
        existing.status = ClaimStatus.CONFIRMED
        existing.subject = subject.strip() or existing.subject
        existing.note = note.strip() or existing.note
        _attributed(existing, user)
        existing.save()
        return existing
    prefix, suffix = quote_context(source.text, start, end)
    context = {}
    if value is None and source.text[start:end] == exact:
        value, _, context = _describe(source.text, start, end, kind)
    claim = Claim(
        source=source, start=start, end=end, exact=exact, prefix=prefix, suffix=suffix,
        kind=kind, subject=subject.strip(), note=note.strip(), origin=origin,
        status=ClaimStatus.SUGGESTED if origin == ClaimOrigin.SUGGESTED else ClaimStatus.CONFIRMED,
        value=dict(value or {}), context=context, created_by=user,
    )
    _validated(claim)
    _attributed(claim, user)
    claim.save()
    return claim


def _describe(text: str, start: int, end: int, kind: str) -> tuple[dict, str, dict]:
    """Normalised value and matching context of a hand-tagged span; a claim is still saved
    (without them) when the NLP pipeline is unavailable."""
    from .extraction import describe_span

    try:
        return describe_span(text, start, end, kind)
    except WorkbenchError:
        return {}, "", {}


@transaction.atomic
def claim_set_status(*, claim: Claim, status: str, user) -> Claim:
    """Confirm or reject a claim: a suggestion by any reviewer, someone's own claim by them,
    anyone's by a lead."""
    permissions.require_reviewer(user)
    if claim.origin != ClaimOrigin.SUGGESTED and not permissions.owns(user, claim.created_by):
        permissions.require_lead(user, "change the status of someone else's claim")
    if status not in {ClaimStatus.CONFIRMED, ClaimStatus.REJECTED}:
        raise WorkbenchError("A claim can be confirmed or rejected.")
    claim.status = status
    _attributed(claim, user)
    claim.save(update_fields=["status", "updated_at"])
    return claim


@transaction.atomic
def claim_delete(*, claim: Claim, user) -> None:
    permissions.require_reviewer(user)
    if not permissions.owns(user, claim.created_by):
        permissions.require_lead(user, "delete someone else's claim")
    if claim.evidence.exists():
        raise WorkbenchError(
            "This claim is evidence for a reconciled fact; remove it from the fact first."
        )
    _attributed(claim, user)
    claim.delete()


# --- contradictions ------------------------------------------------------------------


@transaction.atomic
def contradiction_flag(*, claims: Iterable[Claim], user, note: str = "",
                       kind: str | None = None) -> Contradiction:
    """Flag claims from two or more sources as contradicting each other."""
    permissions.require_reviewer(user)
    claims = list({c.pk: c for c in claims}.values())
    if len(claims) < 2:
        raise WorkbenchError("Choose at least two claims to flag a contradiction.")
    if len({c.source_id for c in claims}) < 2:
        raise WorkbenchError("A contradiction needs claims from at least two different sources.")
    if kind is None:
        kinds = {c.kind for c in claims}
        kind = kinds.pop() if len(kinds) == 1 else "other"
    claim_ids = {c.pk for c in claims}
    for existing in Contradiction.objects.filter(
        claims__in=claim_ids, status__in=[ContradictionStatus.CANDIDATE, ContradictionStatus.CONFIRMED]
    ).prefetch_related("claims").distinct():
        if {c.pk for c in existing.claims.all()} == claim_ids:
            raise WorkbenchError(f"These claims are already flagged as contradiction #{existing.pk}.")
    contradiction = Contradiction(
        kind=kind, status=ContradictionStatus.CONFIRMED, note=note.strip(), flagged_by=user,
        confirmed_by=user,
    )
    _validated(contradiction)
    _attributed(contradiction, user)
    contradiction.save()
    contradiction.claims.set(claims)
    return contradiction


@transaction.atomic
def contradiction_set_status(*, contradiction: Contradiction, status: str, user) -> Contradiction:
    """Confirm, dismiss or reopen a contradiction; resolving goes through fact_reconcile."""
    permissions.require_reviewer(user)
    contradiction = Contradiction.objects.select_for_update().get(pk=contradiction.pk)
    if contradiction.flagged_by is not None and not permissions.owns(user, contradiction.flagged_by):
        # Candidates (flagged by the detector) are anyone's to judge; a colleague's flag is a lead's.
        permissions.require_lead(user, "change a contradiction someone else flagged")
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


@transaction.atomic
def fact_reconcile(*, contradiction: Contradiction, user, value_text: str, status: str,
                   rationale: str, stances: Mapping[int, str], subject: str = "",
                   property: str = "", value: Mapping | None = None) -> Fact:
    """Settle a contradiction as a Fact, with every one of its claims as evidence.

    ``stances`` maps each claim id of the contradiction to "supports" or "refutes".
    """
    permissions.require_lead(user, "reconcile a contradiction into a fact")
    contradiction = Contradiction.objects.select_for_update().get(pk=contradiction.pk)
    if contradiction.status == ContradictionStatus.RESOLVED:
        raise ConflictError(
            f"Contradiction #{contradiction.pk} was already resolved as “{contradiction.fact}”."
        )
    if contradiction.status == ContradictionStatus.DISMISSED:
        raise WorkbenchError("A dismissed contradiction cannot be reconciled; reopen it first.")
    claims = list(contradiction.claims.select_related("source"))
    claim_ids = {c.pk for c in claims}
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
        raise WorkbenchError("To reconcile, " + " and ".join(problems) + ".")
    valid_stances = set(Stance.values)
    bad = {cid: s for cid, s in stances.items() if s not in valid_stances}
    if bad:
        raise WorkbenchError("Each stance must be “supports” or “refutes”.")
    if not value_text.strip():
        raise WorkbenchError("State the value you stand by.")
    if not rationale.strip():
        raise WorkbenchError("Give a rationale: why this value, and why the others are wrong.")
    if status not in FactStatus.values:
        raise WorkbenchError(f"Unknown fact status “{status}”.")
    if not subject.strip():
        subject = next((c.subject for c in claims if c.subject), "") or claims[0].exact
    fact = Fact(
        subject=subject.strip()[:300], property=property.strip(), value_text=value_text.strip(),
        value=dict(value or {}), status=status, rationale=rationale.strip(), reviewer=user,
        reconciled_at=timezone.now(),
    )
    _validated(fact)
    _attributed(fact, user)
    fact.save()
    for claim_id, stance in sorted(stances.items()):
        # One save each (not bulk_create) so every evidence row gets its history entry.
        _attributed(Evidence(fact=fact, claim_id=claim_id, stance=stance), user).save()
    contradiction.status = ContradictionStatus.RESOLVED
    contradiction.fact = fact
    _attributed(contradiction, user)
    contradiction.save()
    return fact


# --- suggestions and detection --------------------------------------------------------


def claims_suggest(*, sources: list[Source], progress=None) -> int:
    """Read the sources with spaCy (nlp.pipe batches) and save the suggested claims.

    A span already tagged with the same kind (or rejected before) is not suggested again.
    ``progress(done, total)`` is called after each source. Returns the number of new claims.
    """
    from .extraction import iter_extract

    if not sources:
        return 0
    results = iter_extract(
        [s.text for s in sources],
        published_years=[s.published_on.year if s.published_on else None for s in sources],
    )
    created = 0
    for number, (source, suggestions) in enumerate(zip(sources, results), 1):
        existing = set(Claim.objects.filter(source=source).values_list("start", "end", "kind"))
        new = []
        for s in suggestions:
            if (s.start, s.end, s.kind) in existing:
                continue
            prefix, suffix = quote_context(source.text, s.start, s.end)
            new.append(Claim(
                source=source, start=s.start, end=s.end, exact=s.exact, prefix=prefix,
                suffix=suffix, kind=s.kind, value=s.value, subject=s.subject[:300],
                context=s.context, origin=ClaimOrigin.SUGGESTED, status=ClaimStatus.SUGGESTED,
            ))
        with transaction.atomic():
            bulk_create_with_history(new, Claim, batch_size=500)
        created += len(new)
        if progress:
            progress(number, len(sources))
    return created


def _claim_views(claims) -> list[ClaimView]:
    return [ClaimView(ref=c, source_key=c.source_id, kind=c.kind, exact=c.exact,
                      value=c.value or {}, context=c.context or {}) for c in claims]


@transaction.atomic
def contradictions_detect(*, sources: list[Source] | None = None,
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
    results = []
    for candidate in candidates:
        ids = frozenset(c.pk for c in candidate.claims)
        if any(key <= ids or ids <= key for key in dismissed):
            continue
        same = known.get(ids)
        if same is not None:
            if same.status == ContradictionStatus.CANDIDATE:
                same.score, same.explanation = candidate.score, candidate.explanation
                same.save(update_fields=["score", "explanation", "updated_at"])
            results.append((same, candidate))
            continue
        contradiction = Contradiction(
            kind=candidate.kind, status=ContradictionStatus.CANDIDATE, score=candidate.score,
            explanation=candidate.explanation,
        )
        contradiction.save()
        contradiction.claims.set(candidate.claims)
        known[ids] = contradiction
        results.append((contradiction, candidate))
    return results


def sources_analyse(*, sources: list[Source], progress=None) -> tuple[int, int]:
    """After an import: suggest claims in the new sources, then detect contradictions
    touching them. Returns (suggested claims, candidates)."""
    suggested = claims_suggest(sources=sources, progress=progress)
    found = contradictions_detect(sources=sources) if sources else []
    return suggested, len(found)
