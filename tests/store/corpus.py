"""Many short articles written for the fault tests (not real news): distinct nights, cities and counts."""

from __future__ import annotations

import json
from pathlib import Path

CITIES = ["كييف", "خاركيف", "أوديسا", "دنيبرو", "زابوريجيا", "لفيف", "سومي", "ميكولايف", "خيرسون", "بولتافا"]
MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]
OUTLETS = ["صحيفة الشرق", "موقع الغرب", "وكالة المرصد"]


def article_text(i: int) -> str:
    """The i-th article: a night's drone attack on a city, with its own counts and date."""
    city = CITIES[i % len(CITIES)]
    day, month = 1 + (i // len(CITIES)) % 28, MONTHS[(i // (28 * len(CITIES))) % 12]
    launched = 40 + (i * 7) % 300
    downed = launched - 5 - i % 17
    return (
        f"هجوم روسي بالمسيرات على {city}\n"
        f"أطلقت روسيا {launched} طائرة مسيرة على أوكرانيا ليلة {day} {month} 2025، استهدفت معظمها مدينة {city}، "
        f"وفقا لسلاح الجو الأوكراني الذي قال إن الدفاعات الجوية أسقطت {downed} منها.\n"
        f"وقال حاكم المقاطعة إن {2 + i % 9} أشخاص أصيبوا بجروح في الهجوم رقم {i + 1} على المدينة هذا العام، "
        f"وإن الحطام أشعل حرائق في مبان سكنية ومستودع تجاري.\n"
    )


def write_corpus(path: Path, n: int, start: int = 0) -> Path:
    """A JSONL file of ``n`` articles (ids ``art-<i>``) with outlet and publication date."""
    with path.open("w", encoding="utf-8") as fh:
        for i in range(start, start + n):
            day = 1 + (i // len(CITIES)) % 28
            month = 1 + (i // (28 * len(CITIES))) % 12
            fh.write(json.dumps({"id": f"art-{i}", "text": article_text(i), "outlet": OUTLETS[i % 3],
                                 "published": f"2025-{month:02d}-{day:02d}"}, ensure_ascii=False) + "\n")
    return path
