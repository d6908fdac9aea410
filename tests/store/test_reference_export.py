"""Reference records against the seed attacks, the consensus rule, and the exports."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime

import pytest

from marsad.link.reconcile import Claim, consensus, source_kind
from marsad.link.reference import load_air_force_csv, weapon_kind
from marsad.schema import Attack, Figure, Report, Span
from marsad.store import queries
from marsad.store.export import CLAIM_COLUMNS, EVENT_COLUMNS, export
from marsad.store.ingest import add_article
from tests.conftest import SEEDS
from tests.store.factory import KYIV, article

AIR_CSV = "data/reference/ukraine-air-attacks/missile_attacks_daily.csv"


def _gold_report(aid: str, gold: dict) -> Report:
    """The seed's gold attacks as a report (spans are not needed by the store)."""
    attacks = [
        Attack(id=f"a{i}", date=g["date"], attacker=g["attacker"], target=g["target"], locations=g["locations"],
               weapons=g["weapons"], claims=g["claims"],
               figures=[Figure(id=f"a{i}f{j}", measure=f["measure"], weapon=f["weapon"], value=f["value"],
                               qualifier=f["qualifier"], source=f["source"], span=Span(start=0, end=0),
                               sentence="", sentence_span=Span(start=0, end=0))
                        for j, f in enumerate(g["figures"])])
        for i, g in enumerate(gold["attacks"])
    ]
    return Report(id=aid, attacks=attacks)


def test_seed_attacks_compare_with_the_air_force_records(store, shared_dir):
    with store.write() as conn:
        added, known, problems = load_air_force_csv(conn, shared_dir / AIR_CSV)
    assert added > 3000 and known == 0 and problems == []
    with store.write() as conn:
        assert load_air_force_csv(conn, shared_dir / AIR_CSV)[:2] == (0, added)  # reloading adds nothing
    for seed in ("seed-000", "seed-003"):
        text = (SEEDS / f"{seed}.txt").read_text("utf-8")
        gold = json.loads((SEEDS / f"{seed}.gold.json").read_text("utf-8"))
        add_article(store, article(seed, text), _gold_report(seed, gold), embed=False)
    events = {e["articles"][0]: queries.get_event(store, e["id"]) for e in queries.list_events(store, with_articles=True)}

    july = events["seed-000"]["reference"]
    assert july["night"] == "2025-07-04" and july["matched_by"] == "date"
    checks = {(c["measure"], c["weapon"]): c for c in july["checks"]}
    assert checks[("launched", "drone")]["record"] == 539 and checks[("launched", "drone")]["agrees"]
    missiles = checks[("launched", "missile")]
    assert (missiles["claimed"], missiles["qualifier"], missiles["record"]) == (10, "approx", 11)
    assert not missiles["agrees"] and missiles["within_qualifier"]  # "about ten" vs 11: flagged, within its hedge

    may = events["seed-003"]["reference"]  # undated in the text: found by its 273 drones
    assert may["night"] == "2025-05-18" and may["matched_by"] == "figures"
    got = {c["measure"]: (c["claimed"], c["record"], c["agrees"]) for c in may["checks"]}
    assert got == {"launched": (273, 273, True), "intercepted": (88, 88, True), "lost": (128, 128, True)}


def test_air_force_models_map_to_weapon_kinds():
    assert weapon_kind("Shahed-136/131") == "drone"
    assert weapon_kind("Iskander-M/KN-23") == "ballistic_missile"
    assert weapon_kind("Iskander-K") == "cruise_missile"
    assert weapon_kind("X-101/X-555 and Kalibr") == "cruise_missile"
    assert weapon_kind("X-47 Kinzhal and Iskander-M") == "ballistic_missile"
    assert weapon_kind("C-400 and Iskander-K") == "missile"  # mixed missile kinds
    assert weapon_kind("Shahed-136/131 and Lancet") == "drone"


def _claim(cid, value, qualifier="exact", kind="official", when=None, measure="killed"):
    return Claim(id=cid, measure=measure, weapon=None, value=value, qualifier=qualifier, source=("x",),
                 source_kind=kind, outlet=cid, article_id=cid, sentence=None,
                 published=datetime.fromisoformat(when) if when else None)


def test_consensus_prefers_official_then_latest_and_keeps_ranges():
    rows = consensus([
        _claim("media-late", 40, kind="media", when="2025-07-05T12:00"),
        _claim("official-early", 30, when="2025-07-04T08:00"),
        _claim("official-late", 35, qualifier="at_least", when="2025-07-04T18:00"),
    ])
    (row,) = rows
    assert (row["claim_id"], row["value"], row["qualifier"]) == ("official-late", 35, "at_least")
    # the two official claims contradict (30 vs ≥35): the winner keeps its own range
    assert (row["low"], row["high"]) == (35, None)
    kinds = {tuple(c["claims"]): c["type"] for c in row["conflicts"]}
    assert kinds[("official-early", "official-late")] == "revision"  # the higher toll came later
    assert ("official-early", "media-late") in kinds


def test_conflicts_of_a_much_reported_event_are_listed_per_value_not_per_claim_pair():
    claims = [_claim(f"c{i}", 539 if i % 2 else 550, measure="launched") for i in range(1000)]
    (row,) = consensus(claims)
    assert row["n_conflicts"] == 1 and len(row["conflicts"]) == 1  # not 250,000 pairs
    assert sorted(row["conflicts"][0]["values"]) == [539, 550]
    assert len(row["conflicted_claims"]) == 1000
    spread = consensus([_claim(f"s{v}", v, measure="launched") for v in range(100, 200)])[0]
    assert spread["n_conflicts"] == 100 * 99 // 2 and len(spread["conflicts"]) == 50


def test_approximate_claims_do_not_conflict_with_nearby_values():
    rows = consensus([_claim("a", 10, qualifier="approx", measure="launched"), _claim("b", 11, measure="launched")])
    assert rows[0]["conflicts"] == []
    assert (rows[0]["low"], rows[0]["high"]) == (11, 11)


@pytest.mark.parametrize("names,kind", [
    (["Ukrainian Air Force"], "official"), (["Mayor of Kyiv", "Vitali Klitschko"], "official"),
    (["The Kyiv Independent"], "media"), (["Reuters"], "media"), (["Institute for the Study of War"], "other"),
    (None, "unattributed"),
])
def test_source_kinds(names, kind):
    assert source_kind(names) == kind


def test_exports_csv_jsonl_geojson(store, tmp_path):
    s = "أطلقت روسيا 120 طائرة مسيرة على كييف ليلا وقتل ثلاثة أشخاص، بحسب الإدارة العسكرية للمدينة."
    a = article("kyiv-night", s + " واندلعت حرائق في حيين.", published="2025-06-10", outlet="مرصد الأخبار")
    fig = lambda fid, m, v, w=None: Figure(id=fid, measure=m, weapon=w, value=v, source=["Kyiv City Military Administration"],
                                           span=Span(start=0, end=3), sentence=s, sentence_span=Span(start=0, end=len(s)))
    report = Report(id=a.id, attacks=[Attack(id="a1", date="2025-06-10", attacker="Russia", target="Ukraine",
                                             locations=["Kyiv"], places=[KYIV], weapons=["drone"],
                                             figures=[fig("f1", "launched", 120, "drone"), fig("f2", "killed", 3)])])
    add_article(store, a, report)
    out = tmp_path / "events.csv"
    assert export(store, "csv", out) == {"events": 1, "claims": 2}
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert tuple(rows[0]) == EVENT_COLUMNS
    assert {k: rows[0][k] for k in ("event_date", "event_type", "sub_event_type", "actor1", "actor2", "country",
                                    "location", "latitude", "longitude", "fatalities", "source")} == {
        "event_date": "2025-06-10", "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
        "actor1": "Russia", "actor2": "Ukraine", "country": "Ukraine", "location": "Kyiv", "latitude": "50.45",
        "longitude": "30.52", "fatalities": "3", "source": "مرصد الأخبار"}
    claims = list(csv.DictReader((tmp_path / "events.claims.csv").open(encoding="utf-8")))
    assert tuple(claims[0]) == CLAIM_COLUMNS and {c["value"] for c in claims} == {"120", "3"}
    assert all(c["sentence"] == s and c["is_consensus"] == "True" for c in claims)

    gj = tmp_path / "places.geojson"
    assert export(store, "geojson", gj) == {"features": 1}
    doc = json.loads(gj.read_text("utf-8"))
    assert doc["type"] == "FeatureCollection"
    (feat,) = doc["features"]
    assert feat["type"] == "Feature" and feat["geometry"] == {"type": "Point", "coordinates": [30.52, 50.45]}
    assert feat["properties"]["killed"] == 3 and feat["properties"]["place"] == "Kyiv"

    jl = tmp_path / "events.jsonl"
    assert export(store, "jsonl", jl) == {"events": 1}
    ev = json.loads(jl.read_text("utf-8").splitlines()[0])
    assert ev["date"] == "2025-06-10" and len(ev["claims"]) == 2
    with pytest.raises(ValueError, match="unknown export format 'xml'"):
        export(store, "xml", tmp_path / "x.xml")
