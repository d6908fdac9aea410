"""Unit tests of the NER building blocks: labels, clitics, features, conlleval scoring, merging."""

from marsad.document import Mention
from marsad.ner.corpora import map_label, repair_bio
from marsad.ner.evaluate import score, spans
from marsad.ner.features import Featurizer, norm_tokens, shape, split_clitics
from marsad.ner.stage import merge_mentions


def test_corpus_labels_map_to_three_types():
    assert map_label("B-PERS") == "B-PER"
    assert map_label("I-GPE") == "I-LOC"
    assert map_label("B-MISC") == "O"
    assert map_label("I-MIS") == "O"
    assert map_label("O") == "O"


def test_orphan_inside_tag_becomes_begin():
    assert repair_bio(["O", "I-PER", "I-PER", "B-LOC", "I-ORG"]) == ["O", "B-PER", "I-PER", "B-LOC", "B-ORG"]


def test_clitics_split_keeps_short_names_whole():
    assert split_clitics("وبالقدس") == ("وبال", "قدس")
    assert split_clitics("للجيش") == ("لل", "جيش")
    assert split_clitics("لندن") == ("ل", "ندن")  # ambiguous: the CRF also sees the whole word
    assert split_clitics("وفد") == ("", "وفد")
    assert split_clitics("ال") == ("", "ال")


def test_shape_classes():
    assert shape("خاركيف") == "ar"
    assert shape("afp") == "lat"
    assert shape("2025") == "num"
    assert shape("،") == "punct"


def test_normalised_tokens_feed_features():
    words = norm_tokens(["أعلنت", "وزارةُ", "الدفاع"])
    assert words == ["اعلنت", "وزاره", "الدفاع"]
    feats = Featurizer({"الدفاع": "ORG"}).sentence(words)
    assert "BOS" in feats[0] and "EOS" in feats[2]
    assert "+1w=وزاره" in feats[0] and "-1w=وزاره" in feats[2]
    assert "gaz=ORG" in feats[2] and "+1gaz=ORG" in feats[1]
    assert "bi-=وزاره|الدفاع" in feats[2]


def test_conlleval_spans_and_scores():
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "I-ORG", "O"]]
    pred = [["B-PER", "I-PER", "O", "B-ORG"], ["B-ORG", "O", "O"]]
    assert spans(gold[0]) == {(0, 2, "PER"), (3, 4, "LOC")}
    assert spans(["I-LOC", "I-LOC", "I-PER"]) == {(0, 2, "LOC"), (2, 3, "PER")}
    res = score(gold, pred)
    assert res["all"]["tp"] == 1 and res["all"]["gold"] == 3 and res["all"]["pred"] == 3
    assert res["PER"]["f1"] == 1.0
    assert res["ORG"]["f1"] == 0.0


def test_kb_mentions_win_over_overlapping_model_mentions():
    kb = [Mention(10, 17, "PER", entity_id="Q1"), Mention(40, 45, "LOC", entity_id="Q2")]
    ner = [Mention(0, 6, "LOC", origin="ner"), Mention(5, 12, "PER", origin="ner"),
           Mention(20, 30, "ORG", origin="ner"), Mention(44, 50, "LOC", origin="ner")]
    merged = merge_mentions(kb, ner)
    assert [(m.start, m.end, m.origin) for m in merged] == [(0, 6, "ner"), (10, 17, "kb"), (20, 30, "ner"), (40, 45, "kb")]
