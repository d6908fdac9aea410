"""Direct quotes and their speakers on Arabic sentences written in wire-copy style."""

from __future__ import annotations

from marsad import extract
from marsad.extractors.quotes import extract_quotes
from tests.unit.test_attribution import make_doc


def quotes(text, mentions=()):
    return [(q.text, q.speaker[0] if q.speaker else None, q.optional) for q in extract_quotes(make_doc(text, mentions))]


ZEL = ("زيلينسكي", "PER", "Volodymyr Zelenskyy")


def test_speech_verb_and_subject_before_the_quote():
    text = "وقال الناطق باسم الوزارة أشرف القدرة: “استشهد شاب في غارة نفذتها طائرات الاحتلال على بيت لاهيا”."
    got = quotes(text, [("أشرف القدرة", "PER", "Ashraf al-Qudra")])
    assert got == [("استشهد شاب في غارة نفذتها طائرات الاحتلال على بيت لاهيا", "Ashraf al-Qudra", False)]


def test_colon_introduction_and_continuation_keep_the_speaker():
    text = "وكتب زيلينسكي صباح الجمعة: “كانت ليلة وحشية بلا نوم في كييف”. “روسيا لا تريد إنهاء هذه الحرب أبدا”."
    got = quotes(text, [ZEL, ("كييف", "LOC", "Kyiv")])
    assert [g[1] for g in got] == ["Volodymyr Zelenskyy", "Volodymyr Zelenskyy"]
    assert got[1][0] == "روسيا لا تريد إنهاء هذه الحرب أبدا"


def test_speaker_after_the_quote():
    text = "“لن نسمح بتكرار ما حدث في المدينة”، قال نتنياهو للصحفيين."
    got = quotes(text, [("نتنياهو", "PER", "Benjamin Netanyahu")])
    assert got == [("لن نسمح بتكرار ما حدث في المدينة", "Benjamin Netanyahu", False)]


def test_organisation_as_speaker_and_continuation_through_fi_bayan():
    text = ("وذكر الديوان الأميري القطري، “أن الجانبين ناقشا جهود الوساطة لوقف إطلاق النار”. "
            "وذكر في بيان، “أن الجانبين بحثا إدخال المساعدات إلى القطاع”.")
    got = quotes(text, [("الديوان الأميري القطري", "ORG", "Amiri Diwan")])
    assert [g[1] for g in got] == ["Amiri Diwan", "Amiri Diwan"]


def test_statement_as_speaker_after_wifqan_lil_bayan():
    text = ("أعلنت وزارة الصحة اللبنانية حصيلة جديدة. ووفقا للبيان، “أدت الغارة على بلدة حولا إلى إصابة ثلاثة أشخاص بجروح”.")
    got = quotes(text, [("وزارة الصحة اللبنانية", "ORG", "Lebanese Health Ministry")])
    assert got == [("أدت الغارة على بلدة حولا إلى إصابة ثلاثة أشخاص بجروح", "Lebanese Health Ministry", False)]


def test_quoted_names_and_terms_are_not_quotes():
    text = ('ووصفت مؤسسة "معهد دراسة الحرب" الأميركية الهجوم بأنه "الأكبر منذ بدء الحرب". '
            'وكتب ترمب عبر منصته "تروث سوشيال" أن الحرب يجب أن تتوقف. '
            "وأطلق الحوثيون صاروخا على السفينة “إم في بروبيل فورتون” قبالة عدن. "
            "واستخدمت روسيا طائرات من طراز “شاهد 136” وأعلنت ذلك عبر “تيليغرام”. "
            "وقالت صحيفة “يديعوت أحرونوت” إن القرار قريب.")
    got = quotes(text, [("معهد دراسة الحرب", "ORG", "Institute for the Study of War"), ("ترمب", "PER", "Donald Trump")])
    assert got == [("الأكبر منذ بدء الحرب", "Institute for the Study of War", False)]


def test_quoted_entity_without_a_naming_noun_is_not_a_quote():
    text = "وتكثف “الدعم السريع” استخدام المسيرات الانتحارية في دارفور."
    assert quotes(text, [("الدعم السريع", "ORG", "Rapid Support Forces")]) == []


def test_short_quote_with_a_speech_cue_is_an_optional_quote():
    text = "وصف زيلينسكي الاتصال بأنه “ساخر” بعد ساعات من الهجوم."
    assert quotes(text, [ZEL]) == [("ساخر", "Volodymyr Zelenskyy", True)]


def test_short_scare_quote_without_a_cue_is_dropped():
    text = "وتحدثت الأنباء عن “هدنة” هشة في الجنوب بعد أيام من المعارك."
    assert quotes(text) == []


def test_participle_speaker_and_quote_after_kanat():
    text = "قال زيلينسكي إن المكالمة كانت “مهمة للغاية ومثمرة”، قائلا إن أوكرانيا جاهزة “للمشاريع المشتركة مع الحلفاء”."
    got = quotes(text, [ZEL])
    assert [(g[0], g[1]) for g in got] == [("مهمة للغاية ومثمرة", "Volodymyr Zelenskyy"),
                                         ("للمشاريع المشتركة مع الحلفاء", "Volodymyr Zelenskyy")]


def test_indirect_speech_is_not_a_quote():
    assert quotes("وقال الجيش إن صافرات الإنذار دوت في الجليل الأعلى.", [("الجيش", "ORG", "Israel Defense Forces")]) == []


def test_text_is_exactly_the_article_text_between_the_marks_and_span_points_at_it():
    text = "وأضاف المتحدث: «التفاصيل قيد الفحص، وسنعلن النتائج لاحقا»."
    doc = make_doc(text)
    q = extract_quotes(doc)[0]
    assert q.text == "التفاصيل قيد الفحص، وسنعلن النتائج لاحقا"
    assert text[q.span.start:q.span.end] == q.text
    assert q.id == "t:q1"


def test_condemnation_with_a_calling_participle_keeps_its_speaker():
    text = "وندّد الأمين العام للجامعة العربية أحمد أبو الغيط بالقصف، داعياً إلى «تحرك دولي عاجل لحماية المدنيين في القطاع»."
    got = quotes(text, [("أحمد أبو الغيط", "PER", "Ahmed Aboul Gheit")])
    assert got == [("تحرك دولي عاجل لحماية المدنيين في القطاع", "Ahmed Aboul Gheit", False)]


def test_the_body_called_upon_is_not_the_speaker():
    text = "وأدانت وزارة الخارجية الأردنية القصف، ودعت مجلس الأمن الدولي إلى \"التحرك فوراً لوقف هذه الاعتداءات\"."
    (quote,) = extract(text, published="2025-02-25").quotes
    assert quote.speaker and quote.speaker[0].startswith("وزارة الخارجية") and "الاعتداءات" in quote.text


def test_spokesperson_of_a_body_the_knowledge_base_does_not_list():
    text = ("وأفادت منظمة أطباء بلا حدود بأن فرقها عالجت 35 جريحا. "
            "وقال المتحدث باسم المنسقية العامة للنازحين إن \"الوضع كارثي والمدنيون محاصرون بلا ماء\".")
    (quote,) = extract(text, published="2025-04-14").quotes
    assert quote.speaker and quote.speaker[0].startswith("المنسقية العامة للنازحين")
