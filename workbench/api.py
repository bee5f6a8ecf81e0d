"""The JSON API, version 1, under /api/v1/ (django-ninja).

It calls the same domain functions as the browser, so the same rules and messages apply.
Authentication: ``Authorization: Bearer <token>`` (``manage.py api_token USERNAME``), or the
browser session (then with the CSRF token, as any form). OpenAPI: /api/v1/openapi.json;
interactive docs: /api/v1/docs.
"""
import datetime
import functools
import json
import logging
from typing import Annotated

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Path, Query, Router, Schema
from ninja.parser import Parser
from pydantic import BeforeValidator, Strict
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status
from ninja.security import HttpBearer, django_auth

from annotations import services
from annotations.search import MAX_HITS, sources_search
from annotations.errors import ConflictError, ImportRefused, NotAllowed, WorkbenchError
from annotations.models import (
    ORIGIN_MAX,
    PROPERTY_MAX,
    PUBLISHER_MAX,
    SUBJECT_MAX,
    TITLE_MAX,
    VALUE_TEXT_MAX,
    Claim,
    ClaimKind,
    ClaimStatus,
    Contradiction,
    ContradictionStatus,
    Evidence,
    Fact,
    FactStatus,
    ImportBatch,
    ImportFile,
    ImportFileStatus,
    Source,
    SourceKind,
    Stance,
)

from .models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


# Ids and offsets stay within what every database stores (SQLite and PostgreSQL: 63 bits);
# the browser views read ids against the same bound.
from .ids import MAX_ID  # noqa: E402
Id = Annotated[int, Field(ge=1, le=MAX_ID)]  # in paths and queries, where everything is text
# In JSON bodies a number must be a number: "5" or 5.0 is refused, not quietly converted.
BodyId = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]
Offset = Annotated[int, Strict(), Field(ge=0, le=2**31 - 1)]


def _iso_date(value):
    """Dates in bodies are ISO strings ("2025-12-05"); a number is not a date."""
    if value is not None and not isinstance(value, (str, datetime.date)):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value
MAX_PAGE = 500


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_PAGE, description=f"At most {MAX_PAGE} items.")
        offset: int = Field(0, ge=0, le=MAX_ID)


# --- errors: always the documented JSON body, never a page or a traceback ----------------
# Every error answer is {"detail": <a sentence>, "field": <the input field it is about, or null>}:
# 400 a refused action, 401 no valid token, 403 the role does not allow it, 404 no such
# address or object (also an id named in a body), 405 a method the address does not take,
# 409 a duplicate or a conflict, 413 a body too large to read, 422 malformed input (a body
# that is not one JSON object, a missing or ill-typed field), 500 anything unforeseen.


class Error(Schema):
    detail: str
    field: str | None = None


# The domain names a field as the model does; the API's bodies call a few of them otherwise.
_API_FIELD = {"value_text": "value"}


def error_body(detail: str, field: str | None = None) -> dict:
    return {"detail": detail, "field": _API_FIELD.get(field, field)}


def _error(request, status: int, detail: str, field: str | None = None):
    return api.create_response(request, error_body(detail, field), status=status)


class MalformedBody(ValueError):
    """The request body is not one JSON object."""


_JSON_TYPES = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "true or false",
               type(None): "null"}


class JsonObjectParser(Parser):
    """Every body the API reads is one JSON object; say plainly what else arrived."""

    def parse_body(self, request):
        try:
            data = json.loads(request.body)
        except RecursionError as exc:
            raise MalformedBody("The request body is nested too deeply to read.") from exc
        except ValueError as exc:  # not JSON, or not UTF-8
            raise MalformedBody(f"The request body is not valid JSON ({exc}).") from exc
        if not isinstance(data, dict):
            raise MalformedBody(f"The request body must be a JSON object ({{…}}), not {_JSON_TYPES[type(data)]}.")
        return data


api = NinjaAPI(
    title="Fact-checking workbench API",
    version="1",
    description=__doc__,
    auth=[TokenAuth(), django_auth],
    urls_namespace="api-v1",
    parser=JsonObjectParser(),
)


@api.exception_handler(ConflictError)
def on_conflict(request, exc):
    return _error(request, 409, str(exc), exc.field)


@api.exception_handler(NotAllowed)
def on_not_allowed(request, exc):
    return _error(request, 403, str(exc), exc.field)


@api.exception_handler(WorkbenchError)
def on_refusal(request, exc):
    return _error(request, 400, str(exc), exc.field)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, str(exc) or "Not found.")


@api.exception_handler(ValidationError)
def on_invalid(request, exc):
    first = exc.errors[0] if exc.errors else {}
    location = [str(p) for p in first.get("loc", []) if p not in ("body", "payload", "query", "path")]
    return api.create_response(request, {
        **error_body(first.get("msg", "Invalid input."), ".".join(location) or None),
        "errors": exc.errors}, status=422)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return _error(request, 401, "Authentication required: send Authorization: Bearer <token>.")


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    # django-ninja wraps whatever the parser raised in a 400 "Cannot parse request body".
    if isinstance(exc.__cause__, MalformedBody):
        return _error(request, 422, str(exc.__cause__))
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, exc):
    # Django refuses to hold more than DATA_UPLOAD_MAX_MEMORY_SIZE of a body in memory; the
    # middleware refuses larger requests still (WORKBENCH_MAX_REQUEST_BYTES) before reading.
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return _error(request, 413, (
        f"The request body is larger than {_megabytes(limit)} MB ({limit:,} bytes), the most the API reads; "
        f"a source's text may be at most {_megabytes(settings.WORKBENCH_MAX_SOURCE_BYTES)} MB."))


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.3g}"


@api.exception_handler(Exception)
def on_unexpected(request, exc):
    # django-ninja answers a traceback under DEBUG and Django's HTML 500 page otherwise; a client
    # gets the same JSON either way, and the traceback goes to the log, where Django puts it.
    logging.getLogger("django.request").error("Internal Server Error: %s", request.path, exc_info=exc,
                                              extra={"status_code": 500, "request": request})
    return _error(request, 500, "Internal error; nothing was saved.")


# --- schemas ---------------------------------------------------------------------------

class SourceOut(Schema):
    id: int
    title: str
    origin: str
    publisher: str
    published_on: datetime.date | None
    kind: str
    raw_sha256: str
    created_at: datetime.datetime
    supersedes_id: int | None = Field(None, description="The older version this text revises, if any.")


class Reading(Schema):
    status: str = Field(..., description=(
        "done: its claims are suggested and its contradictions detected; queued or running: a background "
        "worker is on it; failed: the import's page says why; not read: imported without reading."))
    import_id: int | None = Field(None, description="The import that reads it (its page: url).")
    url: str | None = None


class SourceDetail(SourceOut):
    text: str
    notes: str
    reading: Reading


def _with_reading(source: Source, batch: ImportBatch | None = None) -> Source:
    """The source with whether it has been read for claims, and by which import."""
    if batch is None:
        file = (ImportFile.objects.filter(source=source, status=ImportFileStatus.IMPORTED)
                .select_related("batch").order_by("-pk").first())
        batch = file.batch if file else None
    if batch is not None:
        status = batch.status
    else:  # the command line and the seeds read what they import at once
        status = "done" if source.analysed_at else "not read"
    source.reading = {"status": status, "import_id": batch.pk if batch else None,
                      "url": batch.get_absolute_url() if batch else None}
    return source


class SourceIn(Schema):
    name: str = Field(..., min_length=1, max_length=ORIGIN_MAX, description="File name or URL it came from.")
    text: str = Field(..., min_length=1, description="The text; stored as given after mojibake repair.")
    title: str | None = Field(None, max_length=TITLE_MAX)
    publisher: str | None = Field(None, max_length=PUBLISHER_MAX)
    published_on: Annotated[datetime.date | None, BeforeValidator(_iso_date)] = None
    kind: SourceKind | None = None


class ClaimOut(Schema):
    id: int
    source: int = Field(..., alias="source_id")
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    kind: str
    value: dict
    subject: str
    property: str = Field("", description="What the value measures (“deaths”, “share of votes, percent”).")
    note: str
    origin: str
    status: str
    created_by: str | None = None
    created_at: datetime.datetime

    @staticmethod
    def resolve_created_by(obj):
        return obj.created_by.get_username() if obj.created_by else None


class ClaimIn(Schema):
    source: BodyId
    start: Offset
    end: Annotated[int, Strict(), Field(ge=1, le=2**31 - 1)]
    exact: str = Field(..., min_length=1)
    kind: ClaimKind
    subject: str = Field("", max_length=SUBJECT_MAX)
    property: str = Field("", max_length=PROPERTY_MAX,
                          description="What the value measures; left empty, the workbench reads it from the text.")
    note: str = ""


class ClaimFilter(Schema):
    source: Id | None = None
    kind: ClaimKind | None = None
    status: ClaimStatus | None = None


class ContradictionOut(Schema):
    id: int
    kind: str
    status: str
    score: float | None
    note: str
    explanation: str
    claims: list[int]
    fact: int | None = Field(None, alias="fact_id")
    created_at: datetime.datetime

    @staticmethod
    def resolve_claims(obj):
        return [c.pk for c in obj.claims.all()]


class ContradictionIn(Schema):
    claims: list[BodyId] = Field(..., min_length=2, max_length=50)
    note: str = ""


class ContradictionFilter(Schema):
    status: ContradictionStatus | None = None
    kind: ClaimKind | None = None
    source: Id | None = None


class EvidenceOut(Schema):
    claim: int = Field(..., alias="claim_id")
    stance: str


class FactOut(Schema):
    id: int
    subject: str
    property: str
    value: str = Field(..., alias="value_text")
    status: str
    rationale: str
    reviewer: str | None = None
    reconciled_at: datetime.datetime
    version: int
    evidence: list[EvidenceOut]
    value_normalised: dict = Field(..., alias="value",
                                   description="The value read as a claim's is (an interval with its unit), or {}.")

    @staticmethod
    def resolve_reviewer(obj):
        return obj.reviewer.get_username() if obj.reviewer else None

    @staticmethod
    def resolve_evidence(obj):
        return list(obj.evidence.all())


class FactIn(Schema):
    contradiction: BodyId
    value: str = Field(..., min_length=1, max_length=VALUE_TEXT_MAX)
    status: FactStatus = FactStatus.RECONCILED
    rationale: str = Field(..., min_length=1)
    stances: dict[Id, Stance] = Field(..., description="Claim id -> supports | refutes, for every claim.")
    subject: str = Field("", max_length=SUBJECT_MAX)
    property: str = Field("", max_length=PROPERTY_MAX)


READ_ERRORS = {401: Error, 404: Error, 422: Error}
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 413: Error, 422: Error}

# --- sources -----------------------------------------------------------------------------

sources = Router(tags=["sources"])


@sources.get("", response={200: list[SourceOut], 401: Error, 422: Error})
@paginate(Pagination)
def list_sources(request, kind: SourceKind | None = None,
                 all_versions: bool = Query(False, description="Older versions too (by default only the latest of each).")):
    qs = Source.objects.order_by("pk")
    if not all_versions:
        qs = qs.filter(superseded_by__isnull=True)
    return qs.filter(kind=kind) if kind else qs


@sources.post("", response={201: SourceDetail, **ERRORS})
def create_source(request, payload: SourceIn):
    metadata = payload.dict(include={"title", "publisher", "published_on", "kind"}, exclude_none=True)
    try:
        # Read like every import (claims suggested, contradictions detected), in the background.
        source, batch = services.source_import_and_read(name=payload.name, raw=payload.text.encode("utf-8"),
                                                        user=request.user, metadata=metadata)
    except ImportRefused as exc:
        status = 409 if exc.duplicate else 400
        return Status(status, error_body(str(exc), "text"))
    return Status(201, _with_reading(source, batch))


@sources.get("/{source_id}", response={200: SourceDetail, **READ_ERRORS})
def get_source(request, source_id: Annotated[int, Path(ge=1, le=MAX_ID)]):
    return _with_reading(get_object_or_404(Source, pk=source_id))


class RevisionIn(Schema):
    text: str = Field(..., min_length=1, description="The new version's text.")
    name: str | None = Field(None, min_length=1, max_length=ORIGIN_MAX,
                             description="File name or URL it came from; by default the old version's.")


class ReanchoringOut(Schema):
    old_claim_id: int
    new_claim_id: int | None = Field(None, description="The claim in the new version; none when orphaned.")
    outcome: str = Field(..., description="exact (moved exactly), changed (moved with changes), orphaned, placed.")
    score: float = Field(..., description="How well the quote's context matched there, 0-100.")
    reason: str


class CorrectionOut(Schema):
    old_claim_id: int
    new_claim_id: int
    old_value: dict
    new_value: dict
    old_start: int
    old_end: int
    new_start: int
    new_end: int
    explanation: str


class RevisionOut(Schema):
    source: SourceOut
    reanchorings: list[ReanchoringOut]
    corrections: list[CorrectionOut]


@sources.post("/{source_id}/revisions", response={201: RevisionOut, **ERRORS})
def create_revision(request, source_id: Annotated[int, Path(ge=1, le=MAX_ID)], payload: RevisionIn):
    """A new version of the source: a new source that supersedes it, its claims re-anchored in
    the new text (moved exactly, moved with changes, or orphaned), the values it corrected."""
    source = get_object_or_404(Source, pk=source_id)
    try:
        revision = services.source_revise(source=source, raw=payload.text.encode("utf-8"), user=request.user,
                                          name=payload.name or "")
    except ImportRefused as exc:
        return Status(409 if exc.duplicate else 400, error_body(str(exc), "text"))
    return Status(201, {"source": revision.source, "reanchorings": revision.reanchorings,
                        "corrections": revision.corrections})


# --- claims ------------------------------------------------------------------------------

claims = Router(tags=["claims"])


@claims.get("", response={200: list[ClaimOut], 401: Error, 422: Error})
@paginate(Pagination)
def list_claims(request, filters: Query[ClaimFilter]):
    qs = Claim.objects.select_related("created_by").defer("embedding").order_by("source_id", "start", "pk")
    if filters.source:
        qs = qs.filter(source_id=filters.source)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs


@claims.post("", response={201: ClaimOut, **ERRORS})
def create_claim(request, payload: ClaimIn):
    source = Source.objects.filter(pk=payload.source).first()
    if source is None:
        return Status(404, error_body(f"No source with id {payload.source}.", "source"))
    claim = services.claim_create(source=source, start=payload.start, end=payload.end, exact=payload.exact,
                                  kind=payload.kind, user=request.user, subject=payload.subject,
                                  property=payload.property, note=payload.note)
    return Status(201, claim)


@claims.get("/{claim_id}", response={200: ClaimOut, **READ_ERRORS})
def get_claim(request, claim_id: Annotated[int, Path(ge=1, le=MAX_ID)]):
    return get_object_or_404(Claim.objects.select_related("created_by"), pk=claim_id)


def _claim_status(request, claim_id: int, status: str):
    claim = get_object_or_404(Claim, pk=claim_id)
    return services.claim_set_status(claim=claim, status=status, user=request.user)


@claims.post("/{claim_id}/confirm", response={200: ClaimOut, **ERRORS})
def confirm_claim(request, claim_id: Annotated[int, Path(ge=1, le=MAX_ID)]):
    return _claim_status(request, claim_id, ClaimStatus.CONFIRMED)


@claims.post("/{claim_id}/reject", response={200: ClaimOut, **ERRORS})
def reject_claim(request, claim_id: Annotated[int, Path(ge=1, le=MAX_ID)]):
    return _claim_status(request, claim_id, ClaimStatus.REJECTED)


# --- contradictions ------------------------------------------------------------------------

contradictions = Router(tags=["contradictions"])


def _contradictions():
    return Contradiction.objects.prefetch_related(Prefetch("claims", queryset=Claim.objects.only("id")))


@contradictions.get("", response={200: list[ContradictionOut], 401: Error, 422: Error})
@paginate(Pagination)
def list_contradictions(request, filters: Query[ContradictionFilter]):
    qs = _contradictions().order_by("pk")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.source:
        qs = qs.filter(claims__source_id=filters.source).distinct()
    return qs


@contradictions.post("", response={201: ContradictionOut, **ERRORS})
def flag_contradiction(request, payload: ContradictionIn):
    found = list(Claim.objects.filter(pk__in=payload.claims))
    missing = set(payload.claims) - {c.pk for c in found}
    if missing:
        return Status(404, error_body("No claims with ids " + ", ".join(map(str, sorted(missing))) + ".", "claims"))
    contradiction = services.contradiction_flag(claims=found, user=request.user, note=payload.note)
    return Status(201, _contradictions().get(pk=contradiction.pk))


@contradictions.get("/{contradiction_id}", response={200: ContradictionOut, **READ_ERRORS})
def get_contradiction(request, contradiction_id: Annotated[int, Path(ge=1, le=MAX_ID)]):
    return get_object_or_404(_contradictions(), pk=contradiction_id)


def _contradiction_status(request, contradiction_id: int, status: str):
    contradiction = get_object_or_404(Contradiction, pk=contradiction_id)
    services.contradiction_set_status(contradiction=contradiction, status=status, user=request.user)
    return _contradictions().get(pk=contradiction_id)


@contradictions.post("/{contradiction_id}/confirm", response={200: ContradictionOut, **ERRORS})
def confirm_contradiction(request, contradiction_id: Annotated[int, Path(ge=1, le=MAX_ID)]):
    return _contradiction_status(request, contradiction_id, ContradictionStatus.CONFIRMED)


@contradictions.post("/{contradiction_id}/dismiss", response={200: ContradictionOut, **ERRORS})
def dismiss_contradiction(request, contradiction_id: Annotated[int, Path(ge=1, le=MAX_ID)]):
    return _contradiction_status(request, contradiction_id, ContradictionStatus.DISMISSED)


# --- facts ---------------------------------------------------------------------------------

facts = Router(tags=["facts"])


def _facts():
    return Fact.objects.select_related("reviewer").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))


@facts.get("", response={200: list[FactOut], 401: Error, 422: Error})
@paginate(Pagination)
def list_facts(request, status: FactStatus | None = None, source: Id | None = None):
    qs = _facts().order_by("pk")
    if status:
        qs = qs.filter(status=status)
    if source:
        qs = qs.filter(Q(evidence__claim__source_id=source)).distinct()
    return qs


@facts.post("", response={201: FactOut, **ERRORS})
def reconcile_fact(request, payload: FactIn):
    contradiction = Contradiction.objects.filter(pk=payload.contradiction).first()
    if contradiction is None:
        return Status(404, error_body(f"No contradiction with id {payload.contradiction}.", "contradiction"))
    fact = services.fact_reconcile(
        contradiction=contradiction, user=request.user, value_text=payload.value, status=payload.status,
        rationale=payload.rationale, stances={k: str(v.value) for k, v in payload.stances.items()},
        subject=payload.subject, property=payload.property,
    )
    return Status(201, _facts().get(pk=fact.pk))


class FactUpdate(Schema):
    version: Annotated[int, Strict(), Field(ge=1, le=2**31 - 1)] = Field(
        ..., description="The version you read: if the fact was saved since, the answer is 409 and nothing changes.")
    value: str = Field(..., min_length=1, max_length=VALUE_TEXT_MAX)
    status: FactStatus
    rationale: str = Field(..., min_length=1)
    subject: str = Field(..., min_length=1, max_length=300)
    property: str = Field("", max_length=PROPERTY_MAX)


@facts.put("/{fact_id}", response={200: FactOut, **ERRORS})
def update_fact(request, fact_id: Annotated[int, Path(ge=1, le=MAX_ID)], payload: FactUpdate):
    fact = get_object_or_404(Fact, pk=fact_id)
    services.fact_update(fact=fact, user=request.user, version=payload.version, value_text=payload.value,
                         status=payload.status, rationale=payload.rationale, subject=payload.subject,
                         property=payload.property)
    return _facts().get(pk=fact_id)


@facts.get("/{fact_id}", response={200: FactOut, **READ_ERRORS})
def get_fact(request, fact_id: Annotated[int, Path(ge=1, le=MAX_ID)]):
    return get_object_or_404(_facts(), pk=fact_id)


# --- search --------------------------------------------------------------------------------

search = Router(tags=["search"])


class HitOut(Schema):
    source: int
    source_title: str
    start: int = Field(..., description="Code points into the source's text, as every offset in the API.")
    end: int
    context: str = Field(..., description="The text around the hit; it starts at context_start.")
    context_start: int


class SearchOut(Schema):
    items: list[HitOut]
    count: int = Field(..., description=f"Hits counted, at most {MAX_HITS:,} (then complete is false).")
    complete: bool
    sources: int = Field(..., description="Sources that contain every term.")


class SearchParams(Schema):
    q: str = Field(..., description='Words must all be in a source; "words in quotes" are a phrase. '
                                    "Letter case does not count, accents do; other characters are not syntax.")
    limit: int = Field(100, ge=1, le=MAX_PAGE, description=f"At most {MAX_PAGE} hits.")
    offset: int = Field(0, ge=0, le=MAX_ID)


@search.get("", response={200: SearchOut, 400: Error, 401: Error, 422: Error})
def search_sources(request, params: Query[SearchParams]):
    """Hits of q in the text of every source, source by source, each with the text around it."""
    result = sources_search(query=params.q, limit=params.limit, offset=params.offset)
    return {"items": result.hits, "count": result.count, "complete": result.complete, "sources": result.sources}


api.add_router("/search", search)
api.add_router("/sources", sources)
api.add_router("/claims", claims)
api.add_router("/contradictions", contradictions)
api.add_router("/facts", facts)


def not_found(request, rest=""):
    """Any other address under /api/v1/: a JSON 404, never an HTML page."""
    return JsonResponse(error_body(f"No API endpoint at /api/v1/{rest}."), status=404)


not_found.login_required = False


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _one_transaction_in_json(view):
    """Wrap one of django-ninja's URL views.

    A write runs in one transaction, rolled back when the answer is an error: a 500 raised
    after a service saved (say, while writing the answer) leaves nothing behind, so "nothing
    was saved" holds (Django REST framework's exception handler rolls back the same way).
    django-ninja answers a method the address does not take with a plain-text 405; the
    client gets the JSON error body like every other error, with the Allow header kept.
    """
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method in SAFE_METHODS:
            response = view(request, *args, **kwargs)
        else:
            with transaction.atomic():
                response = view(request, *args, **kwargs)
                if response.status_code >= 400:
                    transaction.set_rollback(True)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith("application/json"):
            allowed = response["Allow"]
            response = JsonResponse(error_body(
                f"{request.method} is not allowed here; this address takes {allowed}."), status=405)
            response["Allow"] = allowed
        return response
    return wrapper


def api_urls():
    """The API's URL patterns, exempt from the site's login redirect (the API answers 401),
    ending with a JSON 404 for any other address."""
    from django.urls import path

    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _one_transaction_in_json(pattern.callback)
        pattern.callback.login_required = False
    return [*patterns, path("<path:rest>", not_found)], app_name, namespace
