"""Articles written for the web tests (Arabic news style, invented) and their hand-made reports.

Reports are built here rather than extracted, so the pages are tested on known spans whatever the
extractors do; every span is found in the text by its exact substring.
"""

from __future__ import annotations

from datetime import date

from marsad.document import ArticleMeta
from marsad.io import ArticleInput
from marsad.schema import Attack, Diplomacy, Entity, Figure, Place, Quote, Report, ReportWarning, Span
from marsad.store.db import Store
from marsad.store.ingest import add_article

KYIV_A = """روسيا تهاجم أوكرانيا بـ120 مسيّرة خلال الليل

كييف – أعلنت القوات الجوية الأوكرانية صباح الأحد أن روسيا أطلقت 120 طائرة مسيّرة على البلاد الليلة الماضية، وأن الدفاعات الجوية أسقطت 97 منها.
وقال عمدة كييف فيتالي كليتشكو إن شخصين قُتلا وأصيب 14 آخرون في العاصمة، مضيفاً: "استهدفت الضربة مباني سكنية في حي سفياتوشينسكي".
صورة: سكان يتفقدون الأضرار في كييف (Serhii Nuzhnenko/Reuters)"""

KYIV_B = """الدفاعات الأوكرانية تعترض عشرات المسيّرات الروسية

قالت القوات الجوية الأوكرانية إن روسيا أطلقت 120 مسيّرة ليل السبت الأحد، أُسقطت 95 منها فوق كييف ومحيطها.
وأفادت الإدارة العسكرية في كييف بمقتل ثلاثة أشخاص جراء سقوط الحطام."""

KHARKIV = """خاركيف تحت القصف مجدداً

قال الحاكم أوليغ سينيغوبوف إن روسيا أطلقت 40 مسيّرة على خاركيف ليلة الثلاثاء، وأسقطت الدفاعات الجوية 31 منها، فيما أصيب 3 مدنيين."""

GAZA = """شهداء في غارات إسرائيلية على خان يونس

أفادت وزارة الصحة في غزة باستشهاد 25 فلسطينياً وإصابة 60 آخرين في غارات شنها الطيران الإسرائيلي على خان يونس جنوبي القطاع.
وقال شهود عيان إن الطيران شن 20 غارة خلال ساعتين."""

CALL = """ترامب وبوتين يبحثان الحرب في اتصال هاتفي

أجرى الرئيس الأمريكي دونالد ترامب اتصالاً هاتفياً مع نظيره الروسي فلاديمير بوتين، بحثا خلاله الحرب في أوكرانيا.
وقال ترامب: "كانت مكالمة جيدة لكنها لم تحقق تقدماً"."""

HOSTILE_BITS = (
    '<script>alert("x1")</script>',
    '<img src=x onerror=alert("x2")>',
    '<a href="javascript:alert(\'x3\')">اضغط هنا</a>',
    '</textarea><script>alert("x4")</script>',
    '"><svg onload=alert("x5")>',
)
HOSTILE = f"""عنوان {HOSTILE_BITS[0]} مريب

أعلنت القوات الجوية الأوكرانية أن روسيا أطلقت 77 مسيّرة {HOSTILE_BITS[1]} على أوديسا.
رابط: {HOSTILE_BITS[2]} ونص {HOSTILE_BITS[3]} وأيضاً {HOSTILE_BITS[4]} نهاية."""

KYIV = dict(name="Kyiv", entity_id="Q1899", lat=50.45, lon=30.52, country="Ukraine")
KHARKIV_PLACE = dict(name="Kharkiv", entity_id="Q42308", lat=49.99, lon=36.23, country="Ukraine")
KHAN_YOUNIS = dict(name="Khan Yunis", entity_id="Q572447", lat=31.34, lon=34.31, country="Palestine")
ODESA = dict(name="Odesa", entity_id="Q1874", lat=46.48, lon=30.73, country="Ukraine")
AIR_FORCE = ["Ukrainian Air Force"]


def span(text: str, needle: str, nth: int = 0) -> Span:
    """The span of the ``nth`` occurrence of ``needle`` in ``text`` (fails loudly when absent)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span(start=start, end=start + len(needle))


def sentence_of(text: str, s: Span) -> Span:
    start = max(text.rfind("\n", 0, s.start) + 1, 0)
    end = text.find("\n", s.end)
    return Span(start=start, end=len(text) if end < 0 else end)


def figure(text: str, fid: str, measure: str, value: int, needle: str, *, weapon: str | None = None,
           source: list[str] | None = None, source_needle: str | None = None, nth: int = 0) -> Figure:
    s = span(text, needle, nth)
    sent = sentence_of(text, s)
    return Figure(id=fid, measure=measure, weapon=weapon, value=value, source=source, span=s,
                  source_span=span(text, source_needle) if source_needle else None,
                  sentence=text[sent.start:sent.end], sentence_span=sent)


def entity(text: str, eid: str, name: str, etype: str, *needles: str, lat: float | None = None,
           lon: float | None = None, role: str | None = None) -> Entity:
    return Entity(id=eid, name=name, type=etype, mentions=list(dict.fromkeys(needles)),
                  spans=[span(text, n) for n in needles], lat=lat, lon=lon, role=role, optional=role is not None)


def place(text: str, p: dict, needle: str) -> Place:
    return Place(**p, span=span(text, needle))


def _attack(aid: str, day: str, attacker: str, target: str, places: list[Place], weapons: list[str],
            figures: list[Figure]) -> Attack:
    return Attack(id=aid, date=day, attacker=attacker, target=target, locations=[p.name for p in places],
                  places=places, weapons=weapons, figures=figures)


def reports() -> list[tuple[ArticleInput, Report]]:
    """Every test article with its report."""
    out = []

    def add(aid: str, text: str, published: str, outlet: str, url: str | None, **items) -> None:  # type: ignore[no-untyped-def]
        meta = ArticleMeta(id=aid, published=date.fromisoformat(published), url=url, outlet=outlet,
                           title=text.split("\n", 1)[0])
        report = Report(id=aid, published=published, outlet=outlet, url=url, title=meta.title, **items)
        out.append((ArticleInput(id=aid, text=text, meta=meta, origin=f"{aid}.txt"), report))

    t = KYIV_A
    add("kyiv-a", t, "2025-08-10", "وكالة الشرق", "https://example.org/kyiv-a",
        attacks=[_attack("a1", "2025-08-10", "Russia", "Ukraine", [place(t, KYIV, "كييف")], ["drone"], [
            figure(t, "f1", "launched", 120, "120", weapon="drone", source=AIR_FORCE, source_needle="القوات الجوية الأوكرانية", nth=1),
            figure(t, "f2", "intercepted", 97, "97", weapon="drone", source=AIR_FORCE, source_needle="القوات الجوية الأوكرانية"),
            figure(t, "f3", "killed", 2, "شخصين", source=["Mayor of Kyiv", "Vitali Klitschko"], source_needle="عمدة كييف"),
            figure(t, "f4", "injured", 14, "14", source=["Mayor of Kyiv", "Vitali Klitschko"], source_needle="عمدة كييف"),
        ])],
        quotes=[Quote(id="q1", speaker=["Vitali Klitschko"], speaker_entity_id="Q311497",
                      text="استهدفت الضربة مباني سكنية في حي سفياتوشينسكي",
                      span=span(t, "استهدفت الضربة مباني سكنية في حي سفياتوشينسكي"))],
        entities=[entity(t, "Q1899", "Kyiv", "LOC", "كييف", lat=50.45, lon=30.52),
                  entity(t, "Q159", "Russia", "LOC", "روسيا"),
                  entity(t, "Q311497", "Vitali Klitschko", "PER", "فيتالي كليتشكو"),
                  entity(t, "Q2046", "Ukrainian Air Force", "ORG", "القوات الجوية الأوكرانية"),
                  entity(t, "Reuters", "Reuters", "ORG", "Reuters", role="credit")],
        warnings=[ReportWarning(code="caption", message="سطر تعليق صورة: أرقامه لا تُحتسب",
                                span=span(t, "صورة: سكان يتفقدون الأضرار في كييف (Serhii Nuzhnenko/Reuters)")),
                  ReportWarning(code="latin_script", message="اسم بحروف لاتينية: Serhii Nuzhnenko",
                                span=span(t, "Serhii Nuzhnenko"))])
    t = KYIV_B
    add("kyiv-b", t, "2025-08-10", "صحيفة الغد", "https://example.net/kyiv-b",
        attacks=[_attack("a1", "2025-08-10", "Russia", "Ukraine", [place(t, KYIV, "كييف")], ["drone"], [
            figure(t, "f1", "launched", 120, "120", weapon="drone", source=AIR_FORCE, source_needle="القوات الجوية الأوكرانية"),
            figure(t, "f2", "intercepted", 95, "95", weapon="drone", source=AIR_FORCE, source_needle="القوات الجوية الأوكرانية"),
            figure(t, "f3", "killed", 3, "ثلاثة", source=["Kyiv City Military Administration"],
                   source_needle="الإدارة العسكرية في كييف"),
        ])],
        entities=[entity(t, "Q1899", "Kyiv", "LOC", "كييف", lat=50.45, lon=30.52)])
    t = KHARKIV
    add("kharkiv", t, "2025-08-12", "وكالة الشرق", "https://example.org/kharkiv",
        attacks=[_attack("a1", "2025-08-12", "Russia", "Ukraine", [place(t, KHARKIV_PLACE, "خاركيف")], ["drone"], [
            figure(t, "f1", "launched", 40, "40", weapon="drone", source=["Oleh Syniehubov"], source_needle="أوليغ سينيغوبوف"),
            figure(t, "f2", "intercepted", 31, "31", weapon="drone", source=["Oleh Syniehubov"], source_needle="أوليغ سينيغوبوف"),
            figure(t, "f3", "injured", 3, "3", source=["Oleh Syniehubov"], source_needle="أوليغ سينيغوبوف"),
        ])],
        entities=[entity(t, "Q42308", "Kharkiv", "LOC", "خاركيف", lat=49.99, lon=36.23),
                  entity(t, "Q4353597", "Oleh Syniehubov", "PER", "أوليغ سينيغوبوف")])
    t = GAZA
    add("gaza", t, "2025-08-11", "قناة المدار", None,
        attacks=[_attack("a1", "2025-08-11", "Israel", "Gaza Strip", [place(t, KHAN_YOUNIS, "خان يونس")], ["aircraft"], [
            figure(t, "f1", "killed", 25, "25", source=["Gaza Health Ministry"], source_needle="وزارة الصحة في غزة"),
            figure(t, "f2", "injured", 60, "60", source=["Gaza Health Ministry"], source_needle="وزارة الصحة في غزة"),
            figure(t, "f3", "launched", 20, "20", weapon="aircraft"),
        ])],
        entities=[entity(t, "Q572447", "Khan Yunis", "LOC", "خان يونس", lat=31.34, lon=34.31),
                  entity(t, "Q801", "Israel", "LOC", "الإسرائيلي")])
    t = CALL
    add("call", t, "2025-08-13", "وكالة الشرق", "https://example.org/call",
        diplomacy=[Diplomacy(id="d1", type="phone_call", participants=["Donald Trump", "Vladimir Putin"],
                             span=span(t, "اتصالاً هاتفياً"), sentence=t.split("\n")[2])],
        quotes=[Quote(id="q1", speaker=["Donald Trump"], speaker_entity_id="Q22686",
                      text="كانت مكالمة جيدة لكنها لم تحقق تقدماً", span=span(t, "كانت مكالمة جيدة لكنها لم تحقق تقدماً"))],
        entities=[entity(t, "Q22686", "Donald Trump", "PER", "دونالد ترامب"),
                  entity(t, "Q7747", "Vladimir Putin", "PER", "فلاديمير بوتين")])
    return out


def hostile() -> tuple[ArticleInput, Report]:
    """An article whose text, title, outlet and URL try to inject HTML and script; spans cover the payloads."""
    t = HOSTILE
    meta = ArticleMeta(id="hostile", published=date(2025, 8, 14), url="javascript:alert('x6')",
                       outlet='<b onmouseover=alert("x7")>outlet</b>', title=t.split("\n", 1)[0])
    report = Report(
        id="hostile", published="2025-08-14", title=meta.title,
        attacks=[_attack("a1", "2025-08-14", "Russia", "Ukraine", [place(t, ODESA, "أوديسا")], ["drone"], [
            figure(t, "f1", "launched", 77, "77", weapon="drone", source=['<script>alert("x8")</script>'],
                   source_needle="القوات الجوية الأوكرانية")])],
        entities=[Entity(id="evil", name='<img src=x onerror=alert("x9")>', type="ORG",
                         mentions=[HOSTILE_BITS[1]], spans=[span(t, HOSTILE_BITS[1])], in_knowledge_base=False),
                  entity(t, "Q1874", "Odesa", "LOC", "أوديسا", lat=46.48, lon=30.73)],
        quotes=[Quote(id="q1", speaker=['"><script>alert("x10")</script>'], text=HOSTILE_BITS[3], span=span(t, HOSTILE_BITS[3]))],
        warnings=[ReportWarning(code="latin_script", message=HOSTILE_BITS[4], span=span(t, HOSTILE_BITS[4]))],
    )
    return ArticleInput(id="hostile", text=t, meta=meta, origin="hostile.txt"), report


def fill(store: Store, *, with_hostile: bool = True) -> dict[str, list[str]]:
    """Store every test article; returns each article's event ids."""
    items = reports() + ([hostile()] if with_hostile else [])
    return {a.id: add_article(store, a, r, embed=False).events for a, r in items}
