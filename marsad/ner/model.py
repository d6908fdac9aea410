"""The shipped CRF tagger: loaded once from ``marsad/ner/model/`` with no network access.

The model folder holds ``ner.crfsuite`` (weights), ``gazetteer.json`` (word → types lists used
as features), ``settings.json``, ``MODEL_CARD.md`` and ``floors.json`` (test-score floors).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pycrfsuite

from marsad.ner.features import Featurizer, norm_tokens

MODEL_DIR = Path(__file__).resolve().parent / "model"
WEIGHTS = "ner.crfsuite"
GAZETTEER = "gazetteer.json"


class NerModel:
    """A CRF tagger with its featurizer; ``tag`` returns BIO tags and per-token confidences."""

    def __init__(self, path: Path):
        weights = path / WEIGHTS
        if not weights.is_file():
            raise FileNotFoundError(f"NER model weights {weights} are missing; run `marsad train ner`")
        self.path = path
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open(str(weights))
        gpath = path / GAZETTEER
        gaz = json.loads(gpath.read_text("utf-8")) if gpath.is_file() else {}
        self.featurizer = Featurizer(gaz)

    def tag(self, words: list[str], with_confidence: bool = False) -> tuple[list[str], list[float]]:
        """Return BIO tags for normalised ``words`` and, if asked, each tag's marginal probability."""
        if not words:
            return [], []
        tags = self.tagger.tag(self.featurizer.sentence(words))
        if not with_confidence:
            return tags, []
        return tags, [self.tagger.marginal(t, i) if t != "O" else 1.0 for i, t in enumerate(tags)]

    def tag_words(self, tokens: list[str]) -> list[str]:
        """Return BIO tags for raw corpus tokens (normalised here first)."""
        return self.tag(norm_tokens(tokens))[0]


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> NerModel:
    """Return the model in ``path`` (default: the one shipped in the package), loaded once."""
    return NerModel(Path(path) if path else MODEL_DIR)
