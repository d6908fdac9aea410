"""The store on both databases: idempotency, near-duplicates, linking, reconciliation, queries, deletion."""

from __future__ import annotations

import sqlalchemy as sa

from marsad.store import queries
from marsad.store import tables as t
from marsad.store.ingest import add_article, delete_article, ingest
from marsad.io import InputProblem
from tests.store.factory import KYIV, LVIV, article, attack_report, call, figure

AIR_FORCE = ["Ukrainian Air Force"]

S_A = "أطلقت روسيا 539 طائرة مسيرة على كييف الليلة الماضية، وفقا لسلاح الجو الأوكراني."
TEXT_A = (
    S_A + " وقال عمدة كييف فيتالي كليتشكو إن شخصا واحدا قتل وأصيب 23 آخرون في أحياء متفرقة من العاصمة، "
    "فيما اندلعت حرائق في عدة مبان سكنية وهرع السكان إلى محطات المترو طوال الليل."
)
S_B = "شنت روسيا هجوما بنحو 550 طائرة مسيرة على العاصمة الأوكرانية كييف فجر الجمعة بحسب وكالة رويترز."
TEXT_B = S_B + " وأفادت الوكالة بمقتل شخصين وإصابة عشرين آخرين، وسُمع دوي انفجارات قوية في وسط المدينة."


def _outlet_a(aid: str = "outlet-a", text: str = TEXT_A, **kw):
    a = article(aid, text, published="2025-07-04", outlet="صحيفة الشرق", **kw)
    return a, attack_report(a, date_="2025-07-04", figures=[
        figure("f1", "launched", 539, S_A, weapon="drone", source=AIR_FORCE),
        figure("f2", "killed", 1, "قتل شخص واحد", qualifier="at_least", source=["Mayor of Kyiv"]),
        figure("f3", "injured", 23, "وأصيب 23 آخرون", source=["Mayor of Kyiv"]),
    ], diplomacy=[call("d1", "Donald Trump", "Vladimir Putin")])


def _outlet_b():
    b = article("outlet-b", TEXT_B, published="2025-07-04", outlet="موقع الغرب")
    return b, attack_report(b, date_="2025-07-04", figures=[
        figure("f1", "launched", 550, S_B, weapon="drone", qualifier="approx", source=["Reuters"]),
        figure("f2", "killed", 2, "بمقتل شخصين", source=["Reuters"]),
        figure("f3", "injured", 20, "وإصابة عشرين", source=["Reuters"]),
    ], diplomacy=[call("d1", "Vladimir Putin", "Donald Trump")])


def _count(store, table) -> int:
    with store.read() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()


def test_same_article_twice_is_a_noop_by_hash_and_by_url(store):
    a, r = _outlet_a(url="https://example.org/a")
    assert add_article(store, a, r).status == "added"
    assert add_article(store, a, r).status == "duplicate"
    # same URL, retouched text: still the same article
    same_url = article("other-id", TEXT_A + " تحديث.", published="2025-07-04", url="https://example.org/a")
    assert add_article(store, same_url, r).status == "duplicate"
    assert queries.stats(store)["articles"] == 1
    assert _count(store, t.figures) == 3


def test_wire_copy_is_stored_once_and_linked_to_its_copy(store):
    a, r = _outlet_a()
    add_article(store, a, r)
    copy_text = "(وكالة الأنباء) " + TEXT_A.replace("طوال الليل", "طوال ساعات الليل")
    c = article("wire-copy", copy_text, published="2025-07-04", outlet="وكالة الأنباء")
    result = add_article(store, c, r.model_copy(update={"id": "wire-copy"}))
    assert result.status == "near_duplicate"
    assert result.duplicate_of == "outlet-a"
    assert _count(store, t.figures) == 3  # the copy's figures are not claimed twice
    ev = queries.get_event(store, result.events[-1]) if result.events[-1].startswith("ev-") else None
    ev = ev or queries.get_event(store, [e for e in result.events if e.startswith("ev-")][0])
    assert {x["id"] for x in ev["articles"]} == {"outlet-a", "wire-copy"}
    assert queries.get_article(store, "outlet-a")["copies"] == ["wire-copy"]


def test_wire_copy_with_revised_toll_counts_as_a_revision(store):
    a, r = _outlet_a()
    add_article(store, a, r)
    revised_text = TEXT_A.replace("شخصا واحدا قتل", "ثلاثة أشخاص قتلوا")
    rev = article("revised", revised_text, published="2025-07-05", outlet="صحيفة الشرق")
    report = attack_report(rev, date_="2025-07-04", figures=[
        figure("f1", "launched", 539, S_A, weapon="drone", source=AIR_FORCE),
        figure("f2", "killed", 3, "ثلاثة أشخاص قتلوا", source=["Mayor of Kyiv"]),
    ])
    result = add_article(store, rev, report)
    assert result.status == "revision" and result.duplicate_of == "outlet-a"
    ev = queries.get_event(store, [e for e in result.events if e.startswith("ev-")][0])
    killed = next(c for c in ev["consensus"] if c["measure"] == "killed")
    assert killed["value"] == 3  # the later official figure wins
    assert ev["n_articles"] == 2


def test_two_outlets_same_night_make_one_event_with_both_claims_and_a_conflict(store):
    for a, r in (_outlet_a(), _outlet_b()):
        add_article(store, a, r)
    events = queries.list_events(store, kind="attack", with_articles=True)
    assert len(events) == 1
    assert events[0]["articles"] == ["outlet-a", "outlet-b"]
    ev = queries.get_event(store, events[0]["id"])
    launched = [c for c in ev["claims"] if c["measure"] == "launched"]
    assert sorted((c["value"], c["outlet"]) for c in launched) == [(539, "صحيفة الشرق"), (550, "موقع الغرب")]
    assert all(c["sentence"] for c in launched)
    by_measure = {c["measure"]: c for c in ev["consensus"]}
    # official (air force, mayor) over media (Reuters)
    assert by_measure["launched"]["value"] == 539 and by_measure["launched"]["source_kind"] == "official"
    assert by_measure["killed"]["value"] == 1 and by_measure["killed"]["qualifier"] == "at_least"
    assert by_measure["killed"]["low"] == 1 and by_measure["killed"]["high"] is None  # a range stays a range
    # ~550 (495–605) allows 539; "at least 1" allows 2; 23 injured vs 20 conflict
    assert by_measure["launched"]["conflicts"] == []
    assert by_measure["injured"]["conflicts"][0]["values"] == [20, 23]
    dip = queries.list_events(store, kind="diplomacy", with_articles=True)
    assert len(dip) == 1 and dip[0]["articles"] == ["outlet-a", "outlet-b"]


def test_two_nights_on_the_same_city_stay_two_events(store):
    a, r = _outlet_a()
    add_article(store, a, r)
    s = "أطلقت روسيا 539 طائرة مسيرة على كييف الليلة الماضية في هجوم جديد، وفقا لسلاح الجو."
    b = article("next-night", s + " ولم ترد تقارير فورية عن إصابات.", published="2025-07-05", outlet="صحيفة الشرق")
    add_article(store, b, attack_report(b, date_="2025-07-05", figures=[
        figure("f1", "launched", 539, s, weapon="drone", source=AIR_FORCE)]))
    events = queries.list_events(store, kind="attack", with_articles=True)
    assert [(e["date"], e["articles"]) for e in events] == [("2025-07-05", ["next-night"]), ("2025-07-04", ["outlet-a"])]


def test_undated_report_joins_only_on_a_distinctive_count(store):
    a, r = _outlet_a()
    add_article(store, a, r)
    s = "أسقطت الدفاعات الجوية معظم الطائرات المسيرة الـ539 التي أطلقتها روسيا على كييف."
    u = article("undated", s + " وقالت السلطات إن الحطام تسبب بأضرار.", outlet="نشرة")
    add_article(store, u, attack_report(u, date_=None, figures=[figure("f1", "launched", 539, s, weapon="drone")]))
    s2 = "قتل شخصان في قصف على لفيف، بحسب حاكم المقاطعة."
    v = article("undated-lviv", s2 + " وأصيب آخرون بجروح طفيفة.", outlet="نشرة")
    add_article(store, v, attack_report(v, date_=None, places=(LVIV,), figures=[figure("f1", "killed", 2, s2)]))
    events = queries.list_events(store, kind="attack", with_articles=True)
    assert sorted(e["articles"] for e in events) == [["outlet-a", "undated"], ["undated-lviv"]]


def test_batch_goes_on_past_bad_articles(store):
    good, report = _outlet_a()
    bad = article("boom", "نص يتسبب في خطأ داخل المستخرج بسبب بنية غير متوقعة.", published="2025-07-04")

    def extract(text, meta):
        if meta.id == "boom":
            raise RuntimeError("unexpected structure")
        return report

    summary = ingest(store, [InputProblem("broken.txt", "not valid UTF-8"), bad, good], extract=extract)
    assert summary.counts["added"] == 1 and summary.counts["failed"] == 1
    assert [p.origin for p in summary.problems] == ["broken.txt", "boom.txt"]
    assert "unexpected structure" in summary.problems[1].message
    assert {p["origin"] for p in queries.list_problems(store)} == {"broken.txt", "boom.txt"}


def test_queries_for_the_dashboard(store):
    for a, r in (_outlet_a(), _outlet_b()):
        add_article(store, a, r)
    assert queries.timeline(store, date_from="2025-07-01", date_to="2025-07-31") == [
        {"date": "2025-07-04", "events": 1, "launched": 539, "intercepted": 0, "killed": 1, "injured": 23}]
    assert queries.places_hit(store)[0] | {} == {"name": "Kyiv", "entity_id": "Q1899", "country": "Ukraine",
                                                 "lat": 50.45, "lon": 30.52, "n_events": 1}
    assert len(queries.list_events(store, weapon="drone")) == 1
    assert queries.list_events(store, weapon="artillery") == []
    assert len(queries.list_events(store, place="Kyiv")) == 1
    assert queries.list_events(store, place="Lviv") == []
    assert queries.count_events(store, kind="attack", country="Ukraine") == 1
    assert queries.list_events(store, date_from="2025-07-05") == []
    kyiv = queries.get_entity(store, "Q1899")
    assert kyiv["name"] == "Kyiv" and kyiv["articles"] == ["outlet-a", "outlet-b"] and len(kyiv["events"]) == 2
    assert [e["name"] for e in queries.list_entities(store, type="PER")] == ["Vladimir Putin"]
    art = queries.get_article(store, "outlet-b")
    assert art["text"] == TEXT_B and art["report"]["attacks"][0]["figures"][0]["value"] == 550


def test_arabic_search_normalises_hamza_and_clitics(store):
    a, r = _outlet_a()
    add_article(store, a, r)
    b, rb = _outlet_b()
    add_article(store, b, rb)
    assert [x["id"] for x in queries.search(store, "الأوكرانية")] == ["outlet-b"]  # written الأوكرانية
    assert [x["id"] for x in queries.search(store, "الاوكرانيه")] == ["outlet-b"]  # bare alef, ha for ta marbuta
    assert [x["id"] for x in queries.search(store, "وكالة")] == ["outlet-b"]
    assert {x["id"] for x in queries.search(store, "كييف")} == {"outlet-a", "outlet-b"}
    assert [x["id"] for x in queries.search(store, "المترو")] == ["outlet-a"]
    assert "المترو" in queries.search(store, "مترو")[0]["snippet"]  # clitic-free query finds المترو
    assert queries.search(store, "غزة") == []


def test_delete_article_recomputes_its_events(store):
    for a, r in (_outlet_a(), _outlet_b()):
        add_article(store, a, r)
    ev_id = queries.list_events(store, kind="attack")[0]["id"]
    assert delete_article(store, "outlet-a") is True
    ev = queries.get_event(store, ev_id)
    assert [x["id"] for x in ev["articles"]] == ["outlet-b"]
    assert {c["value"] for c in ev["claims"] if c["measure"] == "launched"} == {550}
    assert delete_article(store, "outlet-a") is False
    assert delete_article(store, "outlet-b") is True
    assert queries.list_events(store) == []
    assert queries.search(store, "كييف") == []


def test_largest_claim_is_checked_against_earlier_nights_only(store):
    s0 = "أطلقت روسيا 300 طائرة مسيرة على لفيف في أكبر هجوم على المدينة، وفقا لسلاح الجو."
    undated = article("undated", s0 + " ولم ترد تقارير عن إصابات.", outlet="نشرة")
    add_article(store, undated, attack_report(undated, date_=None, largest=True, places=(LVIV,), figures=[
        figure("f1", "launched", 300, s0, weapon="drone", source=AIR_FORCE)]))
    a, r = _outlet_a()
    add_article(store, a, r)
    s = "أطلقت روسيا 700 طائرة مسيرة على كييف في أكبر هجوم منذ بدء الحرب، وفقا لسلاح الجو."
    later = article("later", s + " وقالت السلطات إن الحطام تسبب بأضرار.", published="2025-07-09", outlet="نشرة")
    add_article(store, later, attack_report(later, date_="2025-07-09", largest=True, figures=[
        figure("f1", "launched", 700, s, weapon="drone", source=AIR_FORCE)]))
    checks = {e["articles"][0]: queries.get_event(store, e["id"])["largest_check"]
              for e in queries.list_events(store, kind="attack", with_articles=True)}
    assert checks["later"]["status"] == "consistent" and checks["later"]["previous_max"] == 539
    assert checks["undated"]["status"] == "unchecked"  # undated: only events stored before it count
    assert checks["outlet-a"] is None
