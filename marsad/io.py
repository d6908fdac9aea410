"""Reading articles from files, directories, JSONL and stdin — robustly.

``iter_articles`` yields one ``ArticleInput`` per readable article and one ``InputProblem``
per input that cannot be read; it never raises, so a batch (``marsad extract``,
``marsad ingest``) goes on past a bad file and can report every problem with its input name.

Metadata travels as a sidecar ``NAME.meta.json`` beside ``NAME.txt`` or as fields of a
JSONL line (``id``, ``text``, ``published``, ``url``, ``outlet``, ``title``).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from marsad.document import ArticleMeta

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
ARTICLE_SUFFIXES = (".txt", ".jsonl")
META_FIELDS = ("id", "published", "url", "outlet", "title")
STDIN = "-"

# Arabic script blocks: Arabic, Arabic Supplement, Presentation Forms A and B.
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u066E-\u06D3\u06FA-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFC]")
_LETTER = re.compile(r"[^\W\d_]")
# C0 controls other than tab/newline/vertical tab/form feed/carriage return, DEL, and U+FFFD.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")
# Legacy encodings an Arabic article may come in, with the names users know them by.
_ARABIC_ENCODINGS = {
    "cp1256": "windows-1256",
    "iso8859_6": "ISO-8859-6",
    "cp720": "CP720 (DOS Arabic)",
    "cp864": "CP864 (DOS Arabic)",
    "mac_arabic": "Mac Arabic",
}
_MIN_ARABIC_SHARE = 0.2


@dataclass(slots=True)
class ArticleInput:
    """One readable article: its text, its metadata and where it came from."""

    id: str
    text: str
    meta: ArticleMeta
    origin: str  # "path", "path:line" for JSONL, "<stdin>"
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class InputProblem:
    """An input that yields no article, with a message naming what is wrong."""

    origin: str
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


class UnreadableInput(ValueError):
    """The bytes of one input cannot become article text (the message says why)."""


def iter_articles(
    paths: Iterable[str | Path],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
) -> Iterator[ArticleInput | InputProblem]:
    """Yield the articles (and the problems) of files, directories (recursive) and ``-`` (stdin).

    Directories contribute their ``.txt`` and ``.jsonl`` files in sorted order; a file is read
    at most once even when named twice. ``max_bytes`` bounds one article (a ``.txt`` file or one
    JSONL line); a larger file is rejected from its size alone, without being read.
    """
    seen: set[Path] = set()
    for raw in paths:
        if str(raw) == STDIN:
            yield from _read_stdin(stdin or sys.stdin.buffer, max_bytes)
            continue
        path = Path(raw)
        if path.is_dir():
            try:
                files = sorted(
                    p for p in path.rglob("*")
                    if p.suffix in ARTICLE_SUFFIXES and p.is_file()
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            except OSError as exc:
                yield InputProblem(str(path), f"cannot list directory: {exc.strerror or exc}")
                continue
            if not files:
                yield InputProblem(str(path), "directory holds no .txt or .jsonl articles")
            for f in files:
                if f.resolve() not in seen:
                    seen.add(f.resolve())
                    yield from _read_file(f, max_bytes)
        elif path.is_file():
            if path.resolve() in seen or _is_sidecar_of_listed_article(path):
                continue
            seen.add(path.resolve())
            yield from _read_file(path, max_bytes)
        elif path.exists():
            yield InputProblem(str(path), "not a regular file or directory")
        else:
            yield InputProblem(str(path), "no such file or directory")


def _is_sidecar_of_listed_article(path: Path) -> bool:
    """True for ``NAME.meta.json`` / ``NAME.gold.json`` beside ``NAME.txt`` (a shell glob lists them)."""
    for suffix in (".meta.json", ".gold.json"):
        if path.name.endswith(suffix):
            return path.with_name(path.name[: -len(suffix)] + ".txt").is_file()
    return False


def _read_file(path: Path, max_bytes: int) -> Iterator[ArticleInput | InputProblem]:
    origin = str(path)
    if path.suffix == ".jsonl":
        yield from _read_jsonl(path, max_bytes)
        return
    if path.suffix == ".json":
        yield InputProblem(origin, "not an article: .json files are metadata; articles are .txt or .jsonl")
        return
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield InputProblem(origin, f"file is {_mb(size)}, over the {_mb(max_bytes)} limit (--max-bytes)")
            return
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        yield InputProblem(origin, f"cannot read file: {exc.strerror or exc}")
        return
    if len(data) > max_bytes:
        yield InputProblem(origin, f"file grew over the {_mb(max_bytes)} limit while being read")
        return
    meta, warnings = _sidecar_meta(path)
    yield _article(origin, data, meta, warnings, default_id=path.stem)


def _read_stdin(stream: BinaryIO, max_bytes: int) -> Iterator[ArticleInput | InputProblem]:
    origin = "<stdin>"
    try:
        data = stream.read(max_bytes + 1)
    except OSError as exc:
        yield InputProblem(origin, f"cannot read standard input: {exc}")
        return
    if len(data) > max_bytes:
        yield InputProblem(origin, f"input is over the {_mb(max_bytes)} limit (--max-bytes)")
        return
    if data.lstrip()[:1] == b"{":
        yield from _jsonl_lines(origin, "stdin", iter(data.splitlines(keepends=True)), max_bytes)
        return
    yield _article(origin, data, {}, [], default_id="stdin")


def _read_jsonl(path: Path, max_bytes: int) -> Iterator[ArticleInput | InputProblem]:
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield InputProblem(str(path), f"cannot read file: {exc.strerror or exc}")
        return
    with fh:
        if path.stat().st_size == 0:
            yield InputProblem(str(path), "empty file")
            return
        yield from _jsonl_lines(str(path), path.stem, _bounded_lines(fh, max_bytes), max_bytes)


def _bounded_lines(fh: BinaryIO, max_bytes: int) -> Iterator[bytes]:
    """Lines of a binary file; a line longer than ``max_bytes`` is yielded truncated and the rest skipped."""
    while True:
        line = fh.readline(max_bytes + 1)
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
        yield line


def _jsonl_lines(origin: str, stem: str, lines: Iterator[bytes], max_bytes: int) -> Iterator[ArticleInput | InputProblem]:
    for lineno, line in enumerate(lines, start=1):
        where = f"{origin}:{lineno}"
        if not line.strip():
            continue
        if len(line) > max_bytes:
            yield InputProblem(where, f"line is over the {_mb(max_bytes)} limit (--max-bytes)")
            continue
        if b"\x00" in line:
            yield InputProblem(where, "binary data (contains NUL bytes), not a JSON line")
            continue
        try:
            obj = json.loads(line.decode("utf-8-sig").rstrip("\r\n"))
        except UnicodeDecodeError as exc:
            yield InputProblem(where, f"not valid UTF-8 (byte 0x{line[exc.start]:02x} at offset {exc.start}); JSONL must be UTF-8")
            continue
        except json.JSONDecodeError as exc:
            yield InputProblem(where, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(obj, dict):
            yield InputProblem(where, f"expected a JSON object with a \"text\" field, got {type(obj).__name__}")
            continue
        text = obj.get("text")
        if not isinstance(text, str):
            yield InputProblem(where, 'no "text" field (a string holding the article)')
            continue
        meta, warnings = parse_meta(obj, "JSON line", extra_fields=("text",))
        yield _article(where, text.encode("utf-8"), meta, warnings, default_id=f"{stem}-{lineno}")


def _sidecar_meta(path: Path) -> tuple[dict, list[str]]:
    """Metadata from ``NAME.meta.json`` beside ``path``; a bad sidecar only yields a warning."""
    sidecar = path.with_name(path.stem + ".meta.json")
    if not sidecar.is_file():
        return {}, []
    try:
        obj = json.loads(sidecar.read_text("utf-8-sig"))
    except UnicodeDecodeError:
        return {}, [f"sidecar {sidecar.name} ignored: not valid UTF-8"]
    except json.JSONDecodeError as exc:
        return {}, [f"sidecar {sidecar.name} ignored: invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"]
    except OSError as exc:
        return {}, [f"sidecar {sidecar.name} ignored: {exc.strerror or exc}"]
    if not isinstance(obj, dict):
        return {}, [f"sidecar {sidecar.name} ignored: expected a JSON object, got {type(obj).__name__}"]
    return parse_meta(obj, f"sidecar {sidecar.name}")


def parse_meta(obj: dict, where: str, extra_fields: Iterable[str] = ()) -> tuple[dict, list[str]]:
    """Validated metadata fields of a sidecar / JSONL object, and warnings for bad or unknown ones.

    Returns keyword arguments for ``ArticleMeta`` (``published`` as a ``date``); a field with a
    bad value is dropped with a warning rather than failing the article.
    """
    out: dict = {}
    warnings: list[str] = []
    for key in META_FIELDS:
        value = obj.get(key)
        if value is None:
            continue
        if key == "id" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            warnings.append(f"{where}: {key!r} ignored: expected a string, got {type(value).__name__}")
            continue
        if key == "published":
            try:
                out[key] = parse_published(value)
            except ValueError as exc:
                warnings.append(f"{where}: 'published' ignored: {exc}")
            continue
        if value.strip():
            out[key] = value.strip()
    unknown = sorted(set(obj) - set(META_FIELDS) - set(extra_fields))
    if unknown:
        warnings.append(f"{where}: unknown fields ignored: {', '.join(unknown)}")
    return out, warnings


def parse_published(value: str) -> date:
    """The date of an ISO 8601 ``published`` value (``2025-07-04`` or a full timestamp).

    Raises ``ValueError`` with a message saying what was expected.
    """
    s = value.strip()
    if not _ISO_DATE.fullmatch(s):
        raise ValueError(f"{value!r} is not an ISO date (YYYY-MM-DD)")
    try:
        if len(s) == 10:
            return date.fromisoformat(s)
        return datetime.fromisoformat(s.replace("Z", "+00:00")).date()
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a valid date ({exc})") from None


def _article(origin: str, data: bytes, meta_fields: dict, warnings: list[str], default_id: str) -> ArticleInput | InputProblem:
    try:
        text, encoding_warning = decode_article(data)
    except UnreadableInput as exc:
        return InputProblem(origin, str(exc))
    if encoding_warning:
        warnings = [encoding_warning, *warnings]
    meta = ArticleMeta(**{"id": default_id, **meta_fields})
    return ArticleInput(id=meta.id, text=text, meta=meta, origin=origin, warnings=warnings)


def decode_article(data: bytes) -> tuple[str, str | None]:
    """The text of an article's bytes and a warning when it was not UTF-8.

    UTF-8 (with or without BOM) and UTF-16 with BOM are read as such; other bytes are
    decoded only when charset-normalizer recognises a legacy Arabic encoding (windows-1256,
    ISO-8859-6 …). Raises ``UnreadableInput`` for empty, binary, undecodable or non-Arabic input.
    """
    if not data.strip():
        raise UnreadableInput("empty file" if not data else "empty (only whitespace)")
    warning = None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = data.decode("utf-16")
        warning = "decoded as UTF-16 (not UTF-8)"
    elif b"\x00" in data:
        raise UnreadableInput("binary file (contains NUL bytes), not text")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            text, warning = _decode_legacy(data, exc)
    controls = len(_CONTROL.findall(text))
    if controls > max(2, len(text) // 20):
        raise UnreadableInput(f"binary data ({controls} control characters), not text")
    if not text.strip():
        raise UnreadableInput("empty (only whitespace)")
    arabic = len(_ARABIC_LETTER.findall(text))
    letters = len(_LETTER.findall(text))
    if arabic == 0 or arabic < _MIN_ARABIC_SHARE * letters:
        share = f"{100 * arabic / letters:.0f}% of {letters} letters" if letters else "no letters"
        raise UnreadableInput(f"no Arabic text ({share} in Arabic script); marsad reads Arabic articles")
    return text, warning


def _decode_legacy(data: bytes, err: UnicodeDecodeError) -> tuple[str, str]:
    """Decode non-UTF-8 bytes in a legacy Arabic encoding, or raise ``UnreadableInput`` naming the bad byte."""
    bad = f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start})"
    # Mostly-valid UTF-8 with a few broken bytes is a damaged UTF-8 file, not a legacy encoding:
    # legacy Arabic bytes (0xC7 0xE1 …) almost never form valid multi-byte UTF-8 sequences.
    lenient = data.decode("utf-8", errors="replace")
    if sum(1 for ch in lenient if ord(ch) > 0x7F and ch != "\ufffd") > lenient.count("\ufffd"):
        raise UnreadableInput(f"{bad}; re-save the file as UTF-8")
    if sum(1 for b in data if b < 0x20 and b not in b"\t\n\r\x0b\x0c") > max(2, len(data) // 20):
        raise UnreadableInput("binary data (many control bytes), not text")
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(_ARABIC_ENCODINGS)).best()
    if best is None:
        raise UnreadableInput(f"{bad} and not in a known Arabic encoding (windows-1256, ISO-8859-6)")
    name = _ARABIC_ENCODINGS.get(best.encoding, best.encoding)
    return str(best), f"decoded as {name} (not UTF-8); re-save as UTF-8 to silence this warning"


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"
