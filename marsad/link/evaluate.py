"""Pairwise precision/recall of event linking against hand-made clusters.

Two articles form a predicted pair when some event lists both; a gold pair when a cluster holds
both. Precision = true pairs / predicted pairs, recall = true pairs / gold pairs (each 1.0 when
its denominator is empty: no pair predicted means no false merge).
"""

from __future__ import annotations

from itertools import combinations
from typing import Iterable


def pairs(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    """Unordered article pairs that share a group."""
    return {tuple(sorted(p)) for g in groups for p in combinations(sorted(set(g)), 2)}  # type: ignore[misc]


def pairwise_scores(predicted: Iterable[Iterable[str]], gold: Iterable[Iterable[str]]) -> dict:
    """Precision, recall, F1 and pair counts of predicted article groups against gold clusters."""
    pred, truth = pairs(predicted), pairs(gold)
    true = len(pred & truth)
    precision = true / len(pred) if pred else 1.0
    recall = true / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "predicted_pairs": len(pred), "gold_pairs": len(truth), "true_pairs": true,
            "false_merges": sorted(pred - truth)[:20], "missed": sorted(truth - pred)[:20]}
