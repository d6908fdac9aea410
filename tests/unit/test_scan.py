"""PatternSet: one scan gives exactly what running each pattern separately gives."""

from pathlib import Path

import pytest

from marsad.extractors import attacks, attribution, diplomacy
from marsad.extractors.scan import PatternSet, Prefiltered, finditer_at, literal_heads
from marsad.text.normalize import normalize

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.txt"))


@pytest.mark.parametrize("regex, heads", [
    ("(?:(?:قتل)|(?:قتلت)|(?:قتلي(?!\\w)))", {"قتل", "قتلت", "قتلي"}),
    ("(?:قال|قالت)(?!\\w)", {"قال", "قالت"}),
    ("وفقا ل(?:ل)?", {"وفقا ل"}),
    ("(?:ال)?تسليم x|y", {"تسليم x", "التسليم x", "y"}),
    ("(?:a|b)*c", {"a", "b", "c"}),
    ("(?:a\\w)?c", {"a", "c"}),
    ("ab?c", {"a"}),
    ("ab[cd]\\w", {"abc", "abd"}),
    ("(طائر|طيار)[هات]*", {"طائر", "طيار"}),
    ("[ab]c", None),
    ("(?:a)?", None),
    ("(?:a){0,2}b", None),
    ("(?=a)b", None),
    ("\\w+", None),
])
def test_literal_heads(regex, heads):
    assert literal_heads(regex) == heads


def _texts() -> list[str]:
    texts = [normalize(p.read_text("utf-8")) for p in EXAMPLES]
    # slices cut mid-word, as sentence slices may be
    return texts + [t[i:i + 97] for t in texts for i in range(0, len(t), 89)]


@pytest.mark.parametrize("name, patterns", [
    ("attacks triggers", attacks.lexicon().triggers),
    ("attacks weapons", attacks.lexicon().weapon_mentions),
    ("attribution cues", attribution.lexicon().cues),
    ("attribution titles", attribution.lexicon().title_set),
    ("attacks sentence cues", attacks.lexicon().sentence_cues),
    ("attacks definite singulars", attacks.lexicon().definite_singular),
    ("diplomacy triggers", diplomacy.lexicon().trigger_set),
    ("opaque bodies", PatternSet(r"(?<!\w)[وف]?", ["[قك]ال", "(?:ال)?\\w{2}ه"])),
])
def test_pattern_set_equals_separate_scans(name, patterns):
    for text in _texts():
        true_starts = {p for p in range(len(text) + 1) if any(rx.match(text, p) for rx in patterns.patterns)}
        assert true_starts <= set(patterns.starts(text)), name
        assert patterns.spans_each(text) == \
            [[m.span() for m in rx.finditer(text)] for rx in patterns.patterns], name
        assert patterns.matching(text) == [bool(rx.search(text)) for rx in patterns.patterns], name


def test_finditer_at_equals_finditer():
    lex = diplomacy.lexicon()
    for text in _texts():
        assert [(m.span(), m.lastgroup) for m in finditer_at(lex.combined, text, lex.trigger_set.starts(text))] == \
            [(m.span(), m.lastgroup) for m in lex.combined.finditer(text)]


def test_prefiltered_search_equals_search():
    largest = attacks.lexicon().largest
    odd = Prefiltered("[ab]c|d")  # no literal heads: a plain search
    for text in _texts() + ["اكبر هجوم", "الهجوم الاكبر منذ بدء الحرب", "xbc d"]:
        for rx in (largest, odd):
            found, expected = rx.search(text), rx.rx.search(text)
            assert (found and found.span()) == (expected and expected.span())


def test_prefix_must_start_at_a_word_start():
    with pytest.raises(ValueError):
        PatternSet("[وف]?", ["قال"])
