"""A source's new version (services.source_revise): claims re-anchored and copied, values the
source corrected recorded, contradictions and evidence carried, facts marked for review."""
import json

import pytest

from annotations.errors import ConflictError, ImportRefused, NotAllowed, WorkbenchError
from annotations.models import Claim, Correction, Evidence, Reanchoring, Source
from annotations.services import (
    contradiction_flag,
    fact_reconcile,
    fact_update,
    reanchoring_place,
    source_latest,
    source_revise,
)

OLD = ("Floods in Brenn\n\n"
       "Officials said the death toll rose to 190 on Monday, in the worst flooding since 2019.\n"
       "Aid agencies pledged $1.5 million for repairs.\n"
       "The council met on Tuesday to plan the rebuilding of the bridge.\n")
NEW = ("Floods in Brenn\n\n"
       "Update: the river has fallen since the weekend.\n"
       "Officials said the death toll rose to 220 on Monday, in the worst flooding since 2019.\n"
       "The council met on Tuesday to plan the rebuilding of the bridge.\n")


@pytest.fixture
def old_source(make_source):
    return make_source(OLD, name="brenn.txt")


def test_a_new_version_supersedes_the_old_and_carries_its_claims(old_source, make_claim, user):
    year = make_claim(old_source, "2019", kind="date")
    revision = source_revise(source=old_source, raw=NEW.encode(), user=user)
    new_source = revision.source
    assert new_source.supersedes == old_source and new_source.text == NEW
    assert source_latest(old_source) == new_source
    (carried,) = Claim.objects.filter(source=new_source)
    assert (carried.exact, carried.start, carried.kind) == ("2019", NEW.index("2019"), "date")
    step = Reanchoring.objects.get(old_claim=year)
    assert (step.outcome, step.new_claim) == ("exact", carried)
    # The old version keeps its claim where it was.
    year.refresh_from_db()
    assert (year.source, year.start) == (old_source, OLD.index("2019"))
    assert "re-anchored from claim" in carried.history.first().history_change_reason


def test_a_changed_value_is_a_correction_and_the_fact_citing_it_is_marked(
        old_source, make_source, make_claim, user):
    toll = make_claim(old_source, "190", kind="count")
    other = make_source("Reports put the death toll at 200 by Monday night.\n")
    counterpart = make_claim(other, "200", kind="count")
    flagged = contradiction_flag(claims=[toll, counterpart], user=user)
    fact = fact_reconcile(contradiction=flagged, user=user, value_text="200", status="reconciled",
                          rationale="Most sources.", stances={toll.pk: "refutes", counterpart.pk: "supports"},
                          subject="Brenn floods", property="deaths")
    revision = source_revise(source=old_source, raw=NEW.encode(), user=user)

    (correction,) = revision.corrections
    assert (correction.old_claim, correction.new_claim.exact) == (toll, "220")
    assert correction.old_value != correction.new_value and "220" in str(correction.new_value)
    assert (correction.new_start, correction.new_end) == (NEW.index("220"), NEW.index("220") + 3)
    assert "the source itself changed this value on" in correction.explanation.lower()
    assert Reanchoring.objects.get(old_claim=toll).outcome == "changed"
    fact.refresh_from_db()
    assert "190" in fact.needs_review and "220" in fact.needs_review
    # The new claim stands in the contradiction and as evidence, with the same stance.
    flagged.refresh_from_db()
    assert set(flagged.claims.all()) == {correction.new_claim, counterpart}
    assert Evidence.objects.get(fact=fact, claim=correction.new_claim).stance == "refutes"
    # Editing the fact is looking at it again.
    fact = fact_update(fact=fact, user=user, version=fact.version, value_text="220", status="reconciled",
                       rationale="The source corrected itself.", subject=fact.subject, property=fact.property)
    assert fact.needs_review == ""


def test_a_value_written_differently_is_no_correction(make_source, make_claim, user):
    old = make_source("Aid agencies pledged $1.5 million for repairs.\n")
    make_claim(old, "$1.5 million", kind="money")
    revision = source_revise(source=old, raw="Aid agencies pledged $1.5\u00a0million for repairs.\n".encode(), user=user)
    assert revision.count("changed") == 1 and revision.corrections == []
    assert Correction.objects.count() == 0


def test_a_claim_whose_text_was_deleted_is_orphaned_and_a_reviewer_places_it(old_source, make_claim, user):
    pledge = make_claim(old_source, "$1.5 million", kind="money")
    revision = source_revise(source=old_source, raw=NEW.encode(), user=user)
    step = Reanchoring.objects.get(old_claim=pledge)
    assert (step.outcome, step.new_claim) == ("orphaned", None)
    assert not Claim.objects.filter(source=revision.source).exists()

    # The reviewer finds where it went (here: the bridge sentence, as a stand-in) and selects it.
    start = NEW.index("the bridge")
    step = reanchoring_place(reanchoring=step, start=start, end=start + 10, exact="the bridge", user=user)
    assert (step.outcome, step.new_claim.exact, step.new_claim.source) == ("placed", "the bridge", revision.source)
    with pytest.raises(ConflictError):
        reanchoring_place(reanchoring=step, start=start, end=start + 10, exact="the bridge", user=user)


def test_placing_an_orphan_on_text_that_is_not_there_is_refused(old_source, make_claim, user):
    pledge = make_claim(old_source, "$1.5 million", kind="money")
    source_revise(source=old_source, raw=NEW.encode(), user=user)
    step = Reanchoring.objects.get(old_claim=pledge)
    with pytest.raises(WorkbenchError, match="does not match"):
        reanchoring_place(reanchoring=step, start=0, end=5, exact="Other", user=user)
    step.refresh_from_db()
    assert step.outcome == "orphaned" and step.new_claim is None


def test_refusals_save_nothing(old_source, make_claim, user, other_user):
    make_claim(old_source, "2019")
    before = Source.objects.count()
    with pytest.raises(WorkbenchError, match="nothing changed"):
        # Other bytes (Windows line breaks), the same text once normalised.
        source_revise(source=old_source, raw=OLD.replace("\n", "\r\n").encode(), user=user)
    with pytest.raises(ImportRefused):
        source_revise(source=old_source, raw=OLD.encode(), user=user)
    with pytest.raises(NotAllowed):
        source_revise(source=old_source, raw=NEW.encode(), user=other_user)
    assert Source.objects.count() == before and Reanchoring.objects.count() == 0
    source_revise(source=old_source, raw=NEW.encode(), user=user)
    with pytest.raises(WorkbenchError, match="already has a newer version"):
        source_revise(source=old_source, raw=(NEW + "More.\n").encode(), user=user)


def test_import_sources_says_a_file_from_the_same_origin_may_be_a_new_version_then_imports_it_as_one(
        db, tmp_path, capsys, make_claim):
    from django.core.management import CommandError, call_command

    path = tmp_path / "brenn.txt"
    path.write_text(OLD)
    call_command("import_sources", str(path), "--no-analysis")
    old = Source.objects.get()
    make_claim(old, "190", kind="count")
    path.write_text(NEW)
    capsys.readouterr()
    call_command("import_sources", str(path), "--no-analysis")
    said = capsys.readouterr().out
    assert f"--revision-of {old.pk}" in said and "other bytes" in said
    assert Source.objects.count() == 1

    call_command("import_sources", str(path), "--revision-of", str(old.pk))
    said = capsys.readouterr().out
    assert "1 moved with changes" in said and "correction: “190” became “220”" in said
    assert Source.objects.get(supersedes=old).text == NEW
    with pytest.raises(CommandError, match="already has a newer version"):
        call_command("import_sources", str(path), "--revision-of", str(old.pk))


def _versions_snapshot() -> dict:
    from annotations.models import Fact

    def key(claim):
        return (claim.source.raw_sha256, claim.start, claim.end, claim.kind) if claim else None

    return {
        "chain": sorted((s.raw_sha256, s.supersedes.raw_sha256 if s.supersedes else None) for s in Source.objects.all()),
        "steps": sorted((r.revision.raw_sha256, key(r.old_claim), key(r.new_claim), r.outcome, r.score, r.reason,
                         r.created_at.isoformat()) for r in Reanchoring.objects.all()),
        "corrections": sorted((c.revision.raw_sha256, key(c.old_claim), key(c.new_claim), json.dumps(c.old_value, sort_keys=True),
                               json.dumps(c.new_value, sort_keys=True), c.old_start, c.old_end, c.new_start, c.new_end)
                              for c in Correction.objects.all()),
        "review": sorted((f.subject, f.needs_review) for f in Fact.objects.all()),
    }


def test_the_archive_carries_versions_outcomes_corrections_and_facts_to_review(old_source, make_source, make_claim, user):
    from annotations.archive import archive_import, archive_lines
    from annotations.models import Contradiction, Fact

    toll = make_claim(old_source, "190", kind="count")
    make_claim(old_source, "$1.5 million", kind="money")
    other = make_source("Reports put the death toll at 200 by Monday night.\n")
    counterpart = make_claim(other, "200", kind="count")
    flagged = contradiction_flag(claims=[toll, counterpart], user=user)
    fact_reconcile(contradiction=flagged, user=user, value_text="200", status="reconciled", rationale="R.",
                   stances={toll.pk: "refutes", counterpart.pk: "supports"}, subject="Brenn floods")
    source_revise(source=old_source, raw=NEW.encode(), user=user)
    before = _versions_snapshot()
    assert len(before["steps"]) == 2 and len(before["corrections"]) == 1 and before["review"][0][1]
    lines = list(archive_lines())
    Contradiction.objects.all().delete()
    Evidence.objects.all().delete()
    Fact.objects.all().delete()
    Claim.objects.all().delete()
    Source.objects.all().delete()
    report = archive_import(lines)
    assert report.conflicts == []
    assert _versions_snapshot() == before
    assert archive_import(lines).created == {}  # twice: nothing new


def test_a_web_annotation_targets_the_version_its_claim_was_made_on(old_source, make_claim, user):
    from annotations.web_annotation import claim_annotation

    year = make_claim(old_source, "2019", kind="date")
    revision = source_revise(source=old_source, raw=NEW.encode(), user=user)
    carried = revision.reanchorings[0].new_claim
    old_target, new_target = claim_annotation(year)["target"], claim_annotation(carried)["target"]
    assert old_target["source"].endswith(f"/sources/{old_source.pk}/text/")
    assert new_target["source"].endswith(f"/sources/{revision.source.pk}/text/")
    assert new_target["selector"][1] == {"type": "TextPositionSelector", "start": NEW.index("2019"),
                                         "end": NEW.index("2019") + 4}


def test_the_new_text_is_read_for_suggestions_without_suggesting_the_carried_claims_again(
        old_source, make_claim, user, run_tasks):
    from annotations.models import ImportBatch

    make_claim(old_source, "190", kind="count")
    revision = source_revise(source=old_source, raw=(NEW + "Another 40 people were rescued on Sunday.\n").encode(),
                             user=user)
    run_tasks()
    assert ImportBatch.objects.get(pk=revision.reading.pk).status == "done"
    claims = Claim.objects.filter(source=revision.source)
    assert claims.filter(exact="220", kind="count").count() == 1  # the carried one, not suggested twice
    assert claims.filter(origin="suggested", exact__contains="40").exists()  # what the new text says anew


def test_the_admin_role_sees_reanchorings_and_corrections_in_the_django_admin(db):
    from django.contrib.auth.models import Group

    granted = set(Group.objects.get(name="admin").permissions.values_list("codename", flat=True))
    assert {"view_reanchoring", "view_correction"} <= granted and "change_correction" not in granted


def test_an_archived_reanchoring_whose_new_claim_is_malformed_names_that_field(old_source, make_claim, user):
    from annotations.archive import archive_import, archive_lines

    make_claim(old_source, "2019", kind="date")
    source_revise(source=old_source, raw=NEW.encode(), user=user)
    records = [json.loads(line) for line in archive_lines()]
    number, step = next((n, r) for n, r in enumerate(records, 1) if r["type"] == "reanchoring" and r["new_claim"])
    step["new_claim"] = "the year"
    Claim.objects.all().delete()
    Source.objects.all().delete()
    with pytest.raises(WorkbenchError) as info:
        archive_import([json.dumps(r) + "\n" for r in records])
    assert f"Line {number} (reanchoring): new_claim: " in str(info.value)
    assert Source.objects.count() == 0
