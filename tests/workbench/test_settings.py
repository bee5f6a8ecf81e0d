"""Production mode: refuses to start without a secret key, and passes check --deploy."""
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    full_env.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env,
                          capture_output=True, text=True, timeout=120)


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0" in result.stderr


@pytest.mark.parametrize("weak_key", [
    "x",                                   # the probe's key
    secrets.token_urlsafe(50)[:49],        # random but one character short of 50
    "abcd" * 20,                           # long, but only 4 distinct characters
    "django-insecure-" + secrets.token_urlsafe(50),  # a key Django generated for development
])
def test_production_refuses_a_weak_secret_key(weak_key):
    result = manage("check", DJANGO_DEBUG="0", DJANGO_SECRET_KEY=weak_key,
                    DJANGO_ALLOWED_HOSTS="workbench.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak for production" in result.stderr
    # The message says how to make a good one.
    assert "python -c 'import secrets; print(secrets.token_urlsafe(50))'" in result.stderr


def test_development_accepts_a_short_secret_key():
    # Outside production a short key is allowed: nothing to protect yet.
    result = manage("check", DJANGO_DEBUG="1", DJANGO_SECRET_KEY="x")
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_is_clean_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_DEBUG="0",
                    DJANGO_SECRET_KEY=secrets.token_urlsafe(50), DJANGO_ALLOWED_HOSTS="workbench.example.org")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_development_check_deploy_does_warn():
    # The control case: the same check does find the development defaults.
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0


@pytest.mark.parametrize("count", ["two", "-1", "1.5"])
def test_a_bad_trusted_proxy_count_refuses_to_start(count):
    result = manage("check", WORKBENCH_TRUSTED_PROXY_COUNT=count)
    assert result.returncode != 0
    assert "WORKBENCH_TRUSTED_PROXY_COUNT must be the number of proxies in front of the app" in result.stderr
    assert repr(count) in result.stderr


def _make_dry_run(*args: str, env: dict | None = None) -> str:
    import os
    import shutil
    import subprocess
    from pathlib import Path

    if not shutil.which("make"):
        pytest.skip("make is not installed")
    root = Path(__file__).resolve().parents[2]
    environment = {k: v for k, v in os.environ.items() if k != "WORKBENCH_BASE_URL"} | (env or {})
    return subprocess.run(["make", "-n", "-C", str(root), *args], capture_output=True, text=True,
                          env=environment, check=True).stdout


def test_make_run_serves_where_it_is_told_and_exports_name_that_address():
    # Issue 12, bug 12: the port did not reach WORKBENCH_BASE_URL (exports kept :8000).
    plan = _make_dry_run("run", "HOST=0.0.0.0", "PORT=8080")
    assert "runserver 0.0.0.0:8080" in plan
    assert "setup_demo --url http://0.0.0.0:8080/" in plan
    plan = _make_dry_run("run", "PORT=8080", env={"WORKBENCH_BASE_URL": "https://facts.example.org"})
    assert "setup_demo --url https://facts.example.org/" in plan  # a base URL set by hand wins
    from pathlib import Path

    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert "\nexport WORKBENCH_BASE_URL\n" in makefile  # the server and worker read it from the environment
