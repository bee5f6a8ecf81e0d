"""Live updates: the pages' poller and the "what changed since" endpoint."""
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.services import claim_create


def token_of(html: str) -> str:
    return re.search(r'id="live"[^>]*data-token="([^"]+)"', html)[1]


@pytest.mark.parametrize("page", ["compare", "review", "matrix"])
def test_the_side_by_side_view_the_review_queue_and_the_matrix_poll(reviewer, seeds, page, settings):
    settings.WORKBENCH_LIVE_SECONDS = 3
    html = reviewer.get(reverse(page), {"s": [seeds["000"].pk]} if page == "compare" else {}).content.decode()
    poller = re.search(r'<div id="live"[^>]*>', html)[0]
    assert 'hx-trigger="every 3s"' in poller and f'hx-get="{reverse("changes")}?since=' in poller
    assert reviewer.get(reverse("changes"), {"since": token_of(html)}).status_code == 204


def tag(source, quote, user):
    start = source.text.index(quote)
    return claim_create(source=source, start=start, end=start + len(quote), exact=quote, kind="date", user=user)


def test_a_colleagues_claim_is_announced_with_its_source_and_a_new_token(reviewer, seeds, other_user):
    html = reviewer.get(reverse("compare"), {"s": [seeds["000"].pk, seeds["001"].pk]}).content.decode()
    token = token_of(html)
    tag(seeds["001"], "August 16, 2012", other_user)
    response = reviewer.get(reverse("changes"), {"since": token})
    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"]) == {"workbench-changed": {"sources": [seeds["001"].pk], "all": False}}
    fresh = token_of(response.content.decode())
    assert fresh != token and reviewer.get(reverse("changes"), {"since": fresh}).status_code == 204


def test_the_endpoint_costs_the_same_queries_for_one_change_or_many(reviewer, seeds, other_user):
    def queries_after(quotes):
        token = token_of(reviewer.get(reverse("review")).content.decode())
        for quote in quotes:
            tag(seeds["000"], quote, other_user)
        with CaptureQueriesContext(connection) as captured:
            assert reviewer.get(reverse("changes"), {"since": token}).status_code == 200
        return len(captured)

    one = queries_after(["November 2012"])
    many = queries_after(["2019", "April 2019", "2013", "2009"])
    token = token_of(reviewer.get(reverse("review")).content.decode())
    with CaptureQueriesContext(connection) as unchanged:
        assert reviewer.get(reverse("changes"), {"since": token}).status_code == 204
    assert one == many and len(unchanged) < one


def test_a_token_the_server_did_not_write_is_refused_in_words(reviewer):
    response = reviewer.get(reverse("changes"), {"since": "'; drop table"})
    assert response.status_code == 400 and "is not a change token" in response.content.decode()


def test_logged_out_meanwhile_the_polling_stops_instead_of_showing_the_login_page(client, seeds):
    from annotations.changes import token_now

    response = client.get(reverse("changes"), {"since": token_now()})
    assert response.status_code == 286 and response.content == b""
