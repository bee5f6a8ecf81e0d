"""Proposing contradictions: which claims across sources speak of the same point, and
whose values cannot all be true.

1. Pairs: claims are grouped by kind; within a kind two claims from different sources are
   paired when they share a focus word that is not too common (an inverted index of their
   context keys; each claim keeps the LEXICAL_PER_CLAIM partners sharing the most), or when
   either is among the other's nearest neighbours by meaning (their embeddings: all with all up to EXACT_NEIGHBOURS_UP_TO claims, an inverted file beyond),
   so the work grows near-linearly with the number of claims.
2. Values: a pair goes on only when its values' intervals do not overlap.
3. Scoring: each pair's features (meaning, shared words, rapidfuzz similarity of the masked
   sentences computed with ``process.cpdist``, properties, the gap between the values, best
   match counting the claims that agree, and the signs of two events: other dates, other
   acts, other things counted, a year apart from the other source's, the other value stated
   beside) are
   weighed by a logistic model fitted on labelled pairs (``bench/fit_scores.py``): the score
   is its probability that the pair is a real contradiction.
4. Candidates: each claim keeps its best pairs, and claims that contradict one claim the
   same way are merged into one candidate, whose explanation says what both measure and
   what suggests two different events.
"""
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from django.conf import settings
from rapidfuzz import fuzz, process

from .embedding import around_mask
from .values import CURRENCY_FAMILY, comparable, compatible, describe, gap

# Keys shared by more claims than this are too common to block on (still scored).
BLOCK_MAX_DF = 60
# Each claim's partners by shared keys that are scored (the pairs sharing the most).
LEXICAL_PER_CLAIM = 10
# Each claim's nearest neighbours by meaning (other sources, same kind) that are scored, and
# the least cosine similarity worth scoring (none in a class of at most SMALL_CLASS claims);
# rows are compared NEIGHBOUR_BLOCK at a time.
NEIGHBOURS = 5
NEIGHBOUR_FLOOR = 0.3
NEIGHBOUR_BLOCK = 1024
SMALL_CLASS = 12
# Up to this many claims of a kind are compared all with all; beyond, through an inverted
# file of about sqrt(n) lists, each claim probing its NEIGHBOUR_PROBES nearest lists.
EXACT_NEIGHBOURS_UP_TO = 4096
NEIGHBOUR_PROBES = 4
# Below this probability a pair is not worth a reviewer's time at all; and no claim is put
# against more than PER_CLAIM others (its best-scored ones).
CANDIDATE_FLOOR = 0.08
PER_CLAIM = 2
WEIGHTS_FILE = Path(__file__).with_name("score_weights.json")
# What counts as a confident candidate is the WORKBENCH_MIN_SCORE setting (models read it too).

VERB_CLASSES = {
    "grant": {"grant", "offer", "award", "provide", "extend", "accord"},
    "sign": {"sign", "conclude", "ink", "seal", "ratify"},
    "pledge": {"pledge", "promise", "commit", "announce", "earmark"},
    "revoke": {"revoke", "withdraw", "cancel", "rescind", "terminate", "end"},
    "arrest": {"arrest", "detain", "seize", "capture"},
    "elect": {"elect", "win", "re-elect"},
    "visit": {"visit", "meet", "travel", "tour"},
    "open": {"open", "inaugurate", "launch", "unveil"},
    "begin": {"begin", "start", "commence", "break"},
    "close": {"close", "shut"},
    "die": {"die", "kill", "perish", "drown"},
    "cost": {"cost", "spend", "pay", "invest", "fund", "finance"},
    "employ": {"employ", "hire", "work"},
    "live": {"live", "reside", "stay", "settle"},
    "arrive": {"arrive", "reach", "land"},
    "build": {"build", "construct", "complete", "finish"},
    "approve": {"approve", "authorize", "authorise", "sanction", "endorse", "greenlight"},
    "fall": {"fall", "drop", "decline", "decrease", "shrink", "plunge", "sink", "dip"},
    "rise": {"rise", "increase", "grow", "climb", "jump", "soar"},
}
VERB_CLASS_OF = {verb: name for name, verbs in VERB_CLASSES.items() for verb in verbs}


@dataclass(eq=False)  # compared by identity: two views are never "equal" claims
class ClaimView:
    """What matching needs of a claim (a model instance or an extraction suggestion)."""
    ref: object
    source_key: object
    kind: str
    exact: str
    value: dict
    context: dict
    keys: set = field(default_factory=set)
    property: str = ""
    vector: object = None  # the claim's embedding (embedding.embed_claims), or None


@dataclass
class Candidate:
    kind: str
    score: float
    explanation: str
    claims: list  # of ClaimView.ref
    unsure: bool = False


def _with_acts(words) -> set:
    keys = set(words)
    keys |= {f"act:{VERB_CLASS_OF[w]}" for w in words if w in VERB_CLASS_OF}
    return keys


def _keys(view: ClaimView) -> set:
    """The focus of a claim: its verb, the verb's arguments, the thing it counts."""
    ctx = view.context or {}
    keys = _with_acts(ctx.get("focus", []))
    if view.kind == "entity" and view.value.get("role"):
        keys.add(f"role:{view.value['role']}")  # entities are blocked by the role they hold
    return keys


def _anchors(view: ClaimView) -> list[dict]:
    """The other dates in the claim's sentence (its time anchors)."""
    return (view.context or {}).get("anchors") or []


def _anchors_meet(anchors_a: list[dict], anchors_b: list[dict]) -> bool:
    """Some date of one claim's sentence can be some date of the other's."""
    return any(compatible(x["value"], y["value"]) for x in anchors_a for y in anchors_b)


def _main_years(views: list[ClaimView]) -> dict:
    """Each source's own year: the year its dates fall in most often (None when it has no
    dated claim), so that a claim dated to another year ("Idai and Kenneth killed more than
    600 people in 2019" in a story of 2024) reads as background, not the source's point."""
    years: dict[object, Counter] = defaultdict(Counter)
    for view in views:
        if view.kind == "date" and view.value.get("type") == "date":
            year = str(view.value.get("start", ""))[:4]
            if year.isdigit():
                years[view.source_key][int(year)] += 1
    return {key: counts.most_common(1)[0][0] for key, counts in years.items()}


def _off_year(a: ClaimView, b: ClaimView, main_year: dict) -> bool:
    """One claim's sentence dates it to a year apart from the other source's own year, while
    nothing dates the other claim: likely background set against the other source's point.
    (Office holders too: a tenure dated apart from the other source's year is seldom the
    same time, and the labelled pairs bear that out.)"""
    for x, y in ((a, b), (b, a)):
        years = {str(anchor["value"].get("start", ""))[:4] for anchor in _anchors(x)}
        own = main_year.get(y.source_key)
        if years and not _anchors(y) and own and str(own) not in years:
            return True
    return False


def _stated_beside(a: ClaimView, b: ClaimView) -> bool:
    """One claim's sentence also states a value that agrees with the other claim ("a
    feasibility study in 2011, a tender launched in 2013" against "2 Jul. 2013 – tender
    launched"): its source says the other value too, of something else. A restatement of
    the claim's own value ("189 metres (about 620 ft)") is not another value."""
    for x, y in ((a, b), (b, a)):
        ctx = x.context or {}
        others = [anchor["value"] for anchor in _anchors(x)] if x.kind == "date" else ctx.get("beside") or []
        if any(comparable(value, y.value) and compatible(value, y.value) and not compatible(value, x.value)
               for value in others):
            return True
    return False


def _anchors_conflict(a: ClaimView, b: ClaimView) -> tuple[bool, str, str]:
    """Both claims are dated by other dates in their sentences, and no two can match."""
    anchors_a, anchors_b = _anchors(a), _anchors(b)
    if not anchors_a or not anchors_b or _anchors_meet(anchors_a, anchors_b):
        return False, "", ""
    return True, anchors_a[0]["text"], anchors_b[0]["text"]


def _act(view: ClaimView) -> str:
    """What was done: to the thing the value measures ("agreement signed") if said, else the
    sentence's verb."""
    ctx = view.context or {}
    return ctx.get("what_verb") or ctx.get("verb", "")


def _verb_conflict(a: ClaimView, b: ClaimView) -> tuple[bool, str, str]:
    va, vb = _act(a), _act(b)
    ca, cb = VERB_CLASS_OF.get(va), VERB_CLASS_OF.get(vb)
    return (bool(ca and cb and ca != cb), va, vb)


def _pairs(views: list[ClaimView]) -> dict[tuple[int, int], float]:
    """Candidate pairs (index pairs from different sources) sharing an uncommon key (a
    focus word or an act: "fell" and "dropped" share act:fall), with how much they share
    (rarer keys weigh more). Each claim keeps its LEXICAL_PER_CLAIM partners that share the
    most, as it keeps its NEIGHBOURS nearest by meaning, so the pairs scored grow with the
    claims, not with the square of how many share a middling word."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, view in enumerate(views):
        # Focus words and acts, and the clause's words: a thin parse must not hide a pair.
        for key in view.keys | set((view.context or {}).get("keys", [])):
            index[key].append(i)
    firsts, seconds, weights = [], [], []
    numbers: dict = {}
    sources = np.array([numbers.setdefault(view.source_key, len(numbers)) for view in views])
    for key in sorted(index):  # one order of summing, so one result whatever the hash seed
        members = index[key]
        if len(members) < 2 or len(members) > BLOCK_MAX_DF:
            continue
        x, y = np.triu_indices(len(members), 1)
        firsts.append(np.asarray(members)[x])
        seconds.append(np.asarray(members)[y])
        weights.append(np.full(len(x), math.log(len(views) / len(members)) + 1.0))
    if not firsts:
        return {}
    first, second, weight = np.concatenate(firsts), np.concatenate(seconds), np.concatenate(weights)
    apart = sources[first] != sources[second]
    codes, inverse = np.unique(first[apart] * len(views) + second[apart], return_inverse=True)
    # Rounded, so sums equal but for the last bit rank as the tie they are.
    shared = np.round(np.bincount(inverse, weights=weight[apart]), 9)
    first, second = codes // len(views), codes % len(views)
    # Each claim's partners, most shared first (a tie: the earlier partner first); a pair
    # stays when either side ranks it in its first LEXICAL_PER_CLAIM.
    claim, partner = np.concatenate([first, second]), np.concatenate([second, first])
    order = np.lexsort((partner, -np.concatenate([shared, shared]), claim))
    rank = np.arange(len(order)) - np.searchsorted(claim[order], claim[order])
    kept = np.zeros(len(codes), dtype=bool)
    kept[order[rank < LEXICAL_PER_CLAIM] % len(codes)] = True
    return {(int(i), int(j)): float(w) for i, j, w in zip(first[kept], second[kept], shared[kept])}


def _key_weights(views: list[ClaimView]) -> tuple[dict[str, float], frozenset]:
    """From one count of how many claims carry each key: its weight (rarer weighs more) and
    the keys so common (the corpus's own topic) that sharing them proves nothing."""
    df: dict[str, int] = defaultdict(int)
    for view in views:
        for key in view.keys:
            df[key] += 1
    n = len(views) + 1
    limit = max(5, 0.1 * len(views))
    idf = {key: math.log(n / count) + 0.5 for key, count in df.items()}
    return idf, frozenset(k for k, count in df.items() if count > limit)


def _dice(a: set, b: set, idf: dict) -> float:
    """Weighted Dice overlap: rare shared words count more than common ones."""
    if not a or not b:
        return 0.0
    weight = lambda keys: sum(idf.get(k, 1.0) for k in keys)  # noqa: E731
    return 2 * weight(a & b) / (weight(a) + weight(b))


def _direct(view: ClaimView) -> bool:
    """The value is an argument of the act itself ("41 died"), not an aside ("out of 210")."""
    return bool((view.context or {}).get("direct"))


def _what_agrees(a: ClaimView, b: ClaimView) -> bool:
    what_a, what_b = (a.context or {}).get("what"), (b.context or {}).get("what")
    return not (what_a and what_b and what_a != what_b)


def _same_subject(a: ClaimView, b: ClaimView) -> bool:
    """False when the claims are plainly about different things: amounts of one thing done
    different ways ("citizens living" vs "citizens visiting"), or acts of different people
    ("the presidency of Moreno" vs "of Correa")."""
    ca, cb = a.context or {}, b.context or {}
    va, vb = ca.get("what_verb"), cb.get("what_verb")
    if (ca.get("what") and ca.get("what") == cb.get("what") and va and vb and va != vb
            and VERB_CLASS_OF.get(va, va) != VERB_CLASS_OF.get(vb, vb)):
        return False
    people_a, people_b = set(ca.get("people", [])), set(cb.get("people", []))
    return not (people_a and people_b and not people_a & people_b)


def _quote(view: ClaimView) -> str:
    return f"“{view.exact}” ({describe(view.value)})" if view.value.get("type") != "entity" else f"“{view.exact}”"


def _explain(a: ClaimView, b: ClaimView, notes: list[str], features: dict) -> str:
    """What both claims measure, each value as read, why both cannot be true, and what
    suggests two different events."""
    shared = a.keys & b.keys
    topics = ", ".join(sorted({k.removeprefix("act:") for k in shared if k not in VERB_CLASS_OF}
                              | {k for k in shared if k in VERB_CLASS_OF and f"act:{VERB_CLASS_OF[k]}" not in shared})[:8])
    if a.property and b.property:
        about = (f"Both measure {a.property}." if a.property.lower() == b.property.lower()
                 else f"What they measure: “{a.property}” and “{b.property}”.")
    elif topics:
        about = f"Both about: {topics}."
    else:
        about = "Similar sentences."
    if features.get("semantic", 0) >= 0.6:
        about += f" Their sentences mean nearly the same (similarity {features['semantic']:.2f})."
    text = f"{about} {_quote(a)} and {_quote(b)} cannot both be true: the values do not overlap."
    if a.kind == "entity":
        role = a.property or a.value.get("role", "")
        when = "at dates the sources do not give" if features.get("undated") else "at matching dates"
        text = (f"{about} The same role ({role}) {when} is held by "
                f"{a.value.get('name')} in one source and {b.value.get('name')} in the other.")
    return " ".join([text, *notes])


def _notes(a: ClaimView, b: ClaimView) -> tuple[list[str], dict]:
    """What tells the two claims apart as events, said for the reviewer, and as features."""
    notes = []
    anchors_differ, anchor_a, anchor_b = _anchors_conflict(a, b)
    verbs_differ, verb_a, verb_b = _verb_conflict(a, b)
    if anchors_differ:
        act_a = f"{verb_a}, " if verbs_differ else ""
        act_b = f"{verb_b}, " if verbs_differ else ""
        notes.append(f"But they are likely two different events: “{a.exact}” ({act_a}{anchor_a}) "
                     f"and “{b.exact}” ({act_b}{anchor_b}) are dated differently.")
    elif verbs_differ:
        notes.append(f"The acts differ ({verb_a} vs {verb_b}): perhaps two different events.")
    what_a, what_b = (a.context or {}).get("what"), (b.context or {}).get("what")
    what_differs = bool(what_a and what_b and what_a != what_b)
    if what_differs:
        notes.append(f"They may measure different things ({what_a} vs {what_b}).")
    return notes, {"anchors_differ": anchors_differ, "acts_differ": verbs_differ, "what_differs": what_differs}


def _strong(a: ClaimView, b: ClaimView, common: frozenset) -> bool:
    """The claims share the words that say what they are about: two content words, or one
    and an act, or an act and two clause words; or one act that a count is an argument of."""
    shared = a.keys & b.keys
    verbs = {(a.context or {}).get("verb")} & {(b.context or {}).get("verb")}
    acts = {k for k in shared if k.startswith("act:")}
    # For dates an event word and its act are one piece of evidence ("visit" and act:visit):
    # two visits are two events unless something else ties them together.
    content = {k for k in shared if not k.startswith("act:") and k not in verbs and k not in common
               and not (a.kind == "date" and f"act:{VERB_CLASS_OF.get(k)}" in acts)}
    all_verbs = {(a.context or {}).get("verb"), (b.context or {}).get("verb")}
    clause = {k for k in set((a.context or {}).get("keys", [])) & set((b.context or {}).get("keys", []))
              if k not in all_verbs and k not in common and f"act:{VERB_CLASS_OF.get(k)}" not in acts}
    if a.kind == "count" and acts and _what_agrees(a, b) and _direct(a) and _direct(b):
        return True  # "41 died" and "forty-seven people lost their lives": the act is the point
    return len(content) >= 2 or (len(content) >= 1 and bool(acts)) or (bool(acts) and len(clause) >= 2)


def claims_by_kind(views: list[ClaimView]) -> dict[str, list[ClaimView]]:
    """The claims with a value, by kind, each given its blocking keys: only claims of one
    kind are ever paired."""
    by_kind: dict[str, list[ClaimView]] = defaultdict(list)
    for view in views:
        if view.value and view.value.get("type"):
            view.keys = _keys(view)
            by_kind[view.kind].append(view)
    return by_kind


def _neighbours(views: list[ClaimView], k: int = NEIGHBOURS, floor: float = NEIGHBOUR_FLOOR) -> dict[tuple[int, int], float]:
    """Pairs of claims from different sources where either is among the other's ``k`` nearest
    by embedding (cosine of unit vectors, at least NEIGHBOUR_FLOOR), with their similarity:
    two wordings of one point ("died" / "claimed the lives of") meet here even when they
    share no word. Vectors of another length (another model) are left out."""
    sizes = [len(v.vector) for v in views if v.vector is not None]
    size = max(set(sizes), key=sizes.count) if sizes else 0
    rows = [i for i, v in enumerate(views) if v.vector is not None and len(v.vector) == size]
    if len(rows) < 2:
        return {}
    matrix = np.stack([views[i].vector for i in rows]).astype(np.float32)
    keys = {key: n for n, key in enumerate(dict.fromkeys(views[i].source_key for i in rows))}
    sources = np.array([keys[views[i].source_key] for i in rows])
    if len(rows) <= EXACT_NEIGHBOURS_UP_TO:
        lists = [(np.arange(len(rows)), np.arange(len(rows)))]
    else:
        lists = _inverted_lists(matrix)
    found_x, found_y, found_sim = [], [], []
    for queries, members in lists:
        for first in range(0, len(queries), NEIGHBOUR_BLOCK):
            chunk = queries[first:first + NEIGHBOUR_BLOCK]
            block = matrix[chunk] @ matrix[members].T
            block[sources[chunk, None] == sources[None, members]] = -np.inf  # never kept, whatever the floor
            take = min(k, len(members))
            nearest = np.argpartition(-block, take - 1, axis=1)[:, :take]
            sims = np.take_along_axis(block, nearest, axis=1)
            keep = sims >= floor
            found_x.append(np.repeat(chunk, take).reshape(-1, take)[keep])
            found_y.append(members[nearest][keep])
            found_sim.append(sims[keep])
    if not found_x:
        return {}
    x, y, sim = np.concatenate(found_x), np.concatenate(found_y), np.concatenate(found_sim)
    # Each query's best k over all the lists it was compared with.
    order = np.lexsort((-sim, x))
    x, y, sim = x[order], y[order], sim[order]
    rank = np.arange(len(x)) - np.searchsorted(x, x)
    pairs: dict[tuple[int, int], float] = {}
    for a, b, s in zip(x[rank < k].tolist(), y[rank < k].tolist(), sim[rank < k].tolist()):
        a, b = rows[a], rows[b]
        pairs[(min(a, b), max(a, b))] = s
    return pairs


def _comparability(view: ClaimView) -> object:
    """Claims of one kind that can be set against each other: money in one currency, measures
    of one dimension (a length and a speed never conflict)."""
    value = view.value
    if value.get("type") == "money":  # "pesos" and CLP are one class
        return CURRENCY_FAMILY.get(value.get("currency"), value.get("currency"))
    if value.get("type") == "measure":  # a yearly rate with the amounts it adds up to
        return value.get("year_dimension") or value.get("dimension")
    return None


def _comparable_neighbours(group: list[ClaimView]) -> dict[tuple[int, int], float]:
    """``_neighbours`` within each set of comparable claims, so that a claim's few nearest
    are claims it could contradict (the euros of a source among its many dollars)."""
    classes: dict[object, list[int]] = defaultdict(list)
    for i, view in enumerate(group):
        classes[_comparability(view)].append(i)
    found = {}
    for members in classes.values():
        # A class of a few claims (a source's euros among dollars) is searched without a
        # floor: its claims have few others they could contradict at all.
        floor = -1.0 if len(members) <= SMALL_CLASS else NEIGHBOUR_FLOOR
        for (x, y), sim in _neighbours([group[i] for i in members], floor=floor).items():
            found[(members[x], members[y])] = sim
    return found


def _inverted_lists(matrix: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """An inverted-file index (as faiss's IVF, in numpy): about sqrt(n) centroids from two
    rounds of spherical k-means; each claim is listed under its nearest centroid and compared
    with the claims listed under its NEIGHBOUR_PROBES nearest, so the work grows as n^1.5
    with a small constant instead of n^2. Approximate: a neighbour across the boundary of
    every probed list is missed."""
    n = len(matrix)
    count = max(2, int(math.sqrt(n)))
    rng = np.random.default_rng(0)  # the same lists for the same claims, run after run
    centroids = matrix[rng.choice(n, count, replace=False)]
    for _ in range(2):
        home = np.concatenate([np.argmax(matrix[i:i + NEIGHBOUR_BLOCK] @ centroids.T, axis=1)
                               for i in range(0, n, NEIGHBOUR_BLOCK)])
        sums = np.zeros_like(centroids)
        np.add.at(sums, home, matrix)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        centroids = np.where(norms > 0, sums / np.maximum(norms, 1e-9), centroids)
    probes = min(NEIGHBOUR_PROBES, count)
    probed, home = [], []
    for i in range(0, n, NEIGHBOUR_BLOCK):
        closeness = matrix[i:i + NEIGHBOUR_BLOCK] @ centroids.T  # once for both
        probed.append(np.argpartition(-closeness, probes - 1, axis=1)[:, :probes])
        home.append(np.argmax(closeness, axis=1))
    probed, home = np.concatenate(probed), np.concatenate(home)
    members_of = np.split(np.argsort(home, kind="stable"), np.cumsum(np.bincount(home, minlength=count))[:-1])
    flat = probed.ravel()
    order = np.argsort(flat, kind="stable")
    queries_of = np.split(order // probes, np.cumsum(np.bincount(flat, minlength=count))[:-1])
    return [(queries, members) for queries, members in zip(queries_of, members_of)
            if len(queries) and len(members)]


def _around(view: ClaimView, words: int = 3) -> str:
    """The few words each side of the value, the value masked: its slot in the sentence."""
    masked = (view.context or {}).get("masked") or ""
    found = around_mask(masked, words)
    return masked if found is None else " ".join(found[0] + found[2])


def _cosine(a: ClaimView, b: ClaimView) -> float:
    if a.vector is None or b.vector is None:
        return 0.0
    return float(np.dot(a.vector, b.vector))


def pair_features(a: ClaimView, b: ClaimView, *, idf: dict, common: frozenset, sentence: float,
                  lexical: bool, main_year: dict | None = None) -> tuple[dict, list[str]]:
    """What the score weighs for one pair (each feature in [0, 1]), and the notes that tell
    the reviewer why the claims may be two events."""
    notes, flags = _notes(a, b)
    prop_a, prop_b = a.property.lower(), b.property.lower()
    apart = gap(a.value, b.value)
    features = {
        "semantic": max(0.0, _cosine(a, b)),
        "keys": _dice(a.keys, b.keys, idf),
        "clause": _dice(set((a.context or {}).get("keys", [])), set((b.context or {}).get("keys", [])), idf),
        "sentence": sentence,
        # Parallel sentences set different slots side by side ("an estimated [COUNT]
        # Ecuadorians living…" / "approximately [COUNT] U.S. citizens living…"): the words
        # right around each value say which slot it fills.
        "slot": fuzz.token_set_ratio(_around(a), _around(b)) / 100,
        "property": fuzz.token_set_ratio(prop_a, prop_b) / 100 if prop_a and prop_b else 0.0,
        "strong": float(_strong(a, b, common)),
        "direct": float(_direct(a) and _direct(b)),
        "lexical": float(lexical),
        # How far apart the values are: dates and amounts apart, as they differ in scale.
        "gap": apart if a.kind != "date" else 0.0,
        "date_gap": apart if a.kind == "date" else 0.0,
        "other_subject": float(not _same_subject(a, b)),
        "off_year": float(_off_year(a, b, main_year or {})),
        "stated_beside": float(_stated_beside(a, b)),
        **{name: float(flag) for name, flag in flags.items()},
        # Office holders whose sentences and texts give no date to compare.
        "undated": float(a.kind == "entity" and _same_time(a, b) is None),
        # "The new minister", "the outgoing governor": the office changed hands, and the other
        # source's holder may be the one before or after.
        "tenure_changed": float(a.kind == "entity" and bool(a.value.get("changed") or b.value.get("changed"))),
        # Each kind its own base rate: two office holders already paired by one role at one
        # time are likelier a conflict than two counts that merely sit near each other.
        f"kind:{a.kind}": 1.0,
    }
    return features, notes


# Pairs of features that the score also weighs as products: a mutual best match counts for
# more when the two claims also mean the same or measure the same.
INTERACTIONS = (("best_match", "semantic"), ("best_match", "property"), ("semantic", "property"),
                ("best_match", "keys"))


def with_interactions(features: dict) -> dict:
    """The features and their INTERACTIONS products ("best_match*semantic")."""
    return features | {f"{a}*{b}": features.get(a, 0.0) * features.get(b, 0.0) for a, b in INTERACTIONS}


def _probability(features: dict, weights: dict) -> float:
    features = with_interactions(features)
    z = weights.get("bias", 0.0) + sum(weights.get(name, 0.0) * x for name, x in features.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=1)
def score_weights() -> dict:
    """The weights of the score, fitted on labelled pairs by ``python -m bench.fit_scores``:
    one set for when claims have embeddings, one for the rules alone."""
    return json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))


def scored_pairs(views: list[ClaimView], *, workers: int = -1):
    """Every pair worth a reviewer's look (different sources, one kind, values that cannot
    both be true), with its features and its score: yields (a, b, features, notes, score)."""
    weights_by_mode = score_weights()
    main_year = _main_years(views)
    for kind, group in claims_by_kind(views).items():
        lexical = _pairs(group)
        semantic = _comparable_neighbours(group)
        near = [p for p in {*lexical, *semantic} if group[p[0]].source_key != group[p[1]].source_key]
        agreeing = [p for p in near if compatible(group[p[0]].value, group[p[1]].value)]
        pairs = [p for p in near if not compatible(group[p[0]].value, group[p[1]].value)]
        if kind == "entity":
            # Different people in one role contradict only at the same time.
            pairs = [p for p in pairs if _same_role_same_time(group[p[0]], group[p[1]])]
        if not pairs:
            continue
        idf, common = _key_weights(group)
        both = pairs + agreeing
        left = [group[i].context.get("masked", group[i].exact) for i, _ in both]
        right = [group[j].context.get("masked", group[j].exact) for _, j in both]
        similarity = process.cpdist(left, right, scorer=fuzz.token_set_ratio, workers=workers)
        scored = []
        for (i, j), sim in zip(pairs, similarity):
            features, notes = pair_features(group[i], group[j], idf=idf, common=common,
                                            sentence=float(sim) / 100, lexical=(i, j) in lexical,
                                            main_year=main_year)
            scored.append((i, j, features, notes))
        # Claims that agree take part in who is whose likest: a claim whose point the other
        # source states with the same value is not that source's contradiction of it.
        agreed = [(i, j, _likeness_of(group[i], group[j], idf, float(sim) / 100))
                  for (i, j), sim in zip(agreeing, similarity[len(pairs):])]
        _mark_best_matches(group, scored, agreed)
        _mark_stated_apart(group, scored, agreeing)
        for i, j, features, notes in scored:
            # The model's weights where both claims have vectors; the rules' where one has
            # none (saved before the model was installed, or read by the worker later).
            both = group[i].vector is not None and group[j].vector is not None
            yield group[i], group[j], features, notes, _probability(
                features, weights_by_mode["embedding" if both else "rules"])


def _likeness(features: dict) -> float:
    return features["semantic"] + features["keys"] + features["clause"] + features["sentence"]


def _likeness_of(a: ClaimView, b: ClaimView, idf: dict, sentence: float) -> float:
    """``_likeness`` of a pair that is not scored (its values agree)."""
    return (max(0.0, _cosine(a, b)) + _dice(a.keys, b.keys, idf) + sentence
            + _dice(set((a.context or {}).get("keys", [])), set((b.context or {}).get("keys", [])), idf))


def _mark_best_matches(group: list[ClaimView], scored: list, agreed: list = ()) -> None:
    """Feature ``best_match``: how far each claim of the pair is the other's likest claim in
    that other source (1: each is the other's best; less as its likeness falls short of the
    best), counting the claims whose values agree with it (``agreed``: (i, j, likeness)). One
    point said by two sources pairs off that way; a claim that is merely near many others,
    or whose point the other source states with the same value, does not."""
    best: dict[tuple[int, object], float] = defaultdict(float)
    likes = [(i, j, _likeness(features)) for i, j, features, _ in scored]
    for i, j, like in [*likes, *agreed]:
        for x, y in ((i, j), (j, i)):
            key = (x, group[y].source_key)
            best[key] = max(best[key], like)
    for i, j, features, _ in scored:
        like = _likeness(features)
        # As a share of each side's best, so a near tie is not all or nothing.
        features["best_match"] = (like / best[(i, group[j].source_key)]
                                  + like / best[(j, group[i].source_key)]) / 2 if like else 0.0


def _mark_stated_apart(group: list[ClaimView], scored: list, agreeing: list) -> None:
    """Feature ``stated_apart``: some source states both values, as two claims, each agreeing
    with one side of the pair (and not with the other): that source holds them as two facts
    ("301 total (214 in Mozambique, ...)" against a table's "Deaths – Mozambique, 214" and a
    report's "killed 301 people"), so the pair is likely two points, not one disputed."""
    echoes: dict[int, dict[object, set[int]]] = defaultdict(lambda: defaultdict(set))
    for i, j in agreeing:
        echoes[i][group[j].source_key].add(j)
        echoes[j][group[i].source_key].add(i)
    for i, j, features, _ in scored:
        a, b = group[i], group[j]
        apart = False
        for source, of_a in [*echoes[i].items(), (a.source_key, {i})]:
            of_b = echoes[j].get(source, set()) | ({j} if source == b.source_key else set())
            if not of_b:
                continue
            said_a = [x for x in of_a if not compatible(group[x].value, b.value)]  # each test once
            said_b = [y for y in of_b if not compatible(group[y].value, a.value)]
            if any(x != y for x in said_a for y in said_b):
                apart = True
                break
        features["stated_apart"] = float(apart)


def find_candidates(views: list[ClaimView], *, workers: int = -1) -> list[Candidate]:
    """Every pair of claims (different sources, same kind) that look like the same point with
    incompatible values, scored, merged into groups, best first. Pairs are taken best first
    and one is dropped when both its claims already have ``PER_CLAIM`` pairs."""
    # Two claims that are each other's likest in the other's source are shown down to half
    # the floor, and to a quarter when dated differently: "likely two different events" is the
    # reviewer's call ("$20 million" pledged in 2025, "$25 million" signed in 2024).
    def shown(score: float, features: dict) -> bool:
        mutual = features["best_match"] == 1.0
        floor = CANDIDATE_FLOOR / (4 if mutual and features["anchors_differ"] else 2 if mutual else 1)
        return score >= floor

    scored = [(score, a, b, features, notes) for a, b, features, notes, score in
              scored_pairs(views, workers=workers) if shown(score, features)]
    scored.sort(key=lambda item: -item[0])
    taken: dict[int, int] = defaultdict(int)
    found = []
    for score, a, b, features, notes in scored:
        # A claim's best few pairs are its candidates: the rest would drown the reviewer.
        if taken[id(a)] >= PER_CLAIM and taken[id(b)] >= PER_CLAIM:
            continue
        taken[id(a)] += 1
        taken[id(b)] += 1
        unsure = score < settings.WORKBENCH_MIN_SCORE or any(
            features[f] for f in ("anchors_differ", "acts_differ", "what_differs"))
        found.append((score, _explain(a, b, notes, features), unsure, a, b))
    return _merge(found)


def _same_role(a: ClaimView, b: ClaimView) -> bool:
    """One office: the same role (as normalised, or nearly the same words), and no two
    different countries or organisations named."""
    role_a, role_b = (a.value.get("role") or "").lower(), (b.value.get("role") or "").lower()
    if not role_a or not role_b or (role_a != role_b and fuzz.token_set_ratio(role_a, role_b) < 85):
        return False
    country_a, country_b = (a.value.get("country") or "").lower(), (b.value.get("country") or "").lower()
    if _orgs_differ(a.value.get("org") or "", b.value.get("org") or ""):
        return False  # Skärvik's chief executive and Ruhrmark's are two offices
    return not (country_a and country_b and country_a != country_b)


def _orgs_differ(org_a: str, org_b: str) -> bool:
    """Two organisations both named, and plainly not one: not a common noun ("the
    consortium's"), not an acronym of the other (UN, United Nations), not nearly the same words."""
    if not (org_a[:1].isupper() and org_b[:1].isupper()):
        return False
    initials = lambda org: "".join(w[0] for w in org.split() if w[:1].isupper())  # noqa: E731
    if org_a.replace(".", "") in {org_b, initials(org_b)} or org_b.replace(".", "") in {org_a, initials(org_a)}:
        return False
    return fuzz.token_set_ratio(org_a.lower(), org_b.lower()) < 80


def _same_time(a: ClaimView, b: ClaimView) -> bool | None:
    """Whether the two claims speak of the same time: by the dates in their sentences, else
    by the years their texts speak of (inferred); None when nothing dates one of them."""
    anchors_a, anchors_b = _anchors(a), _anchors(b)
    if anchors_a and anchors_b:
        return _anchors_meet(anchors_a, anchors_b)
    year_a = _anchor_year(anchors_a) or (a.context or {}).get("year")
    year_b = _anchor_year(anchors_b) or (b.context or {}).get("year")
    if year_a and year_b:
        return year_a == year_b
    return None


def _same_role_same_time(a: ClaimView, b: ClaimView) -> bool:
    """Different people in one office contradict each other unless they held it at different
    times: a pair is kept when the office is one and no date sets them apart."""
    return _same_role(a, b) and _same_time(a, b) is not False


def _anchor_year(anchors: list) -> int | None:
    years = {x["value"].get("start", "")[:4] for x in anchors if x["value"].get("type") == "date"}
    return int(years.pop()) if len(years) == 1 and next(iter(years)).isdigit() else None


def _merge(found) -> list[Candidate]:
    """One candidate per point: when a claim is contradicted by several claims that agree
    with each other ("$25 million" three times in one source), they form one candidate."""
    groups: list[dict] = []
    # id(view) -> the groups it is in (a claim may be set against several points), so each
    # pair is placed in O(its claims' groups' sizes).
    group_of: dict[int, list[dict]] = defaultdict(list)

    def joins(group: dict, anchor: ClaimView, newcomer: ClaimView) -> bool:
        return len(group["views"]) < 6 and not compatible(anchor.value, newcomer.value) and any(
            m is not anchor and (describe(m.value) == describe(newcomer.value)
                                 or (m.source_key == newcomer.source_key and compatible(m.value, newcomer.value)))
            for m in group["views"])

    for score, explanation, unsure, a, b in sorted(found, key=lambda f: -f[0]):
        placed = False
        for anchor, newcomer in ((a, b), (b, a)):
            for group in group_of[id(anchor)]:
                if id(newcomer) in group["ids"] or joins(group, anchor, newcomer):
                    if id(newcomer) not in group["ids"]:
                        group["views"].append(newcomer)
                        group["ids"].add(id(newcomer))
                        group_of[id(newcomer)].append(group)
                    placed = True
                    break
            if placed:
                break
        if not placed:
            group = {"score": score, "explanation": explanation, "unsure": unsure,
                     "views": [a, b], "ids": {id(a), id(b)}, "kind": a.kind}
            groups.append(group)
            group_of[id(a)].append(group)
            group_of[id(b)].append(group)
    return [
        Candidate(kind=g["kind"], score=round(g["score"], 3), explanation=g["explanation"],
                  claims=[v.ref for v in g["views"]], unsure=g["unsure"])
        for g in groups
    ]
