"""Admin for every model, with search, filters and the change history."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Claim, Contradiction, Evidence, Fact, ImportBatch, ImportFile, Source


class ClaimInline(admin.TabularInline):
    model = Claim
    fields = ("start", "end", "exact", "kind", "status", "origin")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ("title", "publisher", "kind", "published_on", "origin", "created_at")
    list_filter = ("kind", "publisher", "published_on")
    search_fields = ("title", "publisher", "origin", "text", "raw_sha256")
    readonly_fields = ("raw_sha256", "text", "created_at", "updated_at")
    autocomplete_fields = ("supersedes",)
    date_hierarchy = "created_at"
    inlines = [ClaimInline]


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = ("exact", "kind", "source", "start", "end", "status", "origin", "created_by")
    list_filter = ("kind", "status", "origin", "source")
    search_fields = ("exact", "subject", "note", "source__title")
    readonly_fields = ("prefix", "suffix", "created_at", "updated_at")
    autocomplete_fields = ("source",)
    list_select_related = ("source", "created_by")


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    autocomplete_fields = ("claim",)


@admin.register(Contradiction)
class ContradictionAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "kind", "status", "score", "flagged_by", "fact", "created_at")
    list_filter = ("status", "kind")
    search_fields = ("note", "explanation", "claims__exact")
    autocomplete_fields = ("claims", "fact")
    list_select_related = ("flagged_by", "fact")


@admin.register(Fact)
class FactAdmin(SimpleHistoryAdmin):
    list_display = ("subject", "property", "value_text", "status", "reviewer", "reconciled_at", "version")
    list_filter = ("status", "reconciled_at")
    search_fields = ("subject", "property", "value_text", "rationale")
    inlines = [EvidenceInline]
    list_select_related = ("reviewer",)
    readonly_fields = ("version",)

    def save_model(self, request, obj, form, change):
        # An edit or a revert here is a new version: going back to an old number would let
        # a reviewer's stale form through the optimistic lock.
        if change:
            obj.version = Fact.objects.filter(pk=obj.pk).values_list("version", flat=True).get() + 1
        super().save_model(request, obj, form, change)


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ("fact", "claim", "stance")
    list_filter = ("stance",)
    search_fields = ("fact__subject", "claim__exact")
    autocomplete_fields = ("fact", "claim")


class ImportFileInline(admin.TabularInline):
    model = ImportFile
    fields = ("name", "size", "status", "message", "source")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "total", "processed", "analysed", "created_by", "created_at", "error")
    list_filter = ("status",)
    search_fields = ("error", "files__name")
    readonly_fields = ("task_id", "attempts", "total", "processed", "analysed", "to_analyse", "suggested",
                       "candidates", "error", "finished_at", "created_at", "updated_at")
    list_select_related = ("created_by",)
    inlines = [ImportFileInline]
