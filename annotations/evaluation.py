"""Measuring the detector against a gold file of planted contradictions and traps.

The same extraction and matching as an import, run on the texts directly (no database), so
the test suite and ``bench/`` measure exactly what reviewers get.
"""
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .extraction import extract
from .importing import decode_source
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


def detect_in_texts(docs: dict[str, str]) -> list[Candidate]:
    """Candidates over the documents; each claim ref is (document name, Suggestion)."""
    names = list(docs)
    views = [
        ClaimView(ref=(name, s), source_key=name, kind=s.kind, exact=s.exact, value=s.value,
                  context=s.context)
        for name, suggestions in zip(names, extract([docs[n] for n in names]))
        for s in suggestions
    ]
    return find_candidates(views)


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


def evaluate(docs: dict[str, str], gold: dict, *, min_score: float = 0.5,
             candidates: list[Candidate] | None = None) -> dict:
    """Per-kind scores, overall scores, and the traps the detector fell into."""
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
