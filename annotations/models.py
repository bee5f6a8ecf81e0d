"""The domain: sources, the claims tagged in them, contradictions between claims, and
the facts reviewers reconcile them into.

Every offset counts Unicode code points into ``Source.text``, which is never edited in
place; the database refuses spans that cannot be valid whatever the text.
"""
import re
from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from simple_history.models import HistoricalRecords

from .sentences import sentence_window

# W3C TextQuoteSelector context length kept beside every claim.
QUOTE_CONTEXT_CHARS = 32
# Characters of source text a list loads either side of a claim, to cut its sentence from:
# a page of 100 claims from 50,000-word sources loads 100 short windows, not 100 texts.
SENTENCE_WINDOW = 300
# A stop followed by citation markers, then a space: the end of a sentence ("2012.[106] ").
_CITED_STOP = re.compile(r"[.!?](?:\[\d{1,4}\])+(?=\s)")

# The most characters each free-text field holds. The models' validators enforce them, so
# every write that goes through full_clean() (each service, the admin, the archive import)
# refuses longer text with the same message; forms and the API show them as their limits.
TITLE_MAX = 300
ORIGIN_MAX = 500
PUBLISHER_MAX = 200
SUBJECT_MAX = 300
PROPERTY_MAX = 200
VALUE_TEXT_MAX = 500
NOTE_MAX = 10_000  # a claim's or contradiction's note, a source's notes
RATIONALE_MAX = 20_000


@deconstructible
class TextLimit(MaxLengthValidator):
    """Django's max-length check in words a reviewer reads at a glance, with the numbers
    grouped: "at most 10,000 characters (this one has 5,242,880)."."""
    message = "at most %(limit)s characters (this one has %(length)s)."

    def __call__(self, value):
        if len(value) > self.limit_value:
            raise ValidationError(self.message, code=self.code, params={
                "limit_value": self.limit_value, "show_value": len(value), "value": value,
                "limit": f"{self.limit_value:,}", "length": f"{len(value):,}"})


def limited_text(limit: int, **options) -> models.TextField:
    """A TextField that holds at most ``limit`` characters. Django validates a CharField's
    max_length but not a TextField's, so the limit is a validator; as a validator it is no
    change to the database (a TextField's max_length would rebuild the table on SQLite)."""
    return models.TextField(validators=[TextLimit(limit)], **options)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class SourceKind(models.TextChoices):
    ENCYCLOPEDIA = "encyclopedia", "Encyclopedia"
    NEWS = "news", "News article"
    NGO = "ngo", "NGO brief"
    PRESS_RELEASE = "press_release", "Press release"
    MACHINE_SUMMARY = "machine_summary", "Machine summary"
    OTHER = "other", "Other"


class Source(TimeStampedModel):
    title = models.CharField(max_length=TITLE_MAX)
    origin = models.CharField(max_length=ORIGIN_MAX, help_text="File name or URL it came from.")
    publisher = models.CharField(max_length=PUBLISHER_MAX, blank=True)
    published_on = models.DateField(null=True, blank=True)
    kind = models.CharField(max_length=20, choices=SourceKind.choices, default=SourceKind.OTHER)
    text = models.TextField(editable=False)
    raw_sha256 = models.CharField(max_length=64, unique=True, editable=False)
    # The codec the raw bytes were decoded with (detected, or chosen by the uploader); blank
    # for sources imported before it was recorded.
    encoding = models.CharField(max_length=40, blank=True, editable=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="imported_sources",
    )
    notes = limited_text(NOTE_MAX, blank=True)
    # A revised text is a new Source; the old one stays so its offsets stay valid.
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="superseded_by"
    )
    # When spaCy read it and its suggested claims were saved; an import interrupted between
    # saving sources and reading them leaves this empty, and the next run reads them.
    analysed_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["origin", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("compare") + f"?s={self.pk}"


class ClaimKind(models.TextChoices):
    DATE = "date", "Date"
    MONEY = "money", "Money"
    COUNT = "count", "Count"
    PERCENT = "percent", "Percent"
    DURATION = "duration", "Duration"
    MEASURE = "measure", "Measure (distance, weight, …)"
    ENTITY = "entity", "Entity / office holder"
    OTHER = "other", "Other"


class ClaimOrigin(models.TextChoices):
    MANUAL = "manual", "Tagged by a reviewer"
    SUGGESTED = "suggested", "Suggested by the workbench"


class ClaimStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class Claim(TimeStampedModel):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="claims")
    start = models.PositiveIntegerField(help_text="Code point offset of the first character.")
    end = models.PositiveIntegerField(help_text="Code point offset just past the last character.")
    exact = models.TextField(help_text="text[start:end], kept so drift can be detected.")
    prefix = models.CharField(max_length=QUOTE_CONTEXT_CHARS * 4, blank=True)
    suffix = models.CharField(max_length=QUOTE_CONTEXT_CHARS * 4, blank=True)
    kind = models.CharField(max_length=20, choices=ClaimKind.choices)
    value = models.JSONField(default=dict, blank=True)
    subject = models.CharField(max_length=SUBJECT_MAX, blank=True)
    # The claim's meaning as a sentence-embedding vector (float16 bytes), computed once when
    # it is saved; empty where no embedding model is installed. Matching reads it.
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    # What the matcher compares: masked sentence, key words, the act, dates in the sentence.
    context = models.JSONField(default=dict, blank=True, editable=False)
    note = limited_text(NOTE_MAX, blank=True)
    origin = models.CharField(max_length=20, choices=ClaimOrigin.choices, default=ClaimOrigin.MANUAL)
    status = models.CharField(max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.CONFIRMED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="claims",
    )
    history = HistoricalRecords(excluded_fields=["embedding"])

    class Meta:
        ordering = ["source_id", "start", "-end", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="claim_start_before_end"),
            models.UniqueConstraint(
                fields=["source", "start", "end", "kind"], name="claim_unique_span_kind"
            ),
        ]
        indexes = [models.Index(fields=["source", "start"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.exact[:60]}"

    @property
    def provenance(self) -> str:
        """Where the claim comes from and where it stands, said once: "Suggested by the
        workbench", "Suggested by the workbench · confirmed", "Tagged by rita"."""
        who = self.created_by.get_username() if self.created_by_id else ""
        if self.origin == ClaimOrigin.SUGGESTED:
            said = "Suggested by the workbench"
            if self.status != ClaimStatus.SUGGESTED:
                said += f" · {self.get_status_display().lower()}" + (f" by {who}" if who else "")
            return said
        said = f"Tagged by {who}" if who else "Tagged by a reviewer"
        return said if self.status == ClaimStatus.CONFIRMED else f"{said} · {self.get_status_display().lower()}"

    @cached_property
    def sentence_parts(self) -> tuple[str, str, str]:
        """The sentence stating the claim as (before, the claim, after), for showing it with
        the value marked; "…" where it is cut. Cut from the window of text a list's query
        loads around the claim (``selectors.with_sentence_window``: never a whole source per
        row), else from the source's text."""
        text, offset = getattr(self, "sentence_window", None), getattr(self, "sentence_window_from", 0)
        if text is None:
            text, offset = self.source.text, 0
        start, end = self.start - offset, self.end - offset
        left, right = sentence_window(text, start, end)
        # A sentence also ends at a citation marker after its stop ("2012.[106] Assange").
        ends = list(_CITED_STOP.finditer(text, left, start))
        if ends:
            left = ends[-1].end()
        cited = _CITED_STOP.search(text, end, right)
        if cited:
            right = cited.end()
        before, after = text[left:start].lstrip(), text[end:right].rstrip()
        if left == 0 and offset > 0:  # the window began mid-sentence: start at a whole word
            before = "…" + text[text.find(" ", 0, start) + 1:start]
        window_cut = getattr(self, "sentence_window", None) is not None and len(text) >= end + SENTENCE_WINDOW
        if right == len(text) and window_cut and " " in after:  # it ran past the window's end
            after = after[:after.rfind(" ")] + "…"
        return before, text[start:end], after

    @property
    def subject_if_new(self) -> str:
        """The subject, unless it only repeats the sentence shown (a suggestion's subject is
        often the words around its value)."""
        shown = "".join(self.sentence_parts)
        return "" if not self.subject or self.subject.strip("…") in shown else self.subject

    @property
    def value_display(self) -> str:
        from .values import describe

        return describe(self.value) if self.value.get("type") else ""

    @property
    def reading(self) -> str:
        """The claim as the workbench reads it, said once: what it measures, its value and
        its kind ("deaths: 57 (count)"; "57 (count)" where nobody has said what it measures)."""
        said = f"{self.value_display or self.exact} ({self.kind})"
        return f"{self.property}: {said}" if self.property else said

    def clean(self):
        text = self.source.text
        if self.start is None or self.end is None:
            return
        if not (0 <= self.start < self.end <= len(text)):
            raise ValidationError(
                f"The span {self.start}–{self.end} is outside the text of "
                f"“{self.source.title}” (0–{len(text)}) or empty."
            )
        if text[self.start:self.end] != self.exact:
            raise ValidationError(
                f"The quoted text does not match the source at {self.start}–{self.end}: "
                f"the source says “{text[self.start:self.end][:80]}”."
            )

    # What the value measures ("deaths", "share of votes, percent"): read from the parse or a
    # table's header, shown to the reviewer, and the fact's property when reconciling. Last in
    # the class body: the name hides the builtin ``property`` from here on.
    property = models.CharField(max_length=PROPERTY_MAX, blank=True)


def common_property(claims) -> str:
    """What most of the claims say they measure (the first of them on a tie); "" when none says."""
    counts: dict[str, int] = {}
    for claim in claims:
        said = claim.property.strip()
        if said:
            counts[said] = counts.get(said, 0) + 1
    return max(counts, key=counts.__getitem__, default="")


class ContradictionStatus(models.TextChoices):
    CANDIDATE = "candidate", "Candidate"
    CONFIRMED = "confirmed", "Confirmed"
    DISMISSED = "dismissed", "Dismissed"
    RESOLVED = "resolved", "Resolved"


def marked_contradictions(prefix: str = "") -> Q:
    """Contradictions shown to readers as open: confirmed ones, and candidates the detector is
    confident of (``Contradiction.is_marked`` says the same of one object)."""
    return Q(**{f"{prefix}status": ContradictionStatus.CONFIRMED}) | Q(**{
        f"{prefix}status": ContradictionStatus.CANDIDATE, f"{prefix}score__gte": settings.WORKBENCH_MIN_SCORE})


class Contradiction(TimeStampedModel):
    kind = models.CharField(max_length=20, choices=ClaimKind.choices)
    status = models.CharField(
        max_length=20, choices=ContradictionStatus.choices, default=ContradictionStatus.CONFIRMED
    )
    claims = models.ManyToManyField(Claim, related_name="contradictions")
    note = limited_text(NOTE_MAX, blank=True)
    score = models.FloatField(null=True, blank=True, help_text="Detector score in [0, 1].")
    explanation = models.TextField(blank=True)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="flagged_contradictions",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="confirmed_contradictions",
    )
    fact = models.ForeignKey(
        "Fact", null=True, blank=True, on_delete=models.SET_NULL, related_name="contradictions"
    )
    history = HistoricalRecords(m2m_fields=[claims])

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="resolved") | Q(fact__isnull=False),
                name="contradiction_resolved_has_fact",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=1)),
                name="contradiction_score_in_unit_interval",
            ),
        ]

    def __str__(self):
        return f"Contradiction #{self.pk} ({self.get_kind_display()}, {self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("contradiction-detail", args=[self.pk])

    @property
    def is_marked(self) -> bool:
        return self.status == ContradictionStatus.CONFIRMED or (
            self.status == ContradictionStatus.CANDIDATE and (self.score or 0) >= settings.WORKBENCH_MIN_SCORE)


class FactStatus(models.TextChoices):
    RECONCILED = "reconciled", "Reconciled"
    DISPUTED = "disputed", "Disputed"
    UNVERIFIABLE = "unverifiable", "Unverifiable"


class Fact(TimeStampedModel):
    subject = models.CharField(max_length=SUBJECT_MAX)
    property = models.CharField(max_length=PROPERTY_MAX, blank=True)
    value_text = models.CharField("value", max_length=VALUE_TEXT_MAX)
    value = models.JSONField(default=dict, blank=True, help_text="Normalised value.")
    status = models.CharField(max_length=20, choices=FactStatus.choices, default=FactStatus.RECONCILED)
    rationale = limited_text(RATIONALE_MAX)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="facts",
    )
    reconciled_at = models.DateTimeField()
    # Optimistic locking: every edit bumps it, and an edit based on an old version is refused.
    version = models.PositiveIntegerField(default=1)
    # Set when a claim it cites changed under it (a new version of the source corrected the
    # value, or lost the claim); says what to look at again. Cleared by the next edit.
    needs_review = models.TextField(blank=True, help_text="Why the fact should be reviewed again, if it should.")
    claims = models.ManyToManyField(Claim, through="Evidence", related_name="facts")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reconciled_at", "-pk"]

    def __str__(self):
        return f"{self.subject}: {self.value_text}"

    def get_absolute_url(self):
        return reverse("fact-detail", args=[self.pk])


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    REFUTES = "refutes", "Refutes"


class Evidence(TimeStampedModel):
    fact = models.ForeignKey(Fact, on_delete=models.CASCADE, related_name="evidence")
    # PROTECT: a claim that backs a published fact cannot vanish with its source.
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="evidence")
    stance = models.CharField(max_length=10, choices=Stance.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["fact_id", "pk"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(fields=["fact", "claim"], name="evidence_unique_claim_per_fact")
        ]

    def __str__(self):
        return f"{self.claim} {self.stance} {self.fact}"


class ReanchorOutcome(models.TextChoices):
    EXACT = "exact", "Moved exactly"
    CHANGED = "changed", "Moved with changes"
    ORPHANED = "orphaned", "Orphaned"
    PLACED = "placed", "Placed by a reviewer"


class Reanchoring(TimeStampedModel):
    """What became of one claim of a source's old version in a new version (``revision``):
    the claim it became there, or none (orphaned, until a reviewer places it)."""
    revision = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="reanchorings")
    old_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="reanchorings")
    new_claim = models.OneToOneField(
        Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="reanchored_from")
    outcome = models.CharField(max_length=20, choices=ReanchorOutcome.choices)
    score = models.FloatField(default=0, help_text="How well the context matched, 0-100.")
    reason = models.CharField(max_length=200, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["revision_id", "old_claim__start", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "old_claim"], name="reanchoring_once_per_revision"),
            # The other way round does not hold: a claim placed in the new version may be
            # deleted there since (the record keeps what became of the old one).
            models.CheckConstraint(condition=~Q(outcome="orphaned") | Q(new_claim__isnull=True),
                                   name="reanchoring_orphan_has_no_claim"),
        ]

    def __str__(self):
        return f"{self.old_claim} → {self.get_outcome_display().lower()}"


class Correction(TimeStampedModel):
    """A value the source itself changed between two versions ("190" became "220"): not a
    contradiction between sources, and shown as such."""
    revision = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="corrections")
    old_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="corrections_from")
    new_claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="corrections_to")
    old_value = models.JSONField(default=dict, blank=True)
    new_value = models.JSONField(default=dict, blank=True)
    old_start = models.PositiveIntegerField()
    old_end = models.PositiveIntegerField()
    new_start = models.PositiveIntegerField()
    new_end = models.PositiveIntegerField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "old_claim"], name="correction_once_per_revision"),
        ]

    def __str__(self):
        return f"{self.old_claim.exact} → {self.new_claim.exact}"

    @property
    def explanation(self) -> str:
        day = self.revision.created_at.date().isoformat() if self.revision.created_at else "?"
        return (f"The source itself changed this value on {day}: “{self.old_claim.exact}” became "
                f"“{self.new_claim.exact}” in its new version.")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ImportBatch(TimeStampedModel):
    """Files uploaded together in the browser, imported by a background worker.

    The files' bytes wait in ``ImportFile`` rows, so the worker (another process, perhaps
    another machine) reads them from the database, and a retry finds what is left to do.
    """
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="import_batches",
    )
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    task_id = models.CharField(max_length=64, blank=True, help_text="The django-tasks result id.")
    attempts = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # The encoding the uploader chose for every file of the batch; blank: detect each.
    encoding = models.CharField(max_length=40, blank=True)
    processed = models.PositiveIntegerField(default=0, help_text="Files imported or refused so far.")
    analysed = models.PositiveIntegerField(default=0, help_text="Sources read by spaCy so far.")
    to_analyse = models.PositiveIntegerField(default=0)
    # The source being read now and how much of its text is read (0..1): one long source
    # is most of an import's time.
    reading_title = models.CharField(max_length=TITLE_MAX, blank=True)
    reading_fraction = models.FloatField(default=0)
    started_at = models.DateTimeField(null=True, blank=True, help_text="When the worker last started on it.")
    suggested = models.PositiveIntegerField(default=0)
    candidates = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "import batches"

    def __str__(self):
        return f"Import #{self.pk} ({self.total} files, {self.get_status_display().lower()})"

    def get_absolute_url(self):
        return reverse("import-detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def is_stalled(self) -> bool:
        """Running, yet no progress saved for WORKBENCH_IMPORT_STALL_MINUTES: its worker has
        most likely stopped (killed, or its machine restarted), and it may be retried."""
        limit = timedelta(minutes=settings.WORKBENCH_IMPORT_STALL_MINUTES)
        return self.status == ImportStatus.RUNNING and self.updated_at < timezone.now() - limit

    @property
    def can_retry(self) -> bool:
        """A failed import, or one whose worker stopped, may be queued again."""
        return self.status == ImportStatus.FAILED or self.is_stalled

    @property
    def progress_fraction(self) -> float:
        """Progress over both stages, 0..1: importing the files, then reading the sources,
        counting the part read of the source being read."""
        steps = self.total + self.to_analyse
        if not steps:
            return 1.0
        return min(1.0, (self.processed + self.analysed + self.reading_fraction) / steps)

    @property
    def percent(self) -> int:
        return round(100 * self.progress_fraction)

    @property
    def seconds_left(self) -> int | None:
        """A running import's time left at the pace so far; None before there is a pace."""
        fraction = self.progress_fraction
        if self.status != ImportStatus.RUNNING or not self.started_at or not 0.02 <= fraction < 1:
            return None
        elapsed = (timezone.now() - self.started_at).total_seconds()
        return max(1, round(elapsed * (1 - fraction) / fraction))


class ImportFileStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    IMPORTED = "imported", "Imported"
    REFUSED = "refused", "Refused"


class ImportFile(models.Model):
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=500)
    size = models.PositiveIntegerField()
    # Emptied once the file is imported or refused: the source keeps the text.
    raw = models.BinaryField(editable=False)
    status = models.CharField(max_length=20, choices=ImportFileStatus.choices, default=ImportFileStatus.PENDING)
    message = models.TextField(blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["batch_id", "pk"]

    def __str__(self):
        return self.name
