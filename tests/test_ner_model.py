"""The shipped NER model: loads offline and meets the floors recorded beside its model card."""

import json

import pytest

from marsad.ner.corpora import CORPORA, data_dir
from marsad.ner.evaluate import evaluate_corpora, format_report
from marsad.ner.features import norm_tokens
from marsad.ner.model import MODEL_DIR, load_model

MAX_MB = 40


def test_model_files_ship_with_the_package():
    for name in ("ner.crfsuite", "ner.npz", "gazetteer.json", "MODEL_CARD.md", "floors.json", "settings.json"):
        assert (MODEL_DIR / name).is_file(), name
    size = sum(p.stat().st_size for p in MODEL_DIR.iterdir())
    assert size <= MAX_MB * 1e6


def test_model_card_reports_the_recorded_scores():
    card = (MODEL_DIR / "MODEL_CARD.md").read_text("utf-8")
    settings = json.loads((MODEL_DIR / "settings.json").read_text("utf-8"))
    for corpus, res in settings["scores"].items():
        assert f"| {corpus} | all | " in card
        assert f"{res['all']['f1']:.3f}" in card


def test_shipped_model_meets_its_floors_on_the_test_splits():
    if not all((data_dir() / c.folder).is_dir() for c in CORPORA.values()):
        pytest.skip(f"NER corpora not found under {data_dir()}")
    floors = json.loads((MODEL_DIR / "floors.json").read_text("utf-8"))
    result = evaluate_corpora(list(floors))
    print(format_report(result))
    for corpus, per_type in floors.items():
        for typ, floor in per_type.items():
            got = result[corpus][typ]["f1"]
            assert got >= floor, f"{corpus} {typ}: F1 {got:.3f} below floor {floor:.3f}"


def test_tagger_types_names_in_a_plain_sentence():
    tags = load_model().tag_words("وصل الرئيس الفرنسي إيمانويل ماكرون إلى بيروت صباح الجمعة .".split())
    assert tags[3:5] == ["B-PER", "I-PER"]
    assert tags[6] == "B-LOC"
    assert tags.count("O") == len(tags) - 3


def test_compiled_tagger_equals_crfsuite():
    pycrfsuite = pytest.importorskip("pycrfsuite")
    model = load_model()
    tagger = pycrfsuite.Tagger()
    tagger.open(str(MODEL_DIR / "ner.crfsuite"))
    sentences = [
        "قال حاكم منطقة خاركيف أوليه سينيهوبوف إن القوات الروسية قصفت بلدة كوبيانسك .".split(),
        "وأعلنت وزارة الصحة في غزة مقتل 12 شخصا في غارة على مخيم النصيرات".split(),
        ["بيروت"],
        "التقى رئيس الوزراء اللبناني نواف سلام بالمبعوث الأمريكي توم باراك في قصر بعبدا ، وفق الوكالة الوطنية للإعلام .".split(),
    ]
    words = [norm_tokens(s) for s in sentences]
    for w, (tags, conf) in zip(words, model.tag_many(words, with_confidence=True)):
        assert tags == tagger.tag(model.featurizer.sentence(w))
        for i, t in enumerate(tags):
            assert conf[i] == pytest.approx(tagger.marginal(t, i), abs=1e-5)
