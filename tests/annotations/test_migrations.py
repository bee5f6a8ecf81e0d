"""Migration 0011: measures get a claim kind of their own, forwards and back."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("annotations", "0010_source_encoding")]
AFTER = [("annotations", "0011_claim_property_embedding_measure")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest():
    """Leave the database at the latest migrations, whatever the test went back to: a later
    test (the live server's) would otherwise meet tables without the newer columns."""
    yield
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest")
def test_measures_and_their_contradictions_move_to_the_measure_kind_and_back():
    apps = migrate(BEFORE)
    Source = apps.get_model("annotations", "Source")
    Claim = apps.get_model("annotations", "Claim")
    Contradiction = apps.get_model("annotations", "Contradiction")
    source = Source.objects.create(title="t", text="The bridge is 30 miles long and 48 km wide; 57 died.", origin="x")
    miles = Claim.objects.create(source=source, start=14, end=22, exact="30 miles", kind="other",
                                 value={"type": "measure"})
    km = Claim.objects.create(source=source, start=32, end=37, exact="48 km", kind="other",
                              value={"type": "measure"})
    deaths = Claim.objects.create(source=source, start=44, end=46, exact="57", kind="other", value={})
    measures = Contradiction.objects.create(kind="other")
    measures.claims.set([miles, km])
    mixed = Contradiction.objects.create(kind="other")
    mixed.claims.set([miles, deaths])

    apps = migrate(AFTER)
    Claim = apps.get_model("annotations", "Claim")
    Contradiction = apps.get_model("annotations", "Contradiction")
    assert {c.exact: c.kind for c in Claim.objects.all()} == {"30 miles": "measure", "48 km": "measure", "57": "other"}
    assert Contradiction.objects.get(pk=measures.pk).kind == "measure"
    assert Contradiction.objects.get(pk=mixed.pk).kind == "other"
    # Since 0011 one span may be tagged both "measure" and "other": going back keeps that one.
    Claim.objects.create(source_id=source.pk, start=32, end=37, exact="48 km", kind="other", value={})

    apps = migrate(BEFORE)
    Claim = apps.get_model("annotations", "Claim")
    Contradiction = apps.get_model("annotations", "Contradiction")
    assert sorted((c.exact, c.kind) for c in Claim.objects.all()) == [
        ("30 miles", "other"), ("48 km", "measure"), ("48 km", "other"), ("57", "other")]
    assert set(Contradiction.objects.values_list("kind", flat=True)) == {"other"}
