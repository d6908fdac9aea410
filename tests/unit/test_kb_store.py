"""The knowledge base's data and its domain questions (offices, institutions, actors, geography)."""

from datetime import date

import pytest

from marsad.kb import get_kb
from marsad.kb.gazetteer import matcher
from marsad.kb.store import KBDataError, _entry
from marsad.text.normalize import normalize


def test_kb_is_broad_and_consistent():
    kb = get_kb()
    hand = [e for e in kb if not e.auto]
    assert len(hand) >= 800
    assert len(kb) > len(hand) + 1000  # GeoNames towns with Arabic names
    assert all(e.type in ("PER", "ORG", "LOC") for e in kb)
    for e in hand:
        if e.kind in ("city", "country", "oblast", "governorate", "state"):
            assert e.lat is not None, f"{e.id} has no coordinates"


def test_names_and_aliases_resolve():
    kb = get_kb()
    assert kb.by_name("Zelensky").id == "volodymyr-zelenskyy"
    assert kb.by_name("IDF").id == "idf"
    assert kb.by_name("Kiev").id == "kyiv"
    assert kb.by_name("ansar allah").name == "Houthis"


def test_actors_countries_and_geography():
    kb = get_kb()
    assert kb.actor_of("russian-armed-forces") == "Russia"
    assert kb.actor_of("idf") == "Israel"
    assert kb.actor_of("rsf") == "Rapid Support Forces"
    assert kb.actor_of("ukraine") == "Ukraine"
    assert kb.actor_of("new:someone") is None
    assert kb.country_of("pavlohrad") == "Ukraine"
    assert kb.within("pavlohrad", "dnipropetrovsk-oblast") and kb.is_region("dnipropetrovsk-oblast")
    assert not kb.is_region("kyiv")
    assert kb.coordinates("omdurman")["country"] == "Sudan"
    assert kb.demonym("russia") == "Russian"


def test_offices_follow_dates():
    kb = get_kb()
    assert kb.office("حاكم", "dnipropetrovsk-oblast", date(2023, 1, 15)).holder_name == "Valentyn Reznichenko"
    assert kb.office("حاكم", "dnipropetrovsk-oblast", date(2023, 10, 3)).holder_name == "Serhiy Lysak"
    assert kb.office("الرئيس", "united-states", date(2023, 5, 1)).holder_name == "Joe Biden"
    office = kb.office("وزير الخارجية", "russia")
    assert office.name == "Minister of Foreign Affairs of Russia" and office.holder_id == "sergey-lavrov"
    assert kb.office("الرئيس", "united-states").name == "President of the United States"
    assert kb.office("حاكم", "kharkiv").name == "Governor of Kharkiv Oblast"  # a city's governor is its oblast's


def test_institutions_by_country_and_theatre():
    kb = get_kb()
    assert kb.institution("ukraine", "air_force").name == "Ukrainian Air Force"
    assert kb.institution("gaza-strip", "health_ministry").name == "Gaza Health Ministry"
    assert kb.institution("khartoum-state", "health_ministry").name == "Khartoum State Ministry of Health"
    assert kb.institution("omdurman", "army") is None or kb.institution("sudan", "army").id == "saf"


def test_matcher_has_demonym_forms():
    index = matcher().index
    for form in ("الروسي", "الروسية", "الروس", "الأمريكيين", "فلسطينيون"):
        assert normalize(form) in index, form


def test_bad_record_names_the_problem():
    with pytest.raises(KBDataError, match="people.yaml"):
        _entry({"name": "No Id"}, "people.yaml")
    with pytest.raises(KBDataError, match="type"):
        _entry({"id": "x", "name": "X", "type": "THING"}, "orgs.yaml")


def test_compiled_kb_matches_the_yaml():
    """kb.json must be rebuilt (python tools/build_kb_places.py) after editing the KB YAML."""
    import json
    from importlib import resources

    from marsad.kb.store import source_digest

    compiled = json.loads(resources.files("marsad.data.kb").joinpath("kb.json").read_text("utf-8"))
    assert compiled["digest"] == source_digest(), "kb.json is stale: run python tools/build_kb_places.py"
