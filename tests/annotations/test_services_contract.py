"""The services' refusals word for word, what they record as whose, and the corners a mutation
run of annotations/services.py found untested (issue 15)."""
import numpy as np
import pytest

from annotations import services
from annotations.embedding import from_bytes
from annotations.errors import DuplicateError, NotAllowed, WorkbenchError
from annotations.models import Claim, Contradiction, Correction, ImportBatch, Reanchoring
from annotations.services import (
    claim_set_status,
    claim_set_status_undo,
    contradiction_attach,
    contradiction_flag,
    contradiction_set_status,
    fact_reconcile,
    fact_update,
    last_change_id,
    reanchoring_place,
    source_reimport,
    source_revise,
)

from ..conftest import with_role


# --- who may, in words ------------------------------------------------------------------------


def test_a_reviewer_is_told_whose_contradiction_they_cannot_change(pair, user, other_user):
    flagged = contradiction_flag(claims=pair, user=user)
    with pytest.raises(NotAllowed) as refused:
        contradiction_set_status(contradiction=flagged, status="dismissed", user=other_user)
    assert str(refused.value) == "Only a lead can change a contradiction rita flagged."
    candidate = Contradiction.objects.create(kind="date", explanation="two years")
    candidate.claims.set(pair)
    contradiction_set_status(contradiction=candidate, status="confirmed", user=user)
    with pytest.raises(NotAllowed) as refused:
        contradiction_set_status(contradiction=candidate, status="dismissed", user=other_user)
    assert str(refused.value) == "Only a lead can change a contradiction rita confirmed."


def test_a_reviewer_is_told_only_a_lead_edits_or_extends_a_fact(fact, other_user, pair, user):
    with pytest.raises(NotAllowed) as refused:
        fact_update(fact=fact, user=other_user, version=fact.version, value_text="x", status="reconciled",
                    rationale="y", subject="z")
    assert str(refused.value) == "Only a lead can edit a fact."
    another = contradiction_flag(claims=pair, user=user)
    with pytest.raises(NotAllowed) as refused:
        contradiction_attach(contradiction=another, fact=fact, stances={}, user=other_user, version=fact.version)
    assert str(refused.value) == "Only a lead can attach a contradiction to a fact."


def test_attaching_a_contradiction_is_recorded_as_the_leads(fact, pair, user, lead_user):
    another = contradiction_flag(claims=pair, user=user)
    attached = contradiction_attach(contradiction=another, fact=fact, user=lead_user, version=fact.version,
                                    stances={pair[0].pk: "refutes", pair[1].pk: "refutes"})
    assert attached.version == fact.version + 1
    assert attached.history.latest().history_user == lead_user


def test_undoing_a_status_change_that_changed_nothing_says_so(make_source, make_claim, user):
    claim = make_claim(make_source("Opened in 2010."), "2010")
    claim_set_status(claim=claim, status="confirmed", user=user)  # it was confirmed already
    with pytest.raises(WorkbenchError) as refused:
        claim_set_status_undo(record_id=last_change_id(Claim, claim.pk), user=user)
    assert str(refused.value) == "That change did not change the claim's status; nothing to undo."


def test_an_import_of_no_files_is_refused_in_words(user):
    with pytest.raises(WorkbenchError) as refused:
        services.import_batch_create(files=[], user=user)
    assert str(refused.value) == "Choose at least one file."
    assert ImportBatch.objects.count() == 0


# --- background work ---------------------------------------------------------------------------


def test_claims_without_embeddings_are_embedded_in_batches_with_progress(make_source, make_claim, monkeypatch):
    source = make_source("In 2001, 2002, 2003, 2004 and 2005.")
    claims = [make_claim(source, str(year)) for year in range(2001, 2006)]
    Claim.objects.update(embedding=None)
    monkeypatch.setattr(services, "EMBED_BATCH", 2)
    progress = []
    assert services.claims_embed_missing(progress=lambda done, total: progress.append((done, total))) == 5
    assert progress == [(2, 5), (4, 5), (5, 5)]
    for claim in claims:
        claim.refresh_from_db()
        vector = from_bytes(claim.embedding)
        assert vector.shape == (384,) and np.isclose(np.linalg.norm(vector), 1.0, atol=1e-3)
    assert services.claims_embed_missing() == 0


def test_a_failed_import_says_why_and_when_it_ended(user, monkeypatch):
    def broken(batch):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_import_batch_files", broken)
    batch = ImportBatch.objects.create(created_by=user, total=1)
    with pytest.raises(RuntimeError):
        services.import_batch_process(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.error) == ("failed", "RuntimeError: disk full")
    assert batch.finished_at is not None and batch.finished_at >= batch.started_at


# --- re-imports and versions -----------------------------------------------------------------


MISREAD = "Zürich opened the bridge in 2011."


def test_a_reimport_is_refused_naming_each_kind_of_reviewed_work(make_claim, user, lead_user):
    source = services.source_import(name="zurich.txt", raw=MISREAD.encode("cp437"))
    text = source.text
    claim = make_claim(source, "2011")
    other = make_claim(services.source_import(name="b.txt", raw=b"Opened in 2012."), "2012")
    flagged = contradiction_flag(claims=[claim, other], user=user)
    fact_reconcile(contradiction=flagged, user=lead_user, value_text="2011", status="reconciled",
                   rationale="The plaque.", stances={claim.pk: "supports", other.pk: "refutes"})
    with pytest.raises(WorkbenchError) as refused:
        source_reimport(source=source, raw=MISREAD.encode("cp437"), encoding="cp437", user=user)
    assert ("(1 claim tagged, confirmed or rejected by a reviewer; 1 contradiction flagged or judged; "
            "1 piece of evidence for a fact)") in str(refused.value)
    source.refresh_from_db()
    assert source.text == text


def test_a_reimport_with_the_right_encoding_reads_the_text_and_its_title_again(user):
    raw = ("Zürich bridge report\n\n" + MISREAD).encode("cp437")
    source = services.source_import(name="zurich.txt", raw=raw, encoding="latin-1")
    assert "Zürich" not in source.text
    guessed_title = source.title
    source_reimport(source=source, raw=raw, encoding="cp437", user=user)
    source.refresh_from_db()
    assert source.text.startswith("Zürich bridge report") and source.encoding == "cp437"
    assert source.title != guessed_title and "Zürich" in source.title


def test_a_new_version_is_decoded_with_the_encoding_given(make_source, user):
    old = make_source("Zurich opened the bridge in 2010.", name="zurich.txt")
    revision = source_revise(source=old, raw=MISREAD.encode("cp437"), user=user, encoding="cp437")
    assert revision.source.text == MISREAD


OLD = "Aid agencies pledged $1.5 million for repairs.\nThe council met on Tuesday.\n"
NEW = "The council met on Tuesday.\nDonors later promised $2 million in all.\n"


@pytest.fixture
def orphan(make_source, make_claim, user):
    pledge = make_claim(make_source(OLD, name="aid.txt"), "$1.5 million", kind="money")
    revision = source_revise(source=pledge.source, raw=NEW.encode(), user=user)
    step = Reanchoring.objects.get(old_claim=pledge)
    assert step.outcome == "orphaned"
    return step, revision.source


def test_an_orphan_placed_on_another_value_is_a_correction_of_the_new_version(orphan, user):
    step, version = orphan
    start = NEW.index("$2 million")
    placed = reanchoring_place(reanchoring=step, start=start, end=start + 10, exact="$2 million", user=user)
    (correction,) = Correction.objects.all()
    assert correction.revision == version and correction.new_claim == placed.new_claim
    assert correction.old_value["low"] <= 1_500_000 <= correction.old_value["high"] < 2_000_000
    assert correction.new_value["low"] <= 2_000_000 <= correction.new_value["high"]


def test_an_orphan_may_be_placed_where_a_claim_of_its_kind_starts_but_not_on_one(orphan, make_claim, user):
    step, version = orphan
    start = NEW.index("$2 million")
    make_claim(version, "$2 million in all", kind="money")
    placed = reanchoring_place(reanchoring=step, start=start, end=start + 10, exact="$2 million", user=user)
    assert placed.outcome == "placed"
    step.outcome, step.new_claim = "orphaned", None
    step.save()
    with pytest.raises(DuplicateError):
        reanchoring_place(reanchoring=step, start=start, end=start + 10, exact="$2 million", user=user)


def test_an_empty_span_is_not_inside_the_text(orphan, user):
    step, _ = orphan
    with pytest.raises(WorkbenchError, match="The span 5–5 is not inside the new version's text"):
        reanchoring_place(reanchoring=step, start=5, end=5, exact="", user=user)


# --- flagging and detection ---------------------------------------------------------------------


def test_a_contradiction_flagged_by_hand_is_confirmed_by_its_flagger(pair, other_user):
    flagged = contradiction_flag(claims=pair, user=other_user)
    assert (flagged.status, flagged.flagged_by, flagged.confirmed_by) == ("confirmed", other_user, other_user)


def test_a_fact_without_a_stance_for_each_claim_names_the_missing_ones(pair, user, lead_user):
    flagged = contradiction_flag(claims=pair, user=user)
    with pytest.raises(WorkbenchError) as refused:
        fact_reconcile(contradiction=flagged, user=lead_user, value_text="2010", status="reconciled",
                       rationale="The plaque.", stances={pair[0].pk: "supports"})
    assert str(refused.value) == f"To reconcile, give a stance for every claim (missing: #{pair[1].pk})."


def test_a_candidate_found_again_is_the_same_contradiction(make_source):
    a = make_source("Julian Assange was granted asylum by Ecuador in November 2012.")
    b = make_source("Julian Assange was granted asylum by Ecuador on August 16, 2012.")
    services.claims_suggest(sources=[a, b])
    Contradiction.objects.all().delete()  # as if found by an earlier run, then found again below
    first = services.contradictions_detect()
    assert len(first) == 1
    again = services.contradictions_detect()
    assert [c.pk for c, _ in again] == [c.pk for c, _ in first] and Contradiction.objects.count() == 1


def test_a_new_version_with_the_same_text_is_refused_naming_the_file(make_source, user):
    old = make_source("Opened in 2010.\n")
    with pytest.raises(WorkbenchError) as refused:
        source_revise(source=old, raw=b"Opened in 2010.\r\n", user=user)
    assert refused.value.field == "file" and "nothing changed" in str(refused.value)


def test_a_refusal_of_the_whole_object_is_said_without_a_field_name(make_source):
    source = make_source("Opened in 2010.")
    with pytest.raises(WorkbenchError) as refused:
        services._validated(Claim(source=source, start=3, end=2, exact="x", kind="date"))
    assert str(refused.value).startswith("The span 3–2 is outside the text of")
    assert refused.value.field is None


def test_suggested_claims_keep_the_quote_context_around_them(make_source):
    source = make_source("Julian Assange was granted asylum by Ecuador in November 2012.")
    services.claims_suggest(sources=[source])
    claim = Claim.objects.get(exact="November 2012")
    assert claim.prefix.endswith("by Ecuador in ") and claim.suffix == "."
