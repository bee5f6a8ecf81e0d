from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from annotations.errors import ImportRefused
from annotations.importing import decode_source, sha256_of
from annotations.management.commands.load_seeds import SEEDS_DIR, load_seeds
from annotations.models import Source
from annotations.services import source_import


def test_utf8_text_is_kept_with_its_sha256():
    raw = "Ecuador granted asylum on August 16, 2012.[107]\n".encode()
    decoded = decode_source(raw, name="a.txt")
    assert decoded.text == "Ecuador granted asylum on August 16, 2012.[107]\n"
    assert decoded.raw_sha256 == sha256_of(raw)


def test_mojibake_in_seed_000_is_repaired():
    raw = (SEEDS_DIR / "000_344638030b921028.txt").read_bytes()
    text = decode_source(raw, name="000.txt").text
    assert "370\u00a0km" in text
    assert "Â" not in text


def test_curly_quotes_and_citation_markers_are_not_touched():
    raw = "He called it “meaningful”.[83] Ecuador’s claim.".encode()
    assert decode_source(raw, name="q.txt").text == "He called it “meaningful”.[83] Ecuador’s claim."


@pytest.mark.parametrize("raw", [b"one\r\ntwo\rthree\n", b"one\ntwo\nthree\n"])
def test_newlines_are_normalised(raw):
    assert decode_source(raw, name="n.txt").text == "one\ntwo\nthree\n"


def test_utf16_with_bom_is_decoded():
    raw = "Quito, 16 August 2012 — asylum".encode("utf-16")
    assert decode_source(raw, name="u16.txt").text == "Quito, 16 August 2012 — asylum"


def test_windows_1252_is_detected_rather_than_crashing():
    raw = "Le président a signé l’accord « définitif » à Quito en décembre 2008.".encode("cp1252", errors="replace")
    text = decode_source(raw, name="w.txt").text
    assert "président" in text and "décembre" in text


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b"   \n\t  \r\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_unusable_input_is_refused_with_a_reason(raw, reason):
    with pytest.raises(ImportRefused, match=reason):
        decode_source(raw, name="bad.txt")


def test_file_over_the_size_limit_is_refused(settings):
    settings.WORKBENCH_MAX_SOURCE_BYTES = 100
    with pytest.raises(ImportRefused, match="over the limit of 100 bytes"):
        decode_source(b"x" * 101, name="big.txt")


def test_refused_import_saves_nothing(db, user):
    with pytest.raises(ImportRefused):
        source_import(name="empty.txt", raw=b"", user=user)
    assert Source.objects.count() == 0


def test_duplicate_bytes_are_refused_naming_the_original(make_source):
    original = make_source("The same text twice.", name="first.txt")
    with pytest.raises(ImportRefused, match="duplicate of .*first.txt"):
        source_import(name="second.txt", raw=b"The same text twice.")
    assert list(Source.objects.all()) == [original]


def test_metadata_given_by_the_importer_overrides_guesses_but_blank_does_not(db):
    raw = b"Published on November 21, 2022\nSome news text here.\n"
    source = source_import(name="n.txt", raw=raw, metadata={"kind": "news", "publisher": ""})
    assert source.kind == "news"
    assert source.published_on.isoformat() == "2022-11-21"


def test_load_seeds_is_idempotent(db):
    created, present = load_seeds()
    assert (len(created), present) == (5, 0)
    created, present = load_seeds()
    assert (len(created), present) == (0, 5)
    assert Source.objects.count() == 5


def test_setup_demo_prints_the_address_it_is_given_and_the_account_logs_in(db, client, settings):
    from io import StringIO

    out = StringIO()
    call_command("setup_demo", "--url", "http://127.0.0.1:8123/", stdout=out)
    assert "log in at http://127.0.0.1:8123/" in out.getvalue()
    assert Source.objects.count() == 5
    response = client.post(reverse("login"), {
        "username": settings.WORKBENCH_DEMO_USERNAME, "password": settings.WORKBENCH_DEMO_PASSWORD,
    })
    assert response.status_code == 302 and "_auth_user_id" in client.session

def test_import_sources_reports_each_file_of_a_folder(db, tmp_path: Path, capsys):
    (tmp_path / "good.txt").write_text("Ecuador recognized Palestine in 2010.")
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "copy.txt").write_text("Ecuador recognized Palestine in 2010.")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF-1.4")
    call_command("import_sources", str(tmp_path))
    out = capsys.readouterr().out
    assert "copy.txt: imported" in out
    assert "empty.md: refused: it is empty." in out
    assert "good.txt: refused: it is a duplicate of" in out
    assert "ignored.pdf" not in out
    assert "1 imported, 0 already there, 2 refused." in out
    assert Source.objects.count() == 1


def _write_corpus(folder: Path, count: int) -> None:
    for number in range(count):
        (folder / f"doc-{number:03}.txt").write_text(
            f"Report {number}: the Harlow bridge opened in March {1990 + number % 30} and cost "
            f"${number + 10} million.")


def test_import_sources_resumes_after_an_interruption(db, tmp_path: Path, capsys, monkeypatch):
    from annotations import services
    from annotations.management.commands import import_sources

    _write_corpus(tmp_path, 7)
    real_suggest = import_sources.claims_suggest
    calls = []

    def interrupted_on_second_chunk(**kwargs):
        calls.append(len(kwargs["sources"]))
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl-C after the chunk's sources were saved, before reading
        return real_suggest(**kwargs)

    monkeypatch.setattr(import_sources, "claims_suggest", interrupted_on_second_chunk)
    with pytest.raises(SystemExit) as stopped:
        call_command("import_sources", str(tmp_path), "--chunk", "3")
    assert stopped.value.code == 130
    assert "Interrupted. What was saved stays saved; run the same command again" in capsys.readouterr().err
    assert Source.objects.count() == 6 and Source.objects.filter(analysed_at__isnull=True).count() == 3

    monkeypatch.setattr(import_sources, "claims_suggest", real_suggest)
    call_command("import_sources", str(tmp_path), "--chunk", "3")
    out = capsys.readouterr().out
    assert "1 imported, 6 already there, 0 refused." in out
    assert "doc-000.txt: already imported as" in out
    assert Source.objects.count() == 7
    assert Source.objects.filter(analysed_at__isnull=True).count() == 0
    # Every source was read exactly once: no claim suggested twice.
    spans = list(services.Claim.objects.values_list("source_id", "start", "end", "kind"))
    assert len(spans) == len(set(spans)) and {s for s, *_ in spans} == set(Source.objects.values_list("pk", flat=True))


def test_import_sources_writes_sources_in_bulk(db, tmp_path: Path, django_assert_max_num_queries):
    _write_corpus(tmp_path, 40)
    # Per chunk: one look-up of known hashes, bulk inserts of sources and their history.
    with django_assert_max_num_queries(12):
        call_command("import_sources", str(tmp_path), "--no-analysis", "--chunk", "40", verbosity=0)
    assert Source.objects.count() == 40
    assert Source.history.count() == 40


# Bug 3: charset-normalizer ranks cp1250 first for short Western text that cp1252 decodes
# just as cleanly ("Núñez" became "Núńez", "crème" "crčme", "£200" "Ł200").
SPANISH = "José Núñez dijo que el año pasado la economía creció un 3 % en Cuenca.\n"
FRENCH = "Une crème brûlée, naïve, coûte £200 à Paris ; c'était déjà l'été.\n"


@pytest.mark.parametrize("text", [SPANISH, FRENCH])
def test_latin1_text_is_decoded_as_western_european(text):
    decoded = decode_source(text.encode("latin-1"), name="es.txt")
    assert decoded.text == text
    assert decoded.encoding in {"cp1252", "latin_1", "iso8859_15"}


def test_central_european_text_is_still_read_as_cp1250():
    text = "Příliš žluťoučký kůň úpěl ďábelské ódy. Praha je hlavní město České republiky.\n"
    decoded = decode_source(text.encode("cp1250"), name="cs.txt")
    assert decoded.text == text and decoded.encoding == "cp1250"


def test_the_encoding_chosen_by_the_uploader_is_used_and_recorded(db, user):
    # Hungarian in cp1250 reads as cp1252 just as cleanly to the detector: the uploader says.
    text = "Árvíztűrő tükörfúrógép: Budapest lakossága körülbelül 1,7 millió fő.\n"
    assert decode_source(text.encode("cp1250"), name="hu.txt").text != text
    source = source_import(name="hu.txt", raw=text.encode("cp1250"), user=user, encoding="cp1250")
    assert source.text == text and source.encoding == "cp1250"


def test_bytes_that_are_not_in_the_chosen_encoding_are_refused(db, user):
    with pytest.raises(ImportRefused, match="not valid UTF-8"):
        source_import(name="es.txt", raw=SPANISH.encode("latin-1"), user=user, encoding="utf-8")
    assert not Source.objects.exists()


def test_the_detected_encoding_is_recorded_on_the_source(db, user):
    source = source_import(name="fr.txt", raw=FRENCH.encode("latin-1"), user=user)
    assert source.text == FRENCH and source.encoding == "cp1252"
    assert source_import(name="u.txt", raw=b"plain", user=user).encoding == "utf-8"
