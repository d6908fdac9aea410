"""Dates: absolute, numeric, relative, weekdays, overnight and vague, resolved on the published date."""

from __future__ import annotations

from datetime import date

import pytest

from tests.unit.test_text_articles import run_text

FRI = date(2025, 7, 4)  # a Friday


def _dates(text: str, published: date | None = FRI):
    doc = run_text(text, published)
    return [(doc.text[d.start:d.end], d.value, d.kind, d.overnight) for d in doc.dates]


@pytest.mark.parametrize("phrase,value", [
    ("4 يوليو 2025", date(2025, 7, 4)),
    ("4 تموز 2025", date(2025, 7, 4)),
    ("3 من شهر أكتوبر 2023", date(2023, 10, 3)),
    ("الأحد 29 سبتمبر 2024", date(2024, 9, 29)),
    ("29 أيلول/سبتمبر 2024", date(2024, 9, 29)),
    ("١٢ شباط ٢٠٢٤", date(2024, 2, 12)),
    ("11\\10\\2025", date(2025, 10, 11)),
    ("11/10/2025", date(2025, 10, 11)),
    ("2025-08-23", date(2025, 8, 23)),
    ("1 كانون الثاني 2024", date(2024, 1, 1)),
])
def test_absolute_dates(phrase, value):
    assert _dates(f"وقع الهجوم في {phrase} على المدينة", None) == [(phrase, value, "absolute", False)]


def test_month_and_year_only():
    assert _dates("منذ بدء الغزو في فبراير/شباط 2022", None) == [("فبراير/شباط 2022", date(2022, 2, 1), "month", False)]


def test_day_month_without_year_takes_the_published_year_or_stays_unresolved():
    assert _dates("وفي 13 سبتمبر أعلن الجيش", date(2022, 10, 5)) == [("13 سبتمبر", date(2022, 9, 13), "month_day", False)]
    assert _dates("وفي 28 ديسمبر أعلن الجيش", date(2023, 1, 2)) == [("28 ديسمبر", date(2022, 12, 28), "month_day", False)]
    assert _dates("وفي 13 سبتمبر أعلن الجيش", None) == [("13 سبتمبر", None, "month_day", False)]


@pytest.mark.parametrize("phrase,value,overnight", [
    ("اليوم", FRI, False),
    ("أمس", date(2025, 7, 3), False),
    ("أول أمس", date(2025, 7, 2), False),
    ("الليلة الماضية", FRI, True),
    ("خلال الليل", FRI, True),
    ("ليلا", FRI, True),
    ("بين عشية وضحاها", FRI, True),
    ("طوال الليل", FRI, True),
    ("فجر اليوم", FRI, False),
    ("صباح اليوم", FRI, False),
    ("مساء أمس", date(2025, 7, 3), False),
    ("ليلة أمس", FRI, True),
    ("قبل يومين", date(2025, 7, 2), False),
    ("قبل ثلاثة أيام", date(2025, 7, 1), False),
    ("في وقت سابق اليوم", FRI, False),
    ("اليوم (الجمعة)", FRI, False),
    ("ظهر أمس الخميس", date(2025, 7, 3), False),
])
def test_relative_days(phrase, value, overnight):
    assert _dates(f"قال الحاكم إن القصف وقع {phrase} في المدينة") == [(phrase, value, "relative", overnight)]


def test_relative_words_with_clitics_keep_the_clitic_out_of_the_span():
    assert _dates("بدأت التنبيهات بالأمس في كييف") == [("الأمس", date(2025, 7, 3), "relative", False)]


@pytest.mark.parametrize("phrase,value,overnight", [
    ("الجمعة", FRI, False),
    ("يوم الجمعة", FRI, False),
    ("صباح الجمعة", FRI, False),
    ("صباح يوم الجمعة", FRI, False),
    ("الأربعاء", date(2025, 7, 2), False),
    ("الإثنين", date(2025, 6, 30), False),
    ("ليلة الإثنين", date(2025, 6, 30), True),
    ("السبت الماضي", date(2025, 6, 28), False),
    ("الأحد المقبل", date(2025, 7, 6), False),
])
def test_weekdays_resolve_to_most_recent_on_or_before_published(phrase, value, overnight):
    assert _dates(f"أعلن الجيش {phrase} إسقاط مسيرات") == [(phrase, value, "weekday", overnight)]


def test_no_published_date_never_guesses():
    found = _dates("قال الجيش اليوم إن هجوم أمس وهجوم الجمعة والليلة الماضية أوقعت قتلى", None)
    assert [(t, v) for t, v, _, _ in found] == [("اليوم", None), ("أمس", None), ("الجمعة", None), ("الليلة الماضية", None)]
    assert found[3][3] is True


@pytest.mark.parametrize("phrase", ["قبل أيام", "قبل أقل من أسبوع", "الشهر الماضي", "مؤخرا", "مؤخرًا",
                                    "في وقت سابق من هذا الأسبوع", "أواخر الشهر الماضي"])
def test_vague(phrase):
    assert _dates(f"وكان الجيش قد أعلن {phrase} عن خطة جديدة") == [(phrase, None, "vague", False)]


def test_not_today_and_not_weekday():
    assert _dates("وفي اليوم التالي عاد السكان") == []
    assert _dates("وفي ذلك اليوم عاد السكان") == []
    assert _dates("جرت مفاوضات بين الاثنين في الدوحة") == []


def test_dates_in_captions_are_found_with_raw_offsets():
    text = "يرتفع الدخان بعد ضربة روسية على كييف، أوكرانيا، ٤ يوليــو ٢٠٢٥.\nEvgeniy Maloletka/AP"
    doc = run_text(text)
    (d,) = doc.dates
    assert text[d.start:d.end] == "٤ يوليــو ٢٠٢٥" and d.value == date(2025, 7, 4)
    assert doc.sentence_at(d.start).kind == "caption"
