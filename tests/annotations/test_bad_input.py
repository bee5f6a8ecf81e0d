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
