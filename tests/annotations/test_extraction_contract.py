"""Extraction's small rules, each on text written for it: which numbers name rather than
count. Written against the mutants a mutation run of annotations/extraction.py left alive
(issue 15)."""
import pytest

from annotations.extraction import _identifier


def at(text, number):
    start = text.index(number)
    return text, start, start + len(number)


@pytest.mark.parametrize(("text", "number", "names"), [
    ("Passengers boarded at Gate 4 near the hall.", "4", True),
    ("The report is on Page 3 of 12 of the annex.", "12", True),
    ("Route 66 has two lanes.", "66", True),  # "has" ends in s but is no plural
    ("Malawi 57 deaths were recorded.", "57", False),  # a plural after it: a count
    ("Almost 40 died in the floods.", "40", False),  # a hedge, not a name
    ("In March 12 boats sank.", "12", False),  # a month
])
def test_a_number_after_a_capitalised_word_names_unless_it_counts(text, number, names):
    assert _identifier(*at(text, number)) is names


def test_a_number_written_in_words_is_never_an_identifier():
    text = "Gate Four stayed shut."
    assert _identifier(text, 5, 9) is False


def test_a_hand_tagged_value_in_prose_is_read_as_the_suggestion_there_is():
    from annotations.extraction import describe_span, extract

    text = "The bridge opened on 14 March 2021, and 312 passengers crossed it that day.\n"
    suggested = {s.exact: s for s in extract([text])[0]}
    for exact in ("14 March 2021", "312"):
        start = text.index(exact)
        value, _, _, property_ = describe_span(text, start, start + len(exact), suggested[exact].kind)
        assert (value["low"] if "low" in value else value["start"], property_) == (
            suggested[exact].value.get("low", suggested[exact].value.get("start")), suggested[exact].property)
    assert suggested["14 March 2021"].property.startswith("date")  # the kind shapes the property


def test_a_hand_tagged_name_that_no_entity_holds_is_still_read():
    from annotations.extraction import describe_span

    text = "The new minister spoke at length.\n"
    value, _, _, property_ = describe_span(text, 8, 16, "entity")
    assert value["text"] == "minister" and property_ == ""


def test_the_ing_form_of_a_verb_folds_to_its_stem_and_short_words_stay_whole():
    from annotations.extraction import _normal

    assert _normal("flooding") == "flood" and _normal("waiting") == "wait"
    assert _normal("king") == "king" and _normal("rising") == "rising"  # six letters or fewer: kept


def test_a_long_clause_as_subject_is_cut_at_a_word_with_an_ellipsis():
    from annotations.extraction import extract

    text = ("The national disaster management institute, working with the provincial governments of Sofala, "
            "Zambezia, Manica and Tete and with a dozen aid agencies on the ground after the cyclone made "
            "landfall, counted 1,320 people who had lost their homes in the first week.\n")
    [count] = [s for s in extract([text])[0] if s.exact == "1,320"]
    assert count.subject.endswith("…") and len(count.subject) <= 160
    assert " ".join(text.split()).startswith(count.subject[:-1]) and len(count.subject) > 100
