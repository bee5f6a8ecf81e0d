"""Word-level differences between a colleague's text and yours, for the conflict page."""
import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def word_diff(theirs: str, yours: str) -> SafeString:
    """``theirs`` turned into ``yours`` word by word: words only in theirs in <del>, words only
    in yours in <ins>, the rest as it is. White space stays with the word before it, so the
    marked runs read as written."""
    a, b = re.findall(r"\S+\s*", theirs), re.findall(r"\S+\s*", yours)
    # Words are compared without the space after them: "reported." ending one text is the
    # same word as "reported. " inside the other.
    matcher = difflib.SequenceMatcher(a=[w.rstrip() for w in a], b=[w.rstrip() for w in b], autojunk=False)
    parts = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
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
