"""Benchmarks that print figures (never asserted as timings).

    python -m bench ingest --docs 200     import N generated documents; rates against bare nlp.pipe
    python -m bench detect                detection time at 250 / 1,000 / 4,000 documents, growth exponent
    python -m bench web --users 20 --seconds 60 [--peer]
                                          simulated reviewers against gunicorn (production settings)

Each run uses a throwaway SQLite database in a temporary folder.
"""
import argparse
import math
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TOWNS = ["Harlow", "Brenn", "Oskar", "Selby", "Tarn", "Alder", "Quito", "Manta", "Cuenca", "Loja"]
THINGS = ["bridge", "hospital wing", "dam", "school", "airport", "port", "railway", "stadium", "library", "tunnel"]
ACTS = [("opened", "date"), ("was approved", "date"), ("cost", "money"), ("employed", "count"),
        ("displaced", "count")]
NAMES = ["Kestrel", "Osprey", "Heron", "Falcon", "Plover", "Curlew", "Merlin", "Lapwing"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def document(rng: random.Random, number: int) -> str:
    """A short synthetic report: a few sentences stating dates, amounts and counts about one
    project, with values that sometimes disagree with other documents about it."""
    # Five documents per project, as a newsroom has a handful of sources per story: the
    # corpus grows by adding stories, each with its own names.
    story = number // 5
    town, thing = TOWNS[story % len(TOWNS)], THINGS[(story // len(TOWNS)) % len(THINGS)]
    project = f"The {town} {thing} of {NAMES[story % len(NAMES)]}{story}"
    lines = [f"{project}: report {number}", ""]
    for _ in range(rng.randint(6, 10)):
        kind = rng.choice(["date", "money", "count", "percent", "filler"])
        if kind == "date":
            lines.append(f"{project} opened in {rng.choice(MONTHS)} {rng.randint(1995, 2024)}, officials said.")
        elif kind == "money":
            lines.append(f"{project} cost ${rng.randint(10, 900)} million, paid by the regional government.")
        elif kind == "count":
            lines.append(f"At its peak {project} employed {rng.randint(2, 90) * 100:,} workers from the valley.")
        elif kind == "percent":
            lines.append(f"{project} carries {rng.randint(5, 60)}% of the region's traffic.")
        else:
            lines.append("Residents described the works as long and noisy, and the council promised a review "
                         "of how the contracts were awarded and supervised.")
    return "\n".join(lines) + "\n"


def setup_django(workdir: str):
    os.environ["WORKBENCH_SQLITE_PATH"] = str(Path(workdir) / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ingest(args) -> None:
    setup_django(tempfile.mkdtemp(prefix="bench-ingest-"))
    from annotations.extraction import get_nlp
    from annotations.models import Claim
    from annotations.services import claims_suggest, source_import

    rng = random.Random(20261122)
    texts = [document(rng, i) for i in range(args.docs)]
    words = sum(len(t.split()) for t in texts)
    nlp = get_nlp()

    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    bare = time.perf_counter() - started

    started = time.perf_counter()
    sources = [source_import(name=f"doc-{i}.txt", raw=t.encode()) for i, t in enumerate(texts)]
    claims = claims_suggest(sources=sources)
    whole = time.perf_counter() - started
    assert Claim.objects.count() == claims

    print(f"{args.docs} documents, {words:,} words, {claims:,} suggested claims, spaCy components: "
          + ", ".join(nlp.pipe_names))
    print(f"whole import:  {whole:7.2f} s  {args.docs / whole:8.1f} docs/s  {words / whole:9.0f} words/s  "
          f"{claims / whole:8.1f} claims/s")
    print(f"bare nlp.pipe: {bare:7.2f} s  {args.docs / bare:8.1f} docs/s  {words / bare:9.0f} words/s")
    print(f"ratio (import speed / bare spaCy speed): {bare / whole:.2f}   peak RSS {peak_rss_mb():.0f} MB")


def detect(args) -> None:
    setup_django(tempfile.mkdtemp(prefix="bench-detect-"))
    from annotations.extraction import iter_extract
    from annotations.matching import ClaimView, find_candidates

    sizes = [int(s) for s in args.sizes.split(",")]
    rng = random.Random(7)
    texts = [document(rng, i) for i in range(max(sizes))]
    started = time.perf_counter()
    views = []
    for number, suggestions in enumerate(iter_extract(texts)):
        views.append([ClaimView(ref=(number, s.start), source_key=number, kind=s.kind, exact=s.exact,
                                value=s.value, context=s.context) for s in suggestions])
    print(f"extracted {sum(map(len, views)):,} claims from {len(texts):,} documents in "
          f"{time.perf_counter() - started:.1f} s (not part of the timings below)")
    points = []
    for size in sizes:
        flat = [v for doc in views[:size] for v in doc]
        best = math.inf
        for _ in range(args.repeat):
            started = time.perf_counter()
            candidates = find_candidates(flat)
            best = min(best, time.perf_counter() - started)
        points.append((len(flat), best))
        print(f"{size:>6} documents {len(flat):>8,} claims  detection {best:7.3f} s  "
              f"{len(candidates):>6,} candidates")
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)
    print(f"growth exponent (time ~ claims^k, least squares on log-log): k = {slope:.2f}   "
          f"peak RSS {peak_rss_mb():.0f} MB")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_ingest = sub.add_parser("ingest", help="import generated documents, compare with bare nlp.pipe")
    p_ingest.add_argument("--docs", type=int, default=200)
    p_detect = sub.add_parser("detect", help="detection time as the corpus grows")
    p_detect.add_argument("--sizes", default="250,1000,4000")
    p_detect.add_argument("--repeat", type=int, default=2)
    p_web = sub.add_parser("web", help="simulated reviewers against gunicorn with the production settings")
    p_web.add_argument("--users", type=int, default=20)
    p_web.add_argument("--seconds", type=float, default=60)
    p_web.add_argument("--max-requests", type=int, default=20_000, help="bound on the load phase's requests")
    p_web.add_argument("--docs", type=int, default=200, help="seeds cycled to this many documents")
    p_web.add_argument("--annotations", type=int, default=200, help="claim writes in the sequential phase")
    p_web.add_argument("--list-repeats", type=int, default=20)
    p_web.add_argument("--workers", type=int, default=3)
    p_web.add_argument("--threads", type=int, default=4)
    p_web.add_argument("--database-url", default="",
                       help="a PostgreSQL server URL: the run creates and drops its own database there")
    p_web.add_argument("--peer", action="store_true",
                       help="then run Label Studio through ../shared/peers/run_labelstudio.sh on the same corpus")
    args = parser.parse_args(argv)
    if args.command == "web":
        from .web import main as web

        return web(args)
    {"ingest": ingest, "detect": detect}[args.command](args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
