"""Benchmarks (run as ``python -m bench``); shared steps live here."""


def import_and_read(named_texts: list[tuple[str, str]], *, chunk: int) -> tuple[list, int]:
    """The import path of ``import_sources``: a chunk of files saved in one bulk insert, read
    by spaCy, its suggestions saved in bulk; then the next chunk. Returns the new sources and
    the number of suggested claims."""
    from annotations.services import claims_suggest, sources_import_many

    sources, claims = [], 0
    for first in range(0, len(named_texts), chunk):
        outcomes = sources_import_many(
            files=[(name, text.encode()) for name, text in named_texts[first:first + chunk]])
        new = [o.source for o in outcomes if o.source]
        claims += claims_suggest(sources=new)
        sources.extend(new)
    return sources, claims
