"""The conflict page's word diff: what it marks, and words never run together."""
from hypothesis import given
from hypothesis import strategies as st

from workbench.diffing import word_diff


def test_an_added_word_after_the_last_word_keeps_its_space():
    # Found by a browser walk: "Julian Assange+(WikiLeaks)".
    assert word_diff("Julian Assange", "Julian Assange (WikiLeaks)") == "Julian Assange <ins>(WikiLeaks)</ins>"


def test_a_removed_last_word_keeps_its_space():
    assert word_diff("Julian Assange (WikiLeaks)", "Julian Assange") == "Julian Assange <del>(WikiLeaks)</del>"


def test_a_replaced_word_is_struck_then_inserted_with_spaces_between():
    assert word_diff("asylum in November 2012", "asylum in August 2012") == (
        "asylum in <del>November</del> <ins>August</ins> 2012")


def test_markup_in_either_text_is_escaped():
    assert word_diff("a", "a <b>") == "a <ins>&lt;b&gt;</ins>"


def test_word_changes_are_spans_of_each_text_hugging_the_words():
    from workbench.diffing import word_changes

    old, new = "toll rose to 190 on Monday. Aid came.", "toll rose to 220 on Monday."
    changes = word_changes(old, new)
    assert [(old[c.old_start:c.old_end], new[c.new_start:c.new_end]) for c in changes] == [
        ("190", "220"), ("Aid came.", "")]
    assert changes[1].new_start == len(new) and [c.number for c in changes] == [1, 2]


@given(st.lists(st.sampled_from(["a", "b", "190", "220", "\n", "c."]), max_size=40),
       st.lists(st.sampled_from(["a", "b", "190", "220", "\n", "c."]), max_size=40))
def test_the_words_outside_the_changes_are_the_same_in_both_texts(old_words, new_words):
    from workbench.diffing import word_changes

    old, new = " ".join(old_words), " ".join(new_words)
    changes = word_changes(old, new)

    def kept(text, spans):
        for start, end in reversed(spans):
            assert start == end or (not text[start].isspace() and not text[end - 1].isspace())  # hugging words
            text = text[:start] + " " + text[end:]
        return text.split()

    assert kept(old, [(c.old_start, c.old_end) for c in changes]) == kept(new, [(c.new_start, c.new_end) for c in changes])
    if old.split() != new.split():
        assert changes
    # Lines are matched before words, so a word moved to another paragraph may show as a
    # change; the same words on each line never do.
    if [line.split() for line in old.splitlines() if line.split()] == [
            line.split() for line in new.splitlines() if line.split()]:
        assert changes == []
