"""Who held an office: a person and the role the parse ties to them.

A role is a noun phrase whose head is a title noun: one of a few person-denoting heads
(minister, director, governor, ...) or any noun followed by "of"/"in" an organisation or
place, or preceded by one's possessive ("Zambezia's governor"), so that titles nobody
listed still count. A person is tied to a role by

- a title before the name: "Foreign Minister Ricardo Patiño", "Governor of Zambezia Celestino Mabota";
- apposition, on either side: "the UN Resident Coordinator in Mozambique, Henrik Aaslund",
  "Augusto Chivambo, president of the INGD"; a listing "NAME, ROLE, ORG" reads the same way;
- a copula, a relative clause or "as": "Kim Do-hyun, who has been the consortium's project
  director", "X is the minister", "X, who served as minister".

The small spaCy model mislabels names ("Celestino" as NORP, "Felipe Arancibia" as a
facility, "Kim Do-hyun" as "Kim"), so a name is a run of capitalised words the parse puts
in one of these places, checked against the entity labels only where those are sure
(an ORG or a GPE is never a person).
"""
import re
from dataclasses import dataclass

# Person-denoting head nouns: a seed, not the whole story (see ``_generic_title``).
TITLE_HEADS = {
    "minister", "director", "governor", "coordinator", "president", "secretary", "undersecretary",
    "chief", "manager", "spokesperson", "spokesman", "spokeswoman", "engineer", "mayor", "ambassador",
    "chair", "chairman", "chairwoman", "chairperson", "ceo", "commissioner", "head", "senator",
    "chancellor", "premier", "king", "queen", "administrator", "representative", "envoy",
    "comptroller", "auditor", "judge", "prosecutor", "attorney", "general", "admiral", "officer",
    "executive", "architect", "economist", "scientist", "editor", "deputy", "treasurer", "leader",
    "superintendent", "inspector", "governor-general", "counsel", "rector", "dean", "consul",
}
HONORIFICS = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "madam", "lord", "lady"}
# Words that say when, not what: dropped from the role. "Former" also means the sentence's
# dates do not say when the office was held.
FORMER = {"former", "ex", "erstwhile", "late"}
WHEN_WORDS = FORMER | {"then", "outgoing", "incoming", "new", "current", "sitting", "newly"}
# Words that say the office changed hands around the time written of ("the new minister",
# "the outgoing governor"): another holder named elsewhere may be the one before or after.
CHANGE_WORDS = FORMER | {"new", "newly", "outgoing", "incoming", "interim", "acting"}
NAME_PARTICLES = {"da", "de", "del", "della", "do", "dos", "das", "van", "von", "der", "den", "bin", "al", "la", "le", "di"}
PLACE_LABELS = {"GPE", "LOC", "NORP"}
NOT_NAME_LABELS = {"GPE", "ORG", "LOC", "DATE", "TIME", "MONEY", "CARDINAL", "PERCENT", "QUANTITY",
                   "ORDINAL", "LAW", "EVENT"}
COPULAS = {"be", "serve", "remain", "become", "act", "work"}
APPOINTING = {"appoint", "name", "elect", "nominate", "make", "install", "swear"}
ROLE_PREPS = {"of", "for", "in", "at"}
# "Chief executive at the time of the announcement": a phrase after a preposition that says
# when, not what; it and the rest of the role phrase are left out of the role.
TIME_NOUNS = {"time", "moment", "date", "start", "end", "outset", "beginning", "announcement"}
# One office, several spellings: the role is compared in one of them.
ROLE_SPELLINGS = {"ceo": "chief executive", "chief executive officer": "chief executive",
                  "cfo": "chief financial officer", "coo": "chief operating officer",
                  "cto": "chief technology officer", "chairman": "chair", "chairwoman": "chair",
                  "chairperson": "chair", "md": "managing director"}
ARTICLES = {"the", "a", "an"}


@dataclass
class Office:
    start: int  # character offsets of the role phrase and the name together
    end: int
    name: str
    role: str
    org: str
    country: str
    former: bool
    changed: bool  # the role is said to have changed hands (CHANGE_WORDS)
    phrase: str  # the role as written, for the reviewer: "UN Resident Coordinator in Mozambique"
    name_start: int
    name_end: int

    def value(self) -> dict:
        return {"type": "entity", "name": self.name, "role": self.role, "country": self.country,
                "org": self.org, "former": self.former, "changed": self.changed}


SINCE = r"(?:since|from)\s+(?:(?:early|mid|late|the\s+start\s+of|the\s+end\s+of)[\s-]+)?"


def tenure_anchors(value: dict, anchors: list[dict], sentence: str) -> list[dict]:
    """The dates that say when the office was held: none for a former holder (the
    sentence's dates are when they spoke or acted later), and "since 2019" held from 2019
    on, so that it agrees with any later date."""
    if value.get("former"):
        return []
    held = []
    for anchor in anchors:
        if re.search(SINCE + re.escape(anchor["text"]), sentence, re.I):
            anchor = {**anchor, "text": f"since {anchor['text']}",
                      "value": {**anchor["value"], "end": "9999-12-31", "granularity": "since"}}
        held.append(anchor)
    return held


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


def _is_title_head(token) -> bool:
    if token.pos_ not in {"NOUN", "PROPN"}:
        return False
    word = token.lower_.strip(".")
    return word in TITLE_HEADS or _singular(word) in TITLE_HEADS


def _generic_title(token) -> bool:
    """A common noun after an organisation's or a place's possessive, or followed by "of"
    an organisation: "UNICEF's representative", "rapporteur of the UN": a title nobody
    listed. ("the edge of Quelimane" is a place's part, not an office: "of" a place is not enough.)"""
    if token.pos_ != "NOUN" or token.ent_type_:
        return False
    for child in token.children:
        if child.dep_ == "poss" and child.ent_type_ in {"ORG", "GPE"}:
            return True
        if child.dep_ == "prep" and child.lower_ == "of":
            if any(g.ent_type_ == "ORG" for g in child.children if g.dep_ == "pobj"):
                return True
    return False


def _acronym(token) -> bool:
    return len(token.text) >= 2 and token.text.replace(".", "").replace("&", "").isupper()


def _name_like(token, *, lenient: bool = False) -> bool:
    """A word that can be part of a name. ``lenient`` where the parse already says the
    word is a person (the subject of "is the minister"): the model calls some names ORG."""
    labels = NOT_NAME_LABELS - {"ORG"} if lenient else NOT_NAME_LABELS
    if token.ent_type_ in labels or _is_title_head(token) or _acronym(token):
        return False
    if token.is_stop and token.ent_type_ != "PERSON" and not (
            token.i + 2 < len(token.doc) and _hyphen_joined(token.doc, token.i + 1)):
        return False  # "The", "He"; but "Do" in "Kim Do-hyun" is a name
    return token.text[:1].isupper() and any(ch.isalpha() for ch in token.text) and "'" not in token.text


def _hyphen_joined(doc, i: int) -> bool:
    """doc[i] is a hyphen joining two words with no space: "Do-hyun", "Sang-min"."""
    return (doc[i].text in {"-", "‐"} and 0 < i < len(doc) - 1 and not doc[i - 1].whitespace_
            and not doc[i].whitespace_)


def _name_after(doc, i: int, limit: int, *, lenient: bool = False) -> tuple[int, int] | None:
    """The name starting at token i (an honorific before it skipped), as token bounds."""
    while i < limit and doc[i].lower_.strip(".") in HONORIFICS:
        i += 1
    start = j = i
    while j < limit:
        if _name_like(doc[j], lenient=lenient):
            j += 1
        elif j > start and _hyphen_joined(doc, j):
            j += 2  # the piece after the hyphen is part of the name, whatever its case
        elif j > start and doc[j].lower_ in NAME_PARTICLES and j + 1 < limit and _name_like(doc[j + 1]):
            j += 1
        else:
            break
        if j - start > 6:
            return None
    return (start, min(j, limit)) if j > start else None


def _name_before(doc, j: int, lower: int) -> tuple[int, int] | None:
    """The name ending at token j (inclusive), as token bounds."""
    end = i = j + 1
    while i > lower:
        if _name_like(doc[i - 1]):
            i -= 1
        elif i - 2 >= lower and _hyphen_joined(doc, i - 2):
            i -= 2
        elif i < end and doc[i - 1].lower_ in NAME_PARTICLES and i - 2 >= lower and _name_like(doc[i - 2]):
            i -= 1
        else:
            break
        if end - i > 6:
            return None
    if i < end and i < len(doc) and not _name_like(doc[i]):
        return None  # began with a hyphen's tail
    return (i, end) if i < end else None


def _name_around(doc, token, lower: int, upper: int) -> tuple[int, int] | None:
    """The name a parse link points at: the run of name words around the token (which
    may be the tail of "Do-hyun")."""
    tail = token.i - 2 >= lower and _hyphen_joined(doc, token.i - 1)
    if not (_name_like(token, lenient=True) or token.ent_type_ == "PERSON" or tail):
        return None
    start = token.i
    while start > lower and (_name_like(doc[start - 1], lenient=True) or _hyphen_joined(doc, start - 1)
                             or (start - 2 >= lower and _hyphen_joined(doc, start - 2))):
        start -= 1
    while start < token.i and not _name_like(doc[start], lenient=True):
        start += 1
    found = _name_after(doc, start, upper, lenient=True)
    return found if found and found[0] <= token.i < found[1] else None


def _is_person(doc, bounds, *, seeded: bool, titled: bool, linked: bool = False) -> bool:
    """A PERSON label anywhere on the name is enough; a listed title allows two or more
    capitalised words (the model's labels miss many names), and one word when the title
    stands right before it ("Senator Ortúzar")."""
    start, end = bounds
    if any(doc[k].ent_type_ == "PERSON" for k in range(start, end)):
        return True
    if not seeded:
        return False
    words = sum(1 for k in range(start, end) if _name_like(doc[k], lenient=linked))
    return words >= 2 or titled


def _left_edge(doc, head, lower: int) -> int:
    """Where the role phrase starts: the head's modifiers to its left, not across a comma
    and not into a name the parser hung on it ("Lee Sang-min, project director")."""
    start = head.i
    k = head.i - 1
    while k >= lower:
        token = doc[k]
        if token.is_punct and token.text not in {"-", "’", "'"}:
            break
        if (token.ent_type_ == "PERSON" and token.dep_ != "poss") or (
                token.head.i != head.i and not _inside(token, head)):
            break
        start = k
        k -= 1
    while start < head.i and doc[start].lower_ in ARTICLES:
        start += 1
    return start


def _inside(token, head) -> bool:
    """The token modifies the head, directly or through a chain of modifiers."""
    for _ in range(4):
        if token.head.i == head.i:
            return True
        if token.head.i == token.i or token.dep_ not in {"compound", "amod", "poss", "case", "nmod", "det", "advmod", "npadvmod", "punct"}:
            return False
        token = token.head
    return False


def _right_edge(doc, head, upper: int) -> tuple[int, tuple[int, int] | None]:
    """Where the role phrase ends (exclusive) after "of/for/in/at ..." phrases, and the
    name that closes it without a comma ("Governor of Zambezia Celestino Mabota")."""
    end = head.i + 1
    while end < upper and doc[end].lower_ in ROLE_PREPS:
        k = end + 1
        while k < upper and doc[k].lower_ in ARTICLES:
            k += 1
        run = k
        while run < upper and (doc[run].text[:1].isupper() or doc[run].text == "&"
                               or (doc[run].lower_ in {"and", "for", "of", "de"} and doc[run].ent_iob_ == "I")):
            run += 1
        if run == k:
            # A lowercase phrase ("minister of public works"): as far as the parse takes it.
            prep = doc[end]
            if prep.head.i != head.i:
                break
            last = max(t.i for t in prep.subtree)
            if last < k or any(doc[t].is_punct for t in range(k, min(last + 1, upper))):
                break
            end = min(last + 1, upper)
            continue
        # A name at the end of the run that the model labels, or the words after a
        # place or organisation it labels, or the last two of three or more unlabelled ones.
        person = [t for t in range(k, run) if doc[t].ent_type_ == "PERSON"]
        if person:
            return person[0], _name_after(doc, person[0], run)
        labelled = [t for t in range(k, run) if doc[t].ent_type_ in {"GPE", "ORG", "LOC"}]
        if labelled and labelled[-1] + 2 <= run and all(_name_like(doc[t]) for t in range(labelled[-1] + 1, run)):
            return labelled[-1] + 1, (labelled[-1] + 1, run)
        if not labelled and run - k >= 3 and all(_name_like(doc[t]) for t in range(run - 2, run)):
            return run - 2, (run - 2, run)
        end = run
        if end < upper and doc[end].text == "(" and end + 2 < upper and doc[end + 2].text == ")":
            end += 3  # "(INGD)"
    return end, None


def _link_by_parse(doc, head, lower: int, upper: int):
    """A name tied to the role by the parse: apposition, a copula or relative clause
    ("who has been the X"), "as X", "was appointed X"."""
    for child in head.children:
        if child.dep_ == "appos":
            found = _name_around(doc, child, lower, upper)
            if found:
                return found
    if head.dep_ == "appos":
        found = _name_around(doc, head.head, lower, upper)
        if found:
            return found
    verb = None
    if head.dep_ in {"attr", "oprd"}:
        verb = head.head
    elif head.dep_ == "pobj" and head.head.lower_ == "as":
        verb = head.head.head
    if verb is None or verb.lemma_.lower() not in COPULAS | APPOINTING:
        return None
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    for subject in subjects:
        if subject.lower_ in {"who", "that", "which"} and verb.dep_ == "relcl":
            subject = verb.head
        found = _name_around(doc, subject, lower, upper)
        if found:
            return found
    if not subjects and verb.dep_ in {"relcl", "acl"}:
        return _name_around(doc, verb.head, lower, upper)
    return None


def _describe(doc, head, start: int, end: int, name: tuple[int, int]) -> tuple[str, str, str, bool]:
    """(role, org, country, former) from the role phrase's tokens: "Minister of Public
    Works" and "public works minister" both read "public works minister"."""
    modifiers, portfolio, orgs, places, former = [], [], [], [], False
    k = start
    while k < end:
        token = doc[k]
        if name[0] <= k < name[1] or (token.is_punct and token.text != "&"):
            k += 1
            continue
        former = former or token.lower_ in FORMER
        if token.lower_ in WHEN_WORDS or token.lower_ in ARTICLES or token.dep_ == "case":
            k += 1
            continue
        if k > head.i and token.lower_ in ROLE_PREPS:
            # "of Public Works" is the portfolio; "of the United Nations", "in Mozambique" say where.
            j = k + 1
            # ... but "for" inside a name ("Institute for Disaster Risk ...") does not end it.
            while j < end and (doc[j].lower_ not in ROLE_PREPS or doc[j].ent_iob_ == "I"):
                j += 1
            phrase = [t for t in doc[k + 1:j] if t.lower_ not in ARTICLES
                      and not name[0] <= t.i < name[1] and not (t.is_punct and t.text != "&")]
            if phrase and phrase[0].lower_ in TIME_NOUNS:
                break  # "at the time of the announcement": when, not what
            text = " ".join(t.text for t in phrase)
            # "(MOP)" after a portfolio names the organisation.
            orgs.extend(t.text for t in phrase if _acronym(t) and doc[t.i - 1].text == "(")
            phrase = [t for t in phrase if not (_acronym(t) and doc[t.i - 1].text == "(")]
            text = " ".join(t.text for t in phrase)
            if any(t.ent_type_ in PLACE_LABELS for t in phrase):
                places.append(text)
            elif any(t.ent_type_ == "ORG" or _acronym(t) for t in phrase):
                orgs.insert(0, text)
            elif text:
                portfolio.append(text.lower())
            k = j
            continue
        if k < head.i:
            # A proper name's possessive is most often a place's ("Zambezia's governor",
            # which the model may call a person); an organisation's or a common noun's is an org.
            if token.ent_type_ in PLACE_LABELS or (token.dep_ == "poss" and token.pos_ == "PROPN"
                                                   and token.ent_type_ != "ORG" and not _acronym(token)):
                places.append(token.text)
            elif (_acronym(token) or token.dep_ == "poss"
                  or (token.ent_type_ == "ORG" and head.ent_type_ != "ORG" and token.pos_ == "PROPN")):
                # An organisation before the title, not a title the model took for one
                # ("the UN Resident Coordinator" is one ORG to it).
                orgs.append(token.text)
            else:
                modifiers.append(token.lower_)
        k += 1
    title = _singular(head.lower_) if head.tag_ in {"NNS", "NNPS"} else head.lower_
    role = " ".join([*modifiers, *portfolio, title])
    for spelling, canonical in ROLE_SPELLINGS.items():  # "CEO", "board chairman"
        role = re.sub(rf"\b{spelling}\b", canonical, role)
    return role, " ".join(orgs), " ".join(places), former


def _listed_org(doc, i: int, upper: int) -> str:
    """The organisation closing a listing "NAME, ROLE, ORG" (up to the item's end or "(ABBR)")."""
    if i >= upper or doc[i].text != ",":
        return ""
    j = i + 1
    while j < upper and (doc[j].text[:1].isupper() or doc[j].text == "&"):
        j += 1
    if j == i + 1 or (j < upper and doc[j].text not in {"(", ";", "."}):
        return ""
    return doc.text[doc[i + 1].idx:doc[j - 1].idx + len(doc[j - 1])]


def _office(doc, head, lower: int, upper: int) -> Office | None:
    seeded = _is_title_head(head)
    if not seeded and not _generic_title(head):
        return None
    if head.dep_ == "compound" and (_is_title_head(head.head) or _generic_title(head.head)):
        return None  # "Comptroller" in "Comptroller General": the phrase's head decides
    left = _left_edge(doc, head, lower)
    right, name = _right_edge(doc, head, upper)
    role_end, titled = right, False
    if name is None and right < upper and doc[right].text != ",":
        name = _name_after(doc, right, upper)  # a title before the name
        titled = name is not None and name[0] - right <= 1
    if name is None and left - 1 > lower and doc[left - 1].text == ",":
        name = _name_before(doc, left - 2, lower)  # "NAME, ROLE" (a listing reads NAME, ROLE, ORG)
    if name is None and right < upper and doc[right].text == ",":
        name = _name_after(doc, right + 1, upper)  # "ROLE, NAME"
    linked = name is None
    if linked:
        name = _link_by_parse(doc, head, lower, upper)
    honorific = name is not None and name[0] > 0 and doc[name[0] - 1].lower_.strip(".") in HONORIFICS
    # A parse link ("who served as rapporteur of the UN") is evidence enough for two words.
    if name is None or not _is_person(doc, name, seeded=seeded or linked, titled=titled or honorific,
                                         linked=linked):
        return None
    role, org, country, former = _describe(doc, head, left, role_end, name)
    if name[1] <= left and not org:
        org = _listed_org(doc, role_end, upper)
    start = min(doc[left].idx, doc[name[0]].idx)
    end_token = doc[max(role_end, name[1]) - 1]
    if name[1] <= left:  # NAME, ROLE: the span ends with the role
        end_token = doc[role_end - 1]
    name_text = doc.text[doc[name[0]].idx:doc[name[1] - 1].idx + len(doc[name[1] - 1])]
    phrase = "".join(t.text_with_ws for t in doc[left:role_end] if not name[0] <= t.i < name[1]
                     and not (t.lower_ in WHEN_WORDS and (t.is_lower or t.is_sent_start and not t.ent_type_))
                     and t.text != ",").strip()
    return Office(start=start, end=end_token.idx + len(end_token), name=name_text, role=role, org=org,
                  country=country, former=former, phrase=" ".join(phrase.split()),
                  changed=any(t.lower_ in CHANGE_WORDS and (t.is_lower or t.is_sent_start and not t.ent_type_)
                              for t in doc[left:role_end]),  # not "New Zealand", "Papua New Guinea"
                  name_start=doc[name[0]].idx,
                  name_end=doc[name[1] - 1].idx + len(doc[name[1] - 1]))


def offices_in(doc, sents) -> list[Office]:
    """Every person named with a role in the doc, one office per name, in text order."""
    found = []
    for sent in sents:
        lower, upper = sent.start, sent.end
        # A listing's items ("Invited: A, role; B, role") are read one at a time.
        cuts = [lower] + [t.i + 1 for t in sent if t.text == ";"] + [upper]
        for a, b in zip(cuts, cuts[1:]):
            for head in doc[a:b]:
                office = _office(doc, head, a, b)
                if office is not None:
                    found.append(office)
    # One office per name: the closest role ("Senator Ortúzar", not "CHAIR (Senator Ortúzar").
    best = {}
    for office in sorted(found, key=lambda o: o.end - o.start):
        best.setdefault((office.name_start, office.name_end), office)
    return sorted(best.values(), key=lambda o: (o.start, o.end))
