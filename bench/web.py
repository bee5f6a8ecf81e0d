"""`python -m bench web`: simulated reviewers against gunicorn with the production settings.

1. Prepares a throwaway database (SQLite in a temporary folder; with ``--database-url`` a
   fresh PostgreSQL database created on that server and dropped afterwards), loads the
   seeds cycled to ``--docs`` documents (as the Label Studio harness in ../shared/peers
   does), reads them for claims, and creates one lead account per simulated reviewer.
2. Starts gunicorn on 127.0.0.1 with DJANGO_DEBUG=0 (requests carry X-Forwarded-Proto:
   https, as behind a TLS proxy, so secure cookies, HSTS and the HTTPS redirect stay on).
3. Sequential phase, the Label Studio harness's steps: one client, one TCP connection per
   request, ``--annotations`` claim writes through the JSON API (one POST each) and
   ``--list-repeats`` listings of a page of 100 claims.
4. Load phase: ``--users`` reviewers at once for ``--seconds`` (at most ``--max-requests``
   requests in all), each logging in and then, over and over, opening a side-by-side page,
   tagging a claim in each of two sources (htmx), flagging the two as a contradiction,
   reconciling it into a fact, and listing 100 claims through the API.
5. Prints p50 / p95 / p99 latency per action and the errors, then checks that every write
   that got a success response is in the database.

Loopback only; every loop is bounded in count and time.
"""
import http.client
import json
import math
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode, urlparse

from bench import import_and_read

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-reviewer-password"


# The domain's refusals (a span tagged a moment ago by a colleague: 409), answered in the API
# and to htmx alike with their status; counted apart from errors.
REFUSALS = {400, 409, 422}


def pct(values, p):
    """Nearest-rank percentile (as the peer harness computes it)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples = defaultdict(list)
        self.errors = defaultdict(int)
        self.refused = defaultdict(int)
        self.examples = {}
        self.requests = 0

    def add(self, action, seconds, *, ok=True, refused=False, detail=""):
        with self.lock:
            self.requests += 1
            self.samples[action].append(seconds)
            if refused:
                self.refused[action] += 1
            elif not ok:
                self.errors[action] += 1
                self.examples.setdefault(action, detail[:300])

    def table(self) -> str:
        lines = [f"{'action':34} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
                 f"{'errors':>6} {'refused':>7}"]
        for action, values in self.samples.items():
            ms = [v * 1000 for v in values]
            lines.append(f"{action:34} {len(ms):>6} {pct(ms, 50):>8.1f} {pct(ms, 95):>8.1f} "
                         f"{pct(ms, 99):>8.1f} {max(ms):>8.1f} {self.errors[action]:>6} {self.refused[action]:>7}")
        for action, example in self.examples.items():
            lines.append(f"  first error in {action}: {example}")
        return "\n".join(lines)


class Browser:
    """One reviewer: cookies, CSRF, one TCP connection per request (the peer harness's
    default mode, so both tools pay the same connection cost)."""

    def __init__(self, port: int, token: str = ""):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.token = token

    def request(self, method, path, *, form=None, body=None, headers=None, api=False):
        all_headers = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{self.port}",
                       "Origin": f"https://127.0.0.1:{self.port}", **(headers or {})}
        if api:
            all_headers["Authorization"] = f"Bearer {self.token}"
        elif self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            if "csrftoken" in self.cookies and method != "GET":
                all_headers["X-CSRFToken"] = self.cookies["csrftoken"]
        data = None
        if form is not None:
            data = urlencode(form, doseq=True).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            data = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=data, headers=all_headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        elapsed = time.perf_counter() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response, content, elapsed

    def login(self, username: str) -> bool:
        self.request("GET", "/login/")
        response, _, _ = self.request("POST", "/login/", form={
            "username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
        return response.status == 302 and "sessionid" in self.cookies


def random_span(rng: random.Random, text: str) -> tuple[int, int]:
    words = [m.span() for m in re.finditer(r"\w[\w’'-]*", text)]
    first = rng.randrange(len(words) - 6)
    return words[first][0], words[first + rng.randint(1, 5)][1]


def prepare(args, workdir: Path) -> tuple[dict, list[dict], str | None, list[dict]]:
    """Environment for the server and this process, the sources, a database to drop, the users."""
    env = {
        "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_LOG_LEVEL": "WARNING",
        # Not a brute-force test: twenty reviewers logging in from one address is normal here.
        "WORKBENCH_LOGIN_FAILURE_LIMIT": "1000",
    }
    dropped = None
    if args.database_url:
        import psycopg

        name = f"workbench_bench_{os.getpid()}"
        url = urlparse(args.database_url)
        with psycopg.connect(args.database_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = url._replace(path=f"/{name}").geturl()
        dropped = name
    else:
        env["WORKBENCH_SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "workbench.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from workbench.models import ApiToken

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    seeds = [p.read_text(encoding="utf-8").strip() for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts = [f"{seeds[i % len(seeds)]}\n\n[doc #{i:05d}]" for i in range(args.docs)]
    started = time.perf_counter()
    sources, _ = import_and_read([(f"doc-{i:05d}.txt", text) for i, text in enumerate(texts)], chunk=50)
    print(f"corpus: {len(sources)} documents ({sum(len(t.split()) for t in texts):,} words) imported and read "
          f"in {time.perf_counter() - started:.1f} s")
    lead = Group.objects.get_or_create(name="lead")[0]
    users = []
    for n in range(args.users):
        user = get_user_model().objects.create_user(f"bench-{n}", password=PASSWORD)
        user.groups.add(lead)
        users.append({"username": user.username, "token": ApiToken.issue(user).key})
    return env, [{"pk": s.pk, "text": s.text} for s in sources], dropped, users


def start_worker(env: dict) -> subprocess.Popen:
    """One background worker, as `make run` starts: it reads hand-tagged claims with spaCy."""
    # At a lower priority: background reading yields the CPU to reviewers' requests.
    return subprocess.Popen(["nice", "-n", "10", sys.executable, "manage.py", "db_worker", "--no-reload",
                             "--verbosity", "0"],
                            cwd=ROOT, env={**os.environ, **env}, start_new_session=True)


def start_server(env: dict, port: int, workers: int, threads: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "workbench.wsgi", "-b", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", str(threads), "--worker-class", "gthread", "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, **env}, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            response, _, _ = Browser(port).request("GET", "/login/")
            if response.status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not answer within 60 s")


def sequential_phase(port, user, sources, stats: Stats, writes: list, *, annotations: int,
                     list_repeats: int, seed: int = 1) -> None:
    """The peer harness's steps, one request at a time."""
    rng = random.Random(seed)
    client = Browser(port, token=user["token"])
    for k in range(annotations):
        source = sources[k % min(len(sources), annotations)]
        start, end = random_span(rng, source["text"])
        response, content, elapsed = client.request("POST", "/api/v1/claims", api=True, body={
            "source": source["pk"], "start": start, "end": end, "exact": source["text"][start:end], "kind": "other"})
        ok = response.status == 201
        stats.add("claim write (API, 1 client)", elapsed, ok=ok, refused=response.status in REFUSALS,
                  detail=content.decode(errors="replace"))
        if ok:
            writes.append(("claim", json.loads(content)["id"], source["text"][start:end]))
    for _ in range(list_repeats):
        response, content, elapsed = client.request("GET", "/api/v1/claims?limit=100", api=True)
        ok = response.status == 200 and len(json.loads(content)["items"]) == 100
        stats.add("list 100 claims (API, 1 client)", elapsed, ok=ok, detail=content[:300].decode(errors="replace"))


def reviewer(port, user, sources, stats: Stats, writes: list, stop_at: float, budget, seed: int) -> None:
    rng = random.Random(seed)
    browser = Browser(port, token=user["token"])
    if not browser.login(user["username"]):
        stats.add("login", 0, ok=False, detail=f"{user['username']} could not log in")
        return
    htmx = {"HX-Request": "true"}
    # Every reviewer does at least one round of every action: on a busy machine the login
    # alone (password hashing) can outlast a short load phase.
    first = True
    while first or (time.monotonic() < stop_at and budget()):
        first = False
        a, b = rng.sample(sources, 2)
        response, content, elapsed = browser.request("GET", f"/compare/?s={a['pk']}&s={b['pk']}")
        stats.add("open side by side (2 sources)", elapsed, ok=response.status == 200,
                  detail=f"{response.status}")
        tagged = []
        for source in (a, b):
            start, end = random_span(rng, source["text"])
            exact = source["text"][start:end]
            response, content, elapsed = browser.request("POST", "/claims/new/", headers=htmx, form={
                "source": source["pk"], "start": start, "end": end, "exact": exact, "kind": "other",
                "subject": "", "note": "bench"})
            trigger = response.getheader("HX-Trigger") or ""
            ok = response.status == 200 and "claims-changed" in trigger
            stats.add("tag claim (htmx)", elapsed, ok=ok, refused=response.status in REFUSALS,
                      detail=f"{response.status} {content[:200]!r}")
            if ok:
                claim = json.loads(trigger)["claims-changed"]["claim"]
                writes.append(("claim", claim, exact))
                tagged.append(claim)
        if len(tagged) == 2 and budget():
            response, content, elapsed = browser.request("POST", "/contradictions/flag/", headers=htmx, form={
                "claims": tagged, "note": "bench"})
            trigger = response.getheader("HX-Trigger") or ""
            ok = response.status == 200 and "claims-changed" in trigger
            stats.add("flag contradiction (htmx)", elapsed, ok=ok, detail=f"{response.status} {content[:200]!r}")
            if ok:
                contradiction = json.loads(trigger)["claims-changed"]["contradiction"]
                writes.append(("contradiction", contradiction, tuple(sorted(tagged))))
                response, content, elapsed = browser.request(
                    "POST", f"/contradictions/{contradiction}/reconcile/", form={
                        "value_text": "the first source", "status": "reconciled", "subject": "bench",
                        "property": "", "rationale": "Checked against the primary record.",
                        f"stance_{tagged[0]}": "supports", f"stance_{tagged[1]}": "refutes"})
                location = response.getheader("Location") or ""
                ok = response.status == 302 and "#fact-" in location
                stats.add("reconcile into a fact", elapsed, ok=ok, detail=f"{response.status} {content[:200]!r}")
                if ok:
                    writes.append(("fact", int(location.rsplit("#fact-", 1)[1]), contradiction))
        if budget():
            response, content, elapsed = browser.request(
                "GET", f"/api/v1/claims?limit=100&offset={rng.randrange(0, 2000)}", api=True)
            stats.add("list 100 claims (API)", elapsed, ok=response.status == 200, detail=f"{response.status}")


def verify(writes: list) -> tuple[int, list]:
    """Every acknowledged write, looked up in the database."""
    from annotations.models import Claim, Contradiction, Fact

    missing = []
    claims = dict(Claim.objects.filter(pk__in=[w[1] for w in writes if w[0] == "claim"]).values_list("pk", "exact"))
    contradictions = {c.pk: tuple(sorted(x.pk for x in c.claims.all())) for c in Contradiction.objects.filter(
        pk__in=[w[1] for w in writes if w[0] == "contradiction"]).prefetch_related("claims")}
    facts = dict(Fact.objects.filter(pk__in=[w[1] for w in writes if w[0] == "fact"]).values_list(
        "pk", "contradictions__pk"))
    for kind, pk, expected in writes:
        found = {"claim": claims, "contradiction": contradictions, "fact": facts}[kind].get(pk)
        if found != expected:
            missing.append((kind, pk, expected, found))
    return len(writes), missing


def run_peer(args) -> list[dict]:
    script = ROOT.parent / "shared" / "peers" / "run_labelstudio.sh"
    if not script.exists() or not Path(os.environ.get("LS_VENV", "/tmp/peers/ls-venv"), "bin", "label-studio").exists():
        print(f"peer: skipped (needs {script} and Label Studio in /tmp/peers/ls-venv: see ../shared/peers/README.md)")
        return []
    bench_args = f"--docs {args.docs} --annotations {args.annotations} --list-repeats {args.list_repeats}"
    print(f"peer: running {script.name} with BENCH_ARGS='{bench_args}' (about a minute)")
    # Label Studio is a Django project too: none of this run's Django settings may reach it.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "WORKBENCH_", "DATABASE_URL"))}
    done = subprocess.run(["bash", str(script)], env={**env, "BENCH_ARGS": bench_args},
                          capture_output=True, text=True, timeout=600)
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0:
        print(f"peer: failed ({done.returncode}): {done.stderr[-500:]}")
    return lines


def main(args) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="bench-web-"))
    env, sources, dropped, users = prepare(args, workdir)
    from django.db import connection

    engine = connection.vendor
    port = free_port()
    server = start_server(env, port, args.workers, args.threads)
    worker = start_worker(env)
    stats, writes = Stats(), []
    try:
        # Warm-up, not counted: each server thread's first requests (imports, connections).
        for n in range(args.workers * args.threads * 2):
            sequential_phase(port, users[0], random.sample(sources, 1), Stats(), writes,
                             annotations=1, list_repeats=1, seed=1000 + n)
        sequential_phase(port, users[0], sources, stats, writes, annotations=args.annotations,
                         list_repeats=args.list_repeats)
        limit = args.max_requests
        budget = lambda: stats.requests < limit  # noqa: E731
        stop_at = time.monotonic() + args.seconds
        threads = [threading.Thread(target=reviewer, args=(port, user, sources, stats, writes, stop_at, budget, n))
                   for n, user in enumerate(users)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 120)
        wall = time.perf_counter() - started
    finally:
        for process in (server, worker):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    acknowledged, missing = verify(writes)
    print(f"\nserver: gunicorn {args.workers} workers x {args.threads} threads (gthread), DJANGO_DEBUG=0, "
          f"{engine}; clients: {args.users} reviewers for {wall:.1f} s, one TCP connection per request; "
          f"{stats.requests} requests ({stats.requests / wall:.0f}/s over the load phase)")
    print(stats.table())
    print(f"writes acknowledged: {acknowledged}; found in the database as acknowledged: "
          f"{acknowledged - len(missing)}; missing or different: {len(missing)}")
    for item in missing[:10]:
        print("  missing:", item)
    if dropped:
        from django.db import connections

        connections.close_all()
        import psycopg

        with psycopg.connect(args.database_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dropped}"')
    if args.peer:
        peer = run_peer(args)
        runs = [line for line in peer if "annotate" in line]
        if runs:
            ls = runs[-1]
            ours_write = [v * 1000 for v in stats.samples["claim write (API, 1 client)"]]
            ours_list = [v * 1000 for v in stats.samples["list 100 claims (API, 1 client)"]]
            ls_list = ls.get("list_tasks_page") or ls.get("list_tasks") or {}
            print(f"\nsame steps, same corpus ({args.docs} docs), one client:")
            print(f"{'':34} {'workbench':>10} {'Label Studio':>13}")
            print(f"{'claim write p50 ms':34} {pct(ours_write, 50):>10.1f} {ls['annotate']['p50_ms']:>13.1f}")
            print(f"{'claim write p95 ms':34} {pct(ours_write, 95):>10.1f} {ls['annotate']['p95_ms']:>13.1f}")
            print(f"{'list a page of 100 p50 ms':34} {pct(ours_list, 50):>10.1f} {ls_list.get('p50_ms', float('nan')):>13.1f}")
            print(f"{'list a page of 100 p95 ms':34} {pct(ours_list, 95):>10.1f} {ls_list.get('p95_ms', float('nan')):>13.1f}")
            print(f"target: claim-write p95 at most half of Label Studio's: "
                  f"{'met' if pct(ours_write, 95) <= ls['annotate']['p95_ms'] / 2 else 'NOT met'}; "
                  f"listing 100 faster: {'met' if pct(ours_list, 50) < ls_list.get('p50_ms', 0) else 'NOT met'}")
    return 1 if missing else 0
