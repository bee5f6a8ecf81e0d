"""Bad input, tried: every case gets a clear message or is handled right; nothing half-saved."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.errors import ImportRefused, WorkbenchError
from annotations.models import Claim, Source
from annotations.services import claim_create, source_import


@pytest.mark.parametrize(
    ("raw", "outcome"),
    [
        (b"", "it is empty"),
        (b"   \n\t  ", "it is empty"),
        (b"x" * (10 * 1024 * 1024), "over the limit"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary"),
        (b"text with a NUL \x00 inside", "binary"),
        (b"invalid \xff\xfe\xfa utf-8 \xc3\x28 but mostly text " * 20, None),
        ("UTF-16 with BOM: café".encode("utf-16"), "UTF-16 with BOM: café"),
        ("Windows-1252: naïve “quotes” café".encode("cp1252"), "café"),
        (b"CRLF line one\r\nline two\r\n", "CRLF line one\nline two\n"),
        (("a" * 100_000 + "\n").encode(), "a" * 100_000),
        ("نص من اليمين إلى اليسار في 2012".encode(), "اليسار"),
        ('<script>alert("x")</script> & <b>bold</b>'.encode(), "<script>"),
    ],
    ids=["empty", "whitespace", "10MB", "binary", "nul", "invalid-utf8", "utf16-bom", "cp1252", "crlf",
         "long-line", "rtl", "html"],
)
def test_importer_matrix(db, raw, outcome):
    if outcome in {"it is empty", "over the limit", "binary"}:
        with pytest.raises(ImportRefused, match=outcome):
            source_import(name="bad.txt", raw=raw)
        assert Source.objects.count() == 0
        return
    source = source_import(name="ok.txt", raw=raw)
    if outcome is not None:
        assert outcome in source.text


def test_emoji_and_combining_characters_keep_offsets_in_code_points(db, user):
    text = "e\u0301cole 👩🏽‍🔬 🇪🇨 reported 150 cases on 3 May 2020."
    source = source_import(name="emoji.txt", raw=text.encode())
    start = text.index("3 May 2020")
    claim = claim_create(source=source, start=start, end=start + 10, exact="3 May 2020", kind="date", user=user)
    assert source.text[claim.start:claim.end] == "3 May 2020"
    assert claim.prefix.endswith("cases on ")


@pytest.mark.parametrize(
    ("start", "end", "exact", "message"),
    [(-5, 3, "Asy", "not inside"), (10, 2, "x", "not inside"), (0, 10**9, "x", "not inside"),
     (0, 6, "Asylun", "does not match"), (0, 6, "asylum", "does not match")],
)
def test_span_matrix(db, user, start, end, exact, message):
    source = source_import(name="s.txt", raw=b"Asylum was offered in 2012.")
    with pytest.raises(WorkbenchError, match=message):
        claim_create(source=source, start=start, end=end, exact=exact, kind="date", user=user)
    assert Claim.objects.count() == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=2000))
def test_importer_fuzz_never_crashes_and_never_half_saves(db, raw):
    before = Source.objects.count()
    try:
        source = source_import(name="fuzz.txt", raw=raw)
    except ImportRefused as exc:
        assert exc.reason and Source.objects.count() == before
    else:
        assert source.text.strip() and "\x00" not in source.text and "\r" not in source.text
        source.delete()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.integers(-10, 60), end=st.integers(-10, 60), exact=st.text(max_size=12))
def test_span_fuzz_saves_only_exact_spans(db, user, start, end, exact):
    source = Source.objects.filter(origin="span.txt").first() or source_import(
        name="span.txt", raw="Kestrel dam 🇪🇨 opened in 2019.".encode())
    before = Claim.objects.count()
    try:
        claim = claim_create(source=source, start=start, end=end, exact=exact, kind="other", user=user)
    except WorkbenchError:
        assert Claim.objects.count() == before  # refused: nothing saved
    else:
        assert 0 <= claim.start < claim.end <= len(source.text)
        assert source.text[claim.start:claim.end] == claim.exact == exact
        claim.delete()


# --- free text has a limit, said the same way whichever door it came through ------------

FIVE_MB = "x" * (5 * 1024 * 1024)


def _snapshot():
    """Every row a reviewer's text could have changed, as saved."""
    from annotations.models import Contradiction, Fact

    return ([tuple(c) for c in Claim.objects.order_by("pk").values_list("pk", "subject", "note", "status")],
            [tuple(c) for c in Contradiction.objects.order_by("pk").values_list("pk", "note", "status")],
            [tuple(f) for f in Fact.objects.order_by("pk").values_list("pk", "rationale", "subject", "version")],
            [tuple(s) for s in Source.objects.order_by("pk").values_list("pk", "title", "notes")])


@pytest.fixture
def asylum_world(db, user):
    from annotations.services import contradiction_flag, fact_reconcile

    a = source_import(name="a.txt", raw=b"Asylum was offered in November 2012.")
    b = source_import(name="b.txt", raw=b"Asylum was granted on August 16, 2012.")
    nov = claim_create(source=a, start=22, end=35, exact="November 2012", kind="date", user=user)
    aug = claim_create(source=b, start=22, end=37, exact="August 16, 2012", kind="date", user=user)
    open_one = contradiction_flag(claims=[nov, aug], user=user)
    other = claim_create(source=b, start=0, end=6, exact="Asylum", kind="other", user=user)
    mine = claim_create(source=a, start=0, end=6, exact="Asylum", kind="other", user=user)
    settled = contradiction_flag(claims=[mine, other], user=user)
    fact = fact_reconcile(contradiction=settled, user=user, value_text="asylum", status="reconciled",
                          rationale="Both say so.", stances={mine.pk: "supports", other.pk: "supports"})
    return {"a": a, "nov": nov, "aug": aug, "other": other, "open": open_one, "fact": fact}


def _writes(world, user):
    """Each service that takes a reviewer's free text, given FIVE_MB (or one character too
    many) in it, and the message expected."""
    from annotations.services import (
        claim_set_status,
        contradiction_flag,
        fact_reconcile,
        fact_update,
        source_update,
    )

    def retag_own_rejected_claim():
        claim_set_status(claim=world["nov"], status="rejected", user=user)
        claim_create(source=world["a"], start=22, end=35, exact="November 2012", kind="date", user=user,
                     note=FIVE_MB)

    def reconcile():
        fact_reconcile(contradiction=world["open"], user=user, value_text="16 August 2012", status="reconciled",
                       rationale=FIVE_MB, stances={world["nov"].pk: "refutes", world["aug"].pk: "supports"})

    def reconcile_long_subject():
        fact_reconcile(contradiction=world["open"], user=user, value_text="16 August 2012", status="reconciled",
                       rationale="r", subject="s" * 301,
                       stances={world["nov"].pk: "refutes", world["aug"].pk: "supports"})

    note = "Note: at most 10,000 characters (this one has 5,242,880)."
    return {
        "new claim": (lambda: claim_create(source=world["a"], start=0, end=6, exact="Asylum", kind="entity",
                                           user=user, note=FIVE_MB), note),
        "own claim tagged again": (retag_own_rejected_claim, note),
        "flag": (lambda: contradiction_flag(claims=[world["nov"], world["other"]], user=user, note=FIVE_MB), note),
        "reconcile": (reconcile, "Rationale: at most 20,000 characters (this one has 5,242,880)."),
        "reconcile subject": (reconcile_long_subject, "Subject: at most 300 characters (this one has 301)."),
        "fact edit": (lambda: fact_update(fact=world["fact"], user=user, version=1, value_text="v" * 501,
                                          status="reconciled", rationale="r", subject="s"),
                      "Value: at most 500 characters (this one has 501)."),
        "source edit": (lambda: source_update(source=world["a"], user=user, title="A", publisher="", published_on=None,
                                              kind="news", notes=FIVE_MB),
                        "Notes: at most 10,000 characters (this one has 5,242,880)."),
    }


@pytest.mark.parametrize("write", ["new claim", "own claim tagged again", "flag", "reconcile", "reconcile subject",
                                   "fact edit", "source edit"])
def test_oversized_free_text_is_refused_with_its_limit_and_saves_nothing(asylum_world, user, write):
    """Failed before the fix: a 5 MB note, rationale or source note was saved, and a long
    reconciled subject was cut at 300 characters without a word."""
    from django.db import transaction

    action, message = _writes(asylum_world, user)[write]
    before = _snapshot()
    with pytest.raises(WorkbenchError) as refused, transaction.atomic():
        action()
    assert str(refused.value) == message
    assert _snapshot() == before


def test_text_at_its_limit_is_saved(asylum_world, user):
    from annotations.models import NOTE_MAX

    claim = claim_create(source=asylum_world["a"], start=0, end=6, exact="Asylum", kind="entity", user=user,
                         note="n" * NOTE_MAX)
    assert len(Claim.objects.get(pk=claim.pk).note) == NOTE_MAX
