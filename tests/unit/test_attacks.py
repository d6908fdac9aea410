"""Figures and attacks on Arabic sentences written in the style of wire copy."""

from __future__ import annotations

from marsad import extract


def figures(report):
    return {(f.measure, f.weapon, f.value, f.qualifier) for a in report.attacks for f in a.figures}


def test_launched_and_intercepted_with_air_force_source():
    text = ("أطلقت روسيا خلال الليل 312 طائرة مسيّرة و7 صواريخ باليستية على أوكرانيا، "
            "وأسقطت الدفاعات الجوية 290 طائرة منها، وفقًا لسلاح الجو الأوكراني.")
    r = extract(text, published="2025-09-10")
    got = figures(r)
    assert ("launched", "drone", 312, "exact") in got
    assert ("launched", "ballistic_missile", 7, "exact") in got
    assert ("intercepted", "drone", 290, "exact") in got
    attack = r.attacks[0]
    assert attack.attacker == "Russia" and attack.target == "Ukraine"
    assert attack.date == "2025-09-10"
    src = {tuple(f.source or ()) for f in attack.figures}
    assert any("Ukrainian Air Force" in s for s in src)


def test_casualties_with_hedges_and_number_words():
    text = ("قُتل ثلاثة أشخاص على الأقل وأصيب نحو عشرين آخرين في قصف روسي على مدينة خاركيف، "
            "بحسب ما أعلن رئيس بلدية المدينة.")
    got = figures(extract(text, published="2025-03-02"))
    assert ("killed", None, 3, "at_least") in got
    assert ("injured", None, 20, "approx") in got


def test_subsets_ages_and_vague_magnitudes_are_not_figures():
    text = ("أصيب 12 شخصًا بينهم طفلان يبلغان من العمر 8 أعوام، وتضررت عشرات المنازل "
            "في هجوم بطائرات مسيرة على بلدة قرب أوديسا.")
    got = figures(extract(text, published="2025-03-02"))
    assert got == {("injured", None, 12, "exact")}


def test_same_fact_in_headline_and_body_is_one_figure():
    text = ("مقتل 5 مدنيين في غارة إسرائيلية على جنوب لبنان\n"
            "قالت وزارة الصحة اللبنانية إن غارة إسرائيلية على بلدة حولا أدت إلى مقتل 5 مدنيين.")
    r = extract(text, published="2024-10-01")
    killed = [f for a in r.attacks for f in a.figures if f.measure == "killed"]
    assert len(killed) == 1 and killed[0].value == 5
    assert killed[0].source is not None


def test_a_different_day_starts_a_new_attack():
    text = ("أسقطت الدفاعات الجوية الأوكرانية اليوم 40 طائرة مسيرة.\n"
            "وفي 13 سبتمبر، أعلن الجيش الأوكراني أنه أسقط 5 طائرات مسيرة فوق أوديسا.")
    r = extract(text, published="2025-09-20")
    assert len([a for a in r.attacks if a.figures]) == 2


def test_all_of_them_intercepted():
    text = "قالت وزارة الدفاع الروسية إن أوكرانيا هاجمت منطقة بريانسك بواسطة 30 طائرة دون طيار قبل أن يتم إسقاطها جميعا."
    got = figures(extract(text, published="2025-05-05"))
    assert ("launched", "drone", 30, "exact") in got
    assert ("intercepted", "drone", 30, "exact") in got


def test_mixed_killed_and_injured_count_is_not_a_figure():
    text = "قالت وزارة الصحة إن 44 مدنيًا سقطوا بين قتيل وجريح في قصف مدفعي على أم درمان."
    assert figures(extract(text, published="2025-02-04")) == set()


def test_figure_spans_point_at_the_raw_text():
    text = "وأعلن الجيش أنه اعترض ١٥ صاروخًا أُطلقت من جنوب لبنان."
    r = extract(text, published="2024-08-01")
    f = r.attacks[0].figures[0]
    assert text[f.span.start:f.span.end] == "١٥"
    assert f.value == 15 and f.measure == "intercepted"


def test_coordinated_singular_and_definite_weapon_take_the_named_kind():
    text = ("أعلن سلاح الجو الأوكراني أن روسيا هاجمت البلاد ليلا بـ 40 مسيرة وصاروخ كروز، "
            "وأن الدفاعات الجوية أسقطت الصاروخ و35 من هذه المسيرات.")
    got = figures(extract(text, published="2025-06-01"))
    assert ("launched", "cruise_missile", 1, "exact") in got
    assert ("intercepted", "cruise_missile", 1, "exact") in got
    assert ("intercepted", "drone", 35, "exact") in got


def test_one_of_them_a_child_is_a_subset():
    text = "وأدى القصف إلى مقتل سيدة وجرح شخصين أحدهما طفل، بحسب مصادر طبية."
    got = figures(extract(text, published="2024-09-04"))
    assert ("killed", None, 1, "exact") in got and ("injured", None, 2, "exact") in got
    assert ("injured", None, 1, "exact") not in got


def test_attacker_follows_the_verb_and_target_follows_the_preposition():
    r = extract("شنت روسيا هجوما بالصواريخ على أوكرانيا فجر اليوم أسفر عن مقتل 4 أشخاص.", published="2025-01-10")
    a = r.attacks[0]
    assert (a.attacker, a.target) == ("Russia", "Ukraine")


def test_where_a_leader_spoke_is_not_where_the_attack_hit():
    text = ("قال الرئيس الأمريكي للصحفيين في مدينة ميامي إن هجوما روسيا على كييف أسفر عن مقتل 7 مدنيين على الأقل.")
    a = extract(text, published="2025-04-04").attacks[0]
    assert "Kyiv" in a.locations and "Miami" not in a.locations


def test_iron_dome_intercepts_rockets():
    text = "اعترضت القبة الحديدية 12 صاروخا أطلقت من جنوب لبنان باتجاه الجليل الأعلى."
    got = figures(extract(text, published="2024-07-12"))
    assert got == {("intercepted", "rocket", 12, "exact")}


def test_a_paragraph_opening_on_another_front_is_another_attack():
    text = ("قُتل تسعة فلسطينيين وأصيب 22 آخرون في غارات إسرائيلية على مخيم النصيرات وسط قطاع غزة فجر اليوم الأربعاء، "
            "وفق ما أفادت وزارة الصحة في غزة.\n"
            "وفي جنوب لبنان، قُتل شخص وأصيب اثنان مساء الثلاثاء في غارة نفذتها طائرة مسيّرة إسرائيلية "
            "على دراجة نارية في بلدة عيترون، بحسب وزارة الصحة اللبنانية.")
    r = extract(text, published="2025-04-16")
    by_place = {tuple(a.locations): a for a in r.attacks}
    assert len(r.attacks) == 2, [a.locations for a in r.attacks]
    gaza = next(a for a in r.attacks if a.target == "Gaza Strip")
    lebanon = next(a for a in r.attacks if a.target == "Lebanon")
    assert {(f.measure, f.value) for f in gaza.figures} == {("killed", 9), ("injured", 22)}
    assert {(f.measure, f.value) for f in lebanon.figures} == {("killed", 1), ("injured", 2)}
    assert lebanon.weapons == ["drone"]  # a raid carried out by a drone is no warplane strike
    assert gaza.weapons == ["aircraft"] and lebanon.date == "2025-04-15" and by_place


def test_counted_generic_missiles_stay_beside_the_ballistic_ones():
    text = ("أطلقت روسيا ليلاً 210 طائرات مسيّرة و9 صواريخ، بينها ستة صواريخ باليستية، على أوكرانيا، "
            "وأسقطت الدفاعات الجوية 190 طائرة مسيّرة وخمسة صواريخ، بحسب سلاح الجو الأوكراني.")
    (attack,) = extract(text, published="2025-05-20").attacks
    assert {"drone", "missile", "ballistic_missile"} <= set(attack.weapons)


def test_weapons_counted_after_an_instrument_preposition_and_a_channel_named_after_drones():
    text = ("أعلنت جماعة الحوثي، مساء السبت، استهداف ناقلة نفط في خليج عدن بثلاثة صواريخ مجنحة وطائرتين مسيّرتين. "
            "وفي وقت لاحق، شنت طائرات أمريكية ست غارات على مواقع في محافظة الحديدة، ما أسفر عن مقتل ثلاثة أشخاص، "
            "بحسب ما نقلت قناة المسيرة عن مصادر طبية.")
    r = extract(text, published="2025-04-06")
    got = figures(r)
    assert ("launched", "cruise_missile", 3, "exact") in got and ("launched", "drone", 2, "exact") in got
    strikes = next(a for a in r.attacks if any(f.measure == "killed" for f in a.figures))
    assert "drone" not in strikes.weapons  # "قناة المسيرة" is a TV channel


def test_a_day_apart_and_in_another_city_is_another_attack():
    text = ("قُتل 17 شخصاً على الأقل في قصف مدفعي لقوات الدعم السريع على سوق في مدينة الفاشر أمس الأربعاء. "
            "من جهته، أعلن الجيش السوداني أن دفاعاته الجوية أسقطت ست مسيّرات أطلقتها قوات الدعم السريع "
            "باتجاه مدينة بورتسودان فجر اليوم الخميس.")
    r = extract(text, published="2025-05-08")
    assert len(r.attacks) == 2
    assert {a.date for a in r.attacks} == {"2025-05-07", "2025-05-08"}


def test_the_other_sides_reply_is_another_attack_by_the_group_announcing_it():
    text = ("قُتل مدنيان في غارة إسرائيلية على بلدة كفركلا في جنوب لبنان، وفق وزارة الصحة اللبنانية. "
            "في المقابل، أعلن حزب الله أن مقاتليه استهدفوا موقع المطلة بالصواريخ. "
            "وقال الجيش الإسرائيلي إن نحو 15 قذيفة صاروخية أطلقت من لبنان باتجاه الجليل.")
    r = extract(text, published="2024-07-02")
    assert [(a.attacker, a.target) for a in r.attacks] == [("Israel", "Lebanon"), ("Hezbollah", "Israel")]
    assert {(f.measure, f.value) for f in r.attacks[1].figures} == {("launched", 15)}


def test_weapons_an_attack_used_are_launched():
    text = ("شنت روسيا هجوما على أوكرانيا استخدمت فيه 120 طائرة مسيرة من طراز \"شاهد\" و8 صواريخ، "
            "بحسب سلاح الجو الأوكراني.")
    got = figures(extract(text, published="2025-06-10"))
    assert {("launched", "drone", 120, "exact"), ("launched", "missile", 8, "exact")} <= got


def test_an_armed_group_announcing_its_own_launch_is_another_attack():
    text = ("استشهد 12 فلسطينيا في غارات إسرائيلية على حي الزيتون في مدينة غزة، حسبما أفاد الدفاع المدني في غزة. "
            "وأعلنت كتائب القسام إطلاق رشقة من خمسة صواريخ باتجاه سديروت، فيما قال الجيش الإسرائيلي "
            "إنه اعترض ثلاثة منها وسقط اثنان في مناطق مفتوحة.")
    r = extract(text, published="2025-04-13")
    assert [(a.attacker, a.target) for a in r.attacks] == [("Israel", "Gaza Strip"), ("Hamas", "Israel")]
    assert {(f.measure, f.value) for f in r.attacks[1].figures} == {("launched", 5), ("intercepted", 3)}


def test_a_headline_capital_yields_to_the_ministry_in_the_story():
    text = ("كييف تعلن إسقاط 64 مسيرة روسية\n"
            "أعلنت وزارة الدفاع الأوكرانية، صباح الأحد، أن الدفاعات الجوية أسقطت 64 طائرة مسيرة روسية خلال الليل.")
    (attack,) = extract(text, published="2025-08-17").attacks
    (fig,) = attack.figures
    assert fig.value == 64 and fig.source and "Kyiv" not in fig.source


def test_a_general_staff_speaking_of_its_own_forces_names_the_attacker():
    text = ("أسقطت الدفاعات الروسية 30 مسيرة أوكرانية فوق مقاطعة كورسك، وفق وزارة الدفاع الروسية. "
            "في المقابل، قالت هيئة الأركان الأوكرانية إن قواتها استهدفت مصفاة نفط في مقاطعة سامارا.")
    r = extract(text, published="2025-08-20")
    assert [(a.attacker, a.target) for a in r.attacks] == [("Ukraine", "Russia"), ("Ukraine", "Russia")]
    assert r.attacks[1].locations == ["Samara Oblast"]


def test_a_drones_nationality_does_not_outvote_the_attacking_state():
    text = "شنت روسيا هجوما ليليا على مدينة خاركيف بـ40 مسيرة إيرانية الطراز، ما أدى إلى إصابة خمسة أشخاص."
    (attack,) = extract(text, published="2025-08-20").attacks
    assert (attack.attacker, attack.target) == ("Russia", "Ukraine")


def test_a_bare_count_over_a_region_is_still_a_figure():
    text = "وقالت القوات الجوية الأوكرانية إن روسيا أطلقت ليلا 63 طائرة مسيرة، أسقط منها 51 فوق المناطق الشمالية."
    got = figures(extract(text, published="2025-10-14"))
    assert {("launched", "drone", 63, "exact"), ("intercepted", "drone", 51, "exact")} <= got
