"""Turning raw bytes into source text: decoding, mojibake repair, newline normalisation,
and the checks that refuse input a reviewer could not use.

The browser upload, ``import_sources`` and ``load_seeds`` all go through
``services.source_import``, which calls ``decode_source`` here.
"""
import hashlib
from dataclasses import dataclass

import ftfy
from charset_normalizer import from_bytes
from django.conf import settings

from .errors import ImportRefused

IMPORTABLE_SUFFIXES = (".txt", ".md")

# ftfy repairs mojibake ("370Â km") but must not restyle honest text: curly quotes and
# ligatures stay as the author wrote them, and nothing is stripped.
_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    remove_terminal_escapes=False,
    normalization=None,
    explain=False,
)

# Control characters that never appear in text a person wrote (tab, LF, CR allowed).
_CONTROL = {chr(c) for c in range(32) if c not in (9, 10, 13)} | {"\x7f"}


@dataclass(frozen=True)
class DecodedSource:
    text: str
    raw_sha256: str
    encoding: str


def sha256_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


# The encodings an uploader may choose when the guess is wrong ("" lets the importer guess):
# Python codec names, as recorded on the Source.
ENCODING_CHOICES = [
    ("", "Detect automatically"),
    ("utf-8", "UTF-8"),
    ("cp1252", "Western European (Windows-1252)"),
    ("latin_1", "Western European (ISO-8859-1, Latin-1)"),
    ("iso8859_15", "Western European (ISO-8859-15)"),
    ("cp1250", "Central European (Windows-1250)"),
    ("iso8859_2", "Central European (ISO-8859-2)"),
    ("cp1251", "Cyrillic (Windows-1251)"),
    ("utf-16", "UTF-16"),
    ("mac_roman", "Mac Roman"),
]

def encoding_label(encoding: str) -> str:
    """An encoding in words ("Western European (Windows-1252)"); "" when none was recorded."""
    return dict(ENCODING_CHOICES).get(encoding, encoding) if encoding else ""


# Western European encodings, preferred when detection cannot tell them from another one.
WESTERN = ("cp1252", "latin_1", "iso8859_15")
# How much more chaotic or less coherent than the best guess a Western reading may be and
# still be preferred. For a short Spanish text charset-normalizer scores cp1250, cp1252,
# cp1257 and iso8859_10 equally, and ranks a French one's cp1257 reading ("crčme, brūlée")
# 0.09 less chaotic than cp1252's; Czech, Polish, Russian or Greek text read as cp1252 is
# far more chaotic and is not even a candidate. The cost: Hungarian in cp1250 ("ő", "ű")
# scores like cp1252 and is read as Western ("õ", "û"); its uploader chooses cp1250.
CLOSE_CHAOS, CLOSE_COHERENCE = 0.1, 0.05


def _guess(raw: bytes, name: str) -> tuple[str, str]:
    """charset-normalizer's reading, but a Western European one when it is as good: the
    detector ranks equally plausible candidates arbitrarily, and read as cp1250 a Latin-1
    "Núñez" becomes "Núńez" for good (a source's text is never edited)."""
    results = from_bytes(raw)
    best = results.best()
    if best is None:
        raise ImportRefused(name, "its encoding could not be recognised; choose its encoding, or save it as "
                                  "UTF-8, and try again.")
    if best.encoding not in WESTERN:
        western = next((m for m in results if m.encoding in WESTERN
                        and m.chaos <= best.chaos + CLOSE_CHAOS and m.coherence >= best.coherence - CLOSE_COHERENCE),
                       None)
        if western is not None:
            return str(western), western.encoding
    text = str(best)
    if best.encoding not in WESTERN and _decodes_as(raw, "cp1252") == text:
        # The detector lists one of several codecs that read these bytes alike (German
        # text in cp1250 or cp1252): name the Western one, which the file most likely is.
        return text, "cp1252"
    return text, best.encoding


def _decodes_as(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def _decode(raw: bytes, name: str, encoding: str = "") -> tuple[str, str]:
    if encoding:
        try:
            text = raw.decode("utf-8-sig" if encoding == "utf-8" else encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            label = encoding_label(encoding)
            reason = getattr(exc, "reason", "unknown encoding")
            raise ImportRefused(name, f"it is not valid {label} ({reason}); choose another encoding.")
        return text, encoding
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ImportRefused(name, f"it starts with a UTF-16 mark but is not UTF-16 ({exc.reason}).")
    if b"\x00" in raw:
        raise ImportRefused(name, "it looks like a binary file (it contains NUL bytes), not text.")
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _guess(raw, name)


def normalise_text(text: str) -> str:
    """Repair mojibake and normalise newlines; nothing else about the text changes."""
    text = ftfy.fix_text(text, config=_FTFY_CONFIG)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def refuse_binary(text: str, *, name: str) -> None:
    """Refuse text no person wrote (NUL, or many control characters); a stray few are kept."""
    controls = sum(1 for ch in text if ch in _CONTROL)
    if "\x00" in text or controls > max(8, len(text) // 100):
        raise ImportRefused(name, "it looks like a binary file (control characters), not text.")


def decode_source(raw: bytes, *, name: str, encoding: str = "") -> DecodedSource:
    """Decode and check one file's bytes, or raise ImportRefused saying why. ``encoding``
    (a Python codec name) is the uploader's choice; blank, it is detected."""
    limit = settings.WORKBENCH_MAX_SOURCE_BYTES
    if len(raw) > limit:
        raise ImportRefused(
            name, f"it is {len(raw):,} bytes, over the limit of {limit:,} bytes "
            "(WORKBENCH_MAX_SOURCE_BYTES)."
        )
    if not raw.strip():
        raise ImportRefused(name, "it is empty.")
    text, encoding = _decode(raw, name, encoding)
    refuse_binary(text, name=name)
    text = normalise_text(text)
    if not text.strip():
        raise ImportRefused(name, "it contains only white space.")
    return DecodedSource(text=text, raw_sha256=sha256_of(raw), encoding=encoding)
