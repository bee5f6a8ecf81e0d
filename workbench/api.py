"""The JSON API, version 1, under /api/v1/ (django-ninja).

It calls the same domain functions as the browser, so the same rules and messages apply.
Authentication: ``Authorization: Bearer <token>`` (``manage.py api_token USERNAME``), or the
browser session (then with the CSRF token, as any form). OpenAPI: /api/v1/openapi.json;
interactive docs: /api/v1/docs.
"""
import datetime
from typing import Annotated

from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Path, Query, Router, Schema
from pydantic import BeforeValidator, Strict
from ninja.errors import AuthenticationError, ValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status
from ninja.security import HttpBearer, django_auth

from annotations import services
from annotations.errors import ConflictError, ImportRefused, NotAllowed, WorkbenchError
from annotations.models import (
    Claim,
    ClaimKind,
    ClaimStatus,
    Contradiction,
    ContradictionStatus,
    Evidence,
    Fact,
    FactStatus,
    Source,
    SourceKind,
    Stance,
)

from .models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = ApiToken.objects.select_related("user").filter(key=token, user__is_active=True).first()
        if found is None:
            return None
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="Fact-checking workbench API",
    version="1",
    description=__doc__,
    auth=[TokenAuth(), django_auth],
    urls_namespace="api-v1",
)


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


# --- errors: always JSON, always 4xx for bad input ----------------------------------


class Error(Schema):
    detail: str
    field: str | None = None


@api.exception_handler(ConflictError)
def on_conflict(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(NotAllowed)
def on_not_allowed(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(WorkbenchError)
def on_refusal(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


@api.exception_handler(ValidationError)
def on_invalid(request, exc):
    first = exc.errors[0] if exc.errors else {}
    location = [str(p) for p in first.get("loc", []) if p not in ("body", "payload", "query", "path")]
    return api.create_response(request, {
        "detail": first.get("msg", "Invalid input."), "field": ".".join(location) or None,
        "errors": exc.errors}, status=422)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(request, {"detail": "Authentication required: send Authorization: Bearer <token>."},
                               status=401)


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


class SourceDetail(SourceOut):
    text: str
    notes: str


class SourceIn(Schema):
    name: str = Field(..., min_length=1, max_length=500, description="File name or URL it came from.")
    text: str = Field(..., min_length=1, description="The text; stored as given after mojibake repair.")
    title: str | None = Field(None, max_length=300)
    publisher: str | None = Field(None, max_length=200)
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
    subject: str = Field("", max_length=300)
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

    @staticmethod
    def resolve_reviewer(obj):
        return obj.reviewer.get_username() if obj.reviewer else None

    @staticmethod
    def resolve_evidence(obj):
        return list(obj.evidence.all())


class FactIn(Schema):
    contradiction: BodyId
    value: str = Field(..., min_length=1, max_length=500)
    status: FactStatus = FactStatus.RECONCILED
    rationale: str = Field(..., min_length=1)
    stances: dict[Id, Stance] = Field(..., description="Claim id -> supports | refutes, for every claim.")
    subject: str = Field("", max_length=300)
    property: str = Field("", max_length=200)


READ_ERRORS = {401: Error, 404: Error, 422: Error}
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}

# --- sources -----------------------------------------------------------------------------

sources = Router(tags=["sources"])


@sources.get("", response={200: list[SourceOut], 401: Error, 422: Error})
@paginate(Pagination)
def list_sources(request, kind: SourceKind | None = None):
    qs = Source.objects.order_by("pk")
    return qs.filter(kind=kind) if kind else qs


@sources.post("", response={201: SourceDetail, **ERRORS})
def create_source(request, payload: SourceIn):
    metadata = payload.dict(include={"title", "publisher", "published_on", "kind"}, exclude_none=True)
    try:
        source = services.source_import(name=payload.name, raw=payload.text.encode("utf-8"),
                                        user=request.user, metadata=metadata)
    except ImportRefused as exc:
        status = 409 if "duplicate" in exc.reason else 400
        return Status(status, {"detail": str(exc), "field": "text"})
    return Status(201, source)


@sources.get("/{source_id}", response={200: SourceDetail, **READ_ERRORS})
def get_source(request, source_id: Annotated[int, Path(ge=1, le=MAX_ID)]):
    return get_object_or_404(Source, pk=source_id)


# --- claims ------------------------------------------------------------------------------

claims = Router(tags=["claims"])


@claims.get("", response={200: list[ClaimOut], 401: Error, 422: Error})
@paginate(Pagination)
def list_claims(request, filters: Query[ClaimFilter]):
    qs = Claim.objects.select_related("created_by").order_by("source_id", "start", "pk")
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
        return Status(400, {"detail": f"No source with id {payload.source}.", "field": "source"})
    claim = services.claim_create(source=source, start=payload.start, end=payload.end, exact=payload.exact,
                                  kind=payload.kind, user=request.user, subject=payload.subject,
                                  note=payload.note)
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
        return Status(400, {"detail": "No claims with ids " + ", ".join(map(str, sorted(missing))) + ".",
                            "field": "claims"})
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
        return Status(400, {"detail": f"No contradiction with id {payload.contradiction}.", "field": "contradiction"})
    fact = services.fact_reconcile(
        contradiction=contradiction, user=request.user, value_text=payload.value, status=payload.status,
        rationale=payload.rationale, stances={k: str(v.value) for k, v in payload.stances.items()},
        subject=payload.subject, property=payload.property,
    )
    return Status(201, _facts().get(pk=fact.pk))


class FactUpdate(Schema):
    version: Annotated[int, Strict(), Field(ge=1, le=2**31 - 1)] = Field(
        ..., description="The version you read: if the fact was saved since, the answer is 409 and nothing changes.")
    value: str = Field(..., min_length=1, max_length=500)
    status: FactStatus
    rationale: str = Field(..., min_length=1)
    subject: str = Field(..., min_length=1, max_length=300)
    property: str = Field("", max_length=200)


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


api.add_router("/sources", sources)
api.add_router("/claims", claims)
api.add_router("/contradictions", contradictions)
api.add_router("/facts", facts)


def not_found(request, rest=""):
    """Any other address under /api/v1/: a JSON 404, never an HTML page."""
    from django.http import JsonResponse

    return JsonResponse({"detail": f"No API endpoint at /api/v1/{rest}."}, status=404)


not_found.login_required = False


def api_urls():
    """The API's URL patterns, exempt from the site's login redirect (the API answers 401),
    ending with a JSON 404 for any other address."""
    from django.urls import path

    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback.login_required = False
    return [*patterns, path("<path:rest>", not_found)], app_name, namespace
