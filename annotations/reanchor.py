"""Claims follow a source's text into its new version.

A claim is anchored by what the W3C calls a TextQuoteSelector (its quote, with the text just
before and after it) and by its old position. In the new text each claim ends in one of three
outcomes: *moved exactly* (the same quote, found with its context), *moved with changes* (its
context found, the text between changed: "190" became "220", or a quote mark became curly), or
*orphaned* (no place the context supports, or two places it supports equally).

The old position is carried over by a diff of the two texts (paragraphs first, then words
inside the paragraphs that changed), so a short quote such as "2019", or a paragraph that now
occurs twice, lands where the diff says its characters went, never on another occurrence.
Only where the diff lost the quote (a paragraph moved, a sentence rewritten) is the new text
searched, and a place found there must be supported by the context, clearly better than any
other place, or the claim is orphaned: a claim listed as orphaned costs a reviewer one
selection, a claim anchored in the wrong place costs a wrong fact.

Pure Python on strings: nothing here knows of Django.
"""
import bisect
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

from rapidfuzz.fuzz import ratio
from rapidfuzz.process import cdist

# Characters of context either side of a quote (models.QUOTE_CONTEXT_CHARS, said again so this
# module stays free of Django).
CONTEXT_CHARS = 32
# A place found by search must beat the next best by this much (0-100) to be taken.
MARGIN = 10.0
# The most occurrences of a quote, or of its context, looked at: a quote found more often
# than this is told apart by the diff or not at all.
MAX_OCCURRENCES = 2000
_LINES = re.compile(r"[^\n]*\n|[^\n]+")
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"',
                         "‟": '"', "«": '"', "»": '"', "\u00a0": " "})
_SPACES = re.compile(r"\s+")


class Outcome(StrEnum):
    EXACT = "exact", "Moved exactly"
    CHANGED = "changed", "Moved with changes"
    ORPHANED = "orphaned", "Orphaned"

    def __new__(cls, value, label):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


@dataclass(frozen=True)
class Placement:
    """Where one claim went: its new span and text (None when orphaned), how well the context
    there matches the old one (0-100), and why, in words a reviewer reads."""
    outcome: Outcome
    start: int | None
    end: int | None
    exact: str
    score: float
    reason: str


class Alignment:
    """The characters the diff says the new text kept from the old, as blocks of (old
    offset, new offset, length), in order on both sides."""

    def __init__(self, old: str, new: str):
        self.old, self.new = old, new
        # Token edges inside a change that replaced as many tokens as it took ('"' by '“',
        # " " by "  "): old offset to new offset, so a quote ending there ends there anew.
        self.edges: dict[int, int] = {}
        self.blocks = _merged(_equal_blocks(old, new, self.edges))
        self._olds = [a for a, _, _ in self.blocks]
        # Blocks by their new offset: a moved paragraph's block is out of the old order.
        self._by_new = sorted((b, b + size) for _, b, size in self.blocks)
        self._news = [b for b, _ in self._by_new]

    def taken(self, start: int, end: int) -> bool:
        """Whether the diff says some of new[start:end] came from elsewhere in the old text."""
        k = bisect.bisect_right(self._news, end - 1) - 1
        return k >= 0 and self._by_new[k][1] > start

    def _block_at(self, position: int) -> int:
        """Index of the last block starting at or before ``position`` (-1 if none)."""
        return bisect.bisect_right(self._olds, position) - 1

    def kept(self, start: int, end: int) -> tuple[int, int, int] | None:
        """The new start of the span if the diff kept all of it in one block, with how many
        kept characters stand before and after it in that block."""
        k = self._block_at(start)
        if k < 0:
            return None
        a, b, size = self.blocks[k]
        if end > a + size:
            return None
        return b + start - a, start - a, a + size - end

    def start_of(self, position: int) -> int | None:
        """Where an old start lands: exactly if the diff kept that character; at the start of
        the change if the change begins there; None inside a change."""
        k = self._block_at(position)
        if k >= 0:
            a, b, size = self.blocks[k]
            if position < a + size:
                return b + position - a
            if position == a + size:
                return b + size
        elif position == 0:
            return 0
        return self.edges.get(position)

    def end_of(self, position: int) -> int | None:
        """Where an old end (exclusive) lands: after the kept character before it, or at the
        end of the change if the change ends there; None inside a change."""
        k = self._block_at(position - 1)
        if k >= 0:
            a, b, size = self.blocks[k]
            if position <= a + size:
                return b + position - a
        following = k + 1
        if following < len(self.blocks) and self.blocks[following][0] == position:
            return self.blocks[following][1]
        if position == len(self.old) and (not self.blocks or _block_end(self.blocks[-1]) <= position):
            return len(self.new)
        return self.edges.get(position)

    def expected(self, position: int) -> int:
        """An estimate of where an old position went, for telling apart places found by search:
        exact where kept, else in proportion inside the change."""
        k = self._block_at(position)
        if k >= 0:
            a, b, size = self.blocks[k]
            if position < a + size:
                return b + position - a
            gap_old, gap_new = a + size, b + size
        else:
            gap_old = gap_new = 0
        if k + 1 < len(self.blocks):
            next_old, next_new = self.blocks[k + 1][0], self.blocks[k + 1][1]
        else:
            next_old, next_new = len(self.old), len(self.new)
        span = max(1, next_old - gap_old)
        return gap_new + (position - gap_old) * (next_new - gap_new) // span


def _block_end(block: tuple[int, int, int]) -> int:
    return block[0] + block[2]


def _key(line: str) -> str:
    """A paragraph as compared at first: white space and quote marks are not changes enough
    to lose it (the word diff inside it then sees them)."""
    return _SPACES.sub(" ", line.translate(_QUOTES)).strip()


def _equal_blocks(old: str, new: str, edges: dict[int, int]) -> list[tuple[int, int, int]]:
    lines_a, lines_b = _LINES.findall(old), _LINES.findall(new)
    offsets_a, offsets_b = _offsets(lines_a), _offsets(lines_b)
    keys_a, keys_b = [_key(x) for x in lines_a], [_key(x) for x in lines_b]
    matcher = SequenceMatcher(None, keys_a, keys_b)
    blocks, changed = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2)):
                if lines_a[i] == lines_b[j]:
                    blocks.append((offsets_a[i], offsets_b[j], len(lines_a[i])))
                else:
                    blocks.extend(_word_blocks([(lines_a[i], offsets_a[i])], [(lines_b[j], offsets_b[j])], edges))
        else:
            changed.append((range(i1, i2), range(j1, j2)))
    # Paragraphs the diff lost: moved ones (found again by their words, perhaps edited), and
    # the rest compared word by word with what replaced them.
    pairs = _moved(keys_a, keys_b, [i for rows, _ in changed for i in rows], [j for _, rows in changed for j in rows])
    for i, j in pairs.items():
        blocks.extend(_word_blocks([(lines_a[i], offsets_a[i])], [(lines_b[j], offsets_b[j])], edges))
    paired_b = set(pairs.values())
    for rows_a, rows_b in changed:
        left = [(lines_a[i], offsets_a[i]) for i in rows_a if i not in pairs]
        right = [(lines_b[j], offsets_b[j]) for j in rows_b if j not in paired_b]
        if left and right:
            blocks.extend(_word_blocks(left, right, edges))
    blocks.sort()
    return blocks


# A paragraph moved is found again if its words match at least this well (rapidfuzz ratio),
# clearly better than any other paragraph's; only paragraphs this long are looked for.
MOVED_RATIO, MOVED_MIN_CHARS = 60.0, 20
# Beyond this many comparisons, lost paragraphs are not looked for (a text rewritten whole).
MOVED_MAX_PAIRS = 4_000_000


def _moved(keys_a: list[str], keys_b: list[str], lost_a: list[int], lost_b: list[int]) -> dict[int, int]:
    """Old paragraphs lost by the diff paired with new ones: the same words, or the best
    match among the new paragraphs the diff did not place, and the old one's best in turn."""
    lost_a = [i for i in lost_a if len(keys_a[i]) >= MOVED_MIN_CHARS]
    lost_b = [j for j in lost_b if len(keys_b[j]) >= MOVED_MIN_CHARS]
    if not lost_a or not lost_b or len(lost_a) * len(lost_b) > MOVED_MAX_PAIRS:
        return {}
    scores = cdist([keys_a[i] for i in lost_a], [keys_b[j] for j in lost_b], scorer=ratio, workers=1)
    pairs = {}
    for row, i in enumerate(lost_a):
        column = int(scores[row].argmax())
        best = scores[row, column]
        if best < MOVED_RATIO or int(scores[:, column].argmax()) != row:
            continue
        others = [scores[row, c] for c in range(len(lost_b)) if c != column]
        others += [scores[r, column] for r in range(len(lost_a)) if r != row]
        if not others or max(others) <= best - MARGIN:
            pairs[i] = lost_b[column]
    return pairs


def _offsets(parts: list[str]) -> list[int]:
    offsets, at = [], 0
    for part in parts:
        offsets.append(at)
        at += len(part)
    offsets.append(at)
    return offsets


def _tokens(segments: list[tuple[str, int]]) -> tuple[list[str], list[int]]:
    """The tokens of some stretches of text and the offset of each."""
    tokens, starts = [], []
    for text, at in segments:
        for m in _TOKENS.finditer(text):
            tokens.append(m.group())
            starts.append(at + m.start())
    return tokens, starts


def _word_blocks(a: list[tuple[str, int]], b: list[tuple[str, int]],
                 edges: dict[int, int]) -> list[tuple[int, int, int]]:
    """Kept characters between changed stretches (each a list of (text, offset) pieces),
    word by word (a word, a run of white space or one punctuation mark is a token: "190"
    becoming "220" is one replaced token). Token edges inside a change of as many tokens
    on both sides go into ``edges``."""
    tokens_a, starts_a = _tokens(a)
    tokens_b, starts_b = _tokens(b)
    # Junk heuristics only where a stretch is long: they speed up long stretches and would
    # make short ones miss their common spaces.
    matcher = SequenceMatcher(None, tokens_a, tokens_b, autojunk=len(tokens_b) > 5000)
    blocks = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            blocks.extend((starts_a[i1 + k], starts_b[j1 + k], len(tokens_a[i1 + k])) for k in range(i2 - i1))
        elif op == "replace" and i2 - i1 == j2 - j1:
            edges.update((starts_a[i1 + k], starts_b[j1 + k]) for k in range(1, i2 - i1))
    return blocks


def _merged(blocks: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    merged: list[list[int]] = []
    for a, b, size in blocks:
        if merged and merged[-1][0] + merged[-1][2] == a and merged[-1][1] + merged[-1][2] == b:
            merged[-1][2] += size
        else:
            merged.append([a, b, size])
    return [tuple(block) for block in merged]


def quote_context(text: str, start: int, end: int) -> tuple[str, str]:
    """The text before and after a quote (CONTEXT_CHARS each), stopped at the paragraph's
    edge: a paragraph moved or deleted next to a claim says nothing about the claim, and
    the paragraph's break itself (kept) says it starts or ends one."""
    prefix, suffix = text[max(0, start - CONTEXT_CHARS):start], text[end:end + CONTEXT_CHARS]
    cut = prefix.rfind("\n")
    if cut >= 0:
        prefix = prefix[cut:]
    cut = suffix.find("\n")
    if cut >= 0:
        suffix = suffix[:cut + 1]
    return prefix, suffix


def context_score(new: str, start: int, end: int, prefix: str, suffix: str) -> float:
    """How well the text around new[start:end] matches the old context, 0-100: the prefix
    and the suffix compared (rapidfuzz ratio), each weighted by its length. A context cut
    by the start or end of the text compares only what is left."""
    before = new[max(0, start - len(prefix)):start]
    after = new[end:end + len(suffix)]
    weight = len(prefix) + len(suffix)
    if not weight:
        return 100.0
    return (ratio(prefix, before) * len(prefix) + ratio(suffix, after) * len(suffix)) / weight


def _occurrences(text: str, needle: str, limit: int = MAX_OCCURRENCES) -> list[int]:
    found, at = [], text.find(needle)
    while at >= 0 and len(found) < limit:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def reanchor(old: str, new: str, spans: list[tuple[int, int]], *, threshold: float = 80.0,
             alignment: Alignment | None = None) -> list[Placement]:
    """Where each old span (start, end) of ``old`` went in ``new``, one Placement per span,
    in order. ``threshold`` (0-100) is the least context score a place found by search must
    have (a setting: WORKBENCH_REANCHOR_THRESHOLD)."""
    alignment = alignment or Alignment(old, new)
    return [_place(alignment, start, end, threshold) for start, end in spans]


def _place(alignment: Alignment, start: int, end: int, threshold: float) -> Placement:
    old, new = alignment.old, alignment.new
    quote = old[start:end]
    prefix, suffix = quote_context(old, start, end)

    # 1. The diff kept the quote's characters, and the whole context there is unchanged.
    kept = alignment.kept(start, end)
    score = context_score(new, kept[0], kept[0] + len(quote), prefix, suffix) if kept else 0.0
    if kept is not None and score == 100:
        return _kept_place(alignment, start, end, kept, prefix, suffix, score)

    # 2. The quote with its whole context once in each text: there, whatever the diff paired
    # (of two like paragraphs, it may have paired the other).
    needle = prefix + quote + suffix
    found = _occurrences(new, needle, 2)
    if len(found) == 1 and len(_occurrences(old, needle, 2)) == 1:
        at = found[0] + len(prefix)
        return Placement(Outcome.EXACT, at, at + len(quote), quote, 100.0, "moved with its context")

    # 1'. The diff kept the quote's characters and the context there agrees well enough.
    if kept is not None and score >= threshold:
        return _kept_place(alignment, start, end, kept, prefix, suffix, score)

    # 3. The context kept, the quote changed ("190" became "220"): the bounds of the change,
    # as the diff has them. Before any search, so the old value found elsewhere in a like
    # sentence does not pull the claim there.
    new_start, new_end = alignment.start_of(start), alignment.end_of(end)
    if new_start is not None and new_end is not None:
        new_start, new_end = _trimmed(new, new_start, new_end, quote)
    if new_start is not None and new_end is not None and _plausible(quote, new_start, new_end):
        score = context_score(new, new_start, new_end, prefix, suffix)
        # Unless the old quote stands as well elsewhere, in text new to this version: then
        # the diff paired words of a like sentence, and the search below decides.
        better = any(context_score(new, at, at + len(quote), prefix, suffix) >= score
                     for at in _occurrences(new, quote, 200) if not alignment.taken(at, at + len(quote)))
        # The whole paragraph around the quote unchanged ("Fatalities: 57" became
        # "Fatalities: 61"): a context shorter than CONTEXT_CHARS may still vouch for it. (A
        # context that short already reaches the old paragraph's edges: quote_context.)
        whole = (score == 100 and _paragraph_edge(new_start - len(prefix), prefix)
                 and _paragraph_end(new, new_end, suffix))
        if score >= threshold and new[new_start:new_end].strip() and not better and _vouched(
                quote, new[new_start:new_end], prefix, suffix, threshold, whole=whole):
            outcome = Outcome.EXACT if new[new_start:new_end] == quote else Outcome.CHANGED
            return Placement(outcome, new_start, new_end, new[new_start:new_end], score,
                             "its context is unchanged, its text changed")

    # 4. The same quote elsewhere, with its context (a moved paragraph).
    expected = alignment.expected(start)
    # A place the diff says holds other old text is that text's, not this claim's (the
    # old text said the same thing twice, and this one was deleted).
    places = [(context_score(new, at, at + len(quote), prefix, suffix), at)
              for at in _occurrences(new, quote) if not alignment.taken(at, at + len(quote))]
    chosen = _clear_best(places, expected, threshold)
    if chosen == "ambiguous":
        best = max(score for score, _ in places)
        at = _widest([at for score, at in places if score > best - MARGIN], alignment, start, end)
        if at is None:
            return _orphan("the quote occurs in several places with the same context")
        chosen = (context_score(new, at, at + len(quote), prefix, suffix), at)
    if chosen is not None:
        score, at = chosen
        if _claimed_elsewhere(alignment, start, quote, at, score):
            return _orphan("another place in the old text has this quote in a context as like")
        return Placement(Outcome.EXACT, at, at + len(quote), quote, score, "moved with its context")

    # 5. The context found elsewhere (a moved paragraph whose value also changed): the end
    # of the prefix and the start of the suffix, a plausible quote apart.
    places = _context_places(new, quote, prefix, suffix)
    places = {_trimmed(new, s, e, quote) for s, e in places}
    places = {(s, e) for s, e in places if not alignment.taken(s, e)}
    scored = [(context_score(new, s, e, prefix, suffix), s, e) for s, e in places if s < e]
    scored = [(score, s, e) for score, s, e in scored
              if score >= threshold and _vouched(quote, new[s:e], prefix, suffix, threshold)]
    if scored:
        scored.sort(key=lambda p: (-p[0], abs(p[1] - expected)))
        best = scored[0]
        rivals = [p for p in scored[1:] if p[0] > best[0] - MARGIN and (p[1], p[2]) != (best[1], best[2])]
        if rivals:
            return _orphan("its context occurs in several places")
        score, s, e = best
        if _claimed_elsewhere(alignment, start, quote, s, score):
            return _orphan("another place in the old text has this quote in a context as like")
        outcome = Outcome.EXACT if new[s:e] == quote else Outcome.CHANGED
        return Placement(outcome, s, e, new[s:e], score, "its context was found, moved")
    return _orphan("neither the quote with its context nor its context is in the new text")


# How far out the surroundings of places of one quote are compared.
SURROUNDINGS = 2000


def _widest(places: list[int], alignment: Alignment, start: int, end: int,
            preferred: int | None = None) -> int | None:
    """Of places where the quote stands in the same context, the one whose surroundings
    match the old text furthest out on both sides, if it beats every other by a context's
    length; else the ``preferred`` one (None if none is)."""
    old, new, length = alignment.old, alignment.new, end - start
    reach = {at: _common_before(old, start, new, at) + _common_after(old, end, new, at + length)
             for at in places}
    ranked = sorted(reach, key=reach.__getitem__, reverse=True)
    if len(ranked) > 1 and reach[ranked[0]] - reach[ranked[1]] < CONTEXT_CHARS:
        return preferred
    return ranked[0]


def _owner(alignment: Alignment, start: int, end: int, at: int, prefix: str, suffix: str) -> bool:
    """Whether the old quote at start is the one the new place ``at`` belongs to: where the
    old text has the quote in this context more than once (identical paragraphs), the one
    whose surroundings match the new place's furthest out, by a context's length."""
    old, new = alignment.old, alignment.new
    needle = prefix + old[start:end] + suffix
    # Those near it first: a paragraph repeated next to itself is the likeliest rival.
    radius = 2 * SURROUNDINGS
    near = old[max(0, start - len(prefix) - radius):end + len(suffix) + radius]
    offset = max(0, start - len(prefix) - radius)
    others = {o + len(prefix) for o in _occurrences(old, needle, 50)}
    others |= {offset + o + len(prefix) for o in _occurrences(near, needle, 50)}
    if len(others) < 2:
        return True
    length = end - start

    def reach(o: int) -> int:
        return _common_before(old, o, new, at) + _common_after(old, o + length, new, at + length)

    mine, rivals = reach(start), [reach(o) for o in others if o != start]
    # Matching as far as can be compared (to the text's edges) beats any shorter match.
    whole = mine == min(start, at, SURROUNDINGS) + min(len(old) - end, len(new) - at - length, SURROUNDINGS)
    return all(mine - rival >= CONTEXT_CHARS or (whole and rival < mine) for rival in rivals)


def _claimed_elsewhere(alignment: Alignment, start: int, quote: str, at: int, score: float) -> bool:
    """Whether another occurrence of the quote in the old text matches the new place found
    by search as well as this one does (within MARGIN): the place may be that one's."""
    old, new = alignment.old, alignment.new
    for o in _occurrences(old, quote, 200):
        if o != start:
            prefix, suffix = quote_context(old, o, o + len(quote))
            if context_score(new, at, at + len(quote), prefix, suffix) > score - MARGIN:
                return True
    return False


def _common_before(a: str, i: int, b: str, j: int) -> int:
    """Characters equal right before a[i] and b[j], up to SURROUNDINGS."""
    n = min(i, j, SURROUNDINGS)
    left, right = a[i - n:i][::-1], b[j - n:j][::-1]
    return _common_prefix(left, right)


def _common_after(a: str, i: int, b: str, j: int) -> int:
    n = min(len(a) - i, len(b) - j, SURROUNDINGS)
    return _common_prefix(a[i:i + n], b[j:j + n])


def _common_prefix(a: str, b: str) -> int:
    low, high = 0, min(len(a), len(b))
    while low < high:  # the longest equal prefix, by halving (each comparison runs in C)
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _trimmed(new: str, start: int, end: int, quote: str) -> tuple[int, int]:
    """A found span without white space at its edges the old quote did not have (a space
    doubled next to it is the context's, not the claim's)."""
    if quote and not quote[0].isspace():
        while start < end and new[start].isspace():
            start += 1
    if quote and not quote[-1].isspace():
        while end > start and new[end - 1].isspace():
            end -= 1
    return start, end


def _kept_place(alignment: Alignment, start: int, end: int, kept: tuple[int, int, int],
                prefix: str, suffix: str, score: float) -> Placement:
    """The place the diff kept, unless the quote stands in a context as good elsewhere, in
    text new to this version (a paragraph copied: the diff may have paired the old one with
    the copy). Places the diff kept for other old text are that text's (the old text said the
    same thing twice)."""
    old, new = alignment.old, alignment.new
    quote = old[start:end]
    new_start, before, after = kept
    if score == 100:  # a rival as good has the whole context too: found fast
        found = [at + len(prefix) for at in _occurrences(new, prefix + quote + suffix, 50)]
    else:
        found = [at for at in _occurrences(new, quote)
                 if context_score(new, at, at + len(quote), prefix, suffix) > score - MARGIN]
    rivals = [at for at in found if at != new_start and not alignment.taken(at, at + len(quote))]
    if rivals:
        # The diff's pairing is evidence of order when it kept the claim's whole paragraph;
        # a few words paired inside a rewritten stretch are not.
        paragraph_start = old.rfind("\n", 0, start) + 1
        paragraph_end = old.find("\n", end) % (len(old) + 1)
        whole = before >= start - paragraph_start and after >= paragraph_end - end
        new_start = _widest([new_start, *rivals], alignment, start, end, preferred=new_start if whole else None)
        if new_start is None:
            return _orphan("the quote occurs in several places with the same context")
    if not _owner(alignment, start, end, new_start, prefix, suffix):
        return _orphan("the old text has this quote in this context more than once")
    return Placement(Outcome.EXACT, new_start, new_start + len(quote), quote, score,
                     "the text around it is unchanged" if score == 100 else "kept by the diff")


def _orphan(reason: str) -> Placement:
    return Placement(Outcome.ORPHANED, None, None, "", 0.0, reason)


def _vouched(quote: str, found: str, prefix: str, suffix: str, threshold: float, *, whole: bool = False) -> bool:
    """Whether a changed quote may be taken on the strength of its context: the context
    must be long enough to mean something (at a paragraph's edge it may be a few characters,
    "Transfers: " before a rewritten sentence), else the quote itself must still match. A
    context that is the ``whole`` paragraph but the quote vouches when it says more than
    what changed: a field's label and a value ("Fatalities: 57" became "Fatalities: 61"),
    not a label and the sentence rewritten after it."""
    if len(prefix) + len(suffix) >= CONTEXT_CHARS or ratio(quote, found) >= threshold:
        return True
    context = prefix + suffix
    return whole and any(c.isalnum() for c in context) and len(context) >= max(len(quote), len(found))


def _paragraph_edge(at: int, prefix: str) -> bool:
    """The prefix starting at ``at`` starts its paragraph (or the text)."""
    return at == 0 or prefix.startswith("\n")


def _paragraph_end(text: str, end: int, suffix: str) -> bool:
    """The suffix after ``end`` ends its paragraph (or the text)."""
    return end + len(suffix) == len(text) or suffix.endswith("\n")


def _plausible(quote: str, start: int, end: int) -> bool:
    """A changed quote is about as long as the old one: a value, not the paragraph rewritten
    around it."""
    return start < end and end - start <= 2 * len(quote) + 20


def _clear_best(places: list[tuple[float, int]], expected: int, threshold: float):
    """The place with the best context, if it reaches the threshold and no other comes
    within MARGIN of it; "ambiguous" if another does."""
    good = sorted((p for p in places if p[0] >= threshold), key=lambda p: (-p[0], abs(p[1] - expected)))
    if not good:
        return None
    if len(good) > 1 and good[1][0] > good[0][0] - MARGIN:
        return "ambiguous"
    return good[0]


def _context_places(new: str, quote: str, prefix: str, suffix: str) -> list[tuple[int, int]]:
    """Spans between an occurrence of the prefix's last words and the nearest following
    occurrence of the suffix's first words, no further apart than a changed quote may be."""
    head, tail = prefix[-16:], suffix[:16]
    if len(head) < 8 and len(tail) < 8:
        return []
    longest = 2 * len(quote) + 20
    places = []
    if len(head) >= 8:
        for at in _occurrences(new, head, 200):
            s = at + len(head)
            if len(tail) >= 8:
                e = new.find(tail, s + 1, s + longest + len(tail))
                if e > s:
                    places.append((s, e))
            elif not suffix and len(new) - s <= longest:
                places.append((s, len(new)))
    elif not prefix:
        e = new.find(tail, 1, longest + len(tail))
        if e > 0:
            places.append((0, e))
    return places
