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


def _decode(raw: bytes, name: str) -> tuple[str, str]:
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
    best = from_bytes(raw).best()
    if best is None:
        raise ImportRefused(name, "its encoding could not be recognised; save it as UTF-8 and try again.")
    return str(best), best.encoding


def normalise_text(text: str) -> str:
    """Repair mojibake and normalise newlines; nothing else about the text changes."""
    text = ftfy.fix_text(text, config=_FTFY_CONFIG)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def refuse_binary(text: str, *, name: str) -> None:
    """Refuse text no person wrote (NUL, or many control characters); a stray few are kept."""
    controls = sum(1 for ch in text if ch in _CONTROL)
    if "\x00" in text or controls > max(8, len(text) // 100):
        raise ImportRefused(name, "it looks like a binary file (control characters), not text.")


def decode_source(raw: bytes, *, name: str) -> DecodedSource:
    """Decode and check one file's bytes, or raise ImportRefused saying why."""
    limit = settings.WORKBENCH_MAX_SOURCE_BYTES
    if len(raw) > limit:
        raise ImportRefused(
            name, f"it is {len(raw):,} bytes, over the limit of {limit:,} bytes "
            "(WORKBENCH_MAX_SOURCE_BYTES)."
        )
    if not raw.strip():
        raise ImportRefused(name, "it is empty.")
    text, encoding = _decode(raw, name)
    refuse_binary(text, name=name)
    text = normalise_text(text)
    if not text.strip():
        raise ImportRefused(name, "it contains only white space.")
    return DecodedSource(text=text, raw_sha256=sha256_of(raw), encoding=encoding)
