"""Loading gold annotations and predicted reports for scoring.

A gold directory holds ``NAME.txt`` + ``NAME.gold.json`` (``spec/gold-format.md``), optionally a
``NAME.meta.json`` sidecar. Predictions are the reports of ``marsad extract``: a directory of
``NAME.json`` files (``--out``) or one JSON-lines file (``--json`` on several inputs).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import get_args

from marsad.document import ArticleMeta
from marsad.schema import DiplomacyType, Measure, Qualifier, Status, Weapon

GOLD_SUFFIX = ".gold.json"


class EvalInputError(ValueError):
    """A gold or prediction file that cannot be used; the message names the file and the problem."""


@dataclass(slots=True)
class GoldArticle:
    """One gold-annotated article: its annotations, text file and metadata for extraction."""

    id: str
    gold: dict
    text_path: Path | None
    meta: ArticleMeta


def load_json(path: Path) -> object:
    """The parsed JSON of ``path``; raises ``EvalInputError`` naming the file on any problem."""
    try:
        return json.loads(path.read_text("utf-8-sig"))
    except OSError as exc:
        raise EvalInputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise EvalInputError(f"{path}: not valid UTF-8") from None
    except json.JSONDecodeError as exc:
        raise EvalInputError(f"{path}: invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None


_VOCAB = {
    ("figures", "measure"): set(get_args(Measure)),
    ("figures", "weapon"): set(get_args(Weapon)) | {None},
    ("figures", "qualifier"): set(get_args(Qualifier)),
    ("diplomacy", "type"): set(get_args(DiplomacyType)),
    ("diplomacy", "status"): set(get_args(Status)),
}


def check_gold(obj: object, origin: str) -> dict:
    """``obj`` if it is a well-formed gold document; raises ``EvalInputError`` naming the bad field."""
    if not isinstance(obj, dict):
        raise EvalInputError(f"{origin}: expected a JSON object, got {type(obj).__name__}")
    for layer in ("attacks", "diplomacy", "quotes", "entities"):
        if not isinstance(obj.get(layer, []), list):
            raise EvalInputError(f"{origin}: {layer!r} must be a list")
    items = [("diplomacy", f"diplomacy[{i}]", d) for i, d in enumerate(obj.get("diplomacy", []))]
    for i, attack in enumerate(obj.get("attacks", [])):
        items += [("figures", f"attacks[{i}].figures[{j}]", f) for j, f in enumerate(attack.get("figures", []))]
    for layer, where, item in items:
        for (lay, key), allowed in _VOCAB.items():
            if lay == layer and item.get(key) not in allowed:
                raise EvalInputError(f"{origin}: {where}.{key} = {item.get(key)!r} is not one of {sorted(a for a in allowed if a)}")
        if layer == "figures" and (not isinstance(item.get("value"), int) or isinstance(item.get("value"), bool)):
            raise EvalInputError(f"{origin}: {where}.value must be an integer")
    return obj


def load_gold_dir(gold_dir: str | Path) -> list[GoldArticle]:
    """Every ``NAME.gold.json`` of ``gold_dir`` (sorted), with its text path and metadata.

    Metadata for extraction comes from ``NAME.meta.json`` when present, else from the gold
    file's own ``published`` / ``outlet`` / ``url`` / ``title`` fields (metadata, not annotations).
    """
    from marsad.io import parse_meta

    root = Path(gold_dir)
    if not root.is_dir():
        raise EvalInputError(f"{root}: not a directory")
    files = sorted(root.glob(f"*{GOLD_SUFFIX}"))
    if not files:
        raise EvalInputError(f"{root}: no *{GOLD_SUFFIX} files")
    out = []
    for path in files:
        name = path.name[: -len(GOLD_SUFFIX)]
        gold = check_gold(load_json(path), str(path))
        sidecar = path.with_name(name + ".meta.json")
        source = load_json(sidecar) if sidecar.is_file() else gold
        if not isinstance(source, dict):
            raise EvalInputError(f"{sidecar}: expected a JSON object")
        fields, _ = parse_meta({k: source.get(k) for k in ("published", "outlet", "url", "title")}, str(path))
        text = path.with_name(name + ".txt")
        gid = str(gold.get("id") or name)
        out.append(GoldArticle(id=gid, gold=gold, text_path=text if text.is_file() else None,
                               meta=ArticleMeta(id=gid, **fields)))
    return out


def load_predictions(pred: str | Path) -> dict[str, dict]:
    """Predicted reports keyed by id: from a directory of ``NAME.json`` or a JSON-lines file.

    A report is found under its file name (``NAME``) and under its own ``id`` field.
    """
    root = Path(pred)
    out: dict[str, dict] = {}
    if root.is_file():
        for lineno, line in enumerate(root.read_text("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                report = json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvalInputError(f"{root}:{lineno}: invalid JSON: {exc.msg}") from None
            if not isinstance(report, dict) or "id" not in report:
                raise EvalInputError(f"{root}:{lineno}: expected a report object with an \"id\"")
            out[str(report["id"])] = report
        return out
    if not root.is_dir():
        raise EvalInputError(f"{root}: no such prediction directory or JSON-lines file")
    for path in sorted(root.glob("*.json")):
        if path.name.endswith((GOLD_SUFFIX, ".meta.json")):
            continue
        report = load_json(path)
        if not isinstance(report, dict):
            raise EvalInputError(f"{path}: expected a report object")
        out.setdefault(path.stem, report)
        if report.get("id") is not None:
            out.setdefault(str(report["id"]), report)
    return out
