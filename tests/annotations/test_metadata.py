import datetime

from annotations.metadata import guess_metadata
from annotations.management.commands.load_seeds import SEEDS_DIR


def seed_text(prefix: str) -> str:
    return next(SEEDS_DIR.glob(f"{prefix}_*.txt")).read_text()


def test_ngo_brief_date_comes_from_last_updated_line():
    assert guess_metadata(seed_text("002")).published_on == datetime.date(2025, 12, 5)


def test_news_headline_date_and_publisher_are_derived():
    meta = guess_metadata(seed_text("003"))
    assert meta.title == "United States says it sees Ecuador as a strategic partner against organized crime"
    assert meta.published_on == datetime.date(2022, 11, 21)
    assert meta.publisher == "The Cuenca Dispatch"
    assert meta.kind == "news"


def test_encyclopedia_and_machine_summary_kinds_are_recognised():
    assert guess_metadata(seed_text("001")).kind == "encyclopedia"
    assert guess_metadata(seed_text("004")).kind == "machine_summary"


def test_text_without_a_headline_gets_its_first_sentence_shortened():
    meta = guess_metadata("\n" + "word " * 40 + ". Second sentence.")
    assert meta.title.endswith("…") and len(meta.title) <= 90
    assert meta.published_on is None
