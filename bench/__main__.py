"""Benchmarks that print figures (never asserted as timings).

    python -m bench ingest --docs 200     import N generated documents; rates against bare nlp.pipe;
                                          then one long source each of 10k, 40k and 80k words
    python -m bench long --words 40000    import one long source (time, peak RSS, bare nlp.pipe)
    python -m bench detect                detection time at 250 / 1,000 / 4,000 documents, growth exponent
    python -m bench folder --files 10000  import_sources on a folder, interrupted once and resumed
    python -m bench page                  the side-by-side page of a 50,000-word source with 2,000 claims
    python -m bench revision-page         the "What changed" page of a new version of a 50,000-word
                                          source with 2,000 claims: both versions side by side
    python -m bench search --sources 10000 --queries 200
                                          full-text search: index build, then queries through the
                                          selector and the API (p50 / p95 / max)
    python -m bench matrix --sources 50 --points 500
                                          the facts × sources matrix page (and its build and CSV
                                          export) on a generated corpus of that size
    python -m bench reanchor              claims re-anchored in edited versions of the seeds and of a
                                          50,000-word source (right / wrong / orphans listed, time)
    python -m bench web --users 20 --seconds 60 [--peer]
                                          simulated reviewers against gunicorn (production settings)
    python -m bench mutation [permissions values ...]
                                          mutation score per module (mutmut) and surviving mutants

Each run uses a throwaway SQLite database in a temporary folder.
"""
import argparse
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import import_and_read

ROOT = Path(__file__).resolve().parent.parent

TOWNS = ["Harlow", "Brenn", "Oskar", "Selby", "Tarn", "Alder", "Quito", "Manta", "Cuenca", "Loja"]
THINGS = ["bridge", "hospital wing", "dam", "school", "airport", "port", "railway", "stadium", "library", "tunnel"]
ACTS = [("opened", "date"), ("was approved", "date"), ("cost", "money"), ("employed", "count"),
        ("displaced", "count")]
NAMES = ["Kestrel", "Osprey", "Heron", "Falcon", "Plover", "Curlew", "Merlin", "Lapwing"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def document(rng: random.Random, number: int) -> str:
    """A short synthetic report about one project: a few sentences stating its opening date,
    cost, workforce and share of traffic. Five documents tell each story; each states the
    story's own values, and about one statement in six disagrees, as sources do."""
    # Five documents per project, as a newsroom has a handful of sources per story: the
    # corpus grows by adding stories, each with its own names.
    story = number // 5
    truth = random.Random(story)
    town, thing = TOWNS[story % len(TOWNS)], THINGS[(story // len(TOWNS)) % len(THINGS)]
    project = f"The {town} {thing} of {NAMES[story % len(NAMES)]}{story}"

    def draw(r: random.Random) -> dict:
        return {"date": (r.choice(MONTHS), r.randint(1995, 2024)), "money": r.randint(10, 900),
                "count": r.randint(2, 90) * 100, "percent": r.randint(5, 60)}

    facts = draw(truth)

    def told(kind):
        return facts[kind] if rng.random() > 1 / 6 else draw(rng)[kind]

    lines = [f"{project}: report {number}", ""]
    for _ in range(rng.randint(6, 10)):
        kind = rng.choice(["date", "money", "count", "percent", "filler"])
        if kind == "date":
            month, year = told("date")
            lines.append(f"{project} opened in {month} {year}, officials said.")
        elif kind == "money":
            lines.append(f"{project} cost ${told('money')} million, paid by the regional government.")
        elif kind == "count":
            lines.append(f"At its peak {project} employed {told('count'):,} workers from the valley.")
        elif kind == "percent":
            lines.append(f"{project} carries {told('percent')}% of the region's traffic.")
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

    rng = random.Random(20261122)
    texts = [document(rng, i) for i in range(args.docs)]
    words = sum(len(t.split()) for t in texts)
    nlp = get_nlp()
    load_embedding_model()

    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16):
        pass
    bare = time.perf_counter() - started

    started = time.perf_counter()
    _, claims = import_and_read([(f"doc-{i}.txt", text) for i, text in enumerate(texts)], chunk=args.chunk)
    whole = time.perf_counter() - started
    assert Claim.objects.count() == claims

    print(f"{args.docs} documents, {words:,} words, {claims:,} suggested claims, spaCy components: "
          + ", ".join(nlp.pipe_names))
    print(f"whole import:  {whole:7.2f} s  {args.docs / whole:8.1f} docs/s  {words / whole:9.0f} words/s  "
          f"{claims / whole:8.1f} claims/s")
    print(f"bare nlp.pipe: {bare:7.2f} s  {args.docs / bare:8.1f} docs/s  {words / bare:9.0f} words/s")
    print(f"ratio (import speed / bare spaCy speed): {bare / whole:.2f}   peak RSS {peak_rss_mb():.0f} MB")
    if args.long_words:
        print("one long source (each in a process of its own, so each peak RSS is its own):")
        for words in (int(w) for w in args.long_words.split(",")):
            # A child per size: ru_maxrss only ever grows, so one process would report the
            # largest source's peak for all of them.
            subprocess.run([sys.executable, "-m", "bench", "long", "--words", str(words)], check=True, cwd=ROOT)


def load_embedding_model(quiet: bool = False) -> None:
    """Load the embedding model before timing, as spaCy is: both are loaded once per process."""
    from annotations.embedding import get_model

    started = time.perf_counter()
    model = get_model()
    if not quiet:
        print(f"embedding model: {'none (rules only)' if model is None else 'loaded'} in "
              f"{time.perf_counter() - started:.1f} s (once per process, not part of the timings below)")


def long_text(words: int) -> str:
    """One source of about this many words: the generated reports, one after another."""
    rng = random.Random(20261123)
    parts, count = [], 0
    while count < words:
        parts.append(document(rng, len(parts)))
        count += len(parts[-1].split())
    return "\n".join(parts)


def long_source(args) -> None:
    """Import one long source as an import does (saved, read by spaCy, suggestions saved),
    after timing bare nlp.pipe on the same text."""
    setup_django(tempfile.mkdtemp(prefix="bench-long-"))
    from annotations.extraction import get_nlp

    text = long_text(args.words)
    nlp = get_nlp()
    load_embedding_model(quiet=True)
    started = time.perf_counter()
    for _ in nlp.pipe([text]):
        pass
    bare = time.perf_counter() - started
    started = time.perf_counter()
    _, claims = import_and_read([("long.txt", text)], chunk=1)
    whole = time.perf_counter() - started
    print(f"  {len(text.split()):>7,} words {claims:>6,} claims  import {whole:7.2f} s  "
          f"bare nlp.pipe {bare:7.2f} s  ratio {whole / bare:5.2f}x  peak RSS {peak_rss_mb():6.0f} MB", flush=True)


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
                                value=s.value, context=s.context, property=s.property) for s in suggestions])
    print(f"extracted {sum(map(len, views)):,} claims from {len(texts):,} documents in "
          f"{time.perf_counter() - started:.1f} s (not part of the timings below)")
    started = time.perf_counter()
    from annotations.evaluation import embed_views

    every = embed_views([v for doc in views for v in doc])  # as saving claims does, once per claim
    print(f"embedded them in {time.perf_counter() - started:.1f} s "
          f"({'model loaded once' if any(v.vector is not None for v in every) else 'no embedding model: rules only'};"
          f" not part of the timings below)", flush=True)
    from annotations.matching import _comparable_neighbours, _pairs, claims_by_kind

    find_candidates([v for doc in views[:20] for v in doc])  # warm-up: thread pool, caches
    points = []
    for size in sizes:
        flat = [v for doc in views[:size] for v in doc]
        best = math.inf
        for _ in range(args.repeat):
            started = time.perf_counter()
            candidates = find_candidates(flat)
            best = min(best, time.perf_counter() - started)
        points.append((len(flat), best))
        compared = sum(len(set(_pairs(group)) | set(_comparable_neighbours(group))) for group in claims_by_kind(flat).values())
        print(f"{size:>6} documents {len(flat):>8,} claims  detection {best:7.3f} s  "
              f"{compared:>9,} pairs scored ({compared / len(flat):5.1f} per claim)  {len(candidates):>6,} candidates")
    print(f"growth exponent (time ~ claims^k, least squares on log-log): k = {growth(points):.2f}   "
          f"peak RSS {peak_rss_mb():.0f} MB")
    for (n1, t1), (n2, t2) in zip(points, points[1:]):
        print(f"  {n1:>7,} -> {n2:>7,} claims: k = {math.log(t2 / t1) / math.log(n2 / n1):.2f}")


def growth(points: list[tuple[int, float]]) -> float:
    """The least-squares slope of log(time) on log(size)."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / sum((x - mean_x) ** 2 for x in xs)


def folder(args) -> None:
    """Write N generated files, run import_sources on them, interrupt it (Ctrl-C) after a
    while, run it again, and check that the two runs together imported every file once."""
    import signal
    import sqlite3
    import subprocess

    workdir = Path(tempfile.mkdtemp(prefix="bench-folder-"))
    files = workdir / "files"
    files.mkdir()
    rng = random.Random(11)
    words = 0
    for i in range(args.files):
        text = document(rng, i)
        words += len(text.split())
        (files / f"doc-{i:05}.txt").write_text(text)
    env = {**os.environ, "WORKBENCH_SQLITE_PATH": str(workdir / "bench.sqlite3"), "DJANGO_LOG_LEVEL": "WARNING"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, check=True)
    print(f"{args.files:,} files, {words:,} words, in {files}")
    command = [*manage, "import_sources", str(files), "--chunk", str(args.chunk), "--verbosity", "0"]
    started = time.perf_counter()
    # SIGINT as the default in the child: a shell's background job would otherwise ignore it.
    first = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        first.wait(timeout=args.interrupt_after)
    except subprocess.TimeoutExpired:
        first.send_signal(signal.SIGINT)  # as Ctrl-C
        first.wait(timeout=60)
    first_time = time.perf_counter() - started
    db = sqlite3.connect(workdir / "bench.sqlite3")
    count = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    after_first = count("select count(*) from annotations_source")
    unread = count("select count(*) from annotations_source where analysed_at is null")
    print(f"run 1: interrupted after {first_time:.1f} s with {after_first:,} sources saved, {unread} of them unread")
    started = time.perf_counter()
    second = subprocess.run([*command[:-2], "--verbosity", "1"], env=env, capture_output=True, text=True)
    second_time = time.perf_counter() - started
    summary = next((line for line in second.stdout.splitlines() if "already there" in line), second.stderr[-300:])
    total = count("select count(*) from annotations_source")
    claims = count("select count(*) from annotations_claim")
    distinct = count("select count(*) from (select distinct source_id, start, \"end\", kind from annotations_claim)")
    unread = count("select count(*) from annotations_source where analysed_at is null")
    print(f"run 2: {second_time:.1f} s: {summary}")
    print(f"database: {total:,} sources for {args.files:,} files, {unread} unread, {claims:,} claims "
          f"({claims - distinct} duplicated); both runs {(first_time + second_time):.1f} s, "
          f"{args.files / (first_time + second_time):.1f} files/s, {words / (first_time + second_time):,.0f} words/s")


def _timed_page(client, url: str, repeat: int) -> str:
    """Get a page ``repeat`` times after a warm-up (templates, session): its best and median
    time, its queries, the size of its HTML and its status, as the page benchmarks print them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
    return (f"best {min(timings) * 1000:.0f} ms, median {sorted(timings)[len(timings) // 2] * 1000:.0f} ms, "
            f"{len(queries)} queries, {len(response.content) / 1024:.0f} KB of HTML (status {response.status_code})")


def page(args) -> None:
    """Render the side-by-side page of one long source (N words, M claims) and print the
    time, the number of queries and the size of the HTML."""
    import re

    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    setup_django(tempfile.mkdtemp(prefix="bench-page-"))
    from django.contrib.auth import get_user_model
    from django.test import Client

    from annotations.models import Claim, Source

    sentence = "The Harlow bridge opened in March {y} and cost ${m} million, officials said on the record today."
    rng = random.Random(1)
    parts, count = [], 0
    while count < args.words:
        parts.append(sentence.format(y=rng.randint(1990, 2020), m=rng.randint(10, 900)))
        count += len(parts[-1].split())
    text = " ".join(parts)
    source = Source.objects.create(title="Long", origin="long.txt", text=text, raw_sha256="0" * 64)
    Claim.objects.bulk_create(
        Claim(source=source, start=m.start(), end=m.end(), exact=m.group(), kind="date",
              context={"masked": "x" * 300, "keys": list(range(30))})
        for m in list(re.finditer(r"March \d{4}", text))[:args.claims])
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("bench", password="bench-password"))
    url = f"/compare/?s={source.pk}"
    print(f"{len(text.split()):,} words, {source.claims.count():,} claims: side-by-side page "
          f"{_timed_page(client, url, args.repeat)}")


def revision_page(args) -> None:
    """Render the "What changed" page of a new version of one long source (N words in
    paragraphs, M claims, a word changed in every tenth paragraph) and print the time to
    compute the word changes alone, the page's time, its queries and the size of its HTML."""
    import re

    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    setup_django(tempfile.mkdtemp(prefix="bench-revision-page-"))
    from django.contrib.auth import get_user_model
    from django.test import Client

    from annotations.models import Claim, Source
    from annotations.services import source_revise
    from workbench.diffing import word_changes

    sentence = "The Harlow bridge opened in March {y} and cost ${m} million, officials said on the record today."
    rng = random.Random(1)
    paragraphs, count = [], 0
    while count < args.words:
        paragraph = " ".join(sentence.format(y=rng.randint(1990, 2020), m=rng.randint(10, 900)) for _ in range(5))
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    text = "\n\n".join(paragraphs) + "\n"
    user = get_user_model().objects.create_superuser("bench", password="bench-password")
    source = Source.objects.create(title="Long", origin="long.txt", text=text, raw_sha256="0" * 64)
    Claim.objects.bulk_create(
        Claim(source=source, start=m.start(), end=m.end(), exact=m.group(), kind="date",
              context={"masked": "x" * 300, "keys": list(range(30))})
        for m in list(re.finditer(r"March \d{4}", text))[:args.claims])
    edited = [p.replace("officials said", "officials reported", 1) if i % 10 == 0 else p
              for i, p in enumerate(paragraphs)]
    new_text = "\n\n".join(edited) + "\n"
    started = time.perf_counter()
    changes = word_changes(text, new_text)
    diff_time = time.perf_counter() - started
    revision = source_revise(source=source, raw=new_text.encode(), name="long.txt", user=user).source
    client = Client()
    client.force_login(user)
    url = f"/sources/{revision.pk}/changes/"
    print(f"{len(text.split()):,} words, {source.claims.count():,} claims, {len(changes)} changes: "
          f"word changes {diff_time * 1000:.0f} ms; revision page {_timed_page(client, url, args.repeat)}")


def percentiles(timings: list[float]) -> str:
    ordered = sorted(timings)
    at = lambda q: ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)] * 1000  # noqa: E731
    return f"p50 {at(0.5):6.1f} ms  p95 {at(0.95):6.1f} ms  max {ordered[-1] * 1000:6.1f} ms"


def search_queries(rng: random.Random, sources: int, count: int) -> list[tuple[str, str]]:
    """(kind, query) pairs: common and rare single words, two words, phrases, numbers, and
    words no source has, in about equal shares."""
    stories = max(1, sources // 5)
    kinds = {
        "common word": lambda: rng.choice(["officials", "million", "workers", "traffic", "regional", "council"]),
        "rare word": lambda: f"{rng.choice(NAMES)}{rng.randrange(stories)}",
        "two words": lambda: f"{rng.choice(TOWNS)} {rng.choice(THINGS).split()[-1]}",
        "phrase": lambda: rng.choice(['"regional government"', '"opened in {m}"', '"the region\'s traffic"',
                                      '"contracts were awarded"', '"{m} {y}"']).format(
                                          m=rng.choice(MONTHS), y=rng.randint(1995, 2024)),
        "rare phrase": lambda: f'"{rng.choice(NAMES)}{rng.randrange(stories)}: report"',
        "no hit": lambda: rng.choice(["zeppelin", '"bridge of sighs"', "Kestrel99999 dam"]),
    }
    names = list(kinds)
    return [(name, kinds[name]()) for name in (names[i % len(names)] for i in range(count))]


def search(args) -> None:
    """Make N sources (generated reports, saved in bulk: the search does not need them read
    by spaCy), time building the full-text index, then run queries through the selector and
    through GET /api/v1/search."""
    import hashlib

    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    setup_django(tempfile.mkdtemp(prefix="bench-search-"))
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from annotations import search as fts
    from annotations.models import Source

    rng = random.Random(5)
    texts = [document(rng, i) for i in range(args.sources)]
    started = time.perf_counter()
    Source.objects.bulk_create(
        (Source(title=text.split("\n", 1)[0][:300], origin=f"doc-{i:05}.txt", text=text,
                raw_sha256=hashlib.sha256(text.encode()).hexdigest()) for i, text in enumerate(texts)),
        batch_size=500)
    saved = time.perf_counter() - started
    print(f"{args.sources:,} sources, {sum(len(t) for t in texts) / 1e6:.1f} M characters, "
          f"{sum(len(t.split()) for t in texts):,} words; database: {connection.vendor}")
    print(f"saved in bulk, index kept by its triggers: {saved:.2f} s")
    if connection.vendor == "sqlite":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(fts.SQLITE_REBUILD)
        print(f"index rebuilt from scratch (as migration 0009 does for existing sources): "
              f"{time.perf_counter() - started:.2f} s")

    queries = search_queries(random.Random(9), args.sources, args.queries)
    fts.sources_search(query="officials")  # warm-up
    selector, api, by_kind = [], [], {}
    for kind, query in queries:
        started = time.perf_counter()
        result = fts.sources_search(query=query, limit=args.limit)
        elapsed = time.perf_counter() - started
        selector.append(elapsed)
        by_kind.setdefault(kind, []).append((elapsed, result.count, result.sources))
    from workbench.models import ApiToken

    token = ApiToken.issue(get_user_model().objects.create_user("bench", password="bench-password")).key
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.get("/api/v1/search", {"q": "officials"})
    for kind, query in queries:
        started = time.perf_counter()
        response = client.get("/api/v1/search", {"q": query, "limit": args.limit})
        api.append(time.perf_counter() - started)
        assert response.status_code == 200, (query, response.content[:200])
    print(f"{len(queries)} queries, {args.limit} hits a page, the hits counted up to {fts.MAX_HITS:,}:")
    print(f"  selector (sources_search)     {percentiles(selector)}")
    print(f"  API (GET /api/v1/search)      {percentiles(api)}")
    for kind, rows in by_kind.items():
        print(f"  {kind:<13} x{len(rows):<3} {percentiles([r[0] for r in rows])}   "
              f"hits counted {min(r[1] for r in rows):,}-{max(r[1] for r in rows):,}, "
              f"sources matching {min(r[2] for r in rows):,}-{max(r[2] for r in rows):,}")
    started = time.perf_counter()
    deep = fts.sources_search(query="officials", limit=args.limit, offset=fts.MAX_HITS - args.limit)
    print(f"  last page of a common word (offset {fts.MAX_HITS - args.limit}): "
          f"{(time.perf_counter() - started) * 1000:.1f} ms, {len(deep.hits)} hits")


def matrix_corpus(*, sources: int, points: int, density: float, seed: int = 14) -> dict:
    """A generated corpus for the matrix: ``sources`` sources and ``points`` points, each point
    stated by about ``density`` of the sources (a month and year, about one source in six
    stating another one), saved in bulk. A fifth of the points are reconciled facts, two
    fifths open contradictions, the rest claims sharing a property."""
    import hashlib
    from datetime import date

    from django.utils import timezone

    from annotations.models import Claim, Contradiction, Evidence, Fact, Source
    from annotations.values import _month_interval

    rng = random.Random(seed)
    truth = [(rng.randint(1, 12), rng.randint(1990, 2024)) for _ in range(points)]
    stated: dict[int, list[tuple[int, int, int, int, str]]] = {}  # source -> (point, start, end, ...)
    texts = []
    for s in range(sources):
        parts, offset, rows = [f"Generated report {s}.\n"], 0, []
        offset = len(parts[0])
        for p in range(points):
            if rng.random() > density:
                continue
            month, year = truth[p] if rng.random() > 1 / 6 else (rng.randint(1, 12), rng.randint(1990, 2024))
            exact = f"{MONTHS[month - 1]} {year}"
            lead = f"Point {p} of the story took place in "
            rows.append((p, offset + len(lead), offset + len(lead) + len(exact), month, year))
            parts.append(f"{lead}{exact}, the report says.\n")
            offset += len(parts[-1])
        texts.append("".join(parts))
        stated[s] = rows
    saved = Source.objects.bulk_create(
        Source(title=f"Generated report {s}", origin=f"report-{s:03}.txt", text=text,
               raw_sha256=hashlib.sha256(text.encode()).hexdigest()) for s, text in enumerate(texts))
    claims = []
    for s, rows in stated.items():
        for p, start, end, month, year in rows:
            first, last = _month_interval(year, month)
            claims.append(Claim(source=saved[s], start=start, end=end, exact=texts[s][start:end], kind="date",
                                property=f"date of point {p}", status="confirmed",
                                value={"type": "date", "start": first.isoformat(), "end": last.isoformat(),
                                       "granularity": "month", "text": texts[s][start:end]}))
    claims = Claim.objects.bulk_create(claims, batch_size=2000)
    by_point: dict[int, list[Claim]] = {}
    for claim in claims:
        by_point.setdefault(int(claim.property.rsplit(" ", 1)[1]), []).append(claim)
    facts = Fact.objects.bulk_create(
        Fact(subject=f"Point {p}", property=f"date of point {p}", value_text=f"{MONTHS[truth[p][0] - 1]} {truth[p][1]}",
             rationale="Generated.", reconciled_at=timezone.now()) for p in range(0, points, 5))
    evidence = []
    for fact, p in zip(facts, range(0, points, 5)):
        truth_start = _month_interval(truth[p][1], truth[p][0])[0].isoformat()
        evidence += [Evidence(fact=fact, claim=c, stance="supports" if c.value["start"] == truth_start else "refutes")
                     for c in by_point.get(p, [])]
    Evidence.objects.bulk_create(evidence, batch_size=2000)
    disputed = [p for p in range(points) if p % 5 in (1, 2) and len({c.source_id for c in by_point.get(p, [])}) > 1]
    contradictions = Contradiction.objects.bulk_create(
        Contradiction(kind="date", status="candidate", score=rng.random()) for _ in disputed)
    Contradiction.claims.through.objects.bulk_create(
        [Contradiction.claims.through(contradiction_id=c.pk, claim_id=claim.pk)
         for c, p in zip(contradictions, disputed) for claim in by_point[p]], batch_size=2000)
    return {"sources": len(saved), "points": points, "claims": len(claims), "facts": len(facts),
            "contradictions": len(contradictions), "first_day": date.today()}


def matrix(args) -> None:
    """The matrix page on a generated corpus of ``--sources`` × ``--points``: server time of
    the page (first page of 50 rows, every source a column) right after a colleague's change
    (the rows are built again) and when nothing changed (the process kept them), of building
    the rows alone, and of the CSV export; the number of queries of each."""
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    setup_django(tempfile.mkdtemp(prefix="bench-matrix-"))
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from annotations.matrix import matrix_build

    started = time.perf_counter()
    made = matrix_corpus(sources=args.sources, points=args.points, density=args.density)
    print(f"{made['sources']} sources, {made['points']} points, {made['claims']:,} claims, {made['facts']} facts, "
          f"{made['contradictions']} open contradictions (generated in {time.perf_counter() - started:.1f} s)")
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("bench", password="bench-password"))

    from django.utils import timezone

    from annotations.models import Claim

    def change() -> None:
        """A colleague's edit: the rows are built again on the next view."""
        Claim.objects.filter(pk=Claim.objects.order_by("?").values("pk")[:1]).update(updated_at=timezone.now())

    def timed(run, before=None) -> tuple[list[float], object, int]:
        run()  # warm-up: templates, session, caches
        timings = []
        for _ in range(args.repeat):
            if before:
                before()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                result = run()
                timings.append(time.perf_counter() - started)
        return timings, result, len(queries)

    def summary(timings: list[float]) -> str:
        return f"best {min(timings) * 1000:6.0f} ms, median {sorted(timings)[len(timings) // 2] * 1000:6.0f} ms"

    timings, built, queries = timed(matrix_build, before=change)
    print(f"rows built after a change:        {summary(timings)}, {queries} queries, {len(built.rows)} rows")
    timings, built, queries = timed(matrix_build)
    print(f"rows, nothing changed (cached):   {summary(timings)}, {queries} queries")
    timings, response, queries = timed(lambda: client.get("/matrix/"), before=change)
    print(f"/matrix/ page after a change:     {summary(timings)}, {queries} queries, "
          f"{len(response.content) / 1024:.0f} KB of HTML (status {response.status_code})")
    timings, response, queries = timed(lambda: client.get("/matrix/"))
    print(f"/matrix/ page, nothing changed:   {summary(timings)}, {queries} queries")
    timings, response, queries = timed(lambda: client.get("/matrix/", {"page": 5, "kind": "date"}))
    print(f"/matrix/ page 5, kind filter:     {summary(timings)}, {queries} queries (status {response.status_code})")
    timings, response, queries = timed(lambda: b"".join(client.get("/matrix/export.csv").streaming_content))
    print(f"/matrix/export.csv (every row):   {summary(timings)}, {len(response) / 1024:.0f} KB")
    from annotations.changes import token_now

    token = token_now()
    timings, response, queries = timed(lambda: client.get("/changes/", {"since": token}))
    print(f"/changes/ poll, nothing changed:  {summary(timings)}, {queries} queries (status {response.status_code})")
    tokens = [token]
    timings, response, queries = timed(lambda: client.get("/changes/", {"since": tokens[-1]}),
                                       before=lambda: (tokens.append(token_now()), change()))
    print(f"/changes/ poll after a change:    {summary(timings)}, {queries} queries (status {response.status_code})")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_ingest = sub.add_parser("ingest", help="import generated documents, compare with bare nlp.pipe")
    p_ingest.add_argument("--docs", type=int, default=200)
    p_ingest.add_argument("--chunk", type=int, default=200, help="files per step, as import_sources --chunk")
    p_ingest.add_argument("--long-words", default="10000,40000,80000",
                          help="sizes of the single long sources to import after ('' for none)")
    p_long = sub.add_parser("long", help="import one long source")
    p_long.add_argument("--words", type=int, default=40_000)
    p_detect = sub.add_parser("detect", help="detection time as the corpus grows")
    p_detect.add_argument("--sizes", default="250,1000,4000")
    p_detect.add_argument("--repeat", type=int, default=3)
    p_page = sub.add_parser("page", help="the side-by-side page of one long source")
    p_page.add_argument("--words", type=int, default=50_000)
    p_page.add_argument("--claims", type=int, default=2_000)
    p_page.add_argument("--repeat", type=int, default=5)
    p_revision = sub.add_parser("revision-page", help="the What changed page of a long source's new version")
    p_revision.add_argument("--words", type=int, default=50_000)
    p_revision.add_argument("--claims", type=int, default=2_000)
    p_revision.add_argument("--repeat", type=int, default=5)
    p_search = sub.add_parser("search", help="full-text search over N generated sources")
    p_search.add_argument("--sources", type=int, default=10_000)
    p_search.add_argument("--queries", type=int, default=200)
    p_search.add_argument("--limit", type=int, default=20, help="hits a page")
    p_folder = sub.add_parser("folder", help="import_sources on N generated files, interrupted once and resumed")
    p_folder.add_argument("--files", type=int, default=10_000)
    p_folder.add_argument("--chunk", type=int, default=200)
    p_folder.add_argument("--interrupt-after", type=float, default=60.0, help="seconds before the Ctrl-C")
    p_matrix = sub.add_parser("matrix", help="the facts × sources matrix page on a generated corpus")
    p_matrix.add_argument("--sources", type=int, default=50)
    p_matrix.add_argument("--points", type=int, default=500)
    p_matrix.add_argument("--density", type=float, default=0.6, help="share of the sources stating each point")
    p_matrix.add_argument("--repeat", type=int, default=5)
    p_reanchor = sub.add_parser("reanchor", help="claims re-anchored in edited versions of long sources")
    p_reanchor.add_argument("--claims", type=int, default=10_000, help="claims over the seeds' versions, at least")
    p_reanchor.add_argument("--per-version", type=int, default=120)
    p_reanchor.add_argument("--words", type=int, default=50_000, help="the long source's words")
    p_reanchor.add_argument("--long-claims", type=int, default=2_000)
    p_reanchor.add_argument("--threshold", type=float, default=80.0, help="as WORKBENCH_REANCHOR_THRESHOLD")
    p_reanchor.add_argument("--seed", type=int, default=13)
    p_reanchor.add_argument("--show", type=int, default=10, help="wrong anchorings printed")
    p_reanchor.add_argument("--show-lost", type=int, default=0, help="orphaned survivors printed")
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
    p_mutation = sub.add_parser("mutation", help="mutation score per module (mutmut 3) and the surviving mutants")
    p_mutation.add_argument("modules", nargs="*", help="short names (permissions, values, api, archive, "
                            "services, views); all when none")
    p_mutation.add_argument("--keep", help="keep the scratch copies under this folder")
    p_mutation.add_argument("--at", help="measure the tracked files as they were at this commit")
    p_mutation.add_argument("--sample", type=int, default=0,
                            help="run a seeded random sample of this many mutants per module (0: all)")
    p_mutation.add_argument("--seed", type=int, default=15, help="the sample's seed")
    p_mutation.add_argument("--children", type=int, default=1,
                            help="mutants run at once (each runs its tests in a process of its own)")
    args = parser.parse_args(argv)
    if args.command == "reanchor":
        from .reanchor import run

        run(args)
        return 0
    if args.command == "mutation":
        from .mutation import main as mutation

        return mutation(args)
    if args.command == "web":
        from .web import main as web

        return web(args)
    {"ingest": ingest, "detect": detect, "folder": folder, "page": page, "revision-page": revision_page, "long": long_source,
     "search": search, "matrix": matrix}[args.command](args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
