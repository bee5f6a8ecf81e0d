"""Background tasks (django-tasks; the database backend by default, run by `manage.py db_worker`)."""
from django_tasks import task


@task()
def import_batch_run(batch_id: int) -> dict:
    """Import an uploaded batch of files; the batch row carries progress and any error."""
    from .services import import_batch_process

    batch = import_batch_process(batch_id=batch_id)
    return {"batch": batch.pk, "processed": batch.processed, "analysed": batch.analysed,
            "suggested": batch.suggested, "candidates": batch.candidates}


@task()
def claim_describe_run(claim_id: int, fill_property: bool = True) -> bool:
    """Add spaCy's reading (matching context, embedding, property if empty) to a claim."""
    from .services import claim_describe

    return claim_describe(claim_id=claim_id, fill_property=fill_property) is not None
