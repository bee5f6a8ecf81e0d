"""The Content-Security-Policy (issue 10, failure 5): every page carries it, and no template
relies on what it forbids (inline script or style, javascript: URLs, htmx's eval)."""
import re
from pathlib import Path

import pytest
from django.urls import reverse

from annotations.models import ImportBatch

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
EXPECTED = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    # 'self', and the one style attribute django-simple-history's admin page has, by its hash.
    "style-src": {"'self'", "'unsafe-hashes'", "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}


def directives(response) -> dict[str, set[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.status_code} {response.get('Content-Type')}"
    parts = [p.split() for p in header.split(";") if p.strip()]
    return {p[0]: set(p[1:]) for p in parts}


@pytest.fixture
def admin_client_(client, user):
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


def page_urls(fact, seeds, user) -> list[str]:
    claim = fact.evidence.first().claim
    contradiction = fact.contradictions.first()
    batch = ImportBatch.objects.create(created_by=user, total=0)
    return [
        reverse("source-list"), reverse("source-upload"), reverse("review"), reverse("contradiction-list"),
        reverse("fact-list"), reverse("compare") + f"?s={seeds['000'].pk}&s={seeds['001'].pk}",
        reverse("claim-detail", args=[claim.pk]), reverse("contradiction-detail", args=[contradiction.pk]),
        reverse("fact-detail", args=[fact.pk]), reverse("fact-edit", args=[fact.pk]),
        reverse("source-edit", args=[seeds["000"].pk]), reverse("import-detail", args=[batch.pk]),
        reverse("compare") + "?s=abc",  # the 400 page
        "/no/such/page/",  # the 404 page
        reverse("admin:index"), reverse("admin:annotations_claim_changelist"),
        reverse("admin:annotations_claim_change", args=[claim.pk]),
        reverse("admin:annotations_claim_history", args=[claim.pk]),
        "/api/v1/docs",
    ]


def test_every_page_carries_the_policy(admin_client_, fact, seeds, user):
    for url in page_urls(fact, seeds, user):
        response = admin_client_.get(url)
        assert response.status_code in (200, 400, 404), (url, response.status_code)
        assert directives(response) == EXPECTED, url


def test_the_login_page_carries_the_policy(client, db):
    assert directives(client.get(reverse("login"))) == EXPECTED


def test_an_htmx_partial_carries_the_policy(admin_client_, fact):
    claim = fact.evidence.first().claim
    response = admin_client_.get(reverse("claim-detail", args=[claim.pk]), HTTP_HX_REQUEST="true")
    assert directives(response) == EXPECTED


def test_no_template_has_inline_script_style_or_handlers():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for pattern in [r"<script(?![^>]*\bsrc=)[^>]*>", r"<style\b", r"\sstyle=", r"\son[a-z]+\s*=",
                        r"javascript:", r"\shx-on\S*=", r"\shx-vars=", r"=\s*.js:", r"hx-trigger=\"[^\"]*\["]:
            offenders += [f"{path.name}: {m.group(0)}" for m in re.finditer(pattern, text, re.I)]
    assert offenders == []


def test_pages_load_htmx_with_eval_and_injected_styles_off(admin_client_, db):
    page = admin_client_.get(reverse("source-list")).content.decode()
    assert '"allowEval": false' in page and '"includeIndicatorStyles": false' in page
    assert "django-htmx.js" not in page  # the debug helper evals scripts and replaces the page on errors
