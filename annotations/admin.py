"""Admin for every model, with search, filters and the change history."""
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from .errors import ConflictError
from .models import Claim, Contradiction, Correction, Evidence, Fact, ImportBatch, ImportFile, Reanchoring, Source
from .services import fact_version_check


class ClaimInline(admin.TabularInline):
    model = Claim
    fields = ("start", "end", "exact", "kind", "property", "status", "origin")
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
    list_display = ("exact", "kind", "property", "source", "start", "end", "status", "origin", "created_by")
    list_filter = ("kind", "status", "origin", "source")
    search_fields = ("exact", "subject", "property", "note", "source__title")
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


class FactAdminForm(forms.ModelForm):
    """The admin's fact form carries the version it was opened on, as the app's form does,
    so a save over a colleague's newer edit gets the app's conflict instead of winning."""
    version_seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Fact
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The version in the database, not the instance's: a revert page's instance is
            # the old version, yet the form was opened on the current one.
            self.fields["version_seen"].initial = (
                Fact.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first())

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and cleaned.get("version_seen") is not None:
            try:
                # The admin saves inside one transaction: the row stays locked until saved.
                fact_version_check(fact_id=self.instance.pk, version=cleaned["version_seen"])
            except ConflictError as exc:
                raise ValidationError(str(exc), code="conflict") from exc
        elif self.instance.pk:
            raise ValidationError("The form lost the version it was opened on; open the fact again.")
        return cleaned


@admin.register(Fact)
class FactAdmin(SimpleHistoryAdmin):
    form = FactAdminForm
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


@admin.register(Reanchoring)
class ReanchoringAdmin(SimpleHistoryAdmin):
    """What became of each claim in a source's new version (written by source_revise)."""
    list_display = ("old_claim", "outcome", "new_claim", "score", "revision", "created_at")
    list_filter = ("outcome",)
    search_fields = ("old_claim__exact", "new_claim__exact", "revision__title", "reason")
    readonly_fields = ("revision", "old_claim", "new_claim", "outcome", "score", "reason", "placed_by",
                       "created_at", "updated_at")
    list_select_related = ("old_claim", "new_claim", "revision")


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Values sources corrected in their new versions."""
    list_display = ("old_claim", "new_claim", "revision", "created_at")
    search_fields = ("old_claim__exact", "new_claim__exact", "revision__title")
    readonly_fields = ("revision", "old_claim", "new_claim", "old_value", "new_value", "old_start", "old_end",
                       "new_start", "new_end", "created_at", "updated_at")
    list_select_related = ("old_claim", "new_claim", "revision")


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "total", "processed", "analysed", "created_by", "created_at", "error")
    list_filter = ("status",)
    search_fields = ("error", "files__name")
    readonly_fields = ("task_id", "attempts", "total", "processed", "analysed", "to_analyse", "suggested",
                       "candidates", "error", "finished_at", "created_at", "updated_at")
    list_select_related = ("created_by",)
    inlines = [ImportFileInline]
