"""`python -m bench mutation`: how many planted bugs the tests catch, module by module.

mutmut 3 (requirements-dev.txt) rewrites each function of a module in small ways (``<`` for
``<=``, ``and`` for ``or``, a constant changed, a call's argument dropped, ...), one mutant at
a time, and runs the tests that reach that function against it. A mutant the tests fail on is
killed; one they pass on survived: either a bug the suite would let through, or an equivalent
mutant (a change that alters no behaviour), which the report lists for a person to judge.

Each module runs in a scratch copy of the repository (the tracked files only) with its own
test selection (``MODULES`` below: the tests about that module, not the whole suite; still
from 15 minutes for permissions.py to hours for views.py on two cores, hence ``--sample``).
Run it niced; it is a report, never part of CI's pass/fail:

    nice -n 15 python -m bench mutation                      every module in MODULES
    nice -n 15 python -m bench mutation permissions values   some of them (by short name)
    python -m bench mutation values --keep /tmp/mut          keep the scratch copy (then
                                                             `mutmut show NAME` there shows a mutant)
    python -m bench mutation values --at COMMIT              the score as it was at a commit
    nice -n 15 python -m bench mutation services --sample 150  a seeded random sample of the
                                                             mutants, with a 95 % interval

It prints, per module, killed / all and the score, then every surviving mutant as a diff.
"""
import ast
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# module short name -> (file, tests that exercise it). The selections are the suites about
# the module's rules; a mutant only runs the selected tests that reach its function.
MODULES = {
    "permissions": ("annotations/permissions.py",
                    ["tests/workbench/test_roles.py", "tests/workbench/test_admin_roles.py",
                     "tests/workbench/test_export_access.py", "tests/api/test_tokens.py",
                     "tests/annotations/test_permissions.py"]),
    "values": ("annotations/values.py", ["tests/annotations/test_values.py"]),
    "api": ("workbench/api.py", ["tests/api/test_api.py", "tests/api/test_api_contract.py",
                                 "tests/api/test_tokens.py", "tests/api/test_errors.py",
                                 "tests/api/test_search_api.py", "tests/api/test_source_reading.py",
                                 "tests/api/test_revisions_api.py", "tests/workbench/test_bad_ids.py",
                                 "tests/workbench/test_claim_property.py", "tests/workbench/test_csrf.py",
                                 "tests/workbench/test_fact_edit.py", "tests/workbench/test_fact_provenance.py",
                                 "tests/workbench/test_roles.py", "tests/workbench/test_security_policy.py"]),
    "archive": ("annotations/archive.py", ["tests/annotations/test_archive.py",
                                           "tests/annotations/test_archive_validation.py",
                                           # versions, re-anchoring outcomes and corrections
                                           "tests/annotations/test_revisions.py"]),
    "services": ("annotations/services.py",
                 ["tests/annotations/test_services.py", "tests/annotations/test_services_contract.py",
                  "tests/annotations/test_permissions.py",
                  "tests/annotations/test_undo.py", "tests/annotations/test_fact_evidence.py",
                  "tests/annotations/test_claim_property.py", "tests/annotations/test_bad_input.py",
                  "tests/annotations/test_revisions.py", "tests/annotations/test_changes.py",
                  "tests/annotations/test_importing.py", "tests/api/test_api.py", "tests/api/test_errors.py",
                  "tests/workbench/test_roles.py", "tests/workbench/test_views.py",
                  "tests/workbench/test_triage.py", "tests/workbench/test_undo_views.py",
                  "tests/workbench/test_claim_property.py", "tests/workbench/test_fact_provenance.py",
                  "tests/workbench/test_revision_views.py", "tests/workbench/test_live_updates.py"]),
    # Detection (issue 7): pairing and scoring, and reading a source into statements.
    "matching": ("annotations/matching.py", ["tests/annotations/test_matching.py",
                                             "tests/annotations/test_matching_contract.py",
                                             "tests/annotations/test_matching_pairs.py",
                                             "tests/annotations/test_offices.py",
                                             "tests/annotations/test_detection.py"]),
    "statements": ("annotations/statements.py", ["tests/annotations/test_statements.py",
                                                 "tests/annotations/test_statements_contract.py",
                                                 "tests/annotations/test_extraction.py"]),
    "extraction": ("annotations/extraction.py", ["tests/annotations/test_extraction.py",
                                                 "tests/annotations/test_extraction_contract.py",
                                                 "tests/annotations/test_statements.py",
                                                 "tests/annotations/test_claim_property.py",
                                                 "tests/annotations/test_detection.py"]),
    # Every test of the pages but test_scale (thousands of rows: a benchmark's work).
    "views": ("workbench/views.py", [f"tests/workbench/test_{name}.py" for name in (
        "views", "views_contract", "roles", "fact_edit", "triage", "undo_views", "imports", "admin_roles",
        "bad_ids", "claim_property", "csrf", "diffing", "export_access", "fact_provenance", "highlighting",
        "history_admin", "live_updates", "login_throttling", "matrix_page", "revision_views",
        "search_page", "security_policy", "timeline_page", "wording")]),
}


def scratch_copy(target: Path, at: str | None) -> None:
    """The repository's tracked files in ``target``: as they are in the work tree, or as they
    were at commit ``at`` (to measure the score before a change)."""
    if at:
        archive = subprocess.run(["git", "archive", "--format=tar", at], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
        return
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def lift_decorators(source: str) -> str:
    """The module with each decorated top-level function written undecorated and wrapped
    after its body (``@require_POST def f`` becomes ``def f`` then ``f = require_POST(f)``):
    the same module to Python, but mutmut 3 leaves decorated functions alone, which would
    leave most views and API endpoints (and their permission checks) out of the score."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"  # a wrap goes on a line of its own, after the last function too
    edits = []  # (first line of the decorators, def line, last line, name, decorator sources)
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.decorator_list:
            decorators = [ast.get_source_segment(source, d) for d in node.decorator_list]
            first = min(d.lineno for d in node.decorator_list)
            edits.append((first, node.lineno, node.end_lineno, node.name, decorators))
    for first, def_line, last, name, decorators in reversed(edits):
        wrapped = name
        for decorator in reversed(decorators):
            wrapped = f"({decorator})({wrapped})"
        lines[last:last] = [f"{name} = {wrapped}\n"]
        del lines[first - 1:def_line - 1]
    return "".join(lines)


def config(path: str, tests: list[str]) -> str:
    also = ["manage.py", "pytest.ini", "templates", "static", "seeds", "bench"]
    lines = ["[mutmut]", "source_paths=annotations\n    workbench", "only_mutate=" + path,
             "also_copy=" + "\n    ".join(also),
             "pytest_add_cli_args_test_selection=" + "\n    ".join(tests),
             "pytest_add_cli_args=-p\n    no:cacheprovider\n    -q",
             "use_git_change_detection=false", "track_dependencies=false",
             # Forked straight from a process that ran the suite, a worker can inherit a lock
             # another thread held (a mutant then hangs until its timeout): fork from a clean one.
             "process_isolation=forkserver",
             # mutmut's timeout is 15 times the tests' own time, which leaves out each run's
             # test database set-up (the migrations): without a floor, slow set-ups read as hangs.
             "timeout_constant=60", ""]
    return "\n".join(lines)


STATUS = re.compile(r"^\s*([\w.]+__mutmut_\d+): (\w[\w ]*)$")


def sample_of(workdir: Path, path: str, mutmut: list[str], env: dict, size: int,
              seed: int) -> tuple[list[str], int]:
    """A seeded random sample of the module's mutants, and how many there are (a module over
    database tests has 1,500-2,800, 5-15 s each on two cores: a sample of 150 gives the score
    within about 7 points). mutmut makes every mutant and maps tests to functions on any run;
    asked for a name that matches none, it stops there (mutmut 3.8 asserts that a name
    matched), and the mutants' names are read from its meta file."""
    subprocess.run([*mutmut, "run", "--max-children", "1", "no-such-mutant-sampling-only"], cwd=workdir, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    meta = json.loads((workdir / "mutants" / (path + ".meta")).read_text())
    names = sorted(meta["exit_code_by_key"])
    return sorted(random.Random(seed).sample(names, min(size, len(names)))), len(names)


def interval(killed: int, total: int, z: float = 1.96) -> str:
    """The Wilson score interval of a sampled mutation score, as "a-b %"."""
    share = killed / total
    centre = (share + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(share * (1 - share) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return f"{max(0.0, 100 * (centre - half)):.0f}-{min(100.0, 100 * (centre + half)):.0f} %"


def run_module(short: str, keep: str | None, at: str | None = None, sample: int = 0,
               seed: int = 15, children: int = 1) -> tuple[int, int, list[str]]:
    path, tests = MODULES[short]
    workdir = Path(keep) / short if keep else Path(tempfile.mkdtemp(prefix=f"mutation-{short}-"))
    if workdir.exists() and keep:
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    scratch_copy(workdir, at)
    tests = [t for t in tests if (workdir / t).exists()]
    module = workdir / path
    module.write_text(lift_decorators(module.read_text(encoding="utf-8")), encoding="utf-8")
    (workdir / "setup.cfg").write_text(config(path, tests))
    mutmut = [sys.executable, "-m", "mutmut"]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.perf_counter()
    chosen, made = sample_of(workdir, path, mutmut, env, sample, seed) if sample else ([], 0)
    subprocess.run([*mutmut, "run", "--max-children", str(children), *chosen], cwd=workdir, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    listing = subprocess.run([*mutmut, "results", "--all", "true"], cwd=workdir, env=env,
                             capture_output=True, text=True).stdout
    statuses = {m.group(1): m.group(2) for m in map(STATUS.match, listing.splitlines()) if m}
    if chosen:
        statuses = {name: status for name, status in statuses.items() if name in set(chosen)}
    killed = sum(1 for s in statuses.values() if s in {"killed", "timeout", "caught by type check", "segfault"})
    timeouts = sorted(name for name, s in statuses.items() if s == "timeout")
    # "no tests": no selected test reaches the function; counted as survived, as it is one.
    survivors = sorted(name for name, s in statuses.items() if s in {"survived", "no tests", "suspicious"})
    total = killed + len(survivors)
    print(f"\n== {path}{' at ' + at if at else ''}: {killed} / {total} killed"
          + (f" = {100 * killed / total:.1f} %" if total else "")
          + (f" (a sample of {len(chosen)} of {made} mutants, seed {seed}; 95 % interval"
             f" {interval(killed, total)})" if chosen and total else "")
          + (f" ({len(timeouts)} of them by a timeout: {', '.join(timeouts)})" if timeouts else "")
          + f"  ({elapsed / 60:.1f} min; tests: {' '.join(tests)})", flush=True)
    if chosen and not total:
        print("   none of the sampled mutants was checked: do the selected tests pass on the code as it"
              " is? (run it again with --keep DIR, then `mutmut run` in DIR/<module> shows why)")
    others = {s for s in statuses.values()} - {"killed", "timeout", "survived", "no tests", "suspicious",
                                              "caught by type check", "segfault"}
    if others:
        print("   also: " + ", ".join(f"{s}: {sum(1 for v in statuses.values() if v == s)}" for s in sorted(others)))
    for name in survivors:
        diff = subprocess.run([*mutmut, "show", name], cwd=workdir, env=env, capture_output=True, text=True).stdout
        body = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in {"+++", "---"}]
        print(f"-- {name} ({statuses[name]})")
        print("\n".join("     " + line for line in body[:8]))
    if not keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return killed, total, survivors


def main(args) -> int:
    names = args.modules or list(MODULES)
    unknown = [n for n in names if n not in MODULES]
    if unknown:
        print(f"unknown module(s) {', '.join(unknown)}; choose from {', '.join(MODULES)}", file=sys.stderr)
        return 2
    rows = [(name, *run_module(name, args.keep, args.at, args.sample, args.seed, args.children)) for name in names]
    print("\nmodule        killed / all   score")
    for name, killed, total, _ in rows:
        print(f"{MODULES[name][0]:<28} {killed:>5} / {total:<5} "
              + (f"{100 * killed / total:5.1f} %" if total else "  -"))
    return 0
