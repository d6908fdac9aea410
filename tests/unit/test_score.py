"""The scorer implements the gold format's matching rules; each test builds a tiny gold and prediction."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from marsad.eval.gold import EvalInputError, check_gold, load_gold_dir, load_predictions
from marsad.eval.score import name_key, quote_overlap, score_article, score_corpus

AIR_FORCE = ["Ukrainian Air Force", "Air Force of Ukraine"]
MAYOR = ["Mayor of Kyiv", "Vitali Klitschko"]


def fig(measure: str, value: int, weapon: str | None = None, qualifier: str = "exact", source: list[str] | None = None) -> dict:
    return {"measure": measure, "weapon": weapon, "value": value, "qualifier": qualifier, "source": source}


def attack(*figures: dict, **attrs) -> dict:
    base = {"date": "2025-07-04", "attacker": "Russia", "target": "Ukraine", "locations": ["Kyiv"],
            "weapons": ["drone"], "claims": [], "figures": list(figures)}
    return {**base, **attrs}


def gold_doc(**layers) -> dict:
    doc = {"id": "t", "published": None, "attacks": [], "diplomacy": [], "quotes": [], "entities": []}
    return {**doc, **layers}


def entity(name: str, type_: str = "LOC", aliases: list[str] | None = None, optional: bool = False) -> dict:
    return {"name": name, "type": type_, "aliases": aliases or [], "mentions": [], "optional": optional}


KYIV_GOLD = gold_doc(
    attacks=[attack(fig("launched", 539, "drone", source=AIR_FORCE), fig("killed", 1, qualifier="at_least", source=MAYOR))],
    entities=[entity("Kyiv", aliases=["Kiev"]), entity("Vitali Klitschko", "PER", ["Klitschko"]),
              entity("Russia", aliases=["Russian Federation"])],
)


def layer(result, name: str):
    return result.layers[name]


def test_identical_prediction_scores_one_everywhere() -> None:
    art = score_article(KYIV_GOLD, copy.deepcopy(KYIV_GOLD))
    for name, lay in art.layers.items():
        assert lay.prf.f1 == 1.0, name
        assert all(a.value in (1.0, None) for a in lay.attributes.values()), name
    assert art.errors == []


def test_names_ignore_case_and_punctuation() -> None:
    assert name_key("Ashraf al-Qudra") == name_key("ASHRAF ALQUDRA")
    assert name_key("  The   Pentagon. ") == "the pentagon"
    assert name_key("Ashraf al-Qudra") != name_key("Ashraf Qudra")


def test_figure_needs_measure_weapon_and_value() -> None:
    pred = gold_doc(attacks=[attack(fig("launched", 539, "missile", source=AIR_FORCE), fig("killed", 2, source=MAYOR))])
    figures = score_article(KYIV_GOLD, pred).layers["figures"].prf
    assert (figures.tp, figures.fp, figures.fn) == (0, 2, 2)


def test_figures_match_across_attacks_and_qualifier_is_an_attribute() -> None:
    pred = gold_doc(attacks=[attack(fig("launched", 539, "drone", source=AIR_FORCE)),
                             attack(fig("killed", 1, qualifier="exact", source=["Klitschko"]))])
    art = score_article(KYIV_GOLD, pred)
    figures = art.layers["figures"]
    assert (figures.prf.tp, figures.prf.fp, figures.prf.fn) == (2, 0, 0)
    assert (figures.attributes["qualifier"].correct, figures.attributes["qualifier"].total) == (1, 2)
    # "Klitschko" is an alias of the gold entity Vitali Klitschko, who is in the gold source list
    assert figures.attributes["source"].value == 1.0
    assert any("qualifier exact, gold at_least" in e for e in art.errors)


def test_source_list_matches_when_any_element_matches() -> None:
    pred = copy.deepcopy(KYIV_GOLD)
    pred["attacks"][0]["figures"][1]["source"] = ["Kyiv City Military Administration", "mayor of kyiv"]
    assert score_article(KYIV_GOLD, pred).layers["figures"].attributes["source"].value == 1.0
    pred["attacks"][0]["figures"][1]["source"] = ["Ukrainian Air Force"]
    assert score_article(KYIV_GOLD, pred).layers["figures"].attributes["source"].value == 0.5


def test_source_is_not_judged_when_gold_source_is_null() -> None:
    gold = gold_doc(attacks=[attack(fig("launched", 10, "missile", "approx", source=None))])
    pred = gold_doc(attacks=[attack(fig("launched", 10, "missile", "approx", source=AIR_FORCE))])
    source = score_article(gold, pred).layers["figures"].attributes["source"]
    assert source.total == 0 and source.value is None
    # …but a missing predicted source where gold has one is wrong
    pred_none = copy.deepcopy(KYIV_GOLD)
    pred_none["attacks"][0]["figures"][0]["source"] = None
    assert score_article(KYIV_GOLD, pred_none).layers["figures"].attributes["source"].correct == 1


def test_duplicate_predicted_figure_is_a_false_positive() -> None:
    pred = copy.deepcopy(KYIV_GOLD)
    pred["attacks"][0]["figures"].append(fig("launched", 539, "drone", source=AIR_FORCE))
    prf = score_article(KYIV_GOLD, pred).layers["figures"].prf
    assert (prf.tp, prf.fp, prf.fn) == (2, 1, 0)


def test_attack_matches_the_gold_attack_sharing_most_figures() -> None:
    gold = gold_doc(attacks=[
        attack(fig("launched", 100, "drone"), fig("intercepted", 80, "drone"), locations=["Kyiv"]),
        attack(fig("killed", 3), attacker="Israel", target="Gaza Strip", locations=["Khan Younis"], weapons=["aircraft"]),
    ])
    pred = gold_doc(attacks=[
        # one predicted attack holds figures of both gold attacks: it matches the first (2 shared > 1)
        attack(fig("launched", 100, "drone"), fig("intercepted", 80, "drone"), fig("killed", 3)),
        attack(),  # no figures: neither rewarded nor penalised
        attack(fig("injured", 7)),  # shares no matched figure: false positive
    ])
    art = score_article(gold, pred)
    attacks = art.layers["attacks"]
    assert (attacks.prf.tp, attacks.prf.fp, attacks.prf.fn) == (1, 1, 1)
    assert attacks.attributes["locations"].value == 1.0
    assert art.layers["figures"].prf.tp == 3


def test_attack_attributes() -> None:
    gold = gold_doc(attacks=[attack(fig("killed", 1), date="2025-07-04", attacker="Russia", target="Ukraine",
                                    locations=["Kyiv", "Odesa"], weapons=["drone", "missile"], claims=["largest"])],
                    entities=[entity("Russia", aliases=["Russian Federation"]), entity("Kyiv", aliases=["Kiev"])])
    pred = gold_doc(attacks=[attack(fig("killed", 1), date="2025-07-04", attacker="russian federation", target=None,
                                    locations=["Odesa", "Kiev"], weapons=["missile", "drone"], claims=[])])
    attrs = score_article(gold, pred).layers["attacks"].attributes
    assert attrs["date"].value == 1.0
    assert attrs["attacker"].value == 1.0
    assert attrs["target"].value == 0.0  # null only matches null
    assert attrs["locations"].value == 1.0  # order-free, via gold aliases
    assert attrs["weapons"].value == 1.0
    assert attrs["claims"].value == 0.0
    pred["attacks"][0]["locations"].append("Ukraine")
    pred["attacks"][0]["date"] = None
    attrs = score_article(gold, pred).layers["attacks"].attributes
    assert attrs["locations"].value == 0.0 and attrs["date"].value == 0.0


DIPLOMACY_GOLD = gold_doc(
    diplomacy=[
        {"type": "phone_call", "participants": ["Donald Trump", "Vladimir Putin"], "status": "happened"},
        {"type": "aid_suspension", "participants": [["United States", "The Pentagon", "Donald Trump"], "Ukraine"], "status": "happened"},
    ],
    entities=[entity("Donald Trump", "PER", ["Trump"]), entity("Vladimir Putin", "PER", ["Putin"])],
)


def test_diplomacy_participants_are_order_free_and_accept_name_lists() -> None:
    pred = gold_doc(diplomacy=[
        {"type": "phone_call", "participants": ["Putin", "trump"], "status": "planned"},
        {"type": "aid_suspension", "participants": ["Ukraine", "The Pentagon"], "status": "happened"},
    ])
    dip = score_article(DIPLOMACY_GOLD, pred).layers["diplomacy"]
    assert (dip.prf.tp, dip.prf.fp, dip.prf.fn) == (2, 0, 0)
    assert (dip.attributes["status"].correct, dip.attributes["status"].total) == (1, 2)


def test_diplomacy_needs_same_type_and_every_participant() -> None:
    pred = gold_doc(diplomacy=[
        {"type": "meeting", "participants": ["Donald Trump", "Vladimir Putin"], "status": "happened"},
        {"type": "aid_suspension", "participants": ["United States"], "status": "happened"},
        {"type": "aid_suspension", "participants": ["United States", "Ukraine", "Poland"], "status": "happened"},
    ])
    prf = score_article(DIPLOMACY_GOLD, pred).layers["diplomacy"].prf
    assert (prf.tp, prf.fp, prf.fn) == (0, 3, 2)


QUOTE = "مرة أخرى، تُظهر روسيا أنه ليس لديها أي نية لإنهاء الحرب والإرهاب"


def test_quote_word_overlap_is_normalised_and_symmetric() -> None:
    assert quote_overlap(QUOTE, QUOTE.replace("تُظهر", "تظهر").replace("أي", "اي")) == 1.0
    half = " ".join(QUOTE.split()[:6])
    assert quote_overlap(QUOTE, half) == quote_overlap(half, QUOTE)


def test_quotes_match_at_half_the_words_of_each_text() -> None:
    words = QUOTE.split()  # 12 words
    gold = gold_doc(quotes=[{"speaker": ["Volodymyr Zelenskyy"], "text": QUOTE, "optional": False}])
    six = {"speaker": ["Volodymyr Zelenskyy"], "text": " ".join(words[:6])}
    five = {"speaker": ["Volodymyr Zelenskyy"], "text": " ".join(words[:5])}
    assert score_article(gold, gold_doc(quotes=[six])).layers["quotes"].prf.tp == 1
    prf = score_article(gold, gold_doc(quotes=[five])).layers["quotes"].prf
    assert (prf.tp, prf.fp, prf.fn) == (0, 1, 1)
    # a long prediction that swallows the quote plus as much narration again is no match either
    padded = {"speaker": ["Volodymyr Zelenskyy"], "text": QUOTE + " وقال الرئيس في مؤتمر صحفي عقده أمس في العاصمة كييف مع نظيره الأمريكي"}
    assert score_article(gold, gold_doc(quotes=[padded])).layers["quotes"].prf.tp == 0


def test_quote_speaker_accuracy() -> None:
    gold = gold_doc(quotes=[{"speaker": ["Ashraf al-Qudra", "Gaza Health Ministry"], "text": QUOTE, "optional": False}],
                    entities=[entity("Gaza Health Ministry", "ORG", ["Ministry of Health in Gaza"])])
    ok = gold_doc(quotes=[{"speaker": ["Ministry of Health in Gaza"], "text": QUOTE}])
    wrong = gold_doc(quotes=[{"speaker": ["Israel Defense Forces"], "text": QUOTE}])
    none = gold_doc(quotes=[{"speaker": None, "text": QUOTE}])
    assert score_article(gold, ok).layers["quotes"].attributes["speaker"].value == 1.0
    assert score_article(gold, wrong).layers["quotes"].attributes["speaker"].value == 0.0
    assert score_article(gold, none).layers["quotes"].attributes["speaker"].value == 0.0


def test_optional_gold_quotes_are_neither_misses_nor_false_positives() -> None:
    gold = gold_doc(quotes=[{"speaker": ["Donald Trump"], "text": "سئم", "optional": True},
                            {"speaker": ["Donald Trump"], "text": "وقف حمّام الدم", "optional": False}])
    missed = score_article(gold, gold_doc(quotes=[{"speaker": ["Donald Trump"], "text": "وقف حمام الدم"}]))
    assert (missed.layers["quotes"].prf.tp, missed.layers["quotes"].prf.fn) == (1, 0)
    both = score_article(gold, gold_doc(quotes=[{"speaker": ["Donald Trump"], "text": "سئم"},
                                                 {"speaker": ["Donald Trump"], "text": "وقف حمام الدم"}]))
    prf = both.layers["quotes"].prf
    assert (prf.tp, prf.fp, prf.fn) == (1, 0, 0)


def test_short_predicted_quotes_are_optional_by_the_spec_rule() -> None:
    gold = gold_doc(quotes=[])
    short = gold_doc(quotes=[{"speaker": None, "text": "فلاديمير، توقّف!"}])
    long = gold_doc(quotes=[{"speaker": None, "text": "لقد كانت ليلة وحشية بلا نوم"}])
    assert score_article(gold, short).layers["quotes"].prf.fp == 0
    assert score_article(gold, long).layers["quotes"].prf.fp == 1


def test_entities_match_by_name_or_alias_with_type_accuracy() -> None:
    gold = gold_doc(entities=[entity("Kyiv", aliases=["Kiev"]), entity("NATO", "ORG", ["North Atlantic Treaty Organization"]),
                              entity("Getty Images", "ORG", optional=True), entity("Poland")])
    pred = gold_doc(entities=[
        {"name": "Kiev", "type": "LOC", "aliases": []},
        {"name": "North Atlantic Treaty Organization", "type": "LOC", "aliases": ["NATO"]},
        {"name": "Getty Images", "type": "ORG", "aliases": []},       # optional gold: not a hit, not an FP
        {"name": "Associated Press", "type": "ORG", "aliases": ["AP"], "optional": True},  # we mark it optional: no FP
        {"name": "Odesa", "type": "LOC", "aliases": []},              # false positive
    ])
    ents = score_article(gold, pred).layers["entities"]
    assert (ents.prf.tp, ents.prf.fp, ents.prf.fn) == (2, 1, 1)
    assert (ents.attributes["type"].correct, ents.attributes["type"].total) == (1, 2)


def test_non_optional_gold_wins_over_optional_for_the_same_prediction() -> None:
    gold = gold_doc(entities=[entity("Gaza", optional=True), entity("Gaza Strip", aliases=["Gaza"])])
    pred = gold_doc(entities=[{"name": "Gaza Strip", "type": "LOC", "aliases": ["Gaza"]}])
    prf = score_article(gold, pred).layers["entities"].prf
    assert (prf.tp, prf.fp, prf.fn) == (1, 0, 0)


def test_micro_average_pools_counts_over_articles() -> None:
    empty = gold_doc()
    result = score_corpus([("a", KYIV_GOLD, copy.deepcopy(KYIV_GOLD)), ("b", KYIV_GOLD, empty)])
    figures = result.layers["figures"].prf
    assert (figures.tp, figures.fp, figures.fn) == (2, 0, 2)
    assert figures.recall == 0.5 and figures.precision == 1.0
    assert [a.id for a in result.articles] == ["a", "b"]
    assert result.metrics()["figures.f1"] == pytest.approx(2 / 3)
    data = result.to_dict()
    assert data["layers"]["figures"]["fn"] == 2 and data["articles"][1]["layers"]["figures"]["recall"] == 0.0
    json.dumps(data)


def test_empty_gold_and_prediction_is_perfect_and_extra_prediction_is_not() -> None:
    assert score_article(gold_doc(), gold_doc()).layers["diplomacy"].prf.f1 == 1.0
    extra = gold_doc(diplomacy=[{"type": "meeting", "participants": ["Russia", "Ukraine"], "status": "happened"}])
    assert score_article(gold_doc(), extra).layers["diplomacy"].prf.f1 == 0.0


def test_report_model_dump_scores_like_gold(tmp_path: Path) -> None:
    from marsad.schema import Attack, Figure, Report, Span

    span = Span(start=0, end=3)
    report = Report(id="t", attacks=[Attack(id="a1", date="2025-07-04", attacker="Russia", target="Ukraine",
                                            locations=["Kyiv"], weapons=["drone"], figures=[
        Figure(id="f1", measure="launched", weapon="drone", value=539, source=AIR_FORCE, span=span, sentence="", sentence_span=span),
        Figure(id="f2", measure="killed", value=1, qualifier="at_least", source=["Vitali Klitschko"], span=span, sentence="", sentence_span=span),
    ])])
    art = score_article(KYIV_GOLD, report.model_dump(mode="json"))
    assert art.layers["figures"].prf.f1 == 1.0 and art.layers["attacks"].prf.f1 == 1.0


def test_gold_and_prediction_loading(tmp_path: Path) -> None:
    gold_dir, pred_dir = tmp_path / "gold", tmp_path / "pred"
    gold_dir.mkdir()
    pred_dir.mkdir()
    (gold_dir / "k.txt").write_text("قُتل شخص في كييف", encoding="utf-8")
    (gold_dir / "k.gold.json").write_text(json.dumps({**KYIV_GOLD, "id": "k", "published": "2025-07-04", "outlet": "x"}))
    (gold_dir / "m.gold.json").write_text(json.dumps({**KYIV_GOLD, "id": "m"}))
    (gold_dir / "m.meta.json").write_text(json.dumps({"published": "2024-01-02"}))
    arts = load_gold_dir(gold_dir)
    assert [(a.id, str(a.meta.published), a.text_path is not None) for a in arts] == [
        ("k", "2025-07-04", True), ("m", "2024-01-02", False)]
    (pred_dir / "k.json").write_text(json.dumps({"id": "k", "attacks": []}))
    assert set(load_predictions(pred_dir)) == {"k"}
    lines = tmp_path / "preds.jsonl"
    lines.write_text(json.dumps({"id": "k"}) + "\n" + json.dumps({"id": "m"}) + "\n")
    assert set(load_predictions(lines)) == {"k", "m"}


def test_bad_gold_is_reported_with_file_and_field(tmp_path: Path) -> None:
    bad = copy.deepcopy(KYIV_GOLD)
    bad["attacks"][0]["figures"][0]["measure"] = "shot_down"
    with pytest.raises(EvalInputError, match=r"g.json: attacks\[0\]\.figures\[0\]\.measure = 'shot_down'"):
        check_gold(bad, "g.json")
    (tmp_path / "x.gold.json").write_text("{not json")
    with pytest.raises(EvalInputError, match="x.gold.json: invalid JSON"):
        load_gold_dir(tmp_path)
