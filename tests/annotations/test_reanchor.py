"""Re-anchoring claims in a source's new version (annotations/reanchor.py): pure functions
on strings, no database."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.reanchor import Outcome, quote_context, reanchor

STORY = (
    "Officials said the death toll rose to 190 on Monday, in the worst flooding since 2019.\n"
    "The river crested at 7 metres in the town of Brenn, where 2019 had also brought floods.\n"
    "Aid agencies pledged $1.5 million for repairs, and the council met on Tuesday.\n"
)


def place(old: str, new: str, quote: str, occurrence: int = 0):
    start = -1
    for _ in range(occurrence + 1):
        start = old.index(quote, start + 1)
    return reanchor(old, new, [(start, start + len(quote))])[0]


def test_a_claim_whose_text_is_unchanged_moves_exactly_with_the_text_before_it():
    new = "A new first paragraph, added in the update.\n" + STORY
    placed = place(STORY, new, "190")
    assert placed.outcome == Outcome.EXACT
    assert (placed.start, placed.end) == (new.index("190"), new.index("190") + 3)


def test_a_corrected_value_is_moved_with_changes_to_the_new_value():
    new = STORY.replace("rose to 190 on", "rose to 220 on")
    placed = place(STORY, new, "190")
    assert placed.outcome == Outcome.CHANGED
    assert placed.exact == "220" and new[placed.start:placed.end] == "220"


def test_a_corrected_amount_of_another_length_takes_the_whole_new_amount():
    new = STORY.replace("$1.5 million", "$12 million")
    placed = place(STORY, new, "$1.5 million")
    assert (placed.outcome, placed.exact) == (Outcome.CHANGED, "$12 million")


def test_a_claim_whose_sentence_was_deleted_is_orphaned():
    new = STORY.replace("Aid agencies pledged $1.5 million for repairs, and the council met on Tuesday.\n", "")
    placed = place(STORY, new, "$1.5 million")
    assert placed.outcome == Outcome.ORPHANED and placed.start is None


def test_a_short_quote_whose_sentence_was_rewritten_is_orphaned_not_put_on_another_occurrence():
    # "2019" still occurs in the new text, in the second sentence; the first one's is gone.
    new = STORY.replace("in the worst flooding since 2019.", "in floods unseen for a generation.")
    placed = place(STORY, new, "2019")
    assert placed.outcome == Outcome.ORPHANED
    # The second "2019" still lands on its own place.
    second = place(STORY, new, "2019", occurrence=1)
    assert second.outcome == Outcome.EXACT and second.start == new.index("2019")


def test_a_short_quote_in_a_paragraph_copied_elsewhere_stays_on_the_original():
    lines = STORY.splitlines(keepends=True)
    new = "".join([lines[0], lines[1], lines[2], "Background.\n", lines[0]])
    placed = place(STORY, new, "2019")
    assert placed.outcome == Outcome.EXACT and placed.start == STORY.index("2019")


def test_a_claim_in_a_moved_paragraph_follows_it():
    lines = STORY.splitlines(keepends=True)
    new = lines[1] + lines[2] + lines[0]
    placed = place(STORY, new, "190")
    assert placed.outcome == Outcome.EXACT and new[placed.start:placed.end] == "190"
    assert placed.start == len(lines[1]) + len(lines[2]) + lines[0].index("190")


def test_a_claim_in_a_moved_paragraph_whose_value_changed_is_moved_with_changes():
    lines = STORY.splitlines(keepends=True)
    new = lines[1] + lines[2] + lines[0].replace("190", "220")
    placed = place(STORY, new, "190")
    assert (placed.outcome, placed.exact) == (Outcome.CHANGED, "220")


def test_quote_marks_and_spaces_changed_inside_a_quote_are_a_change_not_a_loss():
    old = 'The minister spoke of a "case-by-case" review of each file.\n'
    new = "The minister spoke of a “case-by-case”  review of each file.\n"
    placed = place(old, new, '"case-by-case"')
    assert (placed.outcome, placed.exact) == (Outcome.CHANGED, "“case-by-case”")


def test_a_paragraph_the_old_text_had_twice_with_one_copy_deleted_orphans_nothing_wrongly():
    para = "Residents described the works as long and noisy, in 2019.\n"
    intro, middle = "The bridge opened to traffic in the spring.\n", "Its cost was met by the regional government.\n"
    old = intro + para + middle + para + "Closing words.\n"
    new = intro + para + middle + "Closing words.\n"
    first, second = (reanchor(old, new, [(at, at + 4)])[0]
                     for at in (old.index("2019"), old.rindex("2019")))
    # The first copy keeps its surroundings; the second's are gone, and it must not take
    # the first's place.
    assert first.outcome == Outcome.EXACT and first.start == new.index("2019")
    assert second.outcome == Outcome.ORPHANED


# Property: random edits; a claim whose quote and context survive, once in each text,
# lands exactly where they went.
WORDS = ["the", "toll", "rose", "to", "190", "2019", "on", "Monday", "river", "Brenn", "said",
         "officials", "aid", "$1.5", "million", "council", "met", "in", "floods", "7"]


@st.composite
def versions(draw):
    paragraphs = draw(st.lists(st.lists(st.sampled_from(WORDS), min_size=3, max_size=14),
                               min_size=2, max_size=8))
    old = "".join(" ".join(words) + ".\n" for words in paragraphs)
    chars = [(ch, i) for i, ch in enumerate(old)]
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["insert", "delete", "move", "value"]))
        if kind == "insert":
            at = draw(st.integers(0, len(chars)))
            text = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))) + " "
            chars[at:at] = [(ch, None) for ch in text]
        elif kind == "delete" and chars:
            at = draw(st.integers(0, len(chars) - 1))
            del chars[at:at + draw(st.integers(1, 30))]
        elif kind == "move":
            text = "".join(ch for ch, _ in chars)
            lines, at = [], 0
            for line in text.splitlines(keepends=True):
                lines.append(chars[at:at + len(line)])
                at += len(line)
            if len(lines) > 1:
                line = lines.pop(draw(st.integers(0, len(lines) - 1)))
                lines.insert(draw(st.integers(0, len(lines))), line)
                chars = [c for line in lines for c in line]
        else:
            digits = [k for k, (ch, _) in enumerate(chars) if ch.isdigit()]
            if digits:
                k = draw(st.sampled_from(digits))
                chars[k] = (str((int(chars[k][0]) + 1) % 10), None)
    new = "".join(ch for ch, _ in chars)
    where = {origin: position for position, (_, origin) in enumerate(chars) if origin is not None}
    starts = [i for i in range(len(old)) if old[i] != " " and (i == 0 or old[i - 1] in " \n")]
    spans = []
    for start in draw(st.lists(st.sampled_from(starts), min_size=1, max_size=6, unique=True)):
        end = old.find(" ", start, start + draw(st.integers(1, 20)))
        end = end if end > start else min(len(old), start + 1)
        if old[start:end].strip():
            spans.append((start, end))
    return old, new, where, spans


def _count(text: str, needle: str) -> int:
    """Occurrences, overlapping ones too (str.count skips those)."""
    return sum(text.startswith(needle, i) for i in range(len(text)))


def _survives(old, new, where, start, end) -> int | None:
    """The new start of the claim if its quote and context went over whole and in one piece,
    and occur once in each text."""
    prefix, suffix = quote_context(old, start, end)
    first, last = start - len(prefix), end + len(suffix)
    positions = [where.get(i) for i in range(first, last)]
    if None in positions or positions != list(range(positions[0], positions[0] + len(positions))):
        return None
    needle = old[first:last]
    if _count(new, needle) != 1 or _count(old, needle) != 1:
        return None
    return where[start]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(versions())
def test_a_claim_whose_text_and_context_survive_lands_exactly_where_they_went(version):
    old, new, where, spans = version
    for (start, end), placed in zip(spans, reanchor(old, new, spans)):
        expected = _survives(old, new, where, start, end)
        if expected is not None:
            assert (placed.outcome, placed.start, placed.end) == (Outcome.EXACT, expected, expected + end - start)
        elif placed.start is not None:  # wherever it lands, the text there is what it says
            assert new[placed.start:placed.end] == placed.exact


def test_a_rewritten_text_with_only_a_few_characters_of_context_is_orphaned_not_changed():
    old = "Agreement: a diplomatic note.\nTransfers: No transfers are known to have occurred.\nLitigation: none.\n"
    new = "Agreement: a diplomatic note.\nTransfers: The first transfers took place in November 2025.\nLitigation: none.\n"
    placed = place(old, new, "No transfers are known to have occurred")
    assert placed.outcome == Outcome.ORPHANED


@pytest.mark.parametrize("old, new, quote, found", [
    ("Fatalities: 57\nInjured: 12\n", "Fatalities: 61\nInjured: 12\n", "57", "61"),  # an infobox's field
    ("Fatalities: 57\nInjured: 12\nMissing: 4\n", "Fatalities: 61\nMissing: 4\n", "57", "61"),  # a line gone too
    ("The toll rose to 190 on Monday.\nAid arrived on Tuesday.\n", "The toll rose to 220 on Monday.\n", "190", "220"),
])
def test_a_value_changed_in_an_otherwise_unchanged_short_paragraph_is_changed_not_orphaned(old, new, quote, found):
    placed = place(old, new, quote)
    assert (placed.outcome, new[placed.start:placed.end], placed.exact) == (Outcome.CHANGED, found, found)


@pytest.mark.parametrize("old, new, quote", [
    ("Intro.\n\n190\n\nOutro.\n", "Intro.\n\nTuesday\n\nOutro.\n", "190"),  # no words around it to vouch
    ("Fatalities: 57\nInjured: 12\n", "Total Fatalities: 61\nInjured: 12\n", "57"),  # the line grew before it
    ("Intro.\n\n- 7 -\n\nOutro.\n", "Intro.\n\n- 9 -\n\nOutro.\n", "7"),  # only marks around it
    ("Deaths: 57", "Deaths: 61 in all", "57"),  # the last line went on after it
    ("Deaths: 57 people\n", "Deaths: 61 people, 12 of them children\n", "57"),  # so did its end
])
def test_a_short_paragraph_that_changed_around_its_value_leaves_the_claim_orphaned(old, new, quote):
    assert place(old, new, quote).outcome == Outcome.ORPHANED
