"""Reading by structure, rule by rule: table cells and blocks, fields with a unit, headings,
what a bare cell is worth and the words a label gives. Written against the mutants a mutation
run of annotations/statements.py left alive (issue 15)."""
import pytest

from annotations.statements import _cells, _label_and_unit, _measure, cell_value, label_keys, phrase, read


def spans(text, cells):
    return [text[x:y] for x, y in cells]


@pytest.mark.parametrize(("row", "cells"), [
    ("| Deaths | 57 |", ["Deaths", "57"]),     # a markdown row's outer pipes make no empty cells
    ("Deaths | 57 | MOH", ["Deaths", "57", "MOH"]),  # without them, no cell is lost
    ("| Deaths | 57 | MOH", ["Deaths", "57", "MOH"]),
])
def test_a_pipe_rows_cells(row, cells):
    assert spans(row, _cells(row, 0, len(row), "|")) == cells


def test_table_rows_and_fields_are_read_as_such_with_their_units():
    text = ("Indicator,Value\nDeaths,57\nHomes destroyed,1200\nRoads cut,14\n\n"
            "Rainfall (mm): 412\n")
    structure = read(text)
    # Each row once as a line, and once for its value cell, labelled by its first cell.
    rows = [(text[s.start:s.end], s.label, s.value and text[s.value[0]:s.value[1]])
            for s in structure.statements if s.kind == "row"]
    assert rows == [("Deaths,57", "Deaths", "57"), ("Deaths,57", "Deaths", None),
                    ("Homes destroyed,1200", "Homes destroyed", "1200"), ("Homes destroyed,1200", "Homes destroyed", None),
                    ("Roads cut,14", "Roads cut", "14"), ("Roads cut,14", "Roads cut", None)]
    [field] = [s for s in structure.statements if s.kind == "field"]
    assert (field.label, field.unit, text[field.value[0]:field.value[1]]) == ("Rainfall", "mm", "412")


def test_a_heading_stands_apart_with_text_below_it():
    text = "Casualties\nDeaths were counted by the ministry of health.\n\nAftermath\n"
    headings = [text[s.start:s.end] for s in read(text).statements if s.kind == "heading"]
    assert headings == ["Casualties"]  # "Aftermath" ends the text: nothing below it
    text = "Deaths were counted by the ministry.\nAftermath\nRoads were cut for a week.\n"
    assert [s for s in read(text).statements if s.kind == "heading"] == []  # no blank line above it


def test_a_label_that_is_only_a_unit_keeps_it_as_its_label():
    assert _label_and_unit("(%)") == ("(%)", "")
    assert _label_and_unit("Share of votes (%)") == ("Share of votes", "%")


def test_a_measure_cell_is_as_precise_as_it_is_written():
    pressure = _measure("12.5", "hPa")
    assert (pressure["low"], pressure["high"]) == pytest.approx((1245.0, 1255.0))
    assert pressure["base_unit"] == "kg / m / s ** 2" and pressure["dimension"] == "[mass] / [length] / [time] ** 2"
    rounded = _measure("1200", "hPa")  # "1200": to the hundred, at most 5 %
    assert (rounded["low"], rounded["high"]) == pytest.approx((115000.0, 125000.0))
    exact = _measure("1013", "hPa")
    assert exact["low"] == exact["high"] == pytest.approx(101300.0)


def test_a_cell_with_thousands_separators_reads_as_its_number():
    kind, value = cell_value("1,013", "Pressure", "hPa")
    assert kind == "measure" and value["low"] == pytest.approx(101300.0) and value["text"] == "1,013"


def test_a_money_cell_takes_the_scale_its_header_gives():
    kind, value = cell_value("450", "Aid", "USD thousand")
    assert kind == "money" and (value["low"], value["high"]) == pytest.approx((445_000, 455_000))


def test_label_keys_fold_plurals_of_five_letters_or_more():
    assert label_keys("Deaths and cars, hangers") == ["cars", "death", "hanger"]


def test_a_label_as_a_property_keeps_a_names_capital_and_drops_a_common_words():
    assert phrase("Deaths") == "deaths"
    assert phrase("Vialmar", names={"Vialmar"}) == "Vialmar"
    assert phrase("World Bank approval") == "World Bank approval"
    assert phrase("World Bank") == "World Bank"  # a capital after it: a name of two words
    assert phrase("Vialmar", lower_words={"vialmar"}, names={"Vialmar"}) == "vialmar"


def rows(text):
    """Each row's line, label and value cell, once per value cell (not the whole-line entries)."""
    return [(text[s.start:s.end], s.label, text[s.value[0]:s.value[1]])
            for s in read(text).statements if s.kind == "row" and s.value]


def test_a_markdown_table_with_its_rule_row_is_read():
    text = "| Field | Value |\n|---|---|\n| Deaths | 57 |\n| Missing | 4 |\n"
    assert rows(text) == [("| Deaths | 57 |", "Deaths", "57"), ("| Missing | 4 |", "Missing", "4")]


def test_a_csv_table_with_unquoted_thousands_keeps_each_number_whole():
    text = "Item,Tonnes\nSteel,64,000\nCement,12,500\nSand,800\n"
    assert rows(text) == [("Steel,64,000", "Steel", "64,000"), ("Cement,12,500", "Cement", "12,500"),
                          ("Sand,800", "Sand", "800")]


def test_a_table_without_a_header_row_reads_its_first_row_too():
    text = "Deaths,57\nMissing,4\nInjured,112\n"
    assert [value for _, _, value in rows(text)] == ["57", "4", "112"]
    text = "Signed,2014-03-02\nOpened,2021-11-05\nClosed,2023-01-09\n"  # dates, not numbers, in its first row
    assert [value for _, _, value in rows(text)] == ["2014-03-02", "2021-11-05", "2023-01-09"]


def test_a_span_in_a_fields_label_is_in_no_statement_and_its_value_is_in_the_field():
    structure = read("Rainfall (mm): 412\n")
    assert structure.at(0, 8) is None
    assert structure.at(15, 18).label == "Rainfall"


def test_a_speakers_one_sentence_turn_is_no_field():
    assert read("KLAUS MEIER: We still expect synergies of 120 million euros.\n").statements == []


def test_a_named_peso_is_its_own_currency_not_any_peso():
    from annotations.statements import _currency

    assert (_currency("Chilean pesos"), _currency("Mexican pesos")) == (("CLP", 1.0), ("MXN", 1.0))
