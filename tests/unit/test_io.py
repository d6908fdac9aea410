"""Reading articles: files, directories, JSONL, stdin, sidecars and every kind of bad input."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from marsad.io import ArticleInput, InputProblem, UnreadableInput, decode_article, iter_articles, parse_published

ARTICLE = (
    "قُتل شخص واحد على الأقل وأصيب 23 شخصًا في هجوم روسي بالطائرات المسيّرة على كييف الليلة الماضية، "
    "وفقًا لعمدة المدينة فيتالي كليتشكو."
)
GAZA = "استشهد فلسطيني وأصيب ثلاثة آخرون في غارة إسرائيلية على بيت لاهيا شمال قطاع غزة، بحسب وزارة الصحة."


def write_bad_inputs(root: Path, *, size_limit: int = 1024 * 1024) -> dict[str, str]:
    """Write one good article and one file of every bad kind under ``root``.

    Returns ``{origin name: fragment its problem or warning must contain}``; used by the CLI tests too.
    The oversized file is sparse (``truncate``), so creating it costs nothing.
    """
    root.mkdir(parents=True, exist_ok=True)
    (root / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "good.meta.json").write_text(json.dumps({"published": "2025-07-04", "outlet": "مرصد"}), encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (root / "legacy.txt").write_bytes(GAZA.encode("cp1256"))
    (root / "broken-utf8.txt").write_bytes(ARTICLE.encode()[:41] + b"\xff\xfe" + ARTICLE.encode()[41:])
    (root / "english.txt").write_text("Russia launched 539 drones at Kyiv overnight, the air force said.", encoding="utf-8")
    with (root / "huge.txt").open("wb") as fh:
        fh.truncate(size_limit * 3)
    (root / "sidecar.txt").write_text(GAZA, encoding="utf-8")
    (root / "sidecar.meta.json").write_text('{"published": "2025-07-04",', encoding="utf-8")
    (root / "lines.jsonl").write_text(
        json.dumps({"id": "line-ok", "text": GAZA, "published": "2024-09-29"}, ensure_ascii=False)
        + "\n{\"id\": \"broken\", \"text\": \n"
        + json.dumps({"id": "line-bad-date", "text": ARTICLE, "published": "أمس"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    return {
        "empty.txt": "empty file",
        "binary.txt": "binary",
        "legacy.txt": "windows-1256",
        "broken-utf8.txt": "not valid UTF-8",
        "english.txt": "no Arabic text",
        "huge.txt": "over the",
        "sidecar.txt": "sidecar.meta.json ignored",
        "lines.jsonl:2": "invalid JSON",
        "lines.jsonl:3": "'published' ignored",
    }


def _by_name(items) -> dict[str, ArticleInput | InputProblem]:
    return {Path(x.origin).name: x for x in items}


def test_every_bad_input_is_reported_and_good_articles_survive(tmp_path: Path) -> None:
    expected = write_bad_inputs(tmp_path, size_limit=1024 * 1024)
    items = _by_name(iter_articles([tmp_path], max_bytes=1024 * 1024))
    problems = {k: v for k, v in items.items() if isinstance(v, InputProblem)}
    articles = {k: v for k, v in items.items() if isinstance(v, ArticleInput)}
    assert set(problems) == {"empty.txt", "binary.txt", "broken-utf8.txt", "english.txt", "huge.txt", "lines.jsonl:2"}
    assert set(articles) == {"good.txt", "legacy.txt", "sidecar.txt", "lines.jsonl:1", "lines.jsonl:3"}
    for name, fragment in expected.items():
        item = items[name]
        said = item.message if isinstance(item, InputProblem) else " ".join(item.warnings)
        assert fragment in said, (name, said)
    assert str(problems["huge.txt"]).startswith(str(tmp_path / "huge.txt"))


def test_sidecar_metadata_and_id_from_file_name(tmp_path: Path) -> None:
    write_bad_inputs(tmp_path)
    good = _by_name(iter_articles([tmp_path / "good.txt"]))["good.txt"]
    assert isinstance(good, ArticleInput)
    assert good.id == "good" and good.meta.id == "good"
    assert good.meta.published == date(2025, 7, 4) and good.meta.outlet == "مرصد"
    assert good.text == ARTICLE and good.warnings == []


def test_malformed_sidecar_keeps_the_article_without_metadata(tmp_path: Path) -> None:
    write_bad_inputs(tmp_path)
    art = _by_name(iter_articles([tmp_path / "sidecar.txt"]))["sidecar.txt"]
    assert isinstance(art, ArticleInput) and art.meta.published is None
    assert "invalid JSON" in art.warnings[0]


def test_windows_1256_and_iso_8859_6_are_decoded_with_a_warning() -> None:
    for codec, name in (("cp1256", "windows-1256"), ("iso8859_6", "ISO-8859-6")):
        text, warning = decode_article(GAZA.replace("،", ",").encode(codec))
        assert "بيت لاهيا" in text
        assert warning and name in warning


def test_jsonl_fields_ids_and_line_numbers(tmp_path: Path) -> None:
    write_bad_inputs(tmp_path)
    items = list(iter_articles([tmp_path / "lines.jsonl"]))
    assert [type(x).__name__ for x in items] == ["ArticleInput", "InputProblem", "ArticleInput"]
    first, broken, third = items
    assert first.id == "line-ok" and first.meta.published == date(2024, 9, 29)
    assert broken.origin.endswith("lines.jsonl:2")
    assert third.id == "line-bad-date" and third.meta.published is None
    assert "'أمس' is not an ISO date" in third.warnings[0]


def test_jsonl_line_without_text_and_default_id(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text('{"id": 7, "title": "x"}\n["a"]\n' + json.dumps({"text": GAZA}, ensure_ascii=False) + "\n", encoding="utf-8")
    items = list(iter_articles([path]))
    assert 'no "text" field' in items[0].message
    assert "expected a JSON object" in items[1].message
    assert items[2].id == "feed-3"


def test_oversized_jsonl_line_is_skipped_and_the_next_line_read(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    long_text = "غارة " * 400
    path.write_text(
        json.dumps({"id": "big", "text": long_text}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "small", "text": GAZA}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    items = list(iter_articles([path], max_bytes=1000))
    assert isinstance(items[0], InputProblem) and "over the" in items[0].message
    assert items[0].origin.endswith("big.jsonl:1")
    assert isinstance(items[1], ArticleInput) and items[1].id == "small"


def test_stdin_text_and_jsonl() -> None:
    [art] = iter_articles(["-"], stdin=io.BytesIO(ARTICLE.encode()))
    assert isinstance(art, ArticleInput) and art.origin == "<stdin>" and art.id == "stdin"
    lines = (json.dumps({"id": "a", "text": GAZA}, ensure_ascii=False) + "\n").encode()
    [art] = iter_articles(["-"], stdin=io.BytesIO(lines))
    assert art.id == "a" and art.origin == "<stdin>:1"


def test_missing_path_and_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "empty-dir").mkdir()
    items = list(iter_articles([tmp_path / "missing.txt", tmp_path / "empty-dir"]))
    assert [x.message for x in items] == ["no such file or directory", "directory holds no .txt or .jsonl articles"]


def test_files_are_read_once_and_sidecars_in_a_glob_are_skipped(tmp_path: Path) -> None:
    write_bad_inputs(tmp_path)
    items = list(iter_articles([tmp_path / "good.txt", tmp_path / "good.meta.json", tmp_path, tmp_path / "good.txt"]))
    assert [Path(x.origin).name for x in items].count("good.txt") == 1
    assert not any(Path(x.origin).name == "good.meta.json" for x in items)


def test_directories_are_recursive_and_skip_hidden(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "deep.txt").write_text(GAZA, encoding="utf-8")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "hidden.txt").write_text(GAZA, encoding="utf-8")
    (tmp_path / "notes.md").write_text(GAZA, encoding="utf-8")
    assert [x.id for x in iter_articles([tmp_path])] == ["deep"]


def test_utf8_bom_is_dropped_and_utf16_is_read() -> None:
    assert decode_article(b"\xef\xbb\xbf" + GAZA.encode())[0] == GAZA
    text, warning = decode_article(GAZA.encode("utf-16"))
    assert text == GAZA and "UTF-16" in warning


@pytest.mark.parametrize("value, expected", [
    ("2025-07-04", date(2025, 7, 4)),
    ("2025-07-04T23:10:00Z", date(2025, 7, 4)),
    ("2025-07-04 08:00:00+03:00", date(2025, 7, 4)),
])
def test_published_accepts_iso_dates_and_timestamps(value: str, expected: date) -> None:
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", ["04/07/2025", "2025-13-01", "yesterday", ""])
def test_published_rejects_other_values(value: str) -> None:
    with pytest.raises(ValueError, match="date"):
        parse_published(value)


def test_mostly_latin_text_with_an_arabic_word_is_not_an_arabic_article() -> None:
    with pytest.raises(UnreadableInput, match="no Arabic text"):
        decode_article(("The strike on Kyiv (كييف) killed one person and injured 23 others, officials said. " * 3).encode())


def test_a_50_mb_file_is_rejected_from_its_size_without_being_read(tmp_path: Path, monkeypatch) -> None:
    big = tmp_path / "archive.txt"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    opened: list[Path] = []
    real_open = Path.open
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: opened.append(self) or real_open(self, *a, **k))
    [problem] = iter_articles([big])
    assert isinstance(problem, InputProblem)
    assert problem.message == "file is 50.0 MB, over the 20.0 MB limit (--max-bytes)"
    assert big not in opened
