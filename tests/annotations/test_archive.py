"""The archive round trip: everything survives, nothing doubles, conflicts are reported."""
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.archive import archive_import, archive_lines
from annotations.errors import WorkbenchError
from annotations.management.commands.load_seeds import load_seeds
from annotations.models import Claim, Contradiction, Evidence, Fact, Source
from annotations.services import (
    claim_create,
    contradiction_flag,
    contradiction_set_status,
    fact_reconcile,
    source_import,
)


def canon(value) -> str:
    return json.dumps(value, sort_keys=True)


def snapshot() -> dict:
    """Every field of every object, by natural keys instead of database ids."""
    def user(u):
        return u.get_username() if u else None

    sources = sorted(
        (s.raw_sha256, s.title, s.origin, s.publisher, str(s.published_on), s.kind, s.text, s.notes,
         user(s.imported_by), s.created_at.isoformat(), s.supersedes.raw_sha256 if s.supersedes else None)
        for s in Source.objects.all())
    claims = sorted(
        (c.source.raw_sha256, c.start, c.end, c.kind, c.exact, c.prefix, c.suffix, canon(c.value), c.subject,
         canon(c.context), c.note, c.origin, c.status, user(c.created_by), c.created_at.isoformat(), c.property)
        for c in Claim.objects.select_related("source", "created_by"))
    facts = sorted(
        (f.subject, f.property, f.value_text, canon(f.value), f.status, f.rationale, user(f.reviewer),
         f.reconciled_at.isoformat(), f.version, f.created_at.isoformat())
        for f in Fact.objects.all())
    evidence = sorted(
        (e.fact.subject, e.fact.reconciled_at.isoformat(), e.claim.source.raw_sha256, e.claim.start,
         e.claim.end, e.claim.kind, e.stance)
        for e in Evidence.objects.select_related("fact", "claim__source"))
    contradictions = sorted(
        (tuple(sorted((c.source.raw_sha256, c.start, c.end, c.kind) for c in x.claims.all())), x.kind, x.status,
         x.note, x.score, x.explanation, user(x.flagged_by), user(x.confirmed_by),
         (x.fact.subject, x.fact.reconciled_at.isoformat()) if x.fact else None, x.created_at.isoformat())
        for x in Contradiction.objects.all())
    return {"sources": sources, "claims": claims, "facts": facts, "evidence": evidence,
            "contradictions": contradictions}


def wipe():
    Contradiction.objects.all().delete()
    Evidence.objects.all().delete()
    Fact.objects.all().delete()
    Claim.objects.all().delete()
    Source.objects.all().delete()


@pytest.fixture
def rich(db, user, other_user):
    load_seeds()
    nov = Claim.objects.get(exact="November 2012")
    aug = Claim.objects.get(exact="August 16, 2012")
    flagged = contradiction_flag(claims=[nov, aug], user=other_user, note="month?") \
        if not any(aug in c.claims.all() for c in nov.contradictions.all()) else \
        next(c for c in nov.contradictions.all() if aug in c.claims.all())
    fact_reconcile(contradiction=flagged, user=user, value_text="16 August 2012", status="reconciled",
                   rationale="Announced by Patiño.", stances={nov.pk: "refutes", aug.pk: "supports"},
                   subject="Julian Assange", property="date asylum granted")
    contradiction_set_status(contradiction=Contradiction.objects.filter(status="candidate").first(),
                             status="dismissed", user=other_user)
    source = Source.objects.get(origin__startswith="003")
    start = source.text.index("Victoria Nuland")
    claim_create(source=source, start=start, end=start + 15, exact="Victoria Nuland", kind="entity",
                 user=other_user, subject="Undersecretary for Political Affairs", note="hand-tagged",
                 property="office held")


def test_round_trip_into_an_empty_database_loses_nothing(rich):
    before = snapshot()
    lines = list(archive_lines())
    wipe()
    assert Claim.objects.count() == 0
    report = archive_import(lines)
    assert report.conflicts == []
    assert snapshot() == before
    assert report.created["claim"] == len(before["claims"])


def test_round_trip_keeps_each_claims_property_and_no_embedding(rich):
    Claim.objects.filter(exact="November 2012").update(property="date asylum granted")
    lines = list(archive_lines())
    assert not any('"embedding"' in line for line in lines)  # derived: recomputed, not archived
    wipe()
    archive_import(lines)
    assert Claim.objects.get(exact="Victoria Nuland").property == "office held"
    assert Claim.objects.get(exact="November 2012").property == "date asylum granted"


def _without_property(lines: list[str]) -> list[str]:
    """The archive as a workbench before claims had a property wrote it."""
    old = []
    for line in lines:
        record = json.loads(line)
        if record.get("type") == "claim":
            del record["property"]
        old.append(json.dumps(record) + "\n")
    return old


def test_an_archive_written_before_claims_had_a_property_still_imports(rich):
    lines = list(archive_lines())
    old = _without_property(lines)
    assert not any('"property"' in line for line in old if '"type": "claim"' in line)
    count = Claim.objects.count()
    wipe()
    report = archive_import(old)
    assert report.conflicts == [] and report.created["claim"] == count
    assert Claim.objects.get(exact="Victoria Nuland").property == ""


def test_an_old_archive_over_claims_with_a_property_is_no_conflict(rich):
    old = _without_property(list(archive_lines()))
    report = archive_import(old)
    assert report.conflicts == [] and report.created == {}
    assert Claim.objects.get(exact="Victoria Nuland").property == "office held"


def test_a_different_property_in_the_archive_is_a_conflict_not_an_overwrite(rich):
    lines = list(archive_lines())
    Claim.objects.filter(exact="Victoria Nuland").update(property="office")
    report = archive_import(lines)
    assert any('property is "office" here but "office held" in the archive' in c for c in report.conflicts)
    assert Claim.objects.get(exact="Victoria Nuland").property == "office"


def test_importing_twice_duplicates_nothing(rich):
    lines = list(archive_lines())
    before = snapshot()
    report = archive_import(lines)
    assert report.created == {} and report.conflicts == []
    assert snapshot() == before


def test_conflicts_are_reported_not_overwritten(rich):
    lines = list(archive_lines())
    Source.objects.filter(origin__startswith="002").update(title="Renamed here")
    report = archive_import(lines)
    assert any("title is \"Renamed here\" here" in c for c in report.conflicts)
    assert Source.objects.get(origin__startswith="002").title == "Renamed here"


def test_unknown_users_come_back_inactive(rich):
    lines = list(archive_lines())
    wipe()
    get_user_model().objects.filter(username="omar").delete()
    archive_import(lines)
    omar = get_user_model().objects.get(username="omar")
    assert not omar.is_active and not omar.has_usable_password()
    assert Claim.objects.get(exact="Victoria Nuland").created_by == omar


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("not json\n", "not JSON"),
        ('{"type": "source"}\n', "not a workbench archive"),
        ('{"type": "archive", "format": "another-tool", "version": 1}\n', "not a workbench archive"),
        ('{"type": "archive", "format": "fact-workbench-archive", "version": 99}\n', "version 99"),
        ('{"type": "archive", "format": "fact-workbench-archive", "version": 1}\n{"type": "claim", "key": ["abc", 0, 1, "date"]}\n',
         "does not contain"),
    ],
)
def test_bad_archives_are_refused_and_change_nothing(rich, text, message):
    before = snapshot()
    with pytest.raises(WorkbenchError, match=message):
        archive_import(io.StringIO(text))
    assert snapshot() == before


def test_half_bad_archive_saves_nothing(rich):
    lines = list(archive_lines())
    wipe()
    broken = lines[: len(lines) // 2] + ['{"type": "claim", "key": ["nope", 0, 1, "date"]}\n']
    with pytest.raises(WorkbenchError):
        archive_import(broken)
    assert Source.objects.count() == 0 and Claim.objects.count() == 0


def test_export_and_import_commands(rich, tmp_path, capsys):
    out = tmp_path / "archive.jsonl"
    call_command("export", "--format", "archive", "--output", str(out))
    wipe()
    call_command("import_archive", str(out))
    assert "Conflicts: 0." in capsys.readouterr().out
    assert Fact.objects.get().evidence.count() == 2
    with pytest.raises(CommandError, match="Nothing was imported"):
        (tmp_path / "bad.jsonl").write_text("garbage\n")
        call_command("import_archive", str(tmp_path / "bad.jsonl"))


TEXT = "Alpha 2012 beta $5 million gamma 300 people delta 12% epsilon 10 years zeta. " * 3


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    spans=st.lists(st.tuples(st.integers(0, len(TEXT) - 1), st.integers(1, 40),
                             st.sampled_from(["date", "money", "count", "other"]),
                             st.text(max_size=20)), min_size=2, max_size=12),
    flag=st.booleans(),
    reconcile=st.booleans(),
)
def test_random_annotation_sets_survive_the_round_trip(user, other_user, spans, flag, reconcile):
    wipe()
    a = source_import(name="a.txt", raw=TEXT.encode())
    b = source_import(name="b.txt", raw=("Other " + TEXT).encode())
    made = []
    for i, (start, length, kind, note) in enumerate(spans):
        source = a if i % 2 == 0 else b
        end = min(len(source.text), start + length)
        if not source.text[start:end].strip():
            continue
        try:
            made.append(claim_create(source=source, start=start, end=end, exact=source.text[start:end],
                                     kind=kind, user=user if i % 3 else other_user, note=note))
        except WorkbenchError:
            pass  # the same span and kind twice
    pair = [next((c for c in made if c.source_id == s.pk), None) for s in (a, b)]
    if flag and all(pair):
        contradiction = contradiction_flag(claims=pair, user=other_user, note="random")
        if reconcile:
            fact_reconcile(contradiction=contradiction, user=user, value_text="v", status="disputed",
                           rationale="r", stances={pair[0].pk: "supports", pair[1].pk: "refutes"})
    before = snapshot()
    lines = list(archive_lines())
    wipe()
    archive_import(lines)
    assert snapshot() == before
    assert archive_import(lines).created == {}


def test_a_revision_keeps_the_source_it_supersedes_through_the_round_trip(rich):
    old, new = Source.objects.get(origin__startswith="000"), Source.objects.get(origin__startswith="001")
    Source.objects.filter(pk=new.pk).update(supersedes=old)  # as the admin's form sets it
    lines = list(archive_lines())
    wipe()
    report = archive_import(lines)
    assert report.conflicts == []
    revision = Source.objects.get(raw_sha256=new.raw_sha256)
    assert revision.supersedes is not None and revision.supersedes.raw_sha256 == old.raw_sha256
    assert Source.objects.filter(supersedes__isnull=False).count() == 1


def test_a_source_superseding_one_the_archive_lacks_is_refused(rich):
    old, new = Source.objects.get(origin__startswith="000"), Source.objects.get(origin__startswith="001")
    Source.objects.filter(pk=new.pk).update(supersedes=old)
    records = [json.loads(line) for line in archive_lines()]
    # the header, the accounts, and the revision alone: nothing but its "supersedes" names the old source
    lines = [json.dumps(r) for r in records if r["type"] not in {"source", "claim", "fact", "evidence", "contradiction"}
             or r.get("key") == new.raw_sha256]
    wipe()
    with pytest.raises(WorkbenchError, match=f"refers to a source \\({old.raw_sha256[:12]}…\\) it does not contain"):
        archive_import(lines)
    assert not Source.objects.exists()


KEPT = " in the archive (kept as it is here)"


@pytest.mark.parametrize(("change", "conflict"), [
    (lambda: Claim.objects.filter(exact="Victoria Nuland").update(note="changed here"),
     'claim “Victoria Nuland” in {origin}: note is "changed here" here but "hand-tagged"' + KEPT),
    (lambda: Fact.objects.update(rationale="Changed here."),
     'fact “Julian Assange: 16 August 2012”: rationale is "Changed here." here but "Announced by Patiño."' + KEPT),
    (lambda: Contradiction.objects.filter(status="resolved").update(note="changed here"),
     'contradiction “August 16, 2012” vs “November 2012”: note is "changed here" here but ""' + KEPT),
    (lambda: Evidence.objects.filter(stance="refutes").update(stance="supports"),
     'evidence for “Julian Assange”: stance is "supports" here but "refutes"' + KEPT),
])
def test_each_kind_of_record_reports_its_conflict_and_keeps_what_is_here(rich, change, conflict):
    lines = list(archive_lines())
    change()
    before = snapshot()
    report = archive_import(lines)
    origin = Source.objects.get(origin__startswith="003").origin
    assert report.conflicts == [conflict.format(origin=origin)]
    assert snapshot() == before


def test_a_changed_email_is_a_conflict_kept_as_it_is_here(rich):
    lines = list(archive_lines(with_emails=True))
    get_user_model().objects.filter(username="omar").update(email="omar@example.org")
    report = archive_import(lines)
    assert report.conflicts == ['user omar: email is "omar@example.org" here but ""' + KEPT]
    assert get_user_model().objects.get(username="omar").email == "omar@example.org"


def _without(lines, record_type, key) -> list[str]:
    """The archive without one record (found by its type and key)."""
    return [line for line in lines if not (json.loads(line)["type"] == record_type
                                          and json.loads(line).get("key") == key)]


def _claim_key(claim) -> list:
    return [claim.source.raw_sha256, claim.start, claim.end, claim.kind]


def test_a_reference_to_a_claim_is_to_that_source_and_that_span_only(user):
    """A claim is found by its source, start, end and kind: not by a claim at the same
    offsets in another source, nor one starting at the same place in the same source."""
    a = source_import(name="a.txt", raw=b"Opened in 2010.", user=user)
    b = source_import(name="b.txt", raw=b"Opened in 2011, or on 4 May 2011.", user=user)
    c = source_import(name="c.txt", raw=b"Opened on 4 May.", user=user)

    def tag(source, exact, start):
        return claim_create(source=source, start=start, end=start + len(exact), exact=exact, kind="date", user=user)

    a_year, b_year = tag(a, "2010", 10), tag(b, "2011", 10)  # the same offsets in two sources
    tag(b, "4 May", 22)
    b_date, c_day = tag(b, "4 May 2011", 22), tag(c, "4 May", 10)  # the same start in one source
    contradiction_flag(claims=[a_year, b_year], user=user)
    contradiction_flag(claims=[b_date, c_day], user=user)
    lines = list(archive_lines())
    for missing in (b_year, b_date):
        wipe()
        with pytest.raises(WorkbenchError, match="refers to a claim .* it does not contain"):
            archive_import(_without(lines, "claim", _claim_key(missing)))
        assert not Source.objects.exists()
    archive_import(lines)
    assert {tuple(sorted(c.exact for c in x.claims.all())) for x in Contradiction.objects.all()} == {
        ("2010", "2011"), ("4 May", "4 May 2011")}


@pytest.mark.parametrize("differing", ["subject", "property"])
def test_a_reference_to_a_fact_is_to_that_subject_and_property(user, differing):
    """Facts are found by subject, property, value and time together: two facts with the
    same value settled at the same moment about two points are two facts."""
    claims = [claim_create(source=source_import(name=f"{year}.txt", raw=f"Opened in {year}.".encode(), user=user),
                           start=10, end=14, exact=str(year), kind="date", user=user) for year in (2010, 2011)]
    facts = []
    for n in range(2):
        settled = Contradiction.objects.create(kind="date", explanation=f"point {n}")
        settled.claims.set(claims)
        facts.append(fact_reconcile(
            contradiction=settled, user=user, value_text="2010", status="reconciled", rationale="R.",
            stances={claims[0].pk: "supports", claims[1].pk: "refutes"},
            subject=f"bridge {n}" if differing == "subject" else "the bridge",
            property=f"opened, phase {n}" if differing == "property" else "opened"))
    Fact.objects.update(reconciled_at=facts[0].reconciled_at)  # settled at the same moment
    second = Fact.objects.get(pk=facts[1].pk)
    lines = _without(list(archive_lines()), "fact", [second.subject, second.property, second.value_text,
                                                     second.reconciled_at.isoformat()])
    wipe()
    with pytest.raises(WorkbenchError, match="refers to a fact .* it does not contain"):
        archive_import(lines)
    assert not Fact.objects.exists()
