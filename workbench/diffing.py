"""Word-level differences between two texts: marked up for the conflict page, and as
character spans for the revision page's two columns."""
import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .highlighting import Mark


def word_diff(theirs: str, yours: str) -> SafeString:
    """``theirs`` turned into ``yours`` word by word: words only in theirs in <del>, words only
    in yours in <ins>, the rest as it is. White space stays with the word before it, so the
    marked runs read as written."""
    a, b = re.findall(WORD, theirs), re.findall(WORD, yours)
    parts = []
    for op, i1, i2, j1, j2 in _opcodes(a, b):
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        # A marked run after a word with no space of its own (the last word of one text, the
        # one before an inserted word) gets one, so the words never run together.
        if i2 > i1:
            parts.append(_spaced(parts) + _marked("del", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(_spaced(parts) + _marked("ins", "".join(b[j1:j2])))
    return mark_safe("".join(parts))


WORD = r"\S+\s*"  # a word with the white space after it


def _opcodes(a: list[str], b: list[str]) -> list[tuple]:
    # Words are compared without the space after them: "reported." ending one text is the
    # same word as "reported. " inside the other.
    matcher = difflib.SequenceMatcher(a=[w.rstrip() for w in a], b=[w.rstrip() for w in b], autojunk=False)
    return matcher.get_opcodes()


@dataclass(frozen=True)
class Change:
    """One run of changed words, as code point spans of each text. A side with no words
    (a pure insertion or deletion) has an empty span: the place where the words were or went."""
    number: int
    old_start: int
    old_end: int
    new_start: int
    new_end: int


def word_changes(old: str, new: str) -> list[Change]:
    """The runs of words deleted from ``old`` and inserted into ``new`` (difflib over words),
    numbered from 1 in reading order; each span hugs its words (no trailing white space).

    Lines are matched first and words only within the lines that differ: difflib over the
    words of a whole 50,000-word source takes seconds, over its changed paragraphs a blink."""
    a, b = list(re.finditer(LINE, old)), list(re.finditer(LINE, new))
    changes: list[Change] = []
    lines = difflib.SequenceMatcher(a=[m.group() for m in a], b=[m.group() for m in b], autojunk=False)
    for op, i1, i2, j1, j2 in lines.get_opcodes():
        if op == "equal":
            continue
        old_at = a[i1].start() if i1 < len(a) else len(old)
        new_at = b[j1].start() if j1 < len(b) else len(new)
        old_part = old[old_at:a[i2 - 1].end()] if i2 > i1 else ""
        new_part = new[new_at:b[j2 - 1].end()] if j2 > j1 else ""
        for c in _word_changes(old_part, new_part):
            changes.append(Change(len(changes) + 1, old_at + c[0], old_at + c[1], new_at + c[2], new_at + c[3]))
    return changes


LINE = r"[^\n]*\n+|[^\n]+"  # a line with the blank lines after it: no run of identical blank lines to match


def _word_changes(old: str, new: str) -> list[tuple[int, int, int, int]]:
    a, b = list(re.finditer(WORD, old)), list(re.finditer(WORD, new))

    def span(words, i, j, text):
        if j > i:
            return words[i].start(), words[i].start() + len(text[words[i].start():words[j - 1].end()].rstrip())
        at = words[i].start() if i < len(words) else len(text)
        return at, at

    return [(*span(a, i1, i2, old), *span(b, j1, j2, new))
            for op, i1, i2, j1, j2 in _opcodes([m.group() for m in a], [m.group() for m in b]) if op != "equal"]


def _spaced(parts: list[str]) -> str:
    return " " if parts and not parts[-1][-1:].isspace() else ""


def _marked(tag: str, text: str) -> str:
    # The white space after the run stays outside the mark, so the mark hugs the words.
    words = text.rstrip()
    return f"<{tag}>{escape(words)}</{tag}>{escape(text[len(words):])}"


def field_diffs(fields: list[tuple[str, str, str, str]]) -> list[dict]:
    """One row per field: (name, label, theirs, yours) to its label, whether it differs, and
    the marked difference."""
    return [{"name": name, "label": label, "changed": theirs != yours, "diff": word_diff(theirs, yours)}
            for name, label, theirs, yours in fields]


def change_marks(changes: list[Change]) -> tuple[list[Mark], list[Mark]]:
    """The marks that draw ``changes`` over each text: deleted words in <del> in the old text,
    inserted words in <ins> in the new one, and in each text the place where the other's
    words went or came from. Change N is ``#old-change-N`` and ``#new-change-N``."""
    old, new = [], []
    for c in changes:
        old.append(Mark(c.old_start, c.old_end, "del" if c.old_end > c.old_start else "ins", f"old-change-{c.number}"))
        new.append(Mark(c.new_start, c.new_end, "ins" if c.new_end > c.new_start else "del", f"new-change-{c.number}"))
    return old, new
