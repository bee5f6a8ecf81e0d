"""The /matrix/ page and its exports."""
import csv
import io
import json
import re

import pytest
from django.urls import reverse

from annotations.services import contradiction_flag
from tests.workbench.test_export_access import body
from tests.workbench.test_roles import ROLES, account, world  # noqa: F401 (fixture)


@pytest.fixture
def asylum(seeds, make_claim, user):
    a = make_claim(seeds["000"], "November 2012")
    b = make_claim(seeds["001"], "August 16, 2012")
    return contradiction_flag(claims=[a, b], user=user), a, b


def test_the_matrix_shows_each_value_in_its_sources_column_linked_to_its_span(reviewer, seeds, asylum):
    contradiction, a, b = asylum
    response = reviewer.get(reverse("matrix"))
    html = response.content.decode()
    assert response.status_code == 200
    row = html[html.index(f'id="row-contradiction-{contradiction.pk}"'):]
    row = row[:row.index("</tr>")]
    assert "Disputed" in row and "2 sources disagree" in row
    assert f'href="/contradictions/{contradiction.pk}/"' in row
    # The cell opens its own source first, beside the row's other source, at the claim.
    assert re.search(rf'href="/compare/\?s={seeds["000"].pk}&amp;s={seeds["001"].pk}#claim-{a.pk}"[^>]*>November 2012</a>', row)
    assert re.search(rf'href="/compare/\?s={seeds["001"].pk}&amp;s={seeds["000"].pk}#claim-{b.pk}"[^>]*>August 16, 2012</a>', row)
    assert row.count("UNDECIDED".lower()) >= 2 and row.count('aria-label="says nothing"') == 3


def test_after_reconciling_the_page_says_which_source_agrees_in_words(reviewer, fact):
    html = reviewer.get(reverse("matrix")).content.decode()
    row = html[html.index(f'id="row-fact-{fact.pk}"'):]
    row = row[:row.index("</tr>")]
    assert "Reconciled" in row and "Fact: 16 August 2012" in row
    november, august = row.index("November 2012"), row.index("August 16, 2012")
    assert row.rfind("contradicts the fact", 0, november) > row.rfind("agrees with the fact", 0, november)
    assert "agrees with the fact" in row[november:august]


def test_filters_and_a_page_at_a_time(reviewer, seeds, asylum, make_claim, user, monkeypatch):
    c = contradiction_flag(claims=[make_claim(seeds["002"], "300", kind="count"),
                                   make_claim(seeds["003"], "two", kind="count")], user=user)
    html = reviewer.get(reverse("matrix"), {"kind": "count"}).content.decode()
    assert f"row-contradiction-{c.pk}" in html and f"row-contradiction-{asylum[0].pk}" not in html
    html = reviewer.get(reverse("matrix"), {"s": [seeds["001"].pk]}).content.decode()
    assert f"row-contradiction-{asylum[0].pk}" in html and f"row-contradiction-{c.pk}" not in html
    assert html.count('class="source-head"') == 1
    monkeypatch.setattr("workbench.views.MATRIX_PAGE_SIZE", 1)
    first, second = (reviewer.get(reverse("matrix"), {"page": n}).content.decode() for n in (1, 2))
    assert first.count('class="matrix-row') == second.count('class="matrix-row') == 1
    assert "page 2 of 2" in second and f"row-contradiction-{c.pk}" in first + second


def test_an_unknown_kind_or_status_is_said_and_ignored_a_bad_source_id_refused(reviewer, asylum):
    html = reviewer.get(reverse("matrix"), {"kind": "colour", "status": "maybe"}).content.decode()
    assert "There is no kind “colour”" in html and "There is no status “maybe”" in html
    assert f"row-contradiction-{asylum[0].pk}" in html
    response = reviewer.get(reverse("matrix"), {"s": "1x"})
    assert response.status_code == 400 and "is not a source id" in response.content.decode()


def test_the_csv_export_has_one_row_per_point_and_one_column_per_source(reviewer, seeds, fact, make_claim):
    for key, text in (("000", "2019"), ("001", "April 2019")):
        make_claim(seeds[key], text, property="date asylum revoked")
    response = reviewer.get(reverse("matrix-export", args=["csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body(response))))
    assert rows[0][8:] == [seeds[k].title for k in ("000", "001", "002", "003", "004")]
    assert rows[1][:7] == [f"fact-{fact.pk}", "Julian Assange — date asylum granted", "date", "reconciled", "1",
                           str(fact.pk), "16 August 2012"]
    assert rows[1][8:] == ["November 2012", "August 16, 2012", "", "", ""]
    assert rows[2][3] == "agreed" and rows[2][8:10] == ["2019", "April 2019"] and len(rows) == 3


def test_the_json_lines_export_keeps_claims_spans_and_statuses(reviewer, seeds, fact):
    lines = [json.loads(line) for line in body(reviewer.get(reverse("matrix-export", args=["jsonl"]))).splitlines()]
    assert len(lines) == 1 and lines[0]["fact"]["value"] == "16 August 2012"
    cells = {c["source_title"]: c for c in lines[0]["cells"]}
    november = cells[seeds["000"].title]
    assert november["status"] == "contradicts" and november["values"][0]["exact"] == "November 2012"
    start, end = november["values"][0]["start"], november["values"][0]["end"]
    assert seeds["000"].text[start:end] == "November 2012"
    assert cells[seeds["001"].title]["status"] == "agrees"


def test_the_exports_follow_the_pages_filters(reviewer, seeds, fact):
    lines = body(reviewer.get(reverse("matrix-export", args=["jsonl"]), {"kind": "count"}))
    assert lines == ""
    rows = list(csv.reader(io.StringIO(body(reviewer.get(reverse("matrix-export", args=["csv"]),
                                                         {"s": [seeds["001"].pk]})))))
    assert rows[0][8:] == [seeds["001"].title] and rows[1][8:] == ["August 16, 2012"]


@pytest.mark.parametrize("role", ROLES)
def test_matrix_exports_need_a_role(world, role):
    _, client = account(role)
    for fmt in ("csv", "jsonl"):
        response = client.get(reverse("matrix-export", args=[fmt]))
        text = body(response)
        if role == "none":
            assert response.status_code == 403 and "November 2012" not in text and "reviewer role" in text
        else:
            assert response.status_code == 200 and "November 2012" in text
    assert account(f"x{role}")[1].get(reverse("matrix-export", args=["xml"])).status_code == 404


def test_too_many_sources_chosen_are_cut_with_a_message(reviewer, seeds, asylum):
    ids = [seeds["000"].pk, seeds["001"].pk, *range(10_000, 10_300)]
    html = reviewer.get(reverse("matrix"), {"s": ids}).content.decode()
    assert "At most 200 sources fit: showing the first 200 of the 302 chosen." in html
    assert f"row-contradiction-{asylum[0].pk}" in html
