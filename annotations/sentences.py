"""Where a claim's sentence starts and ends, by punctuation alone: cheap enough for a
request, and shared by reading a hand-tagged span and by showing a claim in its sentence."""
import re

# Around a hand-tagged span spaCy reads only its sentence (found here by punctuation, at
# most this far either side): the context is made of the sentence, and parsing a whole
# long source would cost every tagging request tens of milliseconds or seconds.
DESCRIBE_WINDOW_CHARS = 600
SENTENCE_END = re.compile(r"(?:[.!?][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n)")


ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "no", "gen", "col", "lt", "sgt", "prof", "rev", "jr", "sr",
                 "u.s", "u.k", "u.n", "e.g", "i.e", "vs", "inc", "co", "corp", "ltd", "jan", "feb", "aug",
                 "sept", "oct", "nov", "dec"}


def _word_before(text: str, position: int) -> str:
    """The last whitespace-separated word of ``text[:position]`` ("" if none), read backwards
    from ``position``: copying the text before it would cost a long source's length per call."""
    end = position
    while end > 0 and text[end - 1].isspace():
        end -= 1
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


def _ends_sentence(text: str, match) -> bool:
    if match.group().startswith("\n"):
        return True
    return _word_before(text, match.start()).lower().strip("(\"“") not in ABBREVIATIONS


def sentence_window(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence around text[start:end], found by punctuation (not spaCy) and
    at most DESCRIBE_WINDOW_CHARS either side, so it costs the same in a long source."""
    lo = max(0, start - DESCRIBE_WINDOW_CHARS)
    a = lo
    for match in SENTENCE_END.finditer(text, lo, start):
        if _ends_sentence(text, match):
            a = match.end()
    if a == lo and lo > 0:
        a = text.find(" ", lo, start) + 1 or start
    hi = min(len(text), end + DESCRIBE_WINDOW_CHARS)
    match = next((m for m in SENTENCE_END.finditer(text, end, hi) if _ends_sentence(text, m)), None)
    b = match.start() + 1 if match else hi
    if not match and hi < len(text):
        cut = text.rfind(" ", end, hi)
        b = cut if cut > end else end
    return a, b
