"""The "New version" action, the revision page (outcomes, orphans placed by selection,
corrections, the two versions side by side with their word diff and claims) and the sources
list showing the latest versions."""
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotations.models import Reanchoring, Source

OLD = ("Officials said the death toll rose to 190 on Monday.\n"
       "Aid agencies pledged $1.5 million for repairs.\n")
NEW = ("Officials said the death toll rose to 220 on Monday.\n"
       "Repairs will be paid by the regional government.\n")


def _revised(reviewer, make_source, make_claim):
    old = make_source(OLD, name="toll.txt")
    make_claim(old, "190", kind="count")
    make_claim(old, "$1.5 million", kind="money")
    response = reviewer.post(reverse("source-revise", args=[old.pk]), {"text": NEW})
    return old, Source.objects.get(supersedes=old), response


def test_pasting_a_new_version_leads_to_its_page_with_the_correction_and_the_orphan(reviewer, make_source, make_claim):
    old, new, response = _revised(reviewer, make_source, make_claim)
    assert response.status_code == 302 and response["Location"] == reverse("revision-detail", args=[new.pk])
    page = reviewer.get(response["Location"]).content.decode()
    assert "<del>190</del>" in page and "<ins>220</ins>" in page
    assert "The source itself changed this value on" in page
    assert "“$1.5 million”" in page and "Place here" in page


def test_uploading_a_new_version_works_too_and_a_form_with_neither_is_refused(reviewer, make_source):
    old = make_source(OLD, name="toll.txt")
    empty = reviewer.post(reverse("source-revise", args=[old.pk]), {"text": " "})
    assert empty.status_code == 200 and "Choose the new version" in empty.content.decode()
    upload = SimpleUploadedFile("toll.txt", NEW.encode(), content_type="text/plain")
    assert reviewer.post(reverse("source-revise", args=[old.pk]), {"file": upload}).status_code == 302
    assert Source.objects.get(supersedes=old).text == NEW


def test_an_orphan_is_placed_on_the_selected_span(reviewer, make_source, make_claim):
    old, new, _ = _revised(reviewer, make_source, make_claim)
    step = Reanchoring.objects.get(outcome="orphaned")
    start = NEW.index("the regional government")
    response = reviewer.post(reverse("reanchoring-place", args=[step.pk]),
                             {"start": start, "end": start + 23, "exact": "the regional government"})
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.outcome == "placed" and step.new_claim.exact == "the regional government"
    wrong = reviewer.post(reverse("reanchoring-place", args=[step.pk]), {"start": 0, "end": 3, "exact": "Off"})
    assert wrong.status_code in (302, 409)  # refused: no longer orphaned
    step.refresh_from_db()
    assert step.new_claim.exact == "the regional government"


def test_the_sources_list_shows_the_latest_version_with_its_chain(reviewer, make_source, make_claim):
    old, new, _ = _revised(reviewer, make_source, make_claim)
    page = reviewer.get(reverse("source-list")).content.decode()
    assert f'value="{new.pk}"' in page and f'value="{old.pk}"' not in page
    assert "New version of" in page and reverse("revision-detail", args=[new.pk]) in page
    every = reviewer.get(reverse("source-list") + "?versions=all").content.decode()
    assert f'value="{old.pk}"' in every and f'value="{new.pk}"' in every


def test_only_an_admin_brings_in_a_new_version(client, other_user, make_source):
    old = make_source(OLD)
    client.force_login(other_user)
    assert client.post(reverse("source-revise", args=[old.pk]), {"text": NEW}).status_code == 403
    assert Source.objects.count() == 1


def test_the_review_queue_shows_corrections_and_the_facts_to_review_again(reviewer, make_source, make_claim, user):
    from annotations.services import contradiction_flag, fact_reconcile

    old = make_source(OLD, name="toll.txt")
    toll = make_claim(old, "190", kind="count")
    other = make_source("The toll was 200 by Monday night.\n")
    counterpart = make_claim(other, "200", kind="count")
    flagged = contradiction_flag(claims=[toll, counterpart], user=user)
    fact = fact_reconcile(contradiction=flagged, user=user, value_text="200", status="reconciled", rationale="R.",
                          stances={toll.pk: "refutes", counterpart.pk: "supports"}, subject="Toll")
    reviewer.post(reverse("source-revise", args=[old.pk]), {"text": NEW})
    page = reviewer.get(reverse("review")).content.decode()
    queue = page.split('id="review-corrections"')[1]
    assert "<del>190</del> → <ins>220</ins>" in queue
    assert reverse("fact-detail", args=[fact.pk]) in page.split('id="review-facts"')[1]
    assert "To review again" in reviewer.get(reverse("fact-detail", args=[fact.pk])).content.decode()


def test_reading_an_older_version_side_by_side_points_to_the_latest(reviewer, make_source, make_claim):
    old, new, _ = _revised(reviewer, make_source, make_claim)
    page = reviewer.get(reverse("compare") + f"?s={old.pk}").content.decode()
    assert "An older version" in page and f"?s={new.pk}" in page
    latest = reviewer.get(reverse("compare") + f"?s={new.pk}").content.decode()
    assert "An older version" not in latest and reverse("revision-detail", args=[new.pk]) in latest


def test_an_upload_from_a_sources_origin_with_other_bytes_asks_whether_it_is_a_new_version(reviewer, make_source, user):
    from annotations.services import import_batch_create, import_batch_process

    old = make_source(OLD, name="toll.txt")
    batch = import_batch_create(files=[("toll.txt", NEW.encode())], user=user)
    import_batch_process(batch_id=batch.pk)
    page = reviewer.get(reverse("import-detail", args=[batch.pk])).content.decode()
    assert "refused" in page and "Is it a new version of" in page
    assert reverse("source-revise", args=[old.pk]) in page
    assert Source.objects.count() == 1


def test_a_file_refused_as_a_possible_new_version_does_not_get_its_source_read_again(make_source, user):
    from annotations.services import import_batch_create, import_batch_process

    old = make_source(OLD, name="toll.txt")
    Source.objects.filter(pk=old.pk).update(analysed_at=None)
    batch = import_batch_create(files=[("toll.txt", NEW.encode())], user=user)
    batch = import_batch_process(batch_id=batch.pk)
    assert batch.to_analyse == 0
    old.refresh_from_db()
    assert old.analysed_at is None


class _Column(HTMLParser):
    """Each piece of text in one column of the revision page, with the elements around it
    (tag, class, data-claims), innermost last."""

    def __init__(self, column_id: str):
        super().__init__()
        self.column_id, self.stack, self.inside, self.pieces = column_id, [], None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == self.column_id:
            self.inside = len(self.stack)
        if tag not in VOID:
            self.stack.append((tag, attrs.get("class") or "", attrs.get("data-claims") or "", attrs.get("id") or ""))

    def handle_endtag(self, tag):
        if tag not in VOID:
            self.stack.pop()
            if self.inside is not None and len(self.stack) <= self.inside:
                self.inside = None

    def handle_data(self, data):
        if self.inside is not None:
            self.pieces.append((data, self.stack[self.inside:]))


VOID = {"br", "input", "img", "hr", "meta", "link"}


def _pieces(page: str, side: str) -> list[tuple[str, list]]:
    """The pieces of one column's text (the version itself, not its header)."""
    parser = _Column(f"column-{side}")
    parser.feed(page)
    return [(data, around) for data, around in parser.pieces if any("source-text" in cls for _, cls, _, _ in around)]


def _around(pieces, text: str) -> list:
    """The elements around the piece of text that is exactly ``text``."""
    found = [around for data, around in pieces if data == text]
    assert found, f"no piece {text!r} in {[d for d, _ in pieces]}"
    return found[0]


def test_the_revision_page_shows_both_versions_with_the_changed_words_and_each_versions_claims(
        reviewer, make_source, make_claim):
    old, new, response = _revised(reviewer, make_source, make_claim)
    old_toll = old.claims.get(exact="190")
    new_toll = new.claims.get(exact="220")
    page = reviewer.get(reverse("revision-detail", args=[new.pk])).content.decode()
    old_col, new_col = _pieces(page, "old"), _pieces(page, "new")
    assert "".join(d for d, _ in old_col) == OLD and "".join(d for d, _ in new_col) == NEW

    # A deleted word is in a <del> in the old column, an inserted word in an <ins> in the new one,
    # and neither column shows the other's word.
    assert any(tag == "del" for tag, *_ in _around(old_col, "190"))
    assert any(tag == "ins" for tag, *_ in _around(new_col, "220"))
    assert all(data != "220" for data, _ in old_col) and all(data != "190" for data, _ in new_col)
    assert not any(tag in ("ins", "del") for tag, *_ in _around(old_col, "Officials said the death toll rose to "))
    # The claims: the old one drawn inside the deletion, the re-anchored one inside the insertion.
    assert any("claim" in cls and str(old_toll.pk) in ids.split() for _, cls, ids, _ in _around(old_col, "190"))
    assert any("claim" in cls and str(new_toll.pk) in ids.split() for _, cls, ids, _ in _around(new_col, "220"))
    # The orphan's claim is drawn in the old column only, inside the deleted stretch.
    money = _around(old_col, "$1.5 million")
    assert any(tag == "del" for tag, *_ in money) and any("claim" in cls for _, cls, _, _ in money)


def test_a_claim_in_an_unchanged_stretch_is_drawn_in_both_columns_and_each_row_links_to_both(
        reviewer, make_source, make_claim):
    old = make_source(OLD, name="toll.txt")
    monday = make_claim(old, "Monday", kind="date")
    make_claim(old, "190", kind="count")
    reviewer.post(reverse("source-revise", args=[old.pk]), {"text": NEW})
    new = Source.objects.get(supersedes=old)
    moved = new.claims.get(exact="Monday")
    page = reviewer.get(reverse("revision-detail", args=[new.pk])).content.decode()
    assert any(str(monday.pk) in ids.split() for _, _, ids, _ in _around(_pieces(page, "old"), "Monday"))
    assert any(str(moved.pk) in ids.split() for _, _, ids, _ in _around(_pieces(page, "new"), "Monday"))
    assert not any(tag in ("ins", "del") for tag, *_ in _around(_pieces(page, "new"), "Monday"))
    # Anchors for the links: each claim in its column, each change in both.
    assert f'id="claim-{monday.pk}"' in page.split('id="column-old"')[1].split('id="column-new"')[0]
    assert f'id="claim-{moved.pk}"' in page.split('id="column-new"')[1]
    assert f'href="#claim-{monday.pk}" data-also="claim-{moved.pk}"' in page.split('id="outcomes"')[1]
    correction = page.split('id="corrections"')[1].split("</table>")[0]
    toll, new_toll = old.claims.get(exact="190"), new.claims.get(exact="220")
    assert f'href="#claim-{toll.pk}" data-also="claim-{new_toll.pk}"' in correction
    assert f'href="#claim-{new_toll.pk}" data-also="claim-{toll.pk}"' in correction
    assert 'id="old-change-1"' in page and 'id="new-change-1"' in page and 'href="#new-change-1"' in page
