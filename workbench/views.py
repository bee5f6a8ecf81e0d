"""Reviewer pages. Each view parses the request, calls one domain function, renders.

htmx requests get the named partial of the page ("page.html#partial"); plain requests get
the whole page, so everything works without JavaScript too.
"""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget, trigger_client_event

from annotations import permissions, selectors, services
from annotations.changes import BadToken, changes_since, token_now
from annotations.errors import ConflictError, NotAllowed, WorkbenchError
from annotations.exports import (
    CONTENT_TYPES,
    FORMATS,
    TABLE_FORMATS,
    WHATS,
    export_filename,
    export_lines,
    matrix_lines,
)
from annotations.importing import encoding_label
from annotations.models import (
    NOTE_MAX,
    Claim,
    ClaimKind,
    ClaimStatus,
    Contradiction,
    Fact,
    FactStatus,
    ImportBatch,
    ImportFileStatus,
    Reanchoring,
    Source,
)
from annotations.matrix import MAX_COLUMNS as MATRIX_MAX_COLUMNS, ROW_STATUS_LABELS, ROW_STATUSES, matrix_build
from annotations.search import MAX_HITS, SearchQueryError, sources_search
from annotations.timeline import timeline_build
from annotations.web_annotation import base_url as annotation_base

from .forms import (
    AttachForm,
    ClaimForm,
    ClaimPropertyForm,
    EvidenceForm,
    FactEditForm,
    ContradictionFilterForm,
    ContradictionStatusForm,
    FlagForm,
    PlaceForm,
    ReconcileForm,
    ReimportForm,
    RevisionForm,
    SourceEditForm,
    UploadForm,
)
from .diffing import change_marks, field_diffs, word_changes
from .highlighting import highlight
from .matrix_cells import cells_html
from .rendering import RenderingUnavailable, svg_to_png
from .timeline_svg import timeline_svg
from .ids import InvalidId, parse_ids

MAX_COLUMNS = 5
# Rows per page on the lists (contradictions, facts, review queue).
PAGE_SIZE = 100


def _form_errors(form) -> str:
    return " ".join(
        (f"{form.fields[f].label or f}: " if f in form.fields and f != "__all__" else "") + " ".join(errs)
        for f, errs in form.errors.items()
    )


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _htmx_error(request, message: str, *, status: int):
    """An htmx refusal: the message replaces the page's message area. It keeps its real status
    (workbench.js swaps a 4xx answer that names its target), so htmx sees the request failed
    and the form keeps what the reviewer typed."""
    response = render(request, "partials/messages.html", {"inline_messages": [("error", message)]}, status=status)
    return reswap(retarget(response, "#messages"), "innerHTML")


def _status_of(exc: WorkbenchError) -> int:
    """The status of a domain refusal, as the JSON API answers it."""
    if isinstance(exc, NotAllowed):
        return 403
    return 409 if isinstance(exc, ConflictError) else 400


def _forbidden(request, message: str):
    """A refusal for want of a role: the page says which role it takes."""
    return render(request, "forbidden.html", {"message": message}, status=403)


def _refused(request, message: str, back: str, *, status: int):
    """A refusal: in place for htmx, else as a message on the page we go back to."""
    if request.htmx:
        return _htmx_error(request, message, status=status)
    messages.error(request, message)
    return redirect(back)


def _bad_request(request, message: str, *, status: int = 400):
    """A request the pages never send as it is (a malformed id: 400) or one naming something
    that is gone (404): an error page saying so, or the message in place for htmx."""
    if request.htmx:
        return _htmx_error(request, message, status=status)
    return render(request, "error.html", {
        "title": "Not found" if status == 404 else "Not understood", "message": message,
        "back": _safe_next(request, ""),
    }, status=status)


def _form_refused(request, form, prefix: str, back: str):
    """An invalid form: a bad id in it is a 400 (malformed) or 404 (names nothing), anything
    else a 422 refusal like the domain's."""
    message = prefix + _form_errors(form)
    codes = {e.code for errors in form.errors.as_data().values() for e in errors}
    if "invalid_id" in codes:
        return _bad_request(request, message, status=400)
    if "unknown_id" in codes:
        return _bad_request(request, message, status=404)
    return _refused(request, message, back, status=422)


# --- sources -------------------------------------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
def source_list(request):
    query = request.GET.get("q", "").strip()
    all_versions = request.GET.get("versions") == "all"
    page = selectors.source_page(page=request.GET.get("page", 1), query=query, all_versions=all_versions)
    return render(request, "sources.html", {"sources": page.object_list, "page": page, "query": query,
                                            "all_versions": all_versions})


@require_http_methods(["GET", "POST"])
def source_upload(request):
    """Keep the uploaded files and hand their import to the background worker; the import's
    page shows its progress."""
    if not permissions.is_admin(request.user):
        return _forbidden(request, "Only an admin can import sources.")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = [(upload.name, upload.read()) for upload in form.cleaned_data["files"]]
        try:
            batch = services.import_batch_create(files=files, user=request.user,
                                                 encoding=form.cleaned_data["encoding"])
        except WorkbenchError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(batch)
    return render(request, "upload.html", {"form": form, "batches": selectors.import_batches()})


def _import_or_refuse(request, pk: int):
    if not permissions.is_admin(request.user):
        return None, _forbidden(request, "Only an admin can see imports.")
    return get_object_or_404(ImportBatch.objects.select_related("created_by"), pk=pk), None


@require_GET
@vary_on_headers("HX-Request")
def import_detail(request, pk: int):
    """An import's progress; while it runs, htmx polls the progress partial every second."""
    batch, refusal = _import_or_refuse(request, pk)
    if refusal:
        return refusal
    template = "import.html#import-progress" if request.htmx else "import.html"
    files = list(selectors.import_files(batch))
    refused = sum(f.status == ImportFileStatus.REFUSED for f in files)
    return render(request, template, {"batch": batch, "files": files, "refused": refused})


@require_POST
def import_retry(request, pk: int):
    batch, refusal = _import_or_refuse(request, pk)
    if refusal:
        return refusal
    try:
        services.import_batch_retry(batch=batch, user=request.user)
    except WorkbenchError as exc:
        messages.error(request, str(exc))
    else:
        messages.info(request, f"Import #{batch.pk} is queued again; files already done are not done twice.")
    return redirect(batch)


@require_http_methods(["GET", "POST"])
def source_edit(request, pk: int):
    source = get_object_or_404(Source, pk=pk)
    if not permissions.is_lead(request.user):
        return _forbidden(request, "Only a lead can edit a source.")
    form = SourceEditForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        try:
            services.source_update(source=source, user=request.user, **form.cleaned_data)
        except WorkbenchError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Saved “{source.title}”.")
            return redirect("source-list")
    return render(request, "source_edit.html", {
        "form": form, "source": source, "encoding": encoding_label(source.encoding),
        "reimport_form": ReimportForm(initial={"encoding": source.encoding}) if permissions.is_admin(request.user)
        else None,
    })


@require_POST
def source_reimport(request, pk: int):
    """Decode a source's file again with the encoding an admin chooses, while nobody has
    reviewed it; the import's page shows the new reading."""
    source = get_object_or_404(Source, pk=pk)
    back = reverse("source-edit", args=[pk])
    if not permissions.is_admin(request.user):
        return _forbidden(request, "Only an admin can re-import a source.")
    form = ReimportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_refused(request, form, "Not re-imported: ", back)
    try:
        batch = services.source_reimport(source=source, raw=form.cleaned_data["file"].read(),
                                         encoding=form.cleaned_data["encoding"], user=request.user)
    except WorkbenchError as exc:
        return _refused(request, str(exc), back, status=_status_of(exc))
    messages.success(request, f"Re-imported “{source.title}” as {encoding_label(source.encoding)}; "
                              "its suggestions are being read again.")
    return redirect(batch)


@require_http_methods(["GET", "POST"])
def source_revise(request, pk: int):
    """Bring in a source's new version (a file or pasted text); the revision's page then
    shows what became of each claim."""
    source = get_object_or_404(Source.objects.defer("text"), pk=pk)
    if not permissions.is_admin(request.user):
        return _forbidden(request, "Only an admin can import a new version of a source.")
    form = RevisionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        name, raw = form.raw()
        try:
            revision = services.source_revise(source=source, raw=raw, name=name, user=request.user)
        except WorkbenchError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Imported a new version of “{source.title}”: "
                             f"{revision.count('exact')} claims moved exactly, {revision.count('changed')} with changes, "
                             f"{revision.count('orphaned')} orphaned; {len(revision.corrections)} corrections.")
            return redirect("revision-detail", revision.source.pk)
    return render(request, "source_revise.html", {"form": form, "source": source,
                                                  "versions": selectors.source_versions(source)})


@require_GET
def revision_detail(request, pk: int):
    """A new version beside the old: what became of each claim (orphans to place by selecting
    their span in the new text), the values the source corrected, the words that changed."""
    revision = get_object_or_404(Source.objects.select_related("supersedes"), pk=pk)
    old = revision.supersedes
    if old is None:
        raise Http404("This source is no version of another.")
    steps = list(selectors.reanchorings(revision))
    claims = selectors.claims_for_sources([old, revision])
    changes = word_changes(old.text, revision.text)
    old_marks, new_marks = change_marks(changes)
    return render(request, "revision.html", {
        "revision": revision, "old": old, "steps": steps,
        "orphans": [s for s in steps if s.outcome == "orphaned"],
        "counts": {label: sum(s.outcome == value for s in steps) for value, label in
                   (("exact", "moved exactly"), ("changed", "moved with changes"), ("orphaned", "orphaned"),
                    ("placed", "placed by a reviewer"))},
        "corrections": list(revision.corrections.select_related("old_claim", "new_claim")),
        # The two versions in columns, as on the side-by-side page, each with its own claims and
        # its side of the word diff; claims and changes carry anchors for the links to them.
        "columns": [(_column(old, [c for c in claims if c.source_id == old.pk], marks=old_marks, anchors=True), "old"),
                    (_column(revision, [c for c in claims if c.source_id == revision.pk], marks=new_marks,
                             anchors=True), "new")],
        "changes": changes,
        "versions": selectors.source_versions(revision),
        "may_place": permissions.is_reviewer(request.user),
        "place_form": PlaceForm(),
    })


@require_POST
def reanchoring_place(request, pk: int):
    """Place an orphaned claim on the span a reviewer selected in the new version."""
    step = get_object_or_404(Reanchoring.objects.select_related("revision", "old_claim"), pk=pk)
    back = reverse("revision-detail", args=[step.revision_id])
    form = PlaceForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, form, "Not placed: ", back)
    try:
        services.reanchoring_place(reanchoring=step, user=request.user, **form.cleaned_data)
    except WorkbenchError as exc:
        return _refused(request, str(exc), back, status=_status_of(exc))
    messages.success(request, f"Placed “{step.old_claim.exact}” on “{form.cleaned_data['exact'][:80]}”.")
    return redirect(back)


@require_GET
def source_text(request, pk: int):
    """A source's text as stored, as plain text: what a Web Annotation's selectors point
    into (their offsets count code points of exactly this text)."""
    text = get_object_or_404(Source.objects.only("text"), pk=pk).text
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


# A column lists this many claims at first; the rest load when asked for (the text itself
# shows every claim highlighted either way).
COLUMN_LIST_LIMIT = 200


def _column(source: Source, claims: list[Claim], *, list_all: bool = False, text: bool = True,
            marks: list = (), anchors: bool = False) -> dict:
    contradicted = {c.pk for c in claims if any(x.is_marked for x in c.contradictions.all())}
    verdicts = {c.pk: [(e.stance, e.fact_id) for e in c.evidence.all()] for c in claims}
    listed = claims if list_all else claims[:COLUMN_LIST_LIMIT]
    return {
        "source": source,
        "claims": claims,
        "listed": listed,
        "unlisted": len(claims) - len(listed),
        "html": highlight(source.text, claims, contradicted=contradicted, verdicts=verdicts,
                          marks=marks, anchors=anchors) if text else "",
        "contradicted": contradicted,
    }


@require_GET
@vary_on_headers("HX-Request")
def compare(request):
    try:
        ids = parse_ids(request.GET.getlist("s"), what="source")
    except InvalidId as exc:
        return _bad_request(request, f"These sources cannot be read side by side: {exc}")
    if not ids:
        messages.error(request, f"Tick 1 to {MAX_COLUMNS} sources: one to read it, two or more to read them side by side.")
        return redirect("source-list")
    sources = selectors.sources_by_ids(ids)
    missing = sorted(set(ids) - {s.pk for s in sources})
    if missing:
        gone = f"There is no source {', '.join(map(str, missing))} (any more)."
        if not sources:
            return _bad_request(request, gone, status=404)
        messages.error(request, f"{gone} Showing the others.")
    if len(sources) > MAX_COLUMNS:
        messages.error(request, f"Tick 1 to {MAX_COLUMNS} sources: at most {MAX_COLUMNS} fit side by side; "
                                f"showing the first {MAX_COLUMNS}.")
        sources = sources[:MAX_COLUMNS]
    live = _live({})
    by_source: dict[int, list[Claim]] = {s.pk: [] for s in sources}
    for claim in selectors.claims_for_sources(sources):
        by_source[claim.source_id].append(claim)
    columns = [_column(s, by_source[s.pk]) for s in sources]
    for column in columns:  # an older version says where the latest is
        newer = getattr(column["source"], "newer_id", None)
        column["newer"] = services.source_latest(column["source"]) if newer else None
    return render(request, "compare.html", {
        **live,
        "columns": columns,
        "claim_form": ClaimForm(),
        "kinds": ClaimKind.choices,
        "claim_statuses": ClaimStatus.choices,  # the claim list filters
        "here": request.get_full_path(),
        "note_max": NOTE_MAX,
    })


@require_GET
def source_column(request, pk: int):
    """One column's text and claim list, refreshed after claims or contradictions change."""
    source = get_object_or_404(Source, pk=pk)
    column = _column(source, selectors.claims_for_sources([source]))
    return render(request, "compare.html#column-body", {"column": column})


@require_GET
def source_claims(request, pk: int):
    """Every claim of a column's list (the page lists the first COLUMN_LIST_LIMIT)."""
    source = get_object_or_404(Source.objects.defer("text"), pk=pk)
    column = _column(source, selectors.claims_for_sources([source]), list_all=True, text=False)
    return render(request, "compare.html#claim-items", {"column": column})


# --- search --------------------------------------------------------------------------

SEARCH_PAGE_SIZE = 25


class _Counted:
    """One page of search hits that knows how many there are in all: a Paginator over it
    makes the pager without running the search twice."""

    def __init__(self, result):
        self.result = result

    def count(self) -> int:
        return self.result.count

    def __getitem__(self, key):
        return self.result.hits


@require_GET
def search(request):
    """Hits of the query in the text of every source, each in context with a link that opens
    the source side by side at the hit. A query with nothing to search is explained on the
    page (200: the request itself was fine)."""
    query = request.GET.get("q", "")
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        number = 1
    context = {"search_query": query, "result": None, "error": "", "max_hits": MAX_HITS}
    if query.strip():
        try:
            result = sources_search(query=query, limit=SEARCH_PAGE_SIZE, offset=(number - 1) * SEARCH_PAGE_SIZE)
            last = max(1, -(-result.count // SEARCH_PAGE_SIZE))
            if number > last:  # past the end (an old link): the last page
                number = last
                result = sources_search(query=query, limit=SEARCH_PAGE_SIZE, offset=(number - 1) * SEARCH_PAGE_SIZE)
        except SearchQueryError as exc:
            context["error"] = str(exc)
        else:
            context["result"] = result
            context["page"] = Paginator(_Counted(result), SEARCH_PAGE_SIZE).page(number)
    return render(request, "search.html", context)


# --- claims --------------------------------------------------------------------------


@require_POST
def claim_create(request):
    form = ClaimForm(request.POST)
    default_next = reverse("source-list")
    back = _safe_next(request, default_next)
    if not form.is_valid():
        return _form_refused(request, form, "The claim was not saved: ", back)
    data = dict(form.cleaned_data)
    source = data.pop("source")
    try:
        claim = services.claim_create(source=source, user=request.user, **data)
    except WorkbenchError as exc:
        return _refused(request, f"The claim was not saved: {exc}", back, status=_status_of(exc))
    text = f"Tagged “{claim.exact}” as {claim.get_kind_display().lower()} in “{source.title}”."
    if request.htmx:
        response = render(request, "partials/undo_message.html", _undo_message(
            request, text, action="tag", record=services.last_change_id(Claim, claim.pk)))
        response = reswap(retarget(response, "#messages"), "innerHTML")
        return trigger_client_event(response, "claims-changed", {"source": source.pk, "claim": claim.pk})
    messages.success(request, text)
    return redirect(_safe_next(request, default_next))


@require_GET
@vary_on_headers("HX-Request")
def claim_detail(request, pk: int):
    try:
        claim = selectors.claim_detail(pk)
    except Claim.DoesNotExist:
        raise Http404("No such claim.")
    context = _claim_panel_context(claim)
    if request.htmx:
        response = render(request, "claim.html#claim-panel", context)
        return trigger_client_event(
            response, "claim-selected", {"id": claim.pk, "linked": [c.pk for c in context["linked"]]}
        )
    return render(request, "claim.html", context)


def _claim_panel_context(claim: Claim) -> dict:
    """What the claim panel shows: the claim, its linked claims and its contradictions, strongest first."""
    return {"claim": claim, "linked": selectors.linked_claims(claim), "links": selectors.claim_links(claim),
            "property_form": ClaimPropertyForm(initial={"property": claim.property})}


@require_POST
def claim_property(request, pk: int):
    """Say what a claim's value measures (the claim card's Property field)."""
    claim = get_object_or_404(Claim.objects.select_related("source"), pk=pk)
    back = _safe_next(request, reverse("claim-detail", args=[pk]))
    form = ClaimPropertyForm(request.POST)
    if not form.is_valid():
        return _form_refused(request, form, "The property was not saved: ", back)
    try:
        claim = services.claim_property_set(claim=claim, property=form.cleaned_data["property"], user=request.user)
    except WorkbenchError as exc:
        return _refused(request, f"The property was not saved: {exc}", back, status=_status_of(exc))
    text = (f"“{claim.exact}” measures {claim.property}." if claim.property
            else f"“{claim.exact}” no longer says what it measures.")
    if request.htmx:
        return _claim_panel_changed(request, claim, text=text, action="", record=None)
    messages.success(request, text)
    return redirect(back)


@require_POST
def claim_delete(request, pk: int):
    claim = get_object_or_404(Claim, pk=pk)
    source_pk = claim.source_id
    try:
        services.claim_delete(claim=claim, user=request.user)
    except WorkbenchError as exc:
        if request.htmx:
            return _htmx_error(request, str(exc), status=_status_of(exc))
        messages.error(request, str(exc))
    else:
        if request.htmx:  # the claim panel: deleted in place, with an Undo
            claim.pk = pk
            return _claim_panel_changed(request, claim, text=f"Deleted “{claim.exact}”.", action="delete",
                                        record=services.last_change_id(Claim, pk), deleted=True)
        messages.success(request, "Claim deleted.")
    return redirect(_safe_next(request, reverse("compare") + f"?s={source_pk}"))


# --- contradictions ------------------------------------------------------------------


@require_POST
def contradiction_flag(request):
    form = FlagForm(request.POST)
    back = _safe_next(request, reverse("contradiction-list"))
    if not form.is_valid():
        return _form_refused(request, form, "Not flagged: ", back)
    claims = form.cleaned_data["claims"]
    try:
        contradiction = services.contradiction_flag(
            claims=claims, user=request.user, note=form.cleaned_data["note"]
        )
    except WorkbenchError as exc:
        return _refused(request, f"Not flagged: {exc}", back, status=_status_of(exc))
    text = f"Flagged contradiction #{contradiction.pk} between {len(claims)} claims."
    if request.htmx:
        response = render(request, "partials/messages.html", {
            "inline_messages": [("success", text)], "link": contradiction,
        })
        response = reswap(retarget(response, "#messages"), "innerHTML")
        return trigger_client_event(response, "claims-changed", {"contradiction": contradiction.pk})
    messages.success(request, text)
    return redirect(contradiction)


@require_GET
@vary_on_headers("HX-Request")
def contradiction_list(request):
    form = ContradictionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    sort = filters.get("sort") or "-date"
    page = Paginator(selectors.contradiction_list(status=filters.get("status", ""), kind=filters.get("kind", ""),
                                                  source=filters.get("source"), sort=sort),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    template = "contradictions.html#contradiction-list" if request.htmx else "contradictions.html"
    return render(request, template, {
        "filter_form": form if form.is_bound else ContradictionFilterForm(),
        "contradictions": page.object_list, "page": page, "sort": sort,
        # A sorted column's header link turns the order round.
        "date_sort": "date" if sort == "-date" else "-date", "score_sort": "score" if sort == "-score" else "-score",
    })


def _contradiction_page(request, contradiction, *, form=None, attach_form=None, status: int = 200):
    """The contradiction with its two ways to settle it: reconcile into a new fact, or attach
    it to a fact that exists (one fact, many contradictions)."""
    claims = contradiction.claims.all()
    if form is None:
        form = ReconcileForm(claims=claims, initial=selectors.reconcile_prefill(list(claims)))
    facts = selectors.facts_to_attach(contradiction) if not contradiction.fact_id else []
    if attach_form is None:
        # The fact that already weighs one of these claims is the likely one: chosen, with the
        # stances it gives them.
        ids = {c.pk for c in claims}
        known = {e.claim_id: e.stance for e in facts[0].evidence.all() if e.claim_id in ids} if facts else {}
        initial = {"fact": facts[0].pk, **{f"stance_{k}": v for k, v in known.items()}} if known else {}
        attach_form = AttachForm(claims=claims, facts=facts, initial=initial)
    return render(request, "contradiction.html", {
        "contradiction": contradiction, "form": form, "attach_form": attach_form, "attach_facts": facts,
        "status_form": ContradictionStatusForm(),
        "compare_query": "&".join(f"s={i}" for i in dict.fromkeys(c.source_id for c in claims)),
    }, status=status)


@require_GET
def contradiction_detail(request, pk: int):
    try:
        contradiction = selectors.contradiction_detail(pk)
    except Contradiction.DoesNotExist:
        raise Http404("No such contradiction.")
    return _contradiction_page(request, contradiction)


@require_POST
def contradiction_attach(request, pk: int):
    """Settle a contradiction with a fact that exists; a fact changed since the page showed it
    is a conflict (409), shown on the page with nothing saved."""
    try:
        contradiction = selectors.contradiction_detail(pk)
    except Contradiction.DoesNotExist:
        raise Http404("No such contradiction.")
    if not permissions.is_lead(request.user):
        return _forbidden(request, "Only a lead can attach a contradiction to a fact.")
    facts = selectors.facts_to_attach(contradiction) if not contradiction.fact_id else []
    form = AttachForm(request.POST, claims=contradiction.claims.all(), facts=facts)
    status = 422
    codes = {e.code for errors in form.errors.as_data().values() for e in errors}
    if codes & {"invalid_id", "unknown_id"}:
        return _bad_request(request, "Not attached: " + _form_errors(form),
                            status=400 if "invalid_id" in codes else 404)
    if form.is_valid():
        data = form.cleaned_data
        try:
            fact = services.contradiction_attach(contradiction=contradiction, fact=data["fact"],
                                                 version=data["version"], stances=form.stances(), user=request.user)
        except WorkbenchError as exc:
            form.add_error(None, str(exc))
            status = _status_of(exc)
        else:
            messages.success(request, f"Contradiction #{pk} attached to “{fact}” (now version {fact.version}).")
            return redirect(fact)
    return _contradiction_page(request, selectors.contradiction_detail(pk), attach_form=form, status=status)


@require_POST
def contradiction_status(request, pk: int):
    contradiction = get_object_or_404(Contradiction, pk=pk)
    form = ContradictionStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise WorkbenchError("Unknown action: " + _form_errors(form))
        contradiction = services.contradiction_set_status(
            contradiction=contradiction, status=form.cleaned_data["status"], user=request.user
        )
    except WorkbenchError as exc:
        return _refused(request, str(exc), _safe_next(request, contradiction.get_absolute_url()),
                        status=_status_of(exc))
    if request.htmx:  # the review queue: the item in place, the report with its Undo
        context = _undo_message(
            request, f"Contradiction #{pk} is now {contradiction.get_status_display().lower()}.",
            action="contradiction-status", record=services.last_change_id(Contradiction, pk))
        context.update({"contradiction": selectors.contradiction_detail(pk), "part": "partials/review_contradiction.html"})
        return render(request, "partials/with_undo_message.html", context)
    messages.success(request, f"Contradiction #{pk} is now {contradiction.get_status_display().lower()}.")
    return redirect(_safe_next(request, contradiction.get_absolute_url()))


# --- review queue --------------------------------------------------------------------

@require_GET
def review_queue(request):
    """The best PAGE_SIZE of each list, with how many wait in all: a reviewer works from the
    top, and the page costs the same with ten candidates or a hundred thousand."""
    live = _live({})
    min_score = settings.WORKBENCH_MIN_SCORE
    candidates = selectors.contradiction_list(status="candidate").order_by("-score", "pk")
    confident = candidates.filter(score__gte=min_score)
    low = candidates.exclude(score__gte=min_score)
    suggested = selectors.suggested_claims()
    return render(request, "review.html", {
        **live,
        "min_score": min_score,
        "confident": confident[:PAGE_SIZE], "confident_total": confident.count(),
        "low": low[:PAGE_SIZE], "low_total": low.count(),
        "suggested": suggested[:PAGE_SIZE], "suggested_total": suggested.count(),
        "corrections": selectors.recent_corrections(PAGE_SIZE),
        "facts_to_review": selectors.facts_to_review(PAGE_SIZE),
    })


@require_POST
def claim_status(request, pk: int):
    claim = get_object_or_404(Claim.objects.select_related("source"), pk=pk)
    status = request.POST.get("status", "")
    try:
        claim = services.claim_set_status(claim=claim, status=status, user=request.user)
    except WorkbenchError as exc:
        return _refused(request, str(exc), _safe_next(request, reverse("review")), status=_status_of(exc))
    if request.htmx and request.htmx.target == "claim-card":  # the side-by-side claim panel
        return _claim_panel_changed(request, claim, text=f"{claim.get_status_display()} “{claim.exact}”.",
                                    action="claim-status", record=services.last_change_id(Claim, claim.pk))
    if request.htmx:  # the review queue: the item in place, the report with its Undo
        context = _undo_message(request, f"{claim.get_status_display()} “{claim.exact}”.", action="claim-status",
                                record=services.last_change_id(Claim, claim.pk))
        context.update({"claim": claim, "part": "review.html#claim-item"})
        response = render(request, "partials/with_undo_message.html", context)
        return trigger_client_event(response, "claims-changed", {"claim": claim.pk})
    messages.success(request, f"“{claim.exact}” {claim.get_status_display().lower()}.")
    return redirect(_safe_next(request, reverse("review")))


@require_POST
def contradiction_reconcile(request, pk: int):
    try:
        contradiction = selectors.contradiction_detail(pk)
    except Contradiction.DoesNotExist:
        raise Http404("No such contradiction.")
    form = ReconcileForm(request.POST, claims=contradiction.claims.all())
    if form.is_valid():
        data = form.cleaned_data
        try:
            fact = services.fact_reconcile(
                contradiction=contradiction, user=request.user, value_text=data["value_text"],
                status=data["status"], rationale=data["rationale"], stances=form.stances(),
                subject=data["subject"], property=data["property"],
            )
        except WorkbenchError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Reconciled: {fact.subject} — {fact.value_text}.")
            return redirect(reverse("fact-list") + f"#fact-{fact.pk}")
    return _contradiction_page(request, contradiction, form=form, status=422)


# --- facts and exports ---------------------------------------------------------------


@require_GET
def fact_list(request):
    page = Paginator(selectors.fact_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "facts.html", {
        "facts": page.object_list, "page": page, "tables": WHATS,
        "may_export": permissions.may_export(request.user, "csv"),
        "may_export_archive": permissions.may_export(request.user, "archive"),
    })


@require_GET
def fact_detail(request, pk: int):
    fact = get_object_or_404(selectors.fact_list(), pk=pk)
    return render(request, "fact.html", {"fact": fact})


def _conflict_diffs(current: Fact, data: dict) -> list[dict]:
    """What the colleague's saved fact says against what this lead typed, field by field."""
    statuses = dict(FactStatus.choices)
    return field_diffs([
        ("value_text", "Value", current.value_text, data["value_text"].strip()),
        ("status", "Status", current.get_status_display(), str(statuses.get(data["status"], data["status"]))),
        ("subject", "Subject", current.subject, data["subject"].strip()),
        ("property", "Property", current.property, data["property"].strip()),
        ("rationale", "Rationale", current.rationale, data["rationale"].strip()),
    ])


def _fact_edit_page(request, fact, form, *, evidence_form=None, status: int = 200, **extra):
    evidence_form = evidence_form or EvidenceForm(evidence=fact.evidence.all(), initial={"version": fact.version})
    return render(request, "fact_edit.html", {"fact": fact, "form": form, "evidence_form": evidence_form, **extra},
                  status=status)


@require_http_methods(["GET", "POST"])
def fact_edit(request, pk: int):
    """Edit a fact; a save based on a version someone else replaced meanwhile is refused with
    the current fact shown, what differs between it and this reviewer's text, and the form
    keeping what they typed."""
    fact = get_object_or_404(selectors.fact_list(), pk=pk)
    if not permissions.is_lead(request.user):
        return _forbidden(request, "Only a lead can edit a fact.")
    if request.method == "GET":
        form = FactEditForm(instance=fact, initial={"version": fact.version})
        return _fact_edit_page(request, fact, form)
    form = FactEditForm(request.POST, instance=Fact.objects.get(pk=pk))
    if form.is_valid():
        data = form.cleaned_data
        try:
            fact = services.fact_update(fact=fact, user=request.user, **data)
        except ConflictError as exc:
            form.add_error(None, str(exc))
            # Their text stays in the form; the version moves on, so saving again is a
            # deliberate choice made after seeing the current fact and what differs.
            current = get_object_or_404(selectors.fact_list(), pk=pk)
            form.data = form.data.copy()
            form.data["version"] = str(current.version)
            return _fact_edit_page(request, current, form, status=409, conflict=True,
                                   diffs=_conflict_diffs(current, data))
        except WorkbenchError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Saved: {fact.subject} — {fact.value_text} (version {fact.version}).")
            return redirect(fact)
    return _fact_edit_page(request, fact, form, status=422)


@require_POST
def fact_evidence(request, pk: int):
    """Change the stances of a fact's evidence and remove pieces of it (a lead's, versioned
    like any edit of the fact)."""
    fact = get_object_or_404(selectors.fact_list(), pk=pk)
    if not permissions.is_lead(request.user):
        return _forbidden(request, "Only a lead can edit a fact's evidence.")
    evidence_form = EvidenceForm(request.POST, evidence=fact.evidence.all())
    status = 422
    if evidence_form.is_valid():
        data = evidence_form.cleaned_data
        try:
            fact = services.fact_evidence_update(fact=fact, user=request.user, version=data["version"],
                                                 stances=evidence_form.stances(), remove=data["remove"])
        except WorkbenchError as exc:
            status, error = _status_of(exc), str(exc)
            if isinstance(exc, ConflictError):
                # Show the evidence as it now stands, on its new version: a second save is
                # then made knowing what the colleague changed.
                fact, evidence_form = get_object_or_404(selectors.fact_list(), pk=pk), None
        else:
            messages.success(request, f"Saved the evidence of “{fact}” (version {fact.version}).")
            return redirect(fact)
    else:
        error = _form_errors(evidence_form)
    form = FactEditForm(instance=fact, initial={"version": fact.version})
    return _fact_edit_page(request, fact, form, evidence_form=evidence_form, status=status, evidence_error=error)


@require_GET
def export(request, what: str, fmt: str):
    """Stream one export; the browser's archive never carries e-mail addresses."""
    if fmt not in FORMATS or (fmt in TABLE_FORMATS and what not in WHATS):
        raise Http404("Unknown export.")
    try:
        permissions.require_export(request.user, fmt)
    except NotAllowed as exc:
        return _forbidden(request, str(exc))
    response = StreamingHttpResponse(export_lines(what=what, fmt=fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{export_filename(what=what, fmt=fmt)}"'
    return response


# --- undo, and the side-by-side claim panel's actions in place ---------------------------


def _undo_message(request, text: str, *, action: str = "", record: int | None = None) -> dict:
    """The context of a report with its Undo button (partials/undo_message.html)."""
    return {"text": text, "undo": {"action": action, "record": record} if record else None,
            "undo_seconds": services.UNDO_SECONDS,
            "next": request.headers.get("HX-Current-URL") or request.POST.get("next", "")}


def _claim_panel_changed(request, claim: Claim, *, text: str, action: str, record: int | None,
                         deleted: bool = False):
    """A claim panel action done in place: the panel shows the claim as it now is (or that it
    was deleted), the message area reports it with its Undo, and the claim's column redraws."""
    context = _undo_message(request, text, action=action, record=record)
    context.update({"claim": claim, "part": "claim.html#claim-deleted" if deleted else "claim.html#claim-panel"})
    if not deleted:
        context.update(_claim_panel_context(selectors.claim_detail(claim.pk)))
    response = render(request, "partials/with_undo_message.html", context)
    return trigger_client_event(response, "claims-changed", {"source": claim.source_id})


def _undo_tag(record_id: int, user) -> tuple[str, dict]:
    claim, deleted = services.claim_create_undo(record_id=record_id, user=user)
    text = f"Undone: “{claim.exact}” is no longer tagged." if deleted else (
        f"Undone: “{claim.exact}” is {claim.get_status_display().lower()} again.")
    return text, {"source": claim.source_id, "claim": claim.pk, "gone": deleted}


def _undo_claim_status(record_id: int, user) -> tuple[str, dict]:
    claim = services.claim_set_status_undo(record_id=record_id, user=user)
    return (f"Undone: “{claim.exact}” is {claim.get_status_display().lower()} again.",
            {"source": claim.source_id, "claim": claim.pk})


def _undo_delete(record_id: int, user) -> tuple[str, dict]:
    claim = services.claim_restore(record_id=record_id, user=user)
    return f"Restored “{claim.exact}”.", {"source": claim.source_id, "claim": claim.pk}


def _undo_contradiction_status(record_id: int, user) -> tuple[str, dict]:
    contradiction = services.contradiction_set_status_undo(record_id=record_id, user=user)
    return (f"Undone: contradiction #{contradiction.pk} is {contradiction.get_status_display().lower()} again.",
            {"contradiction": contradiction.pk})


# What an Undo button names -> the undo of that action (one service each).
UNDOS = {
    "tag": _undo_tag,
    "claim-status": _undo_claim_status,
    "delete": _undo_delete,
    "contradiction-status": _undo_contradiction_status,
}


@require_POST
def undo(request):
    """Reverse the action a message reported (its Undo button names the action and the
    history record it left); refused, changing nothing, once anything changed since."""
    back = _safe_next(request, reverse("source-list"))
    undo_action = UNDOS.get(request.POST.get("action", ""))
    try:
        record_id = parse_ids([request.POST.get("record", "")], what="change")[0]
    except InvalidId as exc:
        return _bad_request(request, f"Nothing was undone: {exc}")
    if undo_action is None:
        return _bad_request(request, "Nothing was undone: there is no such action to undo.")
    try:
        text, changed = undo_action(record_id, request.user)
    except WorkbenchError as exc:
        return _refused(request, f"Not undone: {exc}", back, status=_status_of(exc))
    if request.htmx:
        response = render(request, "partials/undo_message.html", _undo_message(request, text))
        return trigger_client_event(reswap(retarget(response, "#messages"), "innerHTML"), "claims-changed", changed)
    messages.success(request, text)
    return redirect(back)


# --- the subject at a glance: matrix ---------------------------------------------------

MATRIX_PAGE_SIZE = 50


def _matrix_filters(request) -> tuple[dict, list[str]]:
    """The matrix's filters from the query string, and what was ignored in them (said on the
    page). A malformed source id raises InvalidId."""
    ids = parse_ids(request.GET.getlist("s"), what="source")
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    ignored = []
    if len(ids) > MATRIX_MAX_COLUMNS:
        ignored.append(f"At most {MATRIX_MAX_COLUMNS} sources fit: showing the first {MATRIX_MAX_COLUMNS} "
                       f"of the {len(ids)} chosen.")
        ids = ids[:MATRIX_MAX_COLUMNS]
    if kind and kind not in ClaimKind.values:
        ignored.append(f"There is no kind “{kind[:40]}”: showing every kind.")
        kind = ""
    if status and status not in ROW_STATUS_LABELS:
        ignored.append(f"There is no status “{status[:40]}”: showing every status.")
        status = ""
    return {"source_ids": ids, "kind": kind, "status": status}, ignored


@require_GET
@vary_on_headers("HX-Request")
def matrix(request):
    """Every point against every chosen source, a page of rows at a time, most disputed first."""
    try:
        filters, ignored = _matrix_filters(request)
    except InvalidId as exc:
        return _bad_request(request, f"The matrix cannot show these sources: {exc}")
    live = _live({})
    result = matrix_build(**filters)
    page = Paginator(result.rows, MATRIX_PAGE_SIZE).get_page(request.GET.get("page"))
    result.fill(page.object_list)
    rows = [(row, cells_html(result.cells_of(row))) for row in page.object_list]
    template = "matrix.html#matrix-table" if request.htmx else "matrix.html"
    return render(request, template, {
        **live,
        "matrix": result, "rows": rows, "page": page, "filters": filters, "ignored": ignored,
        "all_sources": Source.objects.only("pk", "title").order_by("origin", "pk") if not request.htmx else [],
        "chosen": {s.pk for s in result.sources}, "kinds": ClaimKind.choices, "statuses": ROW_STATUSES,
        "may_export": permissions.may_export(request.user, "csv"),
    })


@require_GET
def matrix_export(request, fmt: str):
    """The matrix with the page's filters, every row, as CSV or JSON Lines (a reviewer's)."""
    if fmt not in TABLE_FORMATS:
        raise Http404("Unknown export.")
    try:
        permissions.require_export(request.user, fmt)
    except NotAllowed as exc:
        return _forbidden(request, str(exc))
    try:
        filters, _ = _matrix_filters(request)
    except InvalidId as exc:
        return _bad_request(request, f"The matrix cannot show these sources: {exc}")
    response = StreamingHttpResponse(matrix_lines(matrix_build(**filters), fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="matrix.{fmt}"'
    return response


# --- the subject at a glance: timeline -------------------------------------------------


def _timeline(request, *, base: str = ""):
    """(timeline, its SVG, the filters, what was ignored), or raises InvalidId; ``base`` goes
    before the SVG's links."""
    filters, ignored = _matrix_filters(request)
    filters.pop("kind")  # the timeline is of dates
    timeline = timeline_build(**filters)
    return timeline, timeline_svg(timeline, title="Dated points by source", base=base), filters, ignored


@require_GET
def timeline(request):
    """The dated points of the chosen sources on one time axis, drawn on the server as SVG."""
    try:
        result, svg, filters, ignored = _timeline(request)
    except InvalidId as exc:
        return _bad_request(request, f"The timeline cannot show these sources: {exc}")
    chosen = set(filters["source_ids"]) or {pk for pk, _ in result.lanes}
    return render(request, "timeline.html", {
        "timeline": result, "svg": svg, "filters": filters, "ignored": ignored, "statuses": ROW_STATUSES,
        "all_sources": Source.objects.only("pk", "title").order_by("origin", "pk"), "chosen": chosen,
    })


@require_GET
def timeline_download(request, fmt: str):
    """The timeline as an SVG file, or drawn as PNG by the machine's headless chromium."""
    if fmt not in ("svg", "png"):
        raise Http404("Unknown format.")
    try:
        # A file's links lead back to the workbench (as the exports' ids do).
        _, svg, _, _ = _timeline(request, base=annotation_base())
    except InvalidId as exc:
        return _bad_request(request, f"The timeline cannot show these sources: {exc}")
    if fmt == "svg":
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    else:
        try:
            png = svg_to_png(svg)
        except RenderingUnavailable as exc:
            return render(request, "error.html", {"title": "No PNG here", "message": str(exc),
                                                  "back": reverse("timeline")}, status=503)
        response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="timeline.{fmt}"'
    return response


# --- live updates ----------------------------------------------------------------------


def _live(context: dict) -> dict:
    """The token of the data as the page is about to read it (read first, so a change made
    while the page is made is seen by its first poll), and how often the page polls."""
    return {**context, "live_token": token_now(), "live_seconds": settings.WORKBENCH_LIVE_SECONDS}


# htmx stops polling on this status (and swaps its empty answer for the poller).
STOP_POLLING = 286


@login_not_required
@require_GET
def changes(request):
    """What changed since the page's token: nothing (204, htmx swaps nothing), or a new poller
    with the new token and a "workbench-changed" event naming the sources whose claims changed
    (every source when something else changed). One query when nothing did, three when
    something did, whatever the number of claims. Logged out meanwhile (the session expired):
    the polling stops, rather than the login page being swapped into the page."""
    if not request.user.is_authenticated:
        return HttpResponse(status=STOP_POLLING)
    try:
        found = changes_since(request.GET.get("since", ""))
    except BadToken as exc:
        return _bad_request(request, str(exc))
    if not found.changed:
        return HttpResponse(status=204)
    response = render(request, "partials/live.html", {"live_token": found.token,
                                                      "live_seconds": settings.WORKBENCH_LIVE_SECONDS})
    return trigger_client_event(response, "workbench-changed",
                                {"sources": sorted(found.sources), "all": found.all_sources})
