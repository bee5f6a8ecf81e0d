"""Writes need the CSRF token: a page on another site cannot make a logged-in reviewer's browser
tag, flag or reconcile. The test client skips the check unless told to enforce it."""
import json

import pytest
from django.test import Client

from annotations.models import Claim


@pytest.fixture
def browser(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def tag_form(source):
    start = source.text.index("November 2012")
    return {"source": source.pk, "start": start, "end": start + 13, "exact": "November 2012", "kind": "date"}


def test_a_tag_without_the_csrf_token_is_refused_and_saves_nothing(browser, make_source):
    source = make_source("Ecuador offered asylum in November 2012.")
    response = browser.post("/claims/new/", tag_form(source), HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert "security token was missing or out of date" in response.content.decode()
    assert not Claim.objects.exists()


def test_the_same_tag_with_the_token_from_the_page_is_saved(browser, make_source):
    source = make_source("Ecuador offered asylum in November 2012.")
    browser.get(f"/compare/?s={source.pk}")  # sets the cookie, as opening the page does
    token = browser.cookies["csrftoken"].value
    response = browser.post("/claims/new/", tag_form(source), HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content[:300]
    assert Claim.objects.get().exact == "November 2012"


def test_the_api_with_a_browser_session_but_no_csrf_token_is_refused(browser, make_source):
    source = make_source("Ecuador offered asylum in November 2012.")
    response = browser.post("/api/v1/claims", json.dumps(tag_form(source)), content_type="application/json")
    assert response.status_code in (401, 403)
    assert not Claim.objects.exists()
