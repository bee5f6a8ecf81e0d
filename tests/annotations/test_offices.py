"""Who held an office: each construction read from the parse, with its name, role and span."""
import pytest

from annotations.extraction import extract, get_nlp
from annotations.offices import offices_in, tenure_anchors


def offices(sentence):
    doc = get_nlp()(sentence)
    return [(doc.text[o.start:o.end], o) for o in offices_in(doc, list(doc.sents))]


def one(sentence):
    found = offices(sentence)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(("sentence", "span", "name", "role", "org", "country"), [
    # role before the name, in apposition
    ('"We are racing against time," the UN Resident Coordinator in Mozambique, Henrik Aaslund, told reporters.',
     "UN Resident Coordinator in Mozambique, Henrik Aaslund", "Henrik Aaslund", "resident coordinator", "UN",
     "Mozambique"),
    # honorific dropped from the name; the organisation and the place kept apart
    ("The Resident Coordinator of the United Nations in Mozambique, Mrs. Sofia Conceição, who launched the appeal, "
     "recalled that the appeal continues.",
     "Resident Coordinator of the United Nations in Mozambique, Mrs. Sofia Conceição", "Sofia Conceição",
     "resident coordinator", "United Nations", "Mozambique"),
    # a title before the name, with its place (the model calls "Celestino" NORP)
    ('Governor of Zambezia Celestino Mabota described the destruction in Pebane as "the worst in living memory".',
     "Governor of Zambezia Celestino Mabota", "Celestino Mabota", "governor", "", "Zambezia"),
    # a portfolio: "Minister of Public Works" reads as "public works minister"
    ("The contract was signed in 2014 by Minister of Public Works Carolina Peñaloza with the consortium.",
     "Minister of Public Works Carolina Peñaloza", "Carolina Peñaloza", "public works minister", "", ""),
    # role after the name, in a relative clause ("Do-hyun": the model labels only "Kim")
    ("Kim Do-hyun, who has been the consortium's project director since 2019, said the hardest part had been the weather.",
     "Kim Do-hyun, who has been the consortium's project director", "Kim Do-hyun", "project director",
     "consortium", ""),
    # a place's possessive
    ("Zambezia's governor, Alberto Nhaca, visited the accommodation centre in the second week.",
     "Zambezia's governor, Alberto Nhaca", "Alberto Nhaca", "governor", "", "Zambezia"),
    # "the then ...": the role without "then"
    ("The contract was awarded in early 2014, and the then public works minister, Tomás Echeverría, signed the "
     "contract that year.",
     "then public works minister, Tomás Echeverría", "Tomás Echeverría", "public works minister", "", ""),
    # copula
    ("Carolina Peñaloza is the minister of public works.",
     "Carolina Peñaloza is the minister of public works", "Carolina Peñaloza", "public works minister", "", ""),
    # "as ROLE", with a title nobody listed: a noun "of" an organisation
    ("Sofia Nunes, who served as rapporteur of the United Nations, said so.",
     "Sofia Nunes, who served as rapporteur of the United Nations", "Sofia Nunes", "rapporteur",
     "United Nations", ""),
    # the seeds' form stays as it was
    ("Assange was granted asylum, with Foreign Minister Ricardo Patiño stating that his fears were legitimate.",
     "Foreign Minister Ricardo Patiño", "Ricardo Patiño", "foreign minister", "", ""),
])
def test_a_person_and_the_role_tied_to_them(sentence, span, name, role, org, country):
    found_span, office = one(sentence)
    assert (found_span, office.name, office.role, office.org, office.country) == (span, name, role, org, country)
    assert office.former is False


def test_a_listing_reads_name_role_org_item_by_item():
    found = offices("Invited: Javiera Aldunate, Minister of Public Works; Felipe Arancibia, National Director of "
                    "Roads (MOP); Lee Sang-min, project director, Consorcio Puente Quilanto (CPQ).")
    by_name = {o.name: (span, o) for span, o in found}
    assert set(by_name) == {"Javiera Aldunate", "Felipe Arancibia", "Lee Sang-min"}  # not "Consorcio Puente Quilanto"
    span, lee = by_name["Lee Sang-min"]
    assert (span, lee.role, lee.org) == ("Lee Sang-min, project director", "project director",
                                         "Consorcio Puente Quilanto")
    assert by_name["Javiera Aldunate"][1].role == "public works minister"


def test_two_spellings_of_one_portfolio_are_one_role():
    _, a = one("Health Minister Tomás Nhantumbo declares a cholera outbreak.")
    _, b = one("In January 2025 the new Minister of the Health, Lurdes Chaúque, promised a plan.")
    assert a.role == b.role == "health minister"


def test_a_former_holder_keeps_the_role_marked_former_and_no_dates():
    span, office = one("Former president Rafael Correa said in 2020 that the deal was bad.")
    assert (span, office.role, office.former) == ("Former president Rafael Correa", "president", True)
    # 2020 is when he spoke, not when he was president.
    anchors = [{"text": "2020", "value": {"type": "date", "start": "2020-01-01", "end": "2020-12-31"}}]
    assert tenure_anchors(office.value(), anchors, "Former president [ENTITY] said in 2020 ...") == []


def test_since_holds_from_that_date_on():
    anchors = [{"text": "2019", "value": {"type": "date", "start": "2019-01-01", "end": "2019-12-31",
                                          "granularity": "year"}}]
    held = tenure_anchors({"former": False}, anchors, "[ENTITY] since 2019, said ...")
    assert held[0]["text"] == "since 2019"
    assert (held[0]["value"]["start"], held[0]["value"]["end"]) == ("2019-01-01", "9999-12-31")
    assert tenure_anchors({"former": False}, anchors, "[ENTITY] in 2019 said") == anchors


@pytest.mark.parametrize("sentence", [
    "Maria Silva visited the dam in 2016.",  # a person without a role
    "The minister of health said in 2016 that the clinics were open.",  # a role without a person
    "A friend on the edge of Quelimane, Rosa Amade, lost her house.",  # "of" a place is no office
    "Ecuador's president will visit the Ministry of Public Works on Monday.",  # a role, then an organisation
])
def test_no_office_without_both_a_person_and_a_role(sentence):
    assert offices(sentence) == []


def test_entity_suggestions_carry_the_role_phrase_and_the_tenure():
    text = "Kim Do-hyun, who has been the consortium's project director since 2019, said the weather was bad.\n"
    entity = next(s for s in extract([text])[0] if s.kind == "entity")
    assert entity.exact == "Kim Do-hyun, who has been the consortium's project director"
    assert entity.property == "consortium's project director"
    assert {k: entity.value[k] for k in ("type", "name", "role", "org", "country")} == {
        "type": "entity", "name": "Kim Do-hyun", "role": "project director", "org": "consortium", "country": ""}
    assert [a["text"] for a in entity.context["anchors"]] == ["since 2019"]


def entity_pairs(docs):
    from annotations.evaluation import detect_in_texts

    return [{s.value["name"] for _, s in c.claims} for c in detect_in_texts(docs) if c.kind == "entity"]


def test_one_role_two_people_at_different_times_or_in_two_roles_is_no_contradiction():
    pairs = entity_pairs({
        "a.txt": "The contract was signed in 2014 by Minister of Public Works Carolina Peñaloza.\n",
        "b.txt": "- 14 Aug. 2019 – Minister of Public Works Tomás Echeverría signs a contract addendum.\n",
        "c.txt": "In 2014 Health Minister Ana Torres opened the clinic.\n",
    })
    assert pairs == []


def test_one_role_two_people_at_the_same_time_is_a_candidate():
    pairs = entity_pairs({
        "a.txt": "The contract was signed in 2014 by Minister of Public Works Carolina Peñaloza.\n",
        "b.txt": "In early 2014 the then public works minister, Tomás Echeverría, signed the contract that year.\n",
    })
    assert {"Carolina Peñaloza", "Tomás Echeverría"} in pairs


@pytest.mark.parametrize(("sentence", "role"), [
    ("The deal was announced by Ruhrmark CEO Dieter Hahn on Monday.", "chief executive"),
    ("Skärvik's chief executive at the time of the announcement, Mats Öberg, backed the offer.", "chief executive"),
    ("Skärvik's board chairman, Ingrid Sund, recommended the bid.", "board chair"),
])
def test_one_office_in_its_several_spellings_reads_as_one_role(sentence, role):
    _, office = one(sentence)
    assert office.role == role


def test_the_chief_executives_of_two_companies_are_two_offices():
    from annotations.matching import ClaimView, _same_role

    def holder(name, org):
        value = {"type": "entity", "name": name, "role": "chief executive", "country": "", "org": org}
        return ClaimView(ref=name, source_key=name, kind="entity", exact=name, value=value, context={})

    assert not _same_role(holder("Mats Öberg", "Skärvik"), holder("Dieter Hahn", "Ruhrmark"))
    assert _same_role(holder("Henrik Aaslund", "UN"), holder("Sofia Conceição", "United Nations"))
    assert _same_role(holder("Kim Do-hyun", "consortium"), holder("Lee Sang-min", "Consorcio Puente Quilanto"))
    assert _same_role(holder("A B", "Skärvik Stål"), holder("C D", "Skärvik Stål AB"))


def test_one_office_in_other_words_is_one_role_and_two_offices_are_two():
    from annotations.matching import ClaimView, _same_role

    def holder(role, org=""):
        value = {"type": "entity", "name": "N", "role": role, "country": "", "org": org}
        return ClaimView(ref=role, source_key=role, kind="entity", exact="N", value=value, context={})

    assert _same_role(holder("minister of public works"), holder("public works minister"))  # the words reordered
    assert not _same_role(holder("minister of health"), holder("minister of public works"))
    assert not _same_role(holder(""), holder("minister of health"))  # no role read: no office to share


def test_the_time_of_an_office_is_its_sentences_date_else_its_texts_year():
    from annotations.matching import ClaimView, _same_time

    def holder(year=None, dated=None):
        anchors = [{"value": {"type": "date", "start": dated, "end": dated}}] if dated else []
        return ClaimView(ref=dated, source_key=dated, kind="entity", exact="N", value={"type": "entity"},
                         context={"anchors": anchors, **({"year": year} if year else {})})

    assert _same_time(holder(year=2019), holder(dated="2021-03-01")) is False  # the year of its sentence's date
    assert _same_time(holder(year=2021), holder(dated="2021-03-01")) is True
    assert _same_time(holder(), holder(dated="2021-03-01")) is None  # nothing dates the first


def test_an_office_said_to_have_changed_hands_is_marked_and_weighed():
    from annotations.matching import ClaimView, pair_features
    _, new = one("The new Minister of Health, Lurdes Chaúque, visited Mocuba.")
    _, then = one("The contract was signed by then public works minister Tomás Echeverría.")
    _, plain = one("Minister of Health Tomás Nhantumbo opened the clinic.")
    assert new.changed and not then.changed and not plain.changed

    def holder(office):
        return ClaimView(ref=office.name, source_key=office.name, kind="entity", exact=office.name,
                         value=office.value(), context={"masked": "[ENTITY]"})

    kw = {"idf": {}, "common": frozenset(), "sentence": 0.5, "lexical": True}
    assert pair_features(holder(plain), holder(new), **kw)[0]["tenure_changed"] == 1.0
    assert pair_features(holder(plain), holder(then), **kw)[0]["tenure_changed"] == 0.0


def test_new_in_a_places_name_is_no_change_of_hands():
    span, office = one("New Zealand Prime Minister Chris Hipkins spoke to reporters.")
    assert not office.changed and office.phrase.startswith("New Zealand")
