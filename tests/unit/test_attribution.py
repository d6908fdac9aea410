"""Attribution of claims and quotations on Arabic sentences written in wire-copy style.

Documents are filled by hand (sentences, quotations, mentions) so that these tests exercise the
resolver alone, whatever the segmenter and the knowledge base do.
"""

from __future__ import annotations

import re

import pytest

from marsad import extract
from marsad.document import ArticleMeta, Document, Mention, Quotation, Sentence
from marsad.extractors.attribution import source_for, speaker_for_quotation
from marsad.text.normalize import normalize_with_offsets

_MARKS = {"“": "”", "«": "»", '"': '"'}


def make_doc(text: str, mentions: list[tuple[str, str, str | None, bool] | tuple[str, str, str | None]] = (),
             doc_id: str = "t") -> Document:
    """A Document with sentences split at . and newlines, quotations between marks, and mentions.

    Each mention is ``(surface, type, canonical name[, adjectival])``; every occurrence of the
    surface in the text becomes a mention.
    """
    doc = Document(text=text, meta=ArticleMeta(id=doc_id))
    doc.norm, doc.norm_to_raw = normalize_with_offsets(text)
    start = 0
    for m in re.finditer(r"[.!?]\s*|\n+", text):
        if text[start:m.start()].strip():
            doc.sentences.append(Sentence(start, m.end()))
        start = m.end()
    if text[start:].strip():
        doc.sentences.append(Sentence(start, len(text)))
    i = 0
    while i < len(text):
        close = _MARKS.get(text[i])
        j = text.find(close, i + 1) if close else -1
        if close and j > 0:
            doc.quotations.append(Quotation(i + 1, j, text[i], close))
            i = j + 1
        else:
            i += 1
    for spec in mentions:
        surface, typ, name = spec[:3]
        adjectival = bool(spec[3]) if len(spec) > 3 else False
        for m in re.finditer(re.escape(surface), text):
            doc.mentions.append(Mention(m.start(), m.end(), typ, entity_id=name and name.lower().replace(" ", "-"),  # type: ignore[arg-type]
                                        name=name, adjectival=adjectival))
    doc.mentions.sort(key=lambda m: (m.start, -m.end))
    return doc


def src(doc: Document, needle: str, occurrence: int = 0) -> list[str] | None:
    pos = -1
    for _ in range(occurrence + 1):
        pos = doc.text.index(needle, pos + 1)
    s = source_for(doc, pos, pos + len(needle))
    return None if s is None else s.names


UKR_AF = ("قوات الجوية في أوكرانيا", "ORG", "Ukrainian Air Force")
UKRAINE = ("أوكرانيا", "LOC", "Ukraine")
RUSSIA = ("روسيا", "LOC", "Russia")


def test_trailing_wafqan_li_covers_the_clause_before_it():
    doc = make_doc("أطلقت روسيا 410 طائرات مسيرة و12 صاروخا، وفقًا للقوات الجوية في أوكرانيا.", [UKR_AF, RUSSIA])
    assert src(doc, "410") == ["Ukrainian Air Force"]
    assert src(doc, "12") == ["Ukrainian Air Force"]


def test_said_with_subject_after_the_verb_covers_what_follows():
    doc = make_doc("وقال الجيش الإسرائيلي إن 15 صاروخا أطلقت من جنوب لبنان.",
                   [("الجيش الإسرائيلي", "ORG", "Israel Defense Forces")])
    assert src(doc, "15") == ["Israel Defense Forces"]


def test_feminine_verb_with_subject_before_it():
    doc = make_doc("القوات الجوية الأوكرانية أكدت أنها أسقطت 95 طائرة مسيرة خلال الليل.",
                   [("القوات الجوية الأوكرانية", "ORG", "Ukrainian Air Force")])
    assert src(doc, "95") == ["Ukrainian Air Force"]


def test_sentence_without_a_cue_has_no_source_and_nothing_is_carried_over():
    doc = make_doc("وقال الجيش الأوكراني إنه أسقط 20 طائرة. واندلع حريق في مستودع بعد سقوط 3 صواريخ.",
                   [("الجيش الأوكراني", "ORG", "Ukrainian Army")])
    assert src(doc, "20") == ["Ukrainian Army"]
    assert src(doc, "3") is None


def test_continuation_verb_inherits_the_previous_speaker():
    doc = make_doc("وقال حاكم منطقة خاركيف أوليه سينيهوبوف إن صاروخا أصاب مبنى. وأضاف أن 7 أشخاص أصيبوا.",
                   [("منطقة خاركيف", "LOC", "Kharkiv Oblast"), ("أوليه سينيهوبوف", "PER", "Oleh Syniehubov")])
    assert src(doc, "7") == ["Oleh Syniehubov", "Governor of Kharkiv Oblast"]


def test_title_and_name_give_person_then_office():
    doc = make_doc("وقال حاكم منطقة زابوريجيا إيفان فيدوروف إن 16 شخصا أصيبوا.",
                   [("منطقة زابوريجيا", "LOC", "Zaporizhzhia Oblast"), ("إيفان فيدوروف", "PER", "Ivan Fedorov")])
    assert src(doc, "16") == ["Ivan Fedorov", "Governor of Zaporizhzhia Oblast"]


def test_title_alone_resolves_to_the_office_of_the_named_place():
    doc = make_doc("قُتل شخصان وأصيب 9 آخرون، وفقًا لعمدة كييف.", [("كييف", "LOC", "Kyiv")])
    assert src(doc, "9")[0] == "Mayor of Kyiv"  # followed by the holder when the KB knows one


def test_governor_of_the_region_is_the_region_of_the_article_and_gets_its_holder():
    text = ("هجوم بالمسيرات على منطقة أوديسا\n"
            "أصيب 4 أشخاص في هجوم على ميناء، على ما أعلن حاكم المنطقة الثلاثاء. "
            "وقال الحاكم أوليه كيبر على تلغرام إن الدفاعات الجوية تعمل.")
    doc = make_doc(text, [("منطقة أوديسا", "LOC", "Odesa Oblast"), ("أوليه كيبر", "PER", "Oleh Kiper")])
    assert src(doc, "4") == ["Governor of Odesa Oblast", "Oleh Kiper"]


def test_spokesperson_gives_person_and_organisation():
    text = ("أعلنت وزارة الصحة في غزة مقتل 5 أشخاص. "
            "وقال الناطق باسم الوزارة أشرف القدرة إن 12 جريحا نقلوا إلى المستشفى.")
    doc = make_doc(text, [("وزارة الصحة في غزة", "ORG", "Gaza Health Ministry"), ("أشرف القدرة", "PER", "Ashraf al-Qudra")])
    assert src(doc, "5") == ["Gaza Health Ministry"]
    assert src(doc, "12") == ["Ashraf al-Qudra", "Gaza Health Ministry"]


def test_spokesperson_without_a_name_is_the_organisation():
    doc = make_doc("من جهته، قال متحدث باسم جيش الاحتلال إن 3 صواريخ اعترضت.",
                   [("جيش الاحتلال", "ORG", "Israel Defense Forces")])
    assert src(doc, "3") == ["Israel Defense Forces"]


def test_apposition_after_the_name_adds_the_organisation():
    doc = make_doc("وأوضح أفيخاي أدرعي، الناطق بلسان الجيش الإسرائيلي أن حزب الله أطلق 19 قذيفة.",
                   [("أفيخاي أدرعي", "PER", "Avichay Adraee"), ("الجيش الإسرائيلي", "ORG", "Israel Defense Forces"),
                    ("حزب الله", "ORG", "Hezbollah")])
    assert src(doc, "19") == ["Avichay Adraee", "Israel Defense Forces"]


def test_generic_sources_with_demonym_and_qualifiers():
    doc = make_doc("قتلت امرأة وجرح 5 مدنيين في قصف على جنوب لبنان، وفق مصادر رسمية وعسكرية لبنانية.",
                   [("لبنانية", "LOC", "Lebanon", True), ("لبنان", "LOC", "Lebanon")])
    names = src(doc, "5")
    assert names[0] == "Lebanese official and military sources"
    assert "Lebanese military sources" in names and "Lebanese military source" in names


def test_officials_and_later_anaphoric_sources():
    text = ("قال مسؤولون أوكرانيون إن 16 شخصا أصيبوا. "
            "وقالت مصادر عسكرية لبنانية إن الطيران شن 7 غارات. "
            "وأدت غارة إلى جرح 3 مواطنين، بحسب المصادر.")
    doc = make_doc(text, [("أوكرانيون", "LOC", "Ukraine", True), ("لبنانية", "LOC", "Lebanon", True)])
    assert src(doc, "16") == ["Ukrainian officials", "Ukrainian official"]
    assert src(doc, "7")[0] == "Lebanese military sources"
    assert src(doc, "3")[0] == "Lebanese military sources"


def test_wafq_ma_afadat_bihi_with_a_latin_outlet_name():
    doc = make_doc("وأسفر الهجوم عن مقتل شخص واحد على الأقل، وفق ما أفادت به صحيفة Kyiv Independent.")
    assert src(doc, "شخص") == ["Kyiv Independent"]


def test_bihasab_at_clause_start_covers_the_rest():
    doc = make_doc("وبحسب الجيش الأوكراني فإنه تم إسقاط 6 طائرات.", [("الجيش الأوكراني", "ORG", "Ukrainian Army")])
    assert src(doc, "6") == ["Ukrainian Army"]


def test_naqlan_an_tibqan_li_and_hasabama():
    doc = make_doc("قتل 4 أشخاص، نقلًا عن وكالة رويترز. وطبقًا لوزارة الدفاع الروسية فقد اعترض 30 صاروخا. "
                   "وسقط 2 من الجرحى، حسبما أفاد الدفاع المدني.",
                   [("رويترز", "ORG", "Reuters"), ("وزارة الدفاع الروسية", "ORG", "Russian Ministry of Defence"),
                    ("الدفاع المدني", "ORG", "Civil Defence")])
    assert src(doc, "4") == ["Reuters"]
    assert src(doc, "30") == ["Russian Ministry of Defence"]
    assert src(doc, "2") == ["Civil Defence"]


def test_two_cues_in_one_sentence_nearest_covering_wins():
    text = ("أعلن سلاح الجو الأوكراني إسقاط 29 مسيرة من أصل 31، حيث كانت القيادة الجنوبية صرحت بأن الهجمات "
            "استمرت 3 ساعات وفقًا لوكالة رويترز.")
    doc = make_doc(text, [("سلاح الجو الأوكراني", "ORG", "Ukrainian Air Force"), ("القيادة الجنوبية", "ORG", "Southern Command"),
                          ("رويترز", "ORG", "Reuters")])
    assert src(doc, "29") == ["Ukrainian Air Force"]
    assert src(doc, "31") == ["Ukrainian Air Force"]
    assert src(doc, "3 ساعات") == ["Reuters"]


def test_participle_continues_the_speaker_of_its_sentence():
    doc = make_doc("وقالت خلية الإعلام الأمني إن التحقيق بدأ، مشيرة إلى سقوط 3 صواريخ على القاعدة.",
                   [("خلية الإعلام الأمني", "ORG", "Security Media Cell")])
    assert src(doc, "3") == ["Security Media Cell"]


def test_generic_institution_resolved_by_an_earlier_mention():
    text = ("وتشكل المقاتلات أساس سلاح الجو الأوكراني الصغير. وأعلن سلاح الجو عن هجمات من جانب 49 طائرة روسية.")
    doc = make_doc(text, [("سلاح الجو الأوكراني", "ORG", "Ukrainian Air Force")])
    assert src(doc, "49") == ["Ukrainian Air Force"]


def test_generic_institution_resolved_by_the_dominant_country_without_earlier_mention():
    text = "تعرضت أوكرانيا لهجوم واسع. وأعلن سلاح الجو عن اعتراض 40 طائرة فوق أوكرانيا."
    doc = make_doc(text, [UKRAINE])
    assert src(doc, "40") == ["Ukrainian Air Force"]


def test_country_named_adjectivally_in_president_title():
    doc = make_doc("وأعلن الرئيس الأمريكي دونالد ترامب أن 3 جنود أصيبوا.",
                   [("الأمريكي", "LOC", "United States", True), ("دونالد ترامب", "PER", "Donald Trump")])
    names = src(doc, "3")
    assert names[0] == "Donald Trump" and names[1] in ("President of the United States", "President of United States")


def test_cue_inside_a_quotation_is_not_the_sentence_attribution():
    text = "وأفادت هيئة التجارة البحرية بأن “ربان السفينة قال إن 2 من البحارة أصيبا”."
    doc = make_doc(text, [("هيئة التجارة البحرية", "ORG", "UKMTO")])
    assert src(doc, "2") == ["UKMTO"]


def test_speaker_before_with_colon_and_continuation_quote():
    text = "وكتب زيلينسكي صباح الجمعة: “كانت ليلة صعبة على كييف”. “سنرد على هذا الإرهاب”."
    doc = make_doc(text, [("زيلينسكي", "PER", "Volodymyr Zelenskyy"), ("كييف", "LOC", "Kyiv")])
    q1, q2 = doc.quotations
    s1 = speaker_for_quotation(doc, q1)
    assert s1 is not None and s1.names == ["Volodymyr Zelenskyy"]
    s2 = speaker_for_quotation(doc, q2, previous=(q1, s1))
    assert s2 is s1


def test_speaker_after_the_quote():
    text = "“لن نتراجع عن مواقفنا مهما حدث”، قال نتنياهو في مؤتمر صحفي."
    doc = make_doc(text, [("نتنياهو", "PER", "Benjamin Netanyahu")])
    s = speaker_for_quotation(doc, doc.quotations[0])
    assert s is not None and s.names[0] == "Benjamin Netanyahu"


def test_bihasab_qawlihi_after_the_quote_keeps_the_sentence_speaker():
    text = "وقال مساعد الرئيس يوري أوشاكوف إن الموقف سيتغير بسبب «الإرهاب السياسي الذي تمارسه كييف»، بحسب قوله."
    doc = make_doc(text, [("يوري أوشاكوف", "PER", "Yuri Ushakov"), ("كييف", "LOC", "Kyiv")])
    s = speaker_for_quotation(doc, doc.quotations[0])
    assert s is not None and s.names[0] == "Yuri Ushakov"


def test_statement_anaphor_and_organisation_speaker():
    text = "وذكر الديوان الأميري القطري أن الجانبين بحثا التهدئة. ووفقا للبيان، “ناقش الزعيمان العلاقات الثنائية وسبل تطويرها”."
    doc = make_doc(text, [("الديوان الأميري القطري", "ORG", "Amiri Diwan")])
    s = speaker_for_quotation(doc, doc.quotations[0])
    assert s is not None and s.names == ["Amiri Diwan"]


def test_source_for_rejects_a_span_outside_the_text():
    doc = make_doc("قتل 3 أشخاص.")
    with pytest.raises(ValueError, match="outside the text"):
        source_for(doc, 5, 500)


def test_ja_a_fi_bayan_li_opens_the_sentence():
    doc = make_doc("وجاء في بيان للقيادة المركزية الأميركية أنه في حوالي الساعة الرابعة أطلق الحوثيون صاروخين.",
                   [("قيادة المركزية الأميركية", "ORG", "United States Central Command")])
    assert src(doc, "صاروخين") == ["United States Central Command"]


def test_addressee_after_the_verb_is_not_the_speaker():
    text = "قال أوشاكوف إن بوتين أوضح لترمب أن 91 طائرة أطلقت على المقر، بحسب قوله."
    doc = make_doc(text, [("أوشاكوف", "PER", "Yuri Ushakov"), ("بوتين", "PER", "Vladimir Putin"), ("ترمب", "PER", "Donald Trump")])
    assert src(doc, "91") == ["Vladimir Putin"]


def test_accusation_with_subject_before_the_verb():
    text = "وكان وزير الخارجية سيرغي لافروف قد اتهم أوكرانيا بمهاجمة المقر بواسطة 91 طائرة دون طيار."
    doc = make_doc(text, [("سيرغي لافروف", "PER", "Sergey Lavrov"), ("أوكرانيا", "LOC", "Ukraine")])
    assert src(doc, "91")[0] == "Sergey Lavrov"


def test_unknown_institution_is_named_by_its_arabic_text_and_found_again_by_anaphor():
    text = ("وأعلن مركز عمليات الطوارئ في بيان أن 3 أشخاص أصيبوا. "
            "كما أفاد المركز في بيان ثان بأن 2 من المسعفين أصيبا.")
    doc = make_doc(text)
    assert src(doc, "3") == ["مركز عمليات الطوارئ"]
    assert src(doc, "2") == ["مركز عمليات الطوارئ"]


def test_an_unlisted_emergency_room_is_named_by_its_arabic_words():
    doc = make_doc("قتل 23 شخصا في قصف على المخيم، وفق ما أعلنت غرفة طوارئ المخيم.")
    assert src(doc, "23") == ["غرفة طوارئ المخيم"]


def test_governor_of_the_region_named_just_before_the_title():
    text = ("أطلقت روسيا خلال الليل 90 طائرة مسيرة على أوكرانيا، بحسب سلاح الجو الأوكراني. "
            "وقال رئيس بلدية خاركيف إيهور تيريخوف إن شخصين قتلا في المدينة. "
            "وفي دنيبرو، أفاد حاكم المنطقة سيرهي ليساك بإصابة ستة أشخاص.")
    report = extract(text, published="2025-06-10")
    (six,) = [f for a in report.attacks for f in a.figures if f.value == 6]
    assert six.source[0] == "Serhiy Lysak" and "Oleh Syniehubov" not in six.source
    assert any("Dnipropetrovsk" in s for s in six.source)


def test_state_television_unknown_to_the_knowledge_base_is_a_source():
    doc = make_doc("أطلق الحرس الثوري ما يزيد على 30 صاروخا، وفق ما أعلن التلفزيون الرسمي.")
    assert src(doc, "30") == ["التلفزيون الرسمي"]
