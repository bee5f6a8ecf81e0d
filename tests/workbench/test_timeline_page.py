"""The /timeline/ page and its SVG download."""
import pytest
from django.urls import reverse

from annotations.services import contradiction_flag


@pytest.fixture
def asylum(seeds, make_claim, user):
    a = make_claim(seeds["000"], "November 2012")
    b = make_claim(seeds["001"], "August 16, 2012")
    return contradiction_flag(claims=[a, b], user=user), a, b


def test_the_page_shows_the_svg_inline_with_no_script_in_it(reviewer, asylum):
    html = reviewer.get(reverse("timeline")).content.decode()
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert "November 2012" in svg and "August 16, 2012" in svg and "<script" not in svg
    assert "2 dated points" not in html and "1 dated point, 1 disputed across sources" in html


def test_the_svg_download_is_the_same_drawing_as_a_file_linking_back_to_the_workbench(reviewer, seeds, asylum,
                                                                                      settings):
    settings.WORKBENCH_BASE_URL = "https://facts.example.org/"
    response = reviewer.get(reverse("timeline-download", args=["svg"]), {"s": [seeds["000"].pk, seeds["001"].pk]})
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    assert response["Content-Disposition"] == 'attachment; filename="timeline.svg"'
    text = response.content.decode()
    assert text.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and "August 16, 2012" in text
    assert f'href="https://facts.example.org/compare/?s={seeds["000"].pk}&amp;s={seeds["001"].pk}#claim-' in text
    assert f'href="https://facts.example.org/contradictions/{asylum[0].pk}/"' in text


def test_only_the_chosen_sources_get_lanes(reviewer, seeds, asylum):
    svg = reviewer.get(reverse("timeline-download", args=["svg"]), {"s": [seeds["001"].pk]}).content.decode()
    assert "“August 16, 2012”" in svg and "“November 2012”" not in svg  # marks quote their value


def test_without_a_browser_the_png_is_refused_with_a_message(reviewer, asylum, settings):
    settings.WORKBENCH_CHROMIUM = "/nowhere/chromium"
    response = reviewer.get(reverse("timeline-download", args=["png"]))
    assert response.status_code == 503 and "download the SVG instead" in response.content.decode()
    assert reviewer.get(reverse("timeline-download", args=["gif"])).status_code == 404
    assert reviewer.get(reverse("timeline"), {"s": "x"}).status_code == 400


def test_points_beyond_the_most_drawn_are_counted_not_drawn(reviewer, seeds, asylum, make_claim, user, monkeypatch):
    contradiction_flag(claims=[make_claim(seeds["002"], "July 2025"), make_claim(seeds["003"], "October 2021")],
                       user=user)
    monkeypatch.setattr("annotations.timeline.MAX_POINTS", 1)
    html = reviewer.get(reverse("timeline")).content.decode()
    assert "2 dated points, the 1 most disputed drawn (1 left out" in html
    assert html.count('class="mark ') == 2
