"""Sentences, kinds, quotations and warnings on news-style Arabic written for these tests."""

from __future__ import annotations

from marsad.text.segment import quotations_in
from tests.unit.test_text_articles import run_text


def _sents(doc):
    return [(doc.text[s.start:s.end], s.kind) for s in doc.sentences]


def test_sentences_split_on_stops_not_decimals_times_or_abbreviations():
    text = "سقط 3.5 طن من الحطام عند الساعة 2:50 فجرا. وقال مراسل (أ ف ب) إن النيران اشتعلت! هل انتهى الهجوم؟ لا أحد يعرف"
    doc = run_text(text)
    assert [t for t, _ in _sents(doc)] == [
        "سقط 3.5 طن من الحطام عند الساعة 2:50 فجرا.",
        "وقال مراسل (أ ف ب) إن النيران اشتعلت!",
        "هل انتهى الهجوم؟",
        "لا أحد يعرف",
    ]


def test_arabic_question_mark_and_line_breaks_split():
    doc = run_text("أين الدفاعات الجوية؟ سأل السكان\nوردت الوزارة ببيان مقتضب")
    assert [t for t, _ in _sents(doc)] == ["أين الدفاعات الجوية؟", "سأل السكان", "وردت الوزارة ببيان مقتضب"]
    assert [s.paragraph for s in doc.sentences] == [0, 0, 1]


def test_quote_with_several_sentences_stays_in_one_sentence():
    text = "وقال الوزير: “لن نتراجع. سنواصل الدفاع عن مدننا.” ثم غادر القاعة."
    doc = run_text(text)
    assert [t for t, _ in _sents(doc)] == ["وقال الوزير: “لن نتراجع. سنواصل الدفاع عن مدننا.”", "ثم غادر القاعة."]
    (q,) = doc.quotations
    assert text[q.start:q.end] == "لن نتراجع. سنواصل الدفاع عن مدننا." and (q.open_mark, q.close_mark) == ("“", "”")


def test_absurdly_long_quotation_does_not_block_splitting():
    body = " ".join(f"هذه الجملة رقم {i} داخل الاقتباس." for i in range(12))
    doc = run_text(f"قال المتحدث: «{body}» وانتهى المؤتمر.")
    assert len(doc.sentences) > 5
    assert len(doc.quotations) == 1


def test_nested_quotes_give_one_outer_quotation():
    text = "وقال المتحدث إن الجيش استهدف “ناشطين من حركة “الجهاد الاسلامي” كانا يشكلان تهديدا فوريا”."
    doc = run_text(text)
    (q,) = doc.quotations
    assert text[q.start:q.end] == "ناشطين من حركة “الجهاد الاسلامي” كانا يشكلان تهديدا فوريا"


def test_guillemets_low_high_and_straight_quotes():
    text = 'كتب عبر منصته «توقفوا الآن» ثم أضاف „لن نسمح بذلك“ وقالت الوزارة "الوضع تحت السيطرة" و"لا خسائر".'
    doc = run_text(text)
    assert [text[q.start:q.end] for q in doc.quotations] == ["توقفوا الآن", "لن نسمح بذلك", "الوضع تحت السيطرة", "لا خسائر"]
    assert [(q.open_mark, q.close_mark) for q in doc.quotations][:2] == [("«", "»"), ("„", "“")]


def test_stray_and_unbalanced_marks_never_cross_paragraphs():
    text = "قال القائد “سنرد بقوة\nوأعلن الجيش أن الوضع مستقر” في المنطقة. وأضاف أن الهدوء عاد."
    doc = run_text(text)
    assert doc.quotations == []
    assert len(doc.sentences) == 3
    # a paragraph that writes ”…” for its pairs still gets its quotation
    text = "وقال الحاكم ”الوضع تحت السيطرة” مساء اليوم."
    assert [text[q.start:q.end] for q in run_text(text).quotations] == ["الوضع تحت السيطرة"]
    # raw quotations_in helper: a stray closing mark is ignored, the pair after it is kept
    norm = "” كلام “نص مقتبس” نهاية"
    assert [norm[a + 1:b] for a, b, _, _ in quotations_in(norm, 0, len(norm))] == ["نص مقتبس"]


def test_quotation_closed_in_the_next_paragraph_spans_both():
    text = "وقال الوزير: «لن نتراجع عن مواقفنا.\nسنواصل الدفاع عن مدننا» ثم غادر.\nوأضاف «الحرب طويلة»."
    doc = run_text(text)
    assert [text[q.start:q.end] for q in doc.quotations] == ["لن نتراجع عن مواقفنا.\nسنواصل الدفاع عن مدننا",
                                                            "الحرب طويلة"]
    assert len(doc.sentences) == 3  # a paragraph break still ends the sentence


def test_quotation_offsets_map_to_raw_with_diacritics_and_tatweel():
    text = "وقالَ المتحدّثُ: «القصفُ استمـــرّ ٣ ساعات»."
    doc = run_text(text)
    (q,) = doc.quotations
    assert text[q.start:q.end] == "القصفُ استمـــرّ ٣ ساعات"


def test_headline_caption_credit_boilerplate_and_body():
    text = (
        "مقتل ثلاثة مدنيين في قصف على خاركيف\n\n"
        "مقتل ثلاثة مدنيين في قصف على خاركيف\n"
        "رجال الإطفاء يخمدون حريقا في مبنى سكني بخاركيف، أوكرانيا، 12 مارس 2025.\n"
        "Sergey Bobok/AFP عبر Getty Images\n"
        "Smaller Bigger\n"
        "قتل ثلاثة مدنيين في قصف روسي على خاركيف، وفق ما أعلن حاكم المنطقة.\n"
        "سيارة محترقة في أحد شوارع المدينة (أ ف ب).\n"
        "اترك تعليقاً\n"
        "المصدر: رويترز"
    )
    doc = run_text(text)
    assert [k for _, k in _sents(doc)] == ["headline", "headline", "caption", "credit", "boilerplate", "body",
                                          "caption", "boilerplate", "credit"]
    codes = [w.code for w in doc.warnings]
    assert codes.count("caption") == 2 and codes.count("credit_line") == 2
    w = next(w for w in doc.warnings if w.code == "credit_line")
    assert text[w.start:w.end] == "Sergey Bobok/AFP عبر Getty Images"


def test_caption_followed_by_credit_and_bare_agency_credit():
    text = "سكان يتفقدون الأضرار بعد الغارة\nEvgeniy Maloletka/AP\nوأعلن الدفاع المدني انتشال جثتين.\n(أ ف ب)"
    doc = run_text(text)
    assert [k for _, k in _sents(doc)] == ["caption", "credit", "body", "credit"]


def test_dateline_prefixes_become_their_own_sentence():
    cases = {
        "لندن – أعلنت الحكومة البريطانية فرض عقوبات جديدة.": "لندن –",
        "أم درمان، 4 فبراير 2025 – قالت وزارة الصحة إن القصف استمر.": "أم درمان، 4 فبراير 2025 –",
        "مرجعيون، جنوب لبنان 4 سبتمبر 2024 (شينخوا) قتلت سيدة في قصف.": "مرجعيون، جنوب لبنان 4 سبتمبر 2024 (شينخوا)",
        " date 2025-08-23 قتل خمسة أشخاص في هجوم.": "date 2025-08-23",
    }
    for text, dateline in cases.items():
        doc = run_text(text)
        first, second = doc.sentences[:2]
        assert (text[first.start:first.end], first.kind) == (dateline, "dateline")
        assert second.kind == "body" and first.paragraph == second.paragraph


def test_dateline_lines_alone():
    doc = run_text("واشنطن\nقال الجيش الأميركي إنه اعترض صاروخين.")
    assert [k for _, k in _sents(doc)] == ["dateline", "body"]
    doc = run_text("كييف- (د ب أ)\n\nأعلنت هيئة الأركان إسقاط 40 مسيرة.")
    assert [k for _, k in _sents(doc)] == ["dateline", "body"]
    doc = run_text("إصابة 16 في قصف على زابوريجيا\nالأحد 29 سبتمبر 2024 15:52:32\nقال مسؤولون إن القصف استمر.")
    assert [k for _, k in _sents(doc)] == ["headline", "dateline", "body"]


def test_bullets_are_separate_body_sentences_without_the_bullet():
    text = "روسيا تقصف كييف بالمسيرات\n\n  • جرح شخص في الهجوم\n  • تم إسقاط عدة مسيرات\n\nقال الحاكم إن الهجوم استمر ساعتين."
    doc = run_text(text)
    assert _sents(doc) == [("روسيا تقصف كييف بالمسيرات", "headline"), ("جرح شخص في الهجوم", "body"),
                           ("تم إسقاط عدة مسيرات", "body"), ("قال الحاكم إن الهجوم استمر ساعتين.", "body")]


def test_latin_script_runs_warned_once_each_acronyms_skipped():
    text = "أطلقت روسيا مسيرات Kamikaze على المدينة، وقال Zelenskyy إن صواريخ Patriot Interceptor تأخرت بحسب ISW."
    doc = run_text(text)
    runs = [text[w.start:w.end] for w in doc.warnings if w.code == "latin_script"]
    assert runs == ["Kamikaze", "Zelenskyy", "Patriot Interceptor"]
    doc = run_text("Russia launched 539 drones overnight, the air force said.")
    assert [w for w in doc.warnings if w.code == "latin_script"] == []


def test_sentences_skip_surrounding_whitespace_and_are_sorted():
    text = "\n\n   اعترضت الدفاعات الجوية صاروخين.   \n\n\n  وسقط الثالث في حقل.  \n"
    doc = run_text(text)
    assert _sents(doc) == [("اعترضت الدفاعات الجوية صاروخين.", "body"), ("وسقط الثالث في حقل.", "body")]
    assert doc.sentence_at(text.index("الثالث")) is doc.sentences[1]


def test_empty_and_whitespace_text():
    for text in ("", "   \n\n  "):
        doc = run_text(text)
        assert doc.sentences == [] and doc.quotations == [] and doc.tokens == [] and doc.numbers == []
