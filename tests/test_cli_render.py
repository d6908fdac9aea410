"""The terminal summary of `marsad extract`: every figure with value, qualifier, weapon, source and its sentence."""

from __future__ import annotations

from marsad.render import render_report
from marsad.schema import Attack, Diplomacy, Entity, Figure, Quote, Report, ReportWarning, Span

SENTENCE = ("وقالت القوات الجوية الأوكرانية في بيان مطوّل صدر صباح الأحد بعد ليلة من الغارات المتواصلة على العاصمة "
            "إن روسيا أطلقت 405 طائرات مسيّرة و12 صاروخاً، بينها ثمانية صواريخ باليستية.")


def _report() -> Report:
    at = SENTENCE.index("405")
    sentence_span = Span(start=100, end=100 + len(SENTENCE))
    return Report(
        id="kyiv", published="2025-09-07",
        attacks=[Attack(id="a1", date="2025-09-07", attacker="Russia", target="Ukraine", locations=["Kyiv"],
                        weapons=["drone", "missile"], claims=["largest"], figures=[
            Figure(id="f1", measure="launched", weapon="drone", value=405, source=["Ukrainian Air Force"],
                   span=Span(start=100 + at, end=103 + at), sentence=SENTENCE, sentence_span=sentence_span),
            Figure(id="f2", measure="killed", value=3, qualifier="at_least", source=None,
                   span=Span(start=0, end=5), sentence="ما أسفر عن مقتل ثلاثة أشخاص على الأقل", sentence_span=Span(start=0, end=36)),
        ])],
        diplomacy=[Diplomacy(id="d1", type="phone_call", participants=["Volodymyr Zelenskyy", "Donald Trump"],
                             status="planned", span=Span(start=0, end=1), sentence="سيناقش الهجوم مع ترامب في اتصال هاتفي")],
        quotes=[Quote(id="q1", speaker=["Vitali Klitschko"], text="نُقل المصابون إلى المستشفيات", span=Span(start=0, end=1))],
        entities=[Entity(id="e1", name="Kyiv", type="LOC", mentions=["كييف", "كييف"], lat=50.45, lon=30.52),
                  Entity(id="e2", name="Getty Images", type="ORG", optional=True, role="credit", mentions=["Getty Images"])],
        warnings=[ReportWarning(code="caption", message="a figure sits in a photo caption")],
    )


def test_figures_show_value_qualifier_weapon_source_and_where_they_were_read() -> None:
    text = render_report(_report(), "examples/kyiv.txt")
    lines = text.splitlines()
    launched = next(i for i, ln in enumerate(lines) if ln.strip().startswith("launched"))
    assert "drone" in lines[launched] and "405" in lines[launched] and "Ukrainian Air Force" in lines[launched]
    assert "أطلقت 405 طائرات مسيّرة" in lines[launched + 1]  # the window is centred on the figure
    killed = next(ln for ln in lines if ln.strip().startswith("killed"))
    assert "at least 3" in killed and "unattributed" in killed
    assert "Russia → Ukraine · 2025-09-07 · Kyiv · drone, missile · claim: largest" in text


def test_other_layers_and_warnings_are_listed_with_arabic_as_is() -> None:
    text = render_report(_report())
    assert "phone_call" in text and "Volodymyr Zelenskyy ↔ Donald Trump" in text and "planned" in text
    assert "Vitali Klitschko: “نُقل المصابون إلى المستشفيات”" in text
    kyiv = next(ln for ln in text.splitlines() if "Kyiv  " in ln and "LOC" in ln)
    assert kyiv.count("كييف") == 1 and "50.45, 30.52" in kyiv
    assert "[credit; optional]" in text
    assert "caption: a figure sits in a photo caption" in text
