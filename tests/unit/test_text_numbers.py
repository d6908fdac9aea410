"""Counts in digits and words, vague magnitudes, implicit singular/dual nouns, qualifiers, exclusions."""

from __future__ import annotations

import pytest

from marsad.text.numbers import parse_digits
from tests.unit.test_text_articles import run_text


def _nums(text: str):
    doc = run_text(text)
    return [(doc.text[n.start:n.end], n.value, n.qualifier, n.counted_noun, n.implicit, n.vague) for n in doc.numbers]


def _values(text: str):
    return [n[1] for n in _nums(text)]


@pytest.mark.parametrize("s,v", [("77704", 77704), ("1,200", 1200), ("1.200", 1200), ("2.5", 2.5),
                                 ("12,500,000", 12500000), ("3,5", 3.5)])
def test_parse_digits(s, v):
    assert parse_digits(s) == v


@pytest.mark.parametrize("phrase,value", [
    ("واحد", 1), ("إحدى", 1), ("اثنان", 2), ("اثنتين", 2), ("ثلاث", 3), ("ثلاثة", 3), ("ثماني", 8), ("ثمانية", 8),
    ("ست", 6), ("ستة", 6), ("عشرة", 10), ("أحد عشر", 11), ("إحدى عشرة", 11), ("اثنا عشر", 12), ("ثلاثة عشر", 13),
    ("تسع عشرة", 19), ("عشرين", 20), ("تسعون", 90), ("ثلاثة وعشرين", 23), ("خمس وأربعون", 45), ("مئة", 100),
    ("مائة", 100), ("مئتين", 200), ("مائتان", 200), ("ثلاثمائة", 300), ("ثلاث مئة", 300), ("خمسمائة", 500),
    ("مئة وعشرون", 120), ("ألف", 1000), ("ألفين", 2000), ("ثلاثة آلاف", 3000), ("عشرة آلاف", 10000),
    ("ثلاثة آلاف وخمسمائة", 3500), ("مليون", 1000000), ("ثلاثة ملايين", 3000000), ("خمسة عشر ألف", 15000),
    ("35 ألف", 35000), ("2.5 مليون", 2500000), ("3 آلاف", 3000), ("٤٥٠", 450),
])
def test_number_words_and_mixed(phrase, value):
    nums = _nums(f"أطلقت القوات {phrase} قذيفة على المدينة")
    assert [(n[0], n[1]) for n in nums] == [(phrase, value)]
    assert nums[0][3] == "قذيفه"


def test_conjoined_digits_stay_separate_counts():
    assert _values("ارتفعت الحصيلة إلى 4 شهداء و25 جريحا") == [4, 25]
    assert _values("قتل ثلاثة وأصيب عشرة آخرون") == [3, 10]
    assert _values("في غضون 48 إلى 72 ساعة") == [48, 72]


def test_vague_magnitudes():
    nums = _nums("أطلقت روسيا عشرات المسيرات ومئات الصواريخ وعشرات الآلاف من القذائف وعددا من الطائرات")
    assert [(n[0], n[1], n[5], n[3]) for n in nums] == [
        ("عشرات", None, True, "مسيرات"), ("مئات", None, True, "صواريخ"), ("عشرات الآلاف", None, True, "قذائف"),
        ("عددا من", None, True, "طائرات")]
    assert _nums("ما أدى إلى مقتل العشرات")[0][1:] == (None, "exact", None, False, True)
    assert _nums("وفر الآلاف من منازلهم")[0][:2] == ("الآلاف", None)
    assert _nums("تم إسقاط عدة مسيرات")[0][5] is True
    assert _nums("نزح آلاف الأشخاص وملايين السكان")[:2] == [("آلاف", None, "exact", "اشخاص", False, True),
                                                           ("ملايين", None, "exact", "سكان", False, True)]


def test_implicit_singular_and_dual_nouns():
    assert _nums("جرح شخص في الهجوم") == [("شخص", 1, "exact", "شخص", True, False)]
    assert _nums("قتل شخصان وأطلق الحوثيون صاروخين ومسيّرتين")[:3] == [
        ("شخصان", 2, "exact", "شخصان", True, False), ("صاروخين", 2, "exact", "صاروخين", True, False),
        ("مسيّرتين", 2, "exact", "مسيرتين", True, False)]
    assert _values("استشهد فلسطيني برصاص الاحتلال") == [1]


def test_no_implicit_count_after_a_number_or_for_adjectives_and_plurals():
    assert _nums("أسقطت الدفاعات 15 طائرة مسيرة") == [("15", 15, "exact", "طائره", False, False)]
    assert _values("أطلقت روسيا طائرات بدون طيار") == []
    assert _values("قتل عشرات الناشطين والمدنيين") == [None]
    assert _values("زار المسؤولون المستشفى") == []


def test_one_number_for_noun_with_wahid_and_one_of_them():
    assert _nums("قُتل شخص واحد على الأقل") == [("شخص واحد", 1, "at_least", "شخص", False, False)]
    assert _values("وأسقط إحداها فوق البحر") == [1]
    assert _values("جرح شخصين أحدهما طفل")[:2] == [2, 1]


def test_qualifiers_before_and_after():
    nums = _nums("قتل نحو 60 شخصا، وأصيب حوالي 38 آخرين، وأطلقت روسيا قرابة 500 مسيرة وزهاء عشرين صاروخا "
                 "وما يقارب 40 قذيفة، وقتل ما لا يقل عن 12 مدنيا وأكثر من 100 جريح، ونزح ما يزيد على ألفي شخص "
                 "وقد يصل العدد إلى ما يصل إلى 30 قتيلا، وأقل من 10 مقاتلين، وأصيب 16 شخصا على الأقل.")
    assert [(n[1], n[2]) for n in nums] == [
        (60, "approx"), (38, "approx"), (500, "approx"), (20, "approx"), (40, "approx"), (12, "at_least"),
        (100, "more_than"), (2000, "more_than"), (30, "up_to"), (10, "less_than"), (16, "at_least")]


def test_qualifier_start_offset_points_at_the_hedge_in_raw_text():
    text = "وأطلقت روسيا وحوالي عَشَرَة صواريخ"
    doc = run_text(text)
    (n,) = doc.numbers
    assert text[n.start:n.end] == "عَشَرَة" and n.value == 10 and n.qualifier == "approx"
    assert text[n.qualifier_start:].startswith("حوالي")


def test_after_hedge_on_a_count_with_its_noun():
    text = "أسفر القصف عن مقتل ١٢ مدنيًا على الأقل"
    doc = run_text(text)
    (n,) = doc.numbers
    assert (text[n.start:n.end], n.value, n.qualifier, n.counted_noun) == ("١٢", 12, "at_least", "مدنيا")
    assert text[n.qualifier_start:n.qualifier_start + 9] == "على الأقل"


def test_not_counts_dates_times_years_percentages_models():
    text = ("في 4 يوليو 2025 عند الساعة 2:50 صباحا (0200 بتوقيت جرينتش) ارتفعت الأسعار 15% وفي عام 2014 "
            "سقطت مقاتلة ميج-29 ومسيرة من طراز شاهد 136 في 11/10/2025 و2025-08-23، وارتفعت النسبة إلى 30 في المئة")
    assert [n for n in _nums(text) if not n[4]] == []


def test_ages_and_distances_keep_their_noun():
    assert _nums("استشهد زكي (25 عاما) على بعد 100 كيلومتر")[:2] == [
        ("25", 25, "exact", "عاما", False, False), ("100", 100, "exact", "كيلومتر", False, False)]


def test_number_offsets_in_raw_text_with_diacritics_tatweel_and_indic_digits():
    text = "وأطلقـت روسيا ٥٣٩ طائرةً مُسيّرة و٣ آلاف قذيفة وثلاثةً وعشرين صاروخًا"
    doc = run_text(text)
    assert [(text[n.start:n.end], n.value) for n in doc.numbers] == [
        ("٥٣٩", 539), ("٣ آلاف", 3000), ("ثلاثةً وعشرين", 23)]


def test_al_prefixed_number_words_are_weekdays_not_counts():
    assert _values("وصل الوفد يوم الأحد والاثنين إلى الدوحة") == []
