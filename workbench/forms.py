"""Forms: they parse and check the shape of input; the domain decides what is allowed.

Free text carries its limit as ``data-limit``: the page says at once when a text is too long
and holds the form back, keeping every character (``maxlength`` would silently cut a pasted
text). Longer text sent anyway is refused by the domain, with the message the API gives.
"""
from django import forms
from django.contrib.auth.forms import AuthenticationForm

from annotations.importing import ENCODING_CHOICES
from annotations.models import (
    Claim,
    NOTE_MAX,
    PROPERTY_MAX,
    RATIONALE_MAX,
    SUBJECT_MAX,
    VALUE_TEXT_MAX,
    ClaimKind,
    ContradictionStatus,
    FactStatus,
    Fact,
    Source,
    Stance,
)

from . import throttling
from .ids import InvalidId, parse_id


class ModelIdField(forms.ModelChoiceField):
    """A model chosen by id: the id is read by parse_id before the database is asked, so a
    malformed one is refused as such (code "invalid_id"), an unknown one as "unknown_id"."""

    def __init__(self, queryset, *, what: str, **kwargs):
        self.what = what
        kwargs.setdefault("error_messages", {}).setdefault(
            "invalid_choice", f"That {what} does not exist (any more).")
        super().__init__(queryset, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            if self.required:
                raise forms.ValidationError(f"No {self.what} was given.", code="invalid_id")
            return None
        try:
            parse_id(value, what=self.what)
        except InvalidId as exc:
            raise forms.ValidationError(str(exc), code="invalid_id")
        try:
            return super().to_python(value)
        except forms.ValidationError as exc:
            raise forms.ValidationError(" ".join(exc.messages), code="unknown_id")


class ModelIdsField(forms.ModelMultipleChoiceField):
    """Several models chosen by id (ticked boxes): each id read by parse_id (code "invalid_id");
    an unknown one is named in the message (code "unknown_id"). Cleans to a list in the order
    given."""
    widget = forms.MultipleHiddenInput

    def __init__(self, queryset, *, what: str, **kwargs):
        self.what = what
        super().__init__(queryset, **kwargs)

    def clean(self, value):
        values = [] if value in self.empty_values else value
        if not isinstance(values, (list, tuple)):
            raise forms.ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        if not values:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        ids = []
        for raw in values:
            try:
                ids.append(parse_id(raw, what=self.what))
            except InvalidId as exc:
                raise forms.ValidationError(str(exc), code="invalid_id")
        ids = list(dict.fromkeys(ids))
        found = {obj.pk: obj for obj in self.queryset.filter(pk__in=ids)}
        missing = [i for i in ids if i not in found]
        if missing:
            raise forms.ValidationError(
                f"There is no {self.what} {', '.join(map(str, missing))} (any more).", code="unknown_id")
        return [found[i] for i in ids]


def _limited(limit: int, widget=forms.TextInput, **attrs):
    """A text widget showing the domain's limit; the domain, not the form, refuses more."""
    return widget(attrs={"data-limit": limit, **attrs})


class SourceEditForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["title", "publisher", "published_on", "kind", "notes"]
        widgets = {
            "published_on": forms.DateInput(attrs={"type": "date"}),
            "notes": _limited(NOTE_MAX, forms.Textarea, rows=3),
        }


class LoginForm(AuthenticationForm):
    """Django's login form, which also warns on the last try before a lockout."""

    lockout_warning = ""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            # authenticate() has just counted this failure (django-axes' signal handler).
            self.lockout_warning = throttling.lockout_warning(self.request, self.cleaned_data.get("username"))
            raise


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.md,text/plain,text/markdown"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        # Each file is judged by the importer (empty, binary, duplicate...), which says why
        # per file; here we only insist that something was chosen.
        files = [d for d in (data if isinstance(data, (list, tuple)) else [data]) if d]
        if not files:
            raise forms.ValidationError("Choose at least one file.", code="required")
        return files


class UploadForm(forms.Form):
    files = MultipleFileField(label="Text files (.txt or .md)")
    encoding = forms.ChoiceField(choices=ENCODING_CHOICES, required=False, label="Encoding",
                                 help_text="Leave it to detection unless a file came out garbled.")


class ReimportForm(forms.Form):
    """The file a source was imported from, and the encoding to read it with this time."""
    file = forms.FileField(label="The same file", widget=forms.ClearableFileInput(
        attrs={"accept": ".txt,.md,text/plain,text/markdown"}))
    encoding = forms.ChoiceField(choices=ENCODING_CHOICES[1:], label="Encoding")


class RevisionForm(forms.Form):
    """A source's new version: a file, or its text pasted."""
    file = forms.FileField(required=False, label="File of the new version", widget=forms.ClearableFileInput(
        attrs={"accept": ".txt,.md,text/plain,text/markdown"}))
    text = forms.CharField(required=False, strip=False, label="Or paste its text",
                           widget=forms.Textarea(attrs={"rows": 8}))

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool((data.get("text") or "").strip()):
            raise forms.ValidationError("Choose the new version's file or paste its text (one of the two).")
        return data

    def raw(self) -> tuple[str, bytes]:
        """(name, bytes) of the new version; a pasted text keeps the old version's name."""
        upload = self.cleaned_data.get("file")
        return (upload.name, upload.read()) if upload else ("", self.cleaned_data["text"].encode("utf-8"))


class PlaceForm(forms.Form):
    """A span of the new version's text, selected to place an orphaned claim there."""
    start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    exact = forms.CharField(strip=False, widget=forms.HiddenInput)


class ClaimForm(forms.Form):
    source = ModelIdField(Source.objects.all(), what="source", widget=forms.HiddenInput)
    start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    exact = forms.CharField(strip=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=ClaimKind.choices)
    subject = forms.CharField(required=False, widget=_limited(SUBJECT_MAX))
    property = forms.CharField(required=False, widget=_limited(PROPERTY_MAX))
    note = forms.CharField(required=False, widget=_limited(NOTE_MAX, forms.Textarea, rows=2))


class ClaimPropertyForm(forms.Form):
    """What a claim's value measures, on the claim's card. Its ids are its own: the card sits
    beside the tag form on the side-by-side page."""
    property = forms.CharField(required=False, label="Property", widget=_limited(PROPERTY_MAX),
                               help_text=f"What the value measures (“deaths”); at most {PROPERTY_MAX} characters.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "claim-%s")
        super().__init__(*args, **kwargs)


class FlagForm(forms.Form):
    # The ticked boxes live in the columns (form="flag-form"), not inside the form itself.
    claims = ModelIdsField(Claim.objects.select_related("source"), what="claim", error_messages={
        "required": "Tick at least two claims (from two sources) to flag a contradiction.",
    })
    note = forms.CharField(required=False, widget=_limited(NOTE_MAX, forms.Textarea, rows=2))


class SourceChoiceField(ModelIdField):
    def label_from_instance(self, obj):
        return obj.title


class ContradictionFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *ContradictionStatus.choices], required=False)
    kind = forms.ChoiceField(choices=[("", "Any kind"), *ClaimKind.choices], required=False)
    source = SourceChoiceField(Source.objects.only("pk", "title").order_by("title", "pk"), what="source",
                               required=False, empty_label="Any source")
    sort = forms.ChoiceField(choices=[("-date", "Newest first"), ("date", "Oldest first"),
                                      ("-score", "Highest score first"), ("score", "Lowest score first"),
                                      ("kind", "Kind")], required=False, label="Sort")


class ContradictionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=[
        (ContradictionStatus.CONFIRMED, "Confirm"),
        (ContradictionStatus.DISMISSED, "Dismiss"),
        (ContradictionStatus.CANDIDATE, "Reopen as candidate"),
    ])


class StanceForm(forms.Form):
    """A form with a stance (supports / refutes) to choose for each of ``claims``."""

    def __init__(self, *args, claims=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.claims = list(claims)
        for claim in self.claims:
            self.fields[f"stance_{claim.pk}"] = forms.ChoiceField(
                label=f"“{claim.exact}” ({claim.source.title})",
                choices=Stance.choices, widget=forms.RadioSelect,
            )

    def stance_fields(self):
        return [self[f"stance_{c.pk}"] for c in self.claims]

    def stances(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data[f"stance_{c.pk}"] for c in self.claims}


class ReconcileForm(StanceForm):
    value_text = forms.CharField(label="Value you stand by", widget=_limited(VALUE_TEXT_MAX))
    status = forms.ChoiceField(choices=FactStatus.choices, initial=FactStatus.RECONCILED)
    subject = forms.CharField(required=False, widget=_limited(SUBJECT_MAX), help_text="What the fact is about.")
    property = forms.CharField(required=False, widget=_limited(PROPERTY_MAX),
                               help_text="e.g. “date asylum granted”.")
    rationale = forms.CharField(widget=_limited(RATIONALE_MAX, forms.Textarea, rows=4))


class AttachForm(StanceForm):
    """Attach a contradiction to an existing fact: the fact chosen, the version of it the page
    showed (``version_<fact id>``, one per fact offered) and a stance per claim. Its ids are
    its own (``attach-…``): it shares the page with the reconcile form."""
    fact = ModelIdField(Fact.objects.all(), what="fact", widget=forms.RadioSelect,
                        error_messages={"required": "Choose the fact to attach this contradiction to."})

    def __init__(self, *args, facts=(), **kwargs):
        kwargs.setdefault("auto_id", "attach-%s")
        super().__init__(*args, **kwargs)
        self.facts = list(facts)

    def clean(self):
        data = super().clean()
        fact = data.get("fact")
        if fact is not None:
            try:
                data["version"] = int(self.data.get(f"version_{fact.pk}", ""))
            except ValueError:
                raise forms.ValidationError(
                    "The form did not say which version of the fact it showed: reload the page and attach again.")
        return data


class EvidenceForm(StanceForm):
    """A fact's evidence on its edit page: each claim's stance, and the claims to remove."""
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    remove = forms.TypedMultipleChoiceField(coerce=int, required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, evidence=(), **kwargs):
        evidence = list(evidence)
        kwargs.setdefault("auto_id", "evidence-%s")
        kwargs.setdefault("initial", {}).update({f"stance_{e.claim_id}": e.stance for e in evidence})
        super().__init__(*args, claims=[e.claim for e in evidence], **kwargs)
        self.fields["remove"].choices = [(e.claim_id, "remove") for e in evidence]

    def rows(self):
        """(claim, its stance field, its remove box) for each piece of evidence."""
        boxes = {int(box.data["value"]): box for box in self["remove"]}
        return [(c, self[f"stance_{c.pk}"], boxes[c.pk]) for c in self.claims]


class FactEditForm(forms.ModelForm):
    # The version the editor started from: a save based on an older one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, error_messages={
        "required": "The form did not say which version of the fact it started from: reload it and edit again.",
        "invalid": "The version this edit started from is not a version number: reload the fact and edit again.",
        "min_value": "The version this edit started from is not a version number: reload the fact and edit again.",
    })

    class Meta:
        model = Fact
        fields = ["value_text", "status", "subject", "property", "rationale"]
        labels = {"value_text": "Value you stand by"}
        widgets = {"rationale": _limited(RATIONALE_MAX, forms.Textarea, rows=4)}
