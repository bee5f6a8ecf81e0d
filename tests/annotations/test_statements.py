"""Reading by structure: a claim in a table row, a key–value line, a timeline item or a
sentence has the right span and says what it measures (its property)."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.extraction import describe_span, extract
from annotations.statements import cell_value, read


def claims(text):
    return {s.exact: s for s in extract([text])[0]}


def at(text, exact):
    start = text.index(exact)
    return start, start + len(exact)


LONG_TABLE = (
    "Key figures\n"
    "Field,Value,Source\n"
    "Share of votes (%),61.2,Electoral board\n"
    "Budget (EUR),4500000,Ministry of Finance\n"
    "World Bank approval,2024-06-27,World Bank\n"
)


def test_table_row_with_unit_in_header_is_a_percentage_of_its_field():
    found = claims(LONG_TABLE)
    share = found["61.2"]
    assert (share.start, share.end) == at(LONG_TABLE, "61.2")
    assert share.kind == "percent" and share.value["low"] < 61.2 < share.value["high"]
    assert share.property == "share of votes, percent"
    assert share.context["masked"] == "Share of votes (%): [PERCENT]"


def test_table_row_with_currency_in_header_is_money_in_that_currency():
    budget = claims(LONG_TABLE)["4500000"]
    assert budget.kind == "money" and budget.value["currency"] == "EUR"
    assert budget.property == "budget, EUR"


def test_iso_date_in_a_csv_cell_is_found_despite_the_commas():
    approval = claims(LONG_TABLE)["2024-06-27"]
    assert (approval.start, approval.end) == at(LONG_TABLE, "2024-06-27")
    assert approval.kind == "date" and approval.value["start"] == "2024-06-27"
    assert approval.property == "World Bank approval"  # a name keeps its capitals
    assert approval.context["masked"] == "World Bank approval: [DATE]"


def test_header_and_row_labels_give_no_claims():
    exacts = set(claims(LONG_TABLE))
    assert exacts == {"61.2", "4500000", "2024-06-27"}


def test_wide_table_takes_the_property_from_the_column_and_the_row():
    text = "Country,Deaths,Injured\nMozambique,214,1140\nMalawi,87,300\n"
    found = claims(text)
    malawi = found["87"]
    assert (malawi.start, malawi.end) == at(text, "87")
    assert malawi.kind == "count" and malawi.property == "deaths - Malawi"
    assert malawi.context["masked"] == "Malawi, Deaths: [COUNT]"
    assert found["1140"].property == "injured - Mozambique"


def test_unit_in_header_makes_a_measure_converted_by_pint():
    text = "Field,Value\nMax rainfall (mm),412\nStructural steel (t),46000\nRoad closure (days),11\n"
    found = claims(text)
    assert found["412"].kind == "measure" and found["412"].value["low"] == pytest.approx(0.412)
    assert found["46000"].kind == "measure" and found["46000"].value["dimension"] == "[mass]"
    assert found["11"].kind == "duration" and found["11"].property == "road closure, days"


def test_key_value_line_takes_its_label_as_property():
    text = "Storm Ana\nFatalities: 57\nFormed: 14 March 2024\n"
    found = claims(text)
    deaths = found["57"]  # a bare number, no word after it: a count by its key
    assert (deaths.start, deaths.end) == at(text, "57")
    assert deaths.kind == "count" and deaths.property == "fatalities"
    assert deaths.context["masked"] == "Fatalities: [COUNT]"
    assert found["14 March 2024"].property == "formed"


def test_a_bracketed_qualifier_after_a_fields_value_is_part_of_its_property():
    found = claims("Quilanto Bridge\nHeight: 198 m (north tower)\nHighest winds: 195 km/h (120 mph)\nSpan: 1,155 m\n")
    assert found["198 m"].property == "height, north tower"
    assert found["195 km/h"].property == "highest winds"  # a number in brackets restates the value
    assert found["1,155 m"].property == "span"


def test_a_bare_number_before_a_bracketed_qualifier_is_the_fields_value():
    text = "Cyclone Tendai\nDeaths: 57 (north district)\nPopulation: 1,234 (est.)\n"
    found = claims(text)
    assert (found["57"].kind, found["57"].property) == ("count", "deaths, north district")
    assert (found["57"].start, found["57"].end) == at(text, "57")
    assert found["57"].context["masked"] == "Deaths: [COUNT] (north district)"  # the rest of the value kept
    assert found["1,234"].kind == "count" and found["1,234"].value["low"] == 1234


def test_a_clause_as_subject_names_what_took_the_time():
    found = claims("Spinning the main cables took nine months, he said. It took nearly a decade.\n")
    assert found["nine months"].property == "spinning the main cables took"
    assert found["nearly a decade"].property == "took"


def test_timeline_item_under_a_year_heading_dates_its_own_event():
    text = "Chronology\n\n2013\n- 14 Feb. – Contract signed in Santiago.\n- 3 Mar. – Works begin.\n"
    signed = claims(text)["14 Feb"]
    assert (signed.start, signed.end) == at(text, "14 Feb")
    assert signed.value["start"] == "2013-02-14"  # the year from the heading above
    assert signed.property == "date contract signed in Santiago"
    assert signed.context["masked"].startswith("[DATE]. – Contract signed")


def test_prose_property_comes_from_the_parse():
    text = ("Floods killed 57 people in the district. The cost of the main contract was $20 million. "
            "The ministry signed the contract in March 2014.\n")
    found = claims(text)
    assert found["57"].property == "people killed"
    assert found["$20 million"].property == "cost of the main contract"
    assert found["March 2014"].property == "date ministry signed contract"


def test_describe_span_reads_a_hand_tagged_cell_by_its_header():
    start, end = at(LONG_TABLE, "61.2")
    value, subject, context, property_ = describe_span(LONG_TABLE, start, end, "percent")
    assert value["type"] == "percent" and property_ == "share of votes, percent"
    assert context["masked"] == "Share of votes (%): [PERCENT]"


def test_prose_with_commas_is_not_a_table():
    text = ("The storm, which formed early, hit the coast.\nRain fell, and rivers rose.\n"
            "Roads closed, schools too.\n")
    assert [s.kind for s in read(text).statements if s.kind == "row"] == []


def test_cell_value_reads_a_bare_number_by_its_header():
    assert cell_value("61.2", "Share of votes", "%")[0] == "percent"
    assert cell_value("1850", "Recovery needs", "USD million")[1]["low"] > 1.8e9
    assert cell_value("1850", "Deaths", "")[0] == "count"
    assert cell_value("Pebane", "Landfall location", "") is None


LABELS = st.sampled_from(["Deaths", "Houses destroyed", "Budget (USD)", "Share of votes (%)",
                          "Main span (m)", "Opening date", "Road closure (days)", "Injuries"])
CELLS = st.one_of(st.integers(0, 10**7).map(str),
                  st.decimals(0, 1000, places=1, allow_nan=False).map(str),
                  st.dates().map(lambda d: d.isoformat()))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(LABELS, CELLS), min_size=2, max_size=6))
def test_offsets_point_into_random_tables(rows):
    text = "Field,Value,Source\n" + "".join(f"{label},{cell},Agency\n" for label, cell in rows)
    suggestions = extract([text])[0]
    for s in suggestions:
        assert text[s.start:s.end] == s.exact
        assert s.property and len(s.property) <= 80
    cells = {s.exact for s in suggestions}
    assert {cell for _, cell in rows} <= cells  # every cell is a claim of its own


def test_a_quoted_cell_keeps_its_commas_and_its_whole_value():
    from annotations.extraction import _value_spans

    text = ('Item,Amount,Source\nReconstruction,"$1,200 million",World Bank\n'
            'Steel,"1,250 tonnes",Report\nRoads,"€3,500,000",EU\n')
    assert [(text[a:b], kind) for a, b, kind in _value_spans(text)] == [
        ("$1,200 million", "money"), ("1,250 tonnes", "measure"), ("€3,500,000", "money")]


def test_prose_lines_with_a_comma_each_are_not_a_table():
    from annotations.extraction import _value_spans

    text = "On 3 March, 41 people died\nOn 5 March, 12 more died\nBy 9 March, the toll was 60 dead\n"
    found = [(text[a:b], kind) for a, b, kind in _value_spans(text)]
    assert ("3 March", "date") in found and ("41", "count") in found and ("9 March", "date") in found


def test_an_unquoted_comma_in_a_rows_label_keeps_the_row_and_the_rows_after_it():
    text = ("Indicator,Value,Source\n"
            "Job cuts (FTE),1450,Press release\n"
            "Market share, heavy plate (%),38,EC decision\n"
            "Phase II duration (working days),90,EC\n"
            "Closing date,2024-03-14,Company\n")
    found = claims(text)
    assert found["38"].kind == "percent" and found["38"].property.startswith("market share, heavy plate")
    assert found["90"].kind == "duration" and found["90"].value["low"] == pytest.approx(126)
    assert found["2024-03-14"].kind == "date" and found["2024-03-14"].property == "closing date"


def test_a_speakers_turn_in_a_transcript_is_prose_not_a_field():
    found = claims("KLAUS MEIER: We still expect synergies of 120 million euros.\nDEATHS: 301\n"
                   "MR. ARANCIBIA: The consortium's claim before the arbitral tribunal was for 209 million dollars, Senator.\n")
    assert found["120 million euros"].property == "synergies expect"  # not "KLAUS MEIER"
    assert found["301"].property == "DEATHS"  # a field in capitals stays a field
    assert found["209 million dollars"].property == "consortium claim"  # not the speaker the parse made a subject


def test_a_headlines_kicker_before_a_clause_is_not_the_values_property():
    found = claims("Cyclone Tendai: EU releases €7.5 million in humanitarian aid for Mozambique\n\n"
                   "Damage: US$1.85 billion (est.)\nHeight: 198 m (north tower)\n")
    assert found["€7.5 million"].property == "humanitarian aid releases"  # not "Cyclone Tendai"
    assert found["US$1.85 billion"].property == "damage"  # "(est.)" hedges the value, it does not qualify it
    assert found["198 m"].property == "height, north tower"


def test_describe_span_reads_a_hand_tagged_value_in_a_headline_as_prose():
    text = "Cyclone Tendai: EU releases €7.5 million in humanitarian aid for Mozambique\n\nHeight: 198 m (north tower)\n"
    start, end = at(text, "€7.5 million")
    value, subject, context, property_ = describe_span(text, start, end, "money")
    assert value["currency"] == "EUR" and property_ == "humanitarian aid releases"
    start, end = at(text, "198 m")
    assert describe_span(text, start, end, "measure")[3] == "height, north tower"  # as a suggestion reads it
    fatalities = "Storm Ana\nFatalities: 301 total (214 in Mozambique, 87 in Malawi)\n"
    start, end = at(fatalities, "87")
    assert describe_span(fatalities, start, end, "count")[3] == "fatalities in Malawi"


def test_a_footnote_mark_glued_to_a_word_ends_its_sentence_and_stays_out_of_properties():
    found = claims("The cyclone killed 301 people.¹ Of the 1,320 classrooms damaged,² only 40 % had been repaired.\n")
    assert found["301"].property == "people killed"  # not "people.¹ killed and damaged"
    assert found["1,320"].property == "classrooms damaged"
    assert found["40 %"].property == "repaired"
    assert "killed" not in found["1,320"].context["masked"]  # a sentence of its own


def test_a_field_in_capitals_stays_a_field():
    found = claims("PEOPLE IN NEED: 1.2 million people across three provinces.\nFUNDING: 41 per cent of the appeal received.\n")
    assert found["1.2 million"].property == "PEOPLE IN NEED"
    assert found["41 per cent"].property.startswith("FUNDING")
