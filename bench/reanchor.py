"""``python -m bench reanchor``: claims re-anchored in edited versions of long sources.

Each version is built from the old text by edits that keep track of where every old
character went (an inserted character comes from nowhere, a copied paragraph's characters
too), so each claim's right place in the new text is known: the new places of its first and
last characters. Edits: paragraphs inserted, deleted, moved, one duplicated far from where it
stands (its quotes then occur twice), a sentence deleted, numbers changed, spaces doubled,
quote marks turned curly or straight.
"""
import random
import re
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_NUMBER = re.compile(r"(?<![\w.,])(?:\d[\d,.]*\d|\d)(?![\w])")
_WORDS = re.compile(r"(?<![\w.,])[^\W\d]\w*(?: \w+){0,3}")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]+ ?")

Char = tuple[str, int | None]  # a character of the new text and the old offset it came from


def _paragraphs(text: str) -> list[list[Char]]:
    paragraphs, at = [], 0
    for line in re.findall(r"[^\n]*\n|[^\n]+", text):
        paragraphs.append([(ch, at + i) for i, ch in enumerate(line)])
        at += len(line)
    return paragraphs


def _fresh(text: str) -> list[Char]:
    return [(ch, None) for ch in text]


def edited(old: str, rng: random.Random, filler: list[str]) -> tuple[str, list[int | None]]:
    """A new version of ``old`` and, for each old offset, where it went (None: deleted)."""
    paragraphs = _paragraphs(old)
    written = [i for i, p in enumerate(paragraphs) if len(p) > 40]
    rng.shuffle(written)
    # The paragraph copied keeps its neighbours: where the original loses its whole
    # surroundings and a copy appears, neither is more the original than the other.
    duplicated = written[:1]
    kept_around = {*duplicated, *(j for i in duplicated for j in _written_around(paragraphs, i))}
    written = [i for i in written if i not in kept_around]
    # Paragraphs set aside for one edit each, so the edits do not undo one another.
    deleted, moved = set(written[:2]), written[2:4]
    written = written[2:]
    numbers, spaced, quoted, shortened = written[5:9], written[9:12], written[12:15], written[15:17]

    for i in numbers:  # a value corrected: 190 becomes 220
        line = "".join(ch for ch, _ in paragraphs[i])
        found = list(_NUMBER.finditer(line))
        if found:
            m = rng.choice(found)
            digits = re.sub(r"\D", "", m.group())
            # A one-digit value stays one digit: its first and last characters are one.
            value = (str((int(digits) + rng.randint(1, 8)) % 10) if len(m.group()) == 1
                     else str(int(digits) + rng.randint(1, 97)).rjust(2, "1"))
            origin = paragraphs[i][m.start():m.end()]
            new = [(ch, None) for ch in value]
            new[0] = (new[0][0], origin[0][1])
            new[-1] = (new[-1][0], origin[-1][1])
            paragraphs[i][m.start():m.end()] = new
    for i in spaced:  # white space: some single spaces doubled
        kept = []
        for ch, origin in paragraphs[i]:
            kept.append((ch, origin))
            if ch == " " and rng.random() < 0.15:
                kept.append((" ", None))
        paragraphs[i] = kept
    for i in quoted:  # quote marks turned curly, or straight
        paragraphs[i] = [({"'": "’", '"': "“", "’": "'", "“": '"', "”": '"'}.get(ch, ch), origin)
                         for ch, origin in paragraphs[i]]
    for i in shortened:  # one sentence deleted
        line = "".join(ch for ch, _ in paragraphs[i])
        sentences = list(_SENTENCE.finditer(line))
        if len(sentences) > 1:
            m = rng.choice(sentences)
            del paragraphs[i][m.start():m.end()]

    order = [i for i in range(len(paragraphs)) if i not in deleted and i not in moved]
    blocks = [paragraphs[i] for i in order]

    def free(k: int) -> bool:  # an insertion at k leaves the copied paragraph's neighbours
        places = [n for n, block in enumerate(blocks) if any(block is paragraphs[j] for j in kept_around)]
        return not places or not min(places) < k <= max(places)

    for i in moved:  # a paragraph moved at least a few paragraphs away
        position = order.index(min(order, key=lambda j: abs(j - i)))
        choices = [k for k in range(len(blocks) + 1) if abs(k - position) > 3 and free(k)]
        blocks.insert(rng.choice(choices or [len(blocks)]), paragraphs[i])
    for i in duplicated:  # a paragraph copied elsewhere: its quotes occur twice
        position = next(k for k, block in enumerate(blocks) if block is paragraphs[i])
        # Not next to the original's old neighbours (a move may have put one elsewhere):
        # a copy between them would stand in the original's context, and be as right.
        neighbours = {id(paragraphs[j]) for j in _written_around(paragraphs, i)}
        choices = [k for k in range(len(blocks) + 1) if abs(k - position) > 3 and free(k)
                   and not {id(blocks[j]) for j in _written_around(blocks, k, insert=True)} & neighbours]
        blocks.insert(rng.choice(choices or [len(blocks)]), [(ch, None) for ch, _ in paragraphs[i]])
    for _ in range(3):  # new paragraphs
        blocks.insert(rng.choice([k for k in range(len(blocks) + 1) if free(k)]), _fresh(rng.choice(filler) + "\n"))

    chars = [c for block in blocks for c in block]
    where: list[int | None] = [None] * len(old)
    for position, (_, origin) in enumerate(chars):
        if origin is not None:
            where[origin] = position
    return "".join(ch for ch, _ in chars), where


def _written_around(blocks: list, k: int, insert: bool = False) -> list[int]:
    """Indexes of the nearest paragraphs with words before and after block k (or before
    and after a block inserted at k)."""
    found = []
    for step, first in ((-1, k - 1), (1, k if insert else k + 1)):
        j = first
        while 0 <= j < len(blocks) and not "".join(ch for ch, _ in blocks[j]).strip():
            j += step
        if 0 <= j < len(blocks):
            found.append(j)
    return found


def claims_of(text: str, rng: random.Random, count: int) -> list[tuple[int, int]]:
    """Spans a reviewer would tag: the numbers (years, amounts: short quotes that recur)
    and some runs of one to four words."""
    spans = {(m.start(), m.end()) for m in _NUMBER.finditer(text)}
    words = list(_WORDS.finditer(text))
    spans |= {(m.start(), m.end()) for m in rng.sample(words, min(len(words), count))}
    spans = sorted(spans)
    return sorted(rng.sample(spans, min(count, len(spans))))


def judge(old, new, where, spans, placements, tally):
    for (start, end), placed in zip(spans, placements):
        first, last = where[start], where[end - 1]
        if first is None and last is None:
            tally["deleted"] += 1
            if placed.start is None:
                tally["orphans listed"] += 1
            else:
                tally["wrong"] += 1
                tally["examples"].append((old[start:end], "deleted", placed))
            continue
        if first is None or last is None:
            tally["cut"] += 1  # an edit took part of it: no one right answer
            continue
        tally["surviving"] += 1
        truth = (first, last + 1)
        if (placed.start, placed.end) == truth:
            tally["right"] += 1
            changed = new[first:last + 1] != old[start:end]
            tally["labelled changed" if changed else "labelled exact"] += 1
            tally["label right"] += (placed.outcome == "changed") == changed
        elif placed.start is None:
            tally["orphaned survivors"] += 1
            tally["lost"].append((old[start:end], new[truth[0]:truth[1]], placed))
        else:
            tally["wrong"] += 1
            tally["examples"].append((old[start:end], new[truth[0]:truth[1]], placed))


def run(args) -> None:
    from annotations.reanchor import Alignment, reanchor
    from bench.__main__ import document, long_text

    # Each ends its last paragraph with a line break, so a paragraph moved to the end is
    # not glued to the one before.
    seeds = [p.read_text().rstrip("\n") + "\n" for p in sorted((ROOT / "seeds").glob("*.txt"))]
    filler = [line for text in seeds for line in text.splitlines() if len(line) > 80]

    def new_to(old: str, lines: list[str]) -> list[str]:
        # Seeds share sentences (two encyclopedia extracts): a new paragraph must be new.
        return [line for line in lines if not any(s.strip() in old for s in _SENTENCE.findall(line) if len(s) > 30)]

    rng = random.Random(args.seed)
    tally = {"deleted": 0, "orphans listed": 0, "wrong": 0, "cut": 0, "surviving": 0, "right": 0,
             "orphaned survivors": 0, "labelled changed": 0, "labelled exact": 0, "label right": 0,
             "examples": [], "lost": []}
    claims = versions = 0
    # The seeds, each with its own filler kept out (a new paragraph from the same text would
    # be a duplicate the edit did not mean), then a long generated source.
    while claims < args.claims:
        for number, old in enumerate(seeds):
            # New paragraphs from the generated reports: the seeds share sentences and
            # near-copies of them (two encyclopedia extracts), and a paragraph "inserted"
            # that the old text nearly has would be no insertion.
            others = [line for line in document(rng, rng.randrange(10_000)).splitlines() if len(line) > 40]
            new, where = edited(old, rng, others)
            spans = claims_of(old, rng, args.per_version)
            judge(old, new, where, spans, reanchor(old, new, spans, threshold=args.threshold), tally)
            claims += len(spans)
            versions += 1

    old = long_text(args.words)
    new, where = edited(old, rng, new_to(old, filler))
    spans = claims_of(old, rng, args.long_claims)
    started = time.perf_counter()
    placements = reanchor(old, new, spans, threshold=args.threshold, alignment=Alignment(old, new))
    seconds = time.perf_counter() - started
    judge(old, new, where, spans, placements, tally)
    claims += len(spans)
    versions += 1

    surviving, deleted = tally["surviving"], tally["deleted"]
    right = 100 * tally["right"] / max(1, surviving)
    listed = 100 * tally["orphans listed"] / max(1, deleted)
    print(f"{claims:,} claims in {versions} edited versions (seeds, and one source of "
          f"{len(old.split()):,} words with {len(spans):,} claims); threshold {args.threshold}")
    print(f"  quote survived: {surviving:,}; anchored right {tally['right']:,}; orphaned though they survived "
          f"{tally['orphaned survivors']:,}; anchored wrong {tally['wrong']}")
    print(f"  of those anchored right: text unchanged {tally['labelled exact']:,}, changed "
          f"{tally['labelled changed']:,}; outcome labelled right {tally['label right']:,}")
    print(f"  text deleted: {deleted:,}; listed as orphans {tally['orphans listed']:,}; partly cut by an edit "
          f"(not counted) {tally['cut']:,}")
    for quote, truth, placed in tally["examples"][:args.show]:
        print(f"  wrong: {quote!r} -> {placed.exact!r} at {placed.start} ({placed.reason}); right: {truth!r}")
    for quote, truth, placed in tally["lost"][:args.show_lost]:
        print(f"  orphaned: {quote!r} ({placed.reason}); right: {truth!r}")
    print(f"right: {right:.2f} %, wrong: {tally['wrong']}, orphans listed: {listed:.1f} %, "
          f"50k-word source: {seconds:.2f} s")
