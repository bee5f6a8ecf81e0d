"""import_archive checks every record as the app checks what a reviewer enters, and refuses
the whole archive, naming the line and the field, with the database left as it was."""
import json

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations.archive import archive_import, archive_lines
from annotations.errors import WorkbenchError
from annotations.models import Claim, Contradiction, Evidence, Fact, Source
from annotations.services import contradiction_flag, fact_reconcile


@pytest.fixture
def records(make_source, make_claim, user):
    """A small archive (as records), and a database holding only its users."""
    a = make_source("Asylum was offered in November 2012 by Ecuador, in London.", name="a.txt")
    b = make_source("Asylum was granted on August 16, 2012 by Ecuador.", name="b.txt")
    nov, aug = make_claim(a, "November 2012"), make_claim(b, "August 16, 2012")
    make_claim(a, "London", kind="entity")
    flagged = contradiction_flag(claims=[nov, aug], user=user, note="Which date?")
    fact_reconcile(contradiction=flagged, user=user, value_text="16 August 2012", status="reconciled",
                   rationale="Announced that day.", stances={nov.pk: "refutes", aug.pk: "supports"},
                   subject="Julian Assange")
    lines = [json.loads(line) for line in archive_lines()]
    Contradiction.objects.all().delete()
    Evidence.objects.all().delete()
    Fact.objects.all().delete()
    Claim.objects.all().delete()
    Source.objects.all().delete()
    return lines


def counts() -> dict:
    """How many rows every model has, history included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def first(records, record_type) -> tuple[int, dict]:
    """The line number and the record of the first record of a type."""
    return next((n, r) for n, r in enumerate(records, 1) if r["type"] == record_type)


def refused(records, *patterns) -> str:
    lines = [line if isinstance(line, str) else json.dumps(line) + "\n" for line in records]
    before = counts()
    with pytest.raises(WorkbenchError) as info:
        archive_import(lines)
    assert counts() == before
    message = str(info.value)
    for pattern in patterns:
        assert pattern in message, message
    return message


def test_the_untouched_archive_loads(records):
    archive_import([json.dumps(r) + "\n" for r in records])
    assert Evidence.objects.count() == 2 and Contradiction.objects.count() == 1


@pytest.mark.parametrize("stance", ["EVIL" * 1000, {"x": 1}, 1])
def test_an_unknown_stance_is_refused(records, stance):
    number, evidence = first(records, "evidence")
    evidence["stance"] = stance
    refused(records, f"Line {number} (evidence): stance: ", "is not one of supports, refutes")


def test_a_missing_stance_is_refused(records):
    number, evidence = first(records, "evidence")
    del evidence["stance"]
    refused(records, f"Line {number} (evidence): stance: ", "blank")


def test_a_long_bad_value_is_shortened_in_the_message(records):
    number, evidence = first(records, "evidence")
    evidence["stance"] = "EVIL" * 1000
    assert len(refused(records, "“EVILEVIL")) < 300


def test_source_text_with_nul_is_refused(records):
    number, source = first(records, "source")
    source["text"] += "\x00"
    refused(records, f"Line {number} (source): text: ", "NUL")


def test_source_text_with_control_characters_is_refused(records):
    number, source = first(records, "source")
    source["text"] += "\x01\x02\x1b" * 10
    refused(records, f"Line {number} (source): text: ", "control characters")


def test_source_text_over_the_import_limit_is_refused(records):
    number, source = first(records, "source")
    records.insert(number, dict(source, key="f" * 64, text="a" * (settings.WORKBENCH_MAX_SOURCE_BYTES + 1)))
    limit = settings.WORKBENCH_MAX_SOURCE_BYTES
    refused(records, f"Line {number + 1} (source): text: it is {limit + 1:,} characters, over the limit of "
                     f"{limit:,} bytes for an imported file (WORKBENCH_MAX_SOURCE_BYTES).")


def test_source_text_of_white_space_is_refused(records):
    number, source = first(records, "source")
    records.insert(number, dict(source, key="e" * 64, text=" \n\t "))
    refused(records, f"Line {number + 1} (source): text: ")


@pytest.mark.parametrize("text", [["x"], {"text": "x"}, 12])
def test_source_text_that_is_not_a_string_is_refused(records, text):
    number, source = first(records, "source")
    source["text"] = text
    refused(records, f"Line {number} (source): text: ", "is not text")


@pytest.mark.parametrize(("username", "says"), [
    ("", "This field cannot be blank"), ("x" * 5000, "Ensure this value has at most 150 characters (it has 5000)"),
    ("no spaces please", "Enter a valid username"), (42, "42 is not text"),
])
def test_bad_user_names_are_refused(records, username, says):
    number, _ = first(records, "user")
    records.insert(number, {"type": "user", "username": username})
    refused(records, f"Line {number + 1} (user): username: {says}")


def test_a_bad_email_is_refused(records):
    number, _ = first(records, "user")
    records.insert(number, {"type": "user", "username": "newcomer", "email": "not an address"})
    refused(records, f"Line {number + 1} (user): email: ")


def test_a_contradiction_within_one_source_is_refused(records):
    number, contradiction = first(records, "contradiction")
    a_sha = next(r["key"] for r in records if r["type"] == "source" and r["origin"] == "a.txt")
    a_claims = [r["key"] for r in records if r["type"] == "claim" and r["key"][0] == a_sha]
    assert len(a_claims) == 2
    contradiction["key"] = sorted(a_claims)
    contradiction["fact"], contradiction["status"] = None, "confirmed"
    refused(records, f"Line {number} (contradiction): ", "at least two different sources")


def test_a_contradiction_of_one_claim_is_refused(records):
    number, contradiction = first(records, "contradiction")
    contradiction["key"] = contradiction["key"][:1]
    refused(records, f"Line {number} (contradiction): ", "at least two claims")


@pytest.mark.parametrize("record_type", ["source", "claim", "fact", "contradiction"])
def test_a_created_at_that_is_not_a_date_is_refused(records, record_type):
    number, record = first(records, record_type)
    record["created_at"] = "not a date"
    refused(records, f"Line {number} ({record_type}): created_at: ")


def test_a_published_on_that_is_not_a_date_is_refused(records):
    number, source = first(records, "source")
    source["published_on"] = "someday"
    refused(records, f"Line {number} (source): published_on: “someday” value has an invalid date format.")


def test_a_claim_whose_quote_is_not_the_text_there_is_refused(records):
    number, claim = first(records, "claim")
    claim["exact"] = "December 2012"
    refused(records, f"Line {number} (claim): ", "does not match the source")


@pytest.mark.parametrize(("field", "value"), [("kind", "rumour"), ("status", "maybe"), ("origin", 7)])
def test_a_claim_with_an_unknown_choice_is_refused(records, field, value):
    number, claim = first(records, "claim")
    if field == "kind":
        claim["key"][3] = value
    else:
        claim[field] = value
    refused(records, f"Line {number} (claim): {field}: ")


@pytest.mark.parametrize("value", [["a list"], "text", 3])
def test_a_claim_value_that_is_not_an_object_is_refused(records, value):
    number, claim = first(records, "claim")
    claim["value"] = value
    refused(records, f"Line {number} (claim): value: ")


@pytest.mark.parametrize("write", [str, float])
def test_a_claim_offset_that_is_not_a_whole_number_is_refused(records, write):
    number, claim = first(records, "claim")
    claim["key"][1] = write(claim["key"][1])  # the right offset, as text or as 22.0
    refused(records, f"Line {number} (claim): start: ", "is not a whole number")


def test_a_score_outside_zero_to_one_is_refused(records):
    number, contradiction = first(records, "contradiction")
    contradiction["score"] = 7
    refused(records, f"Line {number} (contradiction): ")


def test_deeply_nested_json_is_refused(records):
    number, _ = first(records, "claim")
    nested = '{"type": "claim", "value": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
    lines = [json.dumps(r) + "\n" for r in records]
    lines.insert(number - 1, nested)
    refused(lines, f"Line {number}", "nested too deeply")


def test_a_record_matching_existing_data_is_checked_too(records):
    archive_import([json.dumps(r) + "\n" for r in records])
    number, evidence = first(records, "evidence")
    evidence["stance"] = "EVIL"
    refused(records, f"Line {number} (evidence): stance: ")


def test_the_command_says_which_line_and_changes_nothing(records, tmp_path):
    number, evidence = first(records, "evidence")
    evidence["stance"] = "EVIL"
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    before = counts()
    with pytest.raises(CommandError, match=rf"Line {number} \(evidence\): stance: .*Nothing was imported"):
        call_command("import_archive", str(path))
    assert counts() == before


def test_a_malformed_reference_names_its_field(records):
    number, evidence = first(records, "evidence")
    evidence["claim"] = "the first one"
    refused(records, f"Line {number} (evidence): claim: ", "is not a claim's key")


def test_a_reference_to_an_unknown_user_is_refused(records):
    number, claim = first(records, "claim")
    claim["created_by"] = "ghost"
    refused(records, f"Line {number} (claim): created_by: ", "“ghost”")


def test_a_fact_without_a_rationale_is_refused(records):
    number, fact = first(records, "fact")
    fact["rationale"] = "   "
    refused(records, f"Line {number} (fact): ", "Give a rationale")


def test_an_unknown_user_who_flagged_a_contradiction_names_that_field(records):
    number, contradiction = first(records, "contradiction")
    contradiction["flagged_by"] = "ghost"
    refused(records, f"Line {number} (contradiction): flagged_by: ", "“ghost”")


def test_values_in_messages_are_cut_at_their_limit_and_keep_their_letters():
    from annotations.archive import _cut, _short
    assert _cut("x" * 40) == "x" * 40  # at the limit: whole
    assert _cut("x" * 41) == "x" * 39 + "…"
    assert _cut({"name": "Conceição"}) == '{"name": "Conceição"}'  # not \\u00e7\\u00e3o
    assert _short("y" * 58) == '"' + "y" * 58 + '"'  # 60 characters with its quotes: whole
    assert _short("y" * 59) == '"' + "y" * 56 + "…"
    assert _short(["Zambézia"]) == '["Zambézia"]'


def test_a_validation_errors_messages_are_joined_and_their_values_cut():
    from django.core.exceptions import ValidationError

    from annotations.archive import _described, _rendered
    assert _described(ValidationError(["Too long.", "Not a date."])) == "Too long. Not a date."
    assert _described(ValidationError({"stance": ["Bad."], "__all__": ["Whole record."]})) == "stance: Bad. Whole record."
    error = ValidationError("“%(value)s” is not valid.", code="invalid", params={"value": "v" * 100})
    assert _rendered(Claim, "exact", error) == "“" + "v" * 39 + "…” is not valid."
    assert _rendered(Claim, "exact", ValidationError("Plain 100%.")) == "Plain 100%."  # no params: as written


def test_the_import_report_says_what_was_created_and_what_was_there():
    from annotations.archive import ImportReport
    report = ImportReport()
    assert report.summary() == "Created: nothing. Already present: nothing. Conflicts: 0."
    report.count("created", "source")
    report.count("created", "claim")
    report.count("created", "claim")
    report.count("unchanged", "user")
    report.conflicts.append("claim 3: exact differs")
    assert report.summary() == "Created: 2 claim, 1 source. Already present: 1 user. Conflicts: 1."


def test_an_unknown_user_who_confirmed_a_contradiction_names_that_field(records):
    number, contradiction = first(records, "contradiction")
    contradiction["confirmed_by"] = "ghost"
    refused(records, f"Line {number} (contradiction): confirmed_by: ", "“ghost”")


def test_a_contradictions_malformed_fact_reference_names_that_field(records):
    number, contradiction = first(records, "contradiction")
    contradiction["fact"] = "the asylum date"
    refused(records, f"Line {number} (contradiction): fact: ", "is not a fact's key")


def test_the_report_counts_what_a_first_import_created(records):
    report = archive_import([json.dumps(r) + "\n" for r in records])
    assert report.created["contradiction"] == 1 and report.created["fact"] == 1
    assert report.created["claim"] == 3 and report.created["source"] == 2
    assert "contradiction" not in report.unchanged


# --- from the sampled mutation run of 2026-11-24 (issue 15) ---------------------------------


def test_a_malformed_key_is_named_as_the_key(records):
    number, fact = first(records, "fact")
    fact["key"] = "not a list"
    refused(records, f"Line {number} (fact): key: ", "is not a key of this archive's format")


def test_source_text_exactly_at_the_import_limit_is_accepted(records, settings):
    _, source = first(records, "source")
    settings.WORKBENCH_MAX_SOURCE_BYTES = len(source["text"])
    archive_import([json.dumps(r) + "\n" for r in records])
    assert Source.objects.filter(text=source["text"]).exists()


def test_a_malformed_fact_reference_names_its_field(records):
    number, evidence = first(records, "evidence")
    evidence["fact"] = "the asylum date"
    refused(records, f"Line {number} (evidence): fact: ", "is not a fact's key")


def test_an_unknown_reviewer_of_a_fact_names_that_field(records):
    number, fact = first(records, "fact")
    fact["reviewer"] = "ghost"
    refused(records, f"Line {number} (fact): reviewer: ", "“ghost”")


def test_a_fact_key_of_the_wrong_length_is_named_as_the_key(records):
    number, fact = first(records, "fact")
    fact["key"] = fact["key"][:3]
    refused(records, f"Line {number} (fact): key: ", "is not a fact's key")


def test_the_archive_is_utf8_text_and_carries_emails_only_when_asked(make_source, user):
    user.email, user.first_name = "rita@example.org", "Rita"
    user.save()
    make_source("Ricardo Patiño announced it in Quito.", name="quito.txt")
    plain = "".join(archive_lines())
    assert "Patiño" in plain and "\\u00f1" not in plain  # readable as it is, not escaped
    assert "rita@example.org" not in plain
    [line] = [json.loads(x) for x in archive_lines(with_emails=True) if '"type": "user"' in x]
    assert (line["email"], line["first_name"]) == ("rita@example.org", "Rita")


def test_blank_lines_in_an_archive_are_skipped_not_the_end_of_it(records):
    lines = [json.dumps(r) + "\n" for r in records]
    lines.insert(2, "\n")
    lines.insert(5, "   \n")
    archive_import(lines)
    assert Fact.objects.count() == 1 and Contradiction.objects.count() == 1 and Claim.objects.count() == 3
