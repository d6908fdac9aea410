"""The NER stage on invented articles: spans, types, clitics, credit lines, KB precedence.

Sentences are one per line here (kinds given by the test); tokens come from the real tokenizer.
"""

from marsad.document import Document, Mention, Sentence
from marsad.ner.stage import ner_stage
from marsad.text.normalize import normalize_stage
from marsad.text.tokens import tokenize_stage

# Invented: neither the people, the villages nor the units are in the knowledge base.
ARTICLE = (
    "قال حاكم مقاطعة بولتافا فيتالي هورباتشينكو إن طائرات مسيرة روسية استهدفت الليلة الماضية بلدة زولوتيفكا.\n"
    "وأضاف أن مقاتلي اللواء 118 للدفاع الإقليمي تصدوا لهجوم قرب قرية ستاروفيلسك.\n"
    "تصوير: ميخايلو بالينتشاك / رويترز"
)


def make_doc(text: str, kinds: list[str] | None = None) -> Document:
    """Return a document normalised and tokenised by the real stages, one sentence per line."""
    doc = Document(text)
    normalize_stage(doc)
    pos = 0
    for i, line in enumerate(text.split("\n")):
        doc.sentences.append(Sentence(pos, pos + len(line), kinds[i] if kinds else "body"))
        pos += len(line) + 1
    tokenize_stage(doc)
    return doc


def found(doc: Document) -> list[tuple[str, str]]:
    return [(doc.text[m.start:m.end], m.type) for m in doc.mentions]


def test_unknown_person_town_and_unit_are_tagged():
    doc = make_doc(ARTICLE)
    ner_stage(doc)
    got = found(doc)
    assert ("فيتالي هورباتشينكو", "PER") in got
    assert ("زولوتيفكا", "LOC") in got
    assert ("ستاروفيلسك", "LOC") in got
    assert ("اللواء 118 للدفاع الإقليمي", "ORG") in got
    assert all(m.origin == "ner" and m.entity_id is None and 0 < m.confidence <= 1 for m in doc.mentions)


def test_conjunction_and_preposition_clitics_stay_outside_the_span():
    doc = make_doc("وصل الوفد إلى بيروت قادما من القاهرة، ثم توجه وفد آخر إلى دمشق وبغداد.")
    ner_stage(doc)
    got = found(doc)
    assert ("بغداد", "LOC") in got and ("دمشق", "LOC") in got and ("بيروت", "LOC") in got


def test_kb_mentions_come_first_and_win():
    doc = make_doc(ARTICLE)
    start = ARTICLE.index("فيتالي")
    doc.mentions = [Mention(start, start + len("فيتالي هورباتشينكو"), "PER", entity_id="x-vitali", name="Vitali H.")]
    ner_stage(doc)
    assert doc.mentions[1].origin == "kb" or doc.mentions[0].origin == "kb"
    assert sum(1 for m in doc.mentions if m.start <= start < m.end) == 1
    assert [m.start for m in doc.mentions] == sorted(m.start for m in doc.mentions)


def test_credit_line_mentions_are_marked():
    doc = make_doc(ARTICLE, kinds=["body", "body", "credit"])
    ner_stage(doc)
    credit_start = ARTICLE.index("تصوير")
    credit = [m for m in doc.mentions if m.start >= credit_start]
    assert credit and all(m.in_credit for m in credit)
    assert not any(m.in_credit for m in doc.mentions if m.start < credit_start)


def test_empty_document_adds_nothing():
    doc = make_doc("")
    doc.tokens = []
    ner_stage(doc)
    assert doc.mentions == []


def test_kb_names_constrain_the_tagger_in_the_full_pipeline():
    from marsad.kb.gazetteer import kb_mentions_stage
    from marsad.pipeline import Pipeline
    from marsad.text.segment import segment_stage

    doc = Pipeline([normalize_stage, segment_stage, tokenize_stage, kb_mentions_stage, ner_stage])(Document(ARTICLE))
    kb = [(doc.text[m.start:m.end], m.type) for m in doc.mentions if m.origin != "ner"]
    ner = [(doc.text[m.start:m.end], m.type) for m in doc.mentions if m.origin == "ner"]
    assert ("مقاطعة بولتافا", "LOC") in kb
    assert ("فيتالي هورباتشينكو", "PER") in ner
    assert ("زولوتيفكا", "LOC") in ner
    assert not any("بولتافا" in name for name, _ in ner)
    assert [m.start for m in doc.mentions] == sorted(m.start for m in doc.mentions)


def test_weapon_ship_and_operation_names_are_no_person_place_or_organisation():
    doc = make_doc("وأفاد الجيش بأن السفينة “إم في بروبيل فورتون” رست في الميناء، "
                   "وأن ألمانيا أرسلت منظومتين من طراز باتريوت وصواريخ كروز.")
    ner_stage(doc)
    names = {doc.text[m.start:m.end] for m in doc.mentions}
    assert not names & {"بروبيل فورتون", "إم في بروبيل فورتون", "باتريوت", "صواريخ كروز", "كروز"}, names
