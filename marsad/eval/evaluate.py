"""Scoring a gold directory: against saved predictions, or against fresh extractions of its texts."""

from __future__ import annotations

import json
from pathlib import Path

from marsad.eval.gold import GoldArticle, load_gold_dir, load_predictions
from marsad.eval.score import EvalResult, score_article


def predict(article: GoldArticle) -> dict:
    """The report of a gold article's text as a dict (extracted with the article's metadata).

    Raises ``ValueError`` when the text is missing or unreadable; pipeline errors propagate.
    """
    from marsad import extract_document
    from marsad.io import decode_article

    if article.text_path is None:
        raise ValueError(f"no {article.id}.txt beside its gold file")
    text, _ = decode_article(article.text_path.read_bytes())
    return extract_document(text, article.meta).model_dump(mode="json")


def evaluate(gold_dir: str | Path, pred: str | Path | None = None, *, save: str | Path | None = None) -> EvalResult:
    """Scores of the predictions in ``pred`` (directory or JSON lines), or of fresh extractions when None.

    ``save`` (fresh extractions only) writes each report to ``save/ID.json`` for a later
    ``marsad eval GOLD_DIR save/`` or a look at what was extracted.

    An article without a prediction, or whose extraction fails, is scored as an empty report and
    named in ``result.notes``; a batch never stops on one article.
    """
    articles = load_gold_dir(gold_dir)
    saved = load_predictions(pred) if pred is not None else None
    result = EvalResult()
    for art in articles:
        report: dict = {}
        if saved is not None:
            if art.id in saved:
                report = saved[art.id]
            else:
                result.notes.append(f"{art.id}: no prediction in {pred}; scored as an empty report")
        else:
            try:
                report = predict(art)
                if save is not None:
                    Path(save).mkdir(parents=True, exist_ok=True)
                    (Path(save) / f"{art.id}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            except Exception as exc:  # one failing article is scored empty, the set still scored
                result.notes.append(f"{art.id}: extraction failed ({type(exc).__name__}: {exc}); scored as an empty report")
        result.articles.append(score_article(art.gold, report, art.id))
    if saved is not None:
        ids = {a.id for a in articles}
        extra = sorted(k for k, r in saved.items() if k not in ids and str(r.get("id")) not in ids)
        if extra:
            result.notes.append(f"predictions without gold ignored: {', '.join(extra)}")
    return result
