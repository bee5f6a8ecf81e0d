"""Measuring the detector against a gold file of planted contradictions and traps.

The same extraction and matching as an import, run on the texts directly (no database), so
the test suite and ``bench/`` measure exactly what reviewers get.
"""
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from .extraction import extract
from .importing import decode_source
from .embedding import embed_claims, from_bytes, to_bytes
from .matching import Candidate, ClaimView, find_candidates
from .values import compatible


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_folder(folder: Path) -> dict[str, str]:
    return {
        path.name: decode_source(path.read_bytes(), name=path.name).text
        for path in sorted(folder.iterdir()) if path.suffix in {".txt", ".md"}
    }


def views_of(docs: dict[str, str]) -> list[ClaimView]:
    """The suggested claims of the documents as matching sees them; each ref is
    (document name, Suggestion)."""
    names = list(docs)
    return [
        ClaimView(ref=(name, s), source_key=name, kind=s.kind, exact=s.exact, value=s.value,
                  context=s.context, property=s.property)
        for name, suggestions in zip(names, extract([docs[n] for n in names]))
        for s in suggestions
    ]


def embed_views(views: list[ClaimView]) -> list[ClaimView]:
    """Give the views their embeddings, as saving claims does (float16 and back)."""
    vectors = embed_claims((v.property, v.context, v.exact) for v in views) if views else None
    if vectors is not None:
        for view, vector in zip(views, vectors):
            view.vector = from_bytes(to_bytes(vector))
    return views


def detect_in_texts(docs: dict[str, str]) -> list[Candidate]:
    """Candidates over the documents; each claim ref is (document name, Suggestion)."""
    return find_candidates(embed_views(views_of(docs)))


def _spans(docs: dict[str, str], claims: list) -> list[tuple[str, int, int]]:
    """Gold claims as spans: [document, exact] or [document, exact, a longer unique quote
    around it] where the exact text occurs more than once."""
    spans = []
    for name, exact, *around in claims:
        near = around[0] if around else exact
        at = docs[name].find(near)
        if at < 0 or near.find(exact) < 0:
            raise ValueError(f"Gold quote {near!r} is not in {name}.")
        start = at + near.find(exact)
        spans.append((name, start, start + len(exact)))
    return spans


def _fell_into(candidate: Candidate, spans) -> bool:
    """The candidate sets the two trap claims against each other (not merely side by side)."""
    members = [[s for name, s in candidate.claims if name == doc and s.start < end and start < s.end]
               for doc, start, end in spans]
    return all(members) and any(not compatible(a.value, b.value) for a in members[0] for b in members[1])


def _hits(candidate: Candidate, spans) -> int:
    """How many gold spans (from distinct documents) the candidate's claims cover."""
    covered = set()
    for name, s in candidate.claims:
        for doc, start, end in spans:
            if doc == name and s.start < end and start < s.end:
                covered.add(doc)
    return len(covered)


def evaluate(docs: dict[str, str], gold: dict, *, min_score: float | None = None,
             candidates: list[Candidate] | None = None) -> dict:
    """Per-kind scores, overall scores, and the traps the detector fell into (at the
    WORKBENCH_MIN_SCORE setting unless told otherwise)."""
    min_score = settings.WORKBENCH_MIN_SCORE if min_score is None else min_score
    candidates = detect_in_texts(docs) if candidates is None else candidates
    confident = [c for c in candidates if c.score >= min_score]
    items = [(g["kind"], _spans(docs, g["claims"])) for g in gold["contradictions"]]
    traps = [(t["why"], _spans(docs, t["claims"])) for t in gold.get("traps", [])]
    per_kind: dict[str, Scores] = defaultdict(Scores)
    for kind, spans in items:
        if any(_hits(c, spans) >= 2 for c in confident):
            per_kind[kind].tp += 1
        else:
            per_kind[kind].fn += 1
    for candidate in confident:
        if not any(_hits(candidate, spans) >= 2 for _, spans in items):
            per_kind[candidate.kind].fp += 1
    fallen = [why for why, spans in traps if any(_fell_into(c, spans) for c in confident)]
    total = Scores(
        tp=sum(s.tp for s in per_kind.values()),
        fp=sum(s.fp for s in per_kind.values()),
        fn=sum(s.fn for s in per_kind.values()),
    )
    return {"per_kind": dict(per_kind), "total": total, "traps": fallen,
            "candidates": confident}


def load_gold(path: Path) -> dict:
    return json.loads(Path(path).read_text())


# --- The eval-dev gold format (tests/eval/dev/<set>/gold.json; ../shared/eval-dev/README.md) ---
#
# Offsets there refer to each file as saved (CRLF kept, mojibake unrepaired), while the
# detector reads the text an import makes of it. Predictions are mapped back to saved offsets
# before they are scored, so the figures are what a scorer outside the project would print.

@dataclass(frozen=True)
class Side:
    doc: str
    start: int
    end: int


@dataclass
class DevScores:
    predictions: int = 0
    correct: int = 0
    found: int = 0
    contradictions: int = 0
    traps: int = 0
    candidates: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predictions if self.predictions else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.contradictions if self.contradictions else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "DevScores") -> "DevScores":
        return DevScores(*(getattr(self, f) + getattr(other, f) for f in
                           ("predictions", "correct", "found", "contradictions", "traps", "candidates")))


def saved_offset_map(saved: str, normalised: str) -> tuple[list[int], list[int]]:
    """For each position of the normalised text (and its end), the position in the saved text
    where a span starting there starts, and where one ending there ends. Import only drops
    CRs and folds mojibake sequences into the characters they stand for, so an alignment of
    the two texts line by line is exact and cheap."""
    from difflib import SequenceMatcher

    if saved == normalised:
        identity = list(range(len(saved) + 1))
        return identity, identity
    starts, ends = [0] * (len(normalised) + 1), [0] * (len(normalised) + 1)
    matcher = SequenceMatcher(None, saved, normalised, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for k in range(j2 - j1):
            if tag == "equal":
                starts[j1 + k], ends[j1 + k + 1] = i1 + k, i1 + k + 1
            else:  # a repaired sequence: a span touching it covers all of it
                starts[j1 + k], ends[j1 + k + 1] = i1, i2
    starts[len(normalised)] = ends[len(normalised)] = len(saved)
    return starts, ends


def _gold_side(texts: dict[str, str], side: dict) -> list[Side]:
    spans = []
    for quote in [side["quote"], *side.get("alt_quotes", [])]:
        at = texts[side["doc"]].find(quote)
        if at < 0:
            raise ValueError(f"Gold quote {quote!r} is not in {side['doc']}.")
        spans.append(Side(side["doc"], at, at + len(quote)))
    return spans


def _touches(side: Side, spans: list[Side]) -> bool:
    return any(side.doc == s.doc and side.start < s.end and s.start < side.end for s in spans)


def _matches(pair: tuple[Side, Side], item: tuple[list[Side], list[Side]]) -> bool:
    (x, y), (a, b) = pair, item
    return (_touches(x, a) and _touches(y, b)) or (_touches(y, a) and _touches(x, b))


@dataclass
class DevSet:
    """One eval-dev set read as an import reads it, with its gold spans in saved offsets."""
    name: str
    saved: dict[str, str]
    normalised: dict[str, str]
    gold: dict
    _maps: dict = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, folder: Path) -> "DevSet":
        gold = json.loads((Path(folder) / "gold.json").read_text(encoding="utf-8"))
        docs_dir = Path(folder) / gold.get("docs_dir", "docs")
        saved, normalised = {}, {}
        for name in gold["documents"]:
            path = docs_dir / name
            with open(path, encoding="utf-8", newline="") as handle:
                saved[name] = handle.read()
            normalised[name] = decode_source(path.read_bytes(), name=name).text
        return cls(Path(folder).name, saved, normalised, gold)

    def sides(self, *refs) -> tuple[Side, ...]:
        """Claim refs (document name, suggestion) as sides in saved offsets."""
        sides = []
        for doc, s in refs:
            if doc not in self._maps:
                self._maps[doc] = saved_offset_map(self.saved[doc], self.normalised[doc])
            starts, ends = self._maps[doc]
            sides.append(Side(doc, starts[s.start], ends[s.end]))
        return tuple(sides)

    def predictions(self, candidates: list[Candidate]) -> list[tuple[Side, Side]]:
        """Each candidate as the pairs it sets against each other: claims from different
        documents whose values cannot both be true, in saved offsets."""
        pairs = []
        for candidate in candidates:
            claims = candidate.claims
            for i, (doc_a, a) in enumerate(claims):
                for doc_b, b in claims[i + 1:]:
                    if doc_a != doc_b and not compatible(a.value, b.value):
                        pairs.append(self.sides((doc_a, a), (doc_b, b)))
        return pairs

    def score(self, candidates: list[Candidate], *, min_score: float) -> tuple[DevScores, list]:
        """The README's scoring contract, and each prediction with what it matched."""
        items = [(g["id"], (_gold_side(self.saved, g["a"]), _gold_side(self.saved, g["b"])))
                 for g in self.gold["contradictions"]]
        traps = [(t["id"], (_gold_side(self.saved, t["a"]), _gold_side(self.saved, t["b"])))
                 for t in self.gold["non_contradictions"]]
        chosen = [c for c in candidates if c.score >= min_score]
        scores = DevScores(contradictions=len(items), candidates=len(chosen))
        found, fallen, details = set(), set(), []
        for candidate in chosen:
            for pair in self.predictions([candidate]):
                hits = [gid for gid, item in items if _matches(pair, item)]
                trapped = [] if hits else [tid for tid, item in traps if _matches(pair, item)]
                scores.predictions += 1
                scores.correct += bool(hits)
                found.update(hits)
                fallen.update(trapped)
                details.append((candidate, pair, hits, trapped))
        scores.found, scores.traps = len(found), len(fallen)
        return scores, details
