"""Tokenizer: punctuation, glued digits, clitics with raw offsets, and the over-stripping guard."""

from __future__ import annotations

import pytest

from marsad.text.tokens import bare, segment_word
from tests.unit.test_text_articles import run_text


def _tok(text: str, surface: str):
    doc = run_text(text)
    return next(t for t in doc.tokens if doc.text[t.start:t.end] == surface), doc


def test_whitespace_punctuation_and_glued_digits():
    doc = run_text("أصيب 3 أشخاص، ودُمّر 15مبنى بـ14 صاروخاً (وفق الحاكم).")
    surfaces = [doc.text[t.start:t.end] for t in doc.tokens]
    assert surfaces == ["أصيب", "3", "أشخاص", "،", "ودُمّر", "15", "مبنى", "بـ", "14", "صاروخاً", "(", "وفق",
                        "الحاكم", ")", "."]
    punct = [doc.text[t.start:t.end] for t in doc.tokens if t.is_punct]
    assert punct == ["،", "(", ")", "."]
    digits = [t.norm for t in doc.tokens if t.is_digit]
    assert digits == ["3", "15", "14"]


def test_arabic_indic_digits_and_separators_are_one_digit_token():
    doc = run_text("أطلقت روسيا ١٬٢٠٠ مسيرة و2.5 مليون قذيفة")
    digits = [(doc.text[t.start:t.end], t.norm) for t in doc.tokens if t.is_digit]
    assert digits == [("١٬٢٠٠", "1,200"), ("2.5", "2.5")]


@pytest.mark.parametrize("word,prefixes,stem,suffix", [
    ("ولبنان", ("و",), "لبنان", ""),
    ("والقوات", ("و", "ال"), "قوات", ""),
    ("للقوات", ("ل", "ال"), "قوات", ""),
    ("بالطائرات", ("ب", "ال"), "طائرات", ""),
    ("وقال", ("و",), "قال", ""),
    ("وفي", ("و",), "في", ""),
    ("الكرملين", ("ال",), "كرملين", ""),
    ("وسيواصل", ("و", "س"), "يواصل", ""),
    ("منها", (), "من", "ها"),
    ("بيانها", (), "بيان", "ها"),
    ("حكومتها", (), "حكومه", "ها"),
    ("بصاروخين", ("ب",), "صاروخين", ""),  # a counted noun's dual, rare in the corpora
    ("وبمسيرتين", ("و", "ب"), "مسيرتين", ""),
])
def test_clitics_split(word, prefixes, stem, suffix):
    t, doc = _tok(f"قال المسؤول {word} اليوم", word)
    assert (t.prefixes, t.stem, t.suffix) == (prefixes, stem, suffix)


@pytest.mark.parametrize("word", ["وزارة", "بولندا", "كييف", "فولوديمير", "لبنان", "كما", "التي", "الذي", "سياسة",
                                  "مدني", "الروسي", "واحد", "فلسطين"])
def test_no_over_stripping(word):
    t, _ = _tok(f"ذكر {word} أمس", word)
    assert t.suffix == "" and t.stem.endswith(t.norm[-2:]) or t.prefixes == ("ال",)
    assert not (set(t.prefixes) & {"و", "ف", "ب", "ل", "ك"})


def test_ta_marbuta_is_never_a_suffix():
    t, _ = _tok("أعلنت الوزارة النتائج", "الوزارة")
    assert (t.prefixes, t.stem, t.suffix) == (("ال",), "وزاره", "")
    assert segment_word("وزاره", True).suffix == ""


def test_stem_offsets_map_to_raw_with_diacritics_and_tatweel():
    text = "وَقالَ المتحدثُ إنَّ والقـــوات صَدَّتْ الهجومَ بـ١٤ صاروخًا"
    doc = run_text(text)
    t = next(t for t in doc.tokens if t.norm == "والقوات")
    assert text[t.start:t.end] == "والقـــوات" and text[t.stem_start:t.stem_end] == "قـــوات"
    t = next(t for t in doc.tokens if t.norm == "وقال")
    assert text[t.start:t.end] == "وَقالَ" and text[t.stem_start:t.stem_end] == "قالَ"
    t = next(t for t in doc.tokens if t.is_digit)
    assert text[t.start:t.end] == "١٤" and t.norm == "14"
    assert bare(next(t for t in doc.tokens if t.norm == "الهجوم")) == "هجوم"


def test_latin_tokens():
    doc = run_text("قال Zelenskyy إن صواريخ Patriot وصلت")
    latin = [(t.norm, doc.text[t.start:t.end]) for t in doc.tokens if t.is_latin]
    assert latin == [("zelenskyy", "Zelenskyy"), ("patriot", "Patriot")]
