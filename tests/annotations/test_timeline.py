"""The timeline: the matrix's dated points, one lane per source, each value as its interval."""
import re
from datetime import date

import pytest

from annotations.services import contradiction_flag
from annotations.timeline import FACTS_LANE, timeline_build
from workbench.timeline_svg import timeline_svg


@pytest.fixture
def asylum(seeds, make_claim, user):
    a = make_claim(seeds["000"], "November 2012")
    b = make_claim(seeds["001"], "August 16, 2012")
    return contradiction_flag(claims=[a, b], user=user), a, b


def test_a_month_is_a_bar_a_day_a_tick_and_the_disputed_point_is_joined(seeds, asylum):
    contradiction, a, b = asylum
    timeline = timeline_build()
    assert [lane for lane, _ in timeline.lanes] == [seeds["000"].pk, seeds["001"].pk]
    november, august = sorted(timeline.items, key=lambda i: i.lane)
    assert (november.start, november.end, november.shape) == (date(2012, 11, 1), date(2012, 11, 30), "bar")
    assert (august.start, august.end, august.shape) == (date(2012, 8, 16), date(2012, 8, 16), "tick")
    assert november.href == f"/compare/?s={seeds['000'].pk}&s={seeds['001'].pk}#claim-{a.pk}"
    assert [(row.key, len(items)) for row, items in timeline.joins] == [(f"contradiction-{contradiction.pk}", 2)]


def test_a_part_of_a_month_is_a_fuzzy_bar(seeds, make_claim, user):
    a = make_claim(seeds["002"], "early September 2025")
    b = make_claim(seeds["004"], "September 2024")
    contradiction_flag(claims=[a, b], user=user)
    shapes = {i.text: i.shape for i in timeline_build().items}
    assert shapes == {"early September 2025": "fuzzy", "September 2024": "bar"}


def test_after_reconciling_the_fact_has_its_lane_and_nothing_is_joined(seeds, fact):
    timeline = timeline_build()
    assert timeline.lanes[0] == (FACTS_LANE, "Facts") and not timeline.joins
    statuses = {i.text: (i.status, i.lane) for i in timeline.items}
    assert statuses == {"16 August 2012": ("fact", FACTS_LANE), "November 2012": ("contradicts", seeds["000"].pk),
                        "August 16, 2012": ("agrees", seeds["001"].pk)}


def test_the_svg_gives_every_mark_a_text_label_and_a_link(seeds, asylum):
    contradiction, a, b = asylum
    svg = str(timeline_svg(timeline_build(), title="T"))
    marks = re.findall(r'<a href="([^"]+)" class="mark mark-(\w+)" aria-label="([^"]+)"><title>([^<]+)</title>', svg)
    assert [(href.split("#")[1], status) for href, status, _, _ in marks] == [
        (f"claim-{a.pk}", "undecided"), (f"claim-{b.pk}", "undecided")]
    assert all(label == title and "“" in title for _, _, label, title in marks)
    assert "Ecuador–United States relations (encyclopedia extract): “November 2012” (01 Nov 2012 to 30 Nov 2012)" \
        in marks[0][3].replace("&amp;", "&")
    join = re.search(r'<a href="([^"]+)" class="join"[^>]*><title>Disputed: ([^<]+)</title>', svg)
    assert join[1] == f"/contradictions/{contradiction.pk}/" and "November 2012" in join[2]
    assert "<script" not in svg and "style=" not in svg


def test_a_source_choice_with_no_dated_value_draws_an_empty_timeline_that_says_so(seeds, asylum):
    timeline = timeline_build(source_ids=[seeds["003"].pk])
    assert timeline.items == [] and "No dated value" in str(timeline_svg(timeline))


def test_a_dated_claim_no_point_holds_is_drawn_alone_unless_a_status_is_asked_for(seeds, asylum, make_claim, user):
    from annotations.services import claim_set_status

    lone = make_claim(seeds["001"], "2012")  # "In 2012, relations became strained"
    rejected = make_claim(seeds["000"], "2013")
    claim_set_status(claim=rejected, status="rejected", user=user)
    make_claim(seeds["001"], "March 3, 2008", kind="other")
    timeline = timeline_build()
    alone = [i for i in timeline.items if i.status == "alone"]
    assert [(i.text, i.lane, i.shape, i.point) for i in alone] == [("2012", seeds["001"].pk, "bar", None)]
    assert alone[0].href == f"/compare/?s={seeds['001'].pk}#claim-{lone.pk}"
    assert timeline.alone == 1 and len(timeline.items) == 3  # the two of the point, drawn once each
    assert "in no point yet" in str(timeline_svg(timeline))
    assert [i.status for i in timeline_build(status="disputed").items] == ["undecided", "undecided"]


def test_the_points_set_the_axis_and_a_claim_alone_outside_their_years_is_counted_not_drawn(seeds, asylum,
                                                                                             make_claim):
    make_claim(seeds["001"], "1980")  # outside 2012, the point's year
    timeline = timeline_build()
    assert (timeline.first, timeline.last) == (date(2012, 8, 16), date(2012, 11, 30))
    assert (timeline.alone, timeline.alone_outside) == (0, 1)


def test_the_timeline_costs_the_same_few_queries_however_many_points(seeds, make_claim, user, fact,
                                                                     django_assert_max_num_queries):
    for a, b in (("2019", "April 2019"), ("2013", "2012"), ("2009", "March 3, 2008")):
        contradiction_flag(claims=[make_claim(seeds["000"], a), make_claim(seeds["001"], b)], user=user)
    make_claim(seeds["002"], "2019")  # alone
    # version, facts, evidence, contradictions, their claims, claims, sources; the claims' values;
    # the facts' values; the claims alone
    with django_assert_max_num_queries(10):
        timeline = timeline_build()
    assert len(timeline.joins) == 3 and timeline.lanes[0][1] == "Facts" and timeline.alone >= 1
