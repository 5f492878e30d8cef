"""Text normalisation and the word + character n-gram TF-IDF features of the complaint model."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable

import numpy
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

URL_PATTERN = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
HANDLE_PATTERN = re.compile(r"(?<![\w@])@\w{1,50}")
EMAIL_PATTERN = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
# Single digits stay: in text-speak they are words ("thru 2 the docs", "b4").
NUMBER_PATTERN = re.compile(r"\d{2,}(?:[.,:]\d+)*|\d(?:[.,:]\d+)+")
SPACES = re.compile(r"\s+")
# Joiners, variation selectors and skin tones carry no meaning of their own once the emoji is named.
EMOJI_MODIFIERS = frozenset("\u200d\ufe0e\ufe0f") | frozenset(chr(c) for c in range(0x1F3FB, 0x1F400))


@lru_cache(maxsize=4096)
def _emoji_token(char: str) -> str:
    name = unicodedata.name(char, "") if char != "\ufffd" else ""
    words = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return f" emoji_{words} " if words else " emoji "


def _is_emoji(char: str) -> bool:
    code = ord(char)
    return (
        0x1F000 <= code <= 0x1FAFF
        or 0x2600 <= code <= 0x27BF
        or 0x2B00 <= code <= 0x2BFF
        or code == 0xFFFD  # mangled emoji in scraped data
    )


def normalise_text(text: str) -> str:
    """The text as the model sees it: URLs, e-mail addresses, handles, numbers and emoji become tokens.

    Spelling, case-folding aside, is left alone: British spelling and text-speak ("gp", "appt", "cant")
    are what people write, and the character n-grams learn from them.
    """
    text = URL_PATTERN.sub(" httpurl ", text)
    text = EMAIL_PATTERN.sub(" emailaddress ", text)
    text = HANDLE_PATTERN.sub(" @user ", text)
    text = NUMBER_PATTERN.sub("0", text)
    if any(ord(c) > 0x2000 for c in text):
        text = "".join(
            "" if c in EMOJI_MODIFIERS else _emoji_token(c) if _is_emoji(c) else c for c in text
        )
    return SPACES.sub(" ", text).strip()


def normalise_texts(texts: Iterable[str]) -> list[str]:
    """normalise_text over many texts (the first step of the feature pipeline)."""
    return [normalise_text(text) for text in texts]


def build_features(min_df: int = 2) -> Pipeline:
    """Normalisation, then word 1-3-gram and character 2-5-gram TF-IDF, both with sublinear term frequency."""
    words = TfidfVectorizer(
        token_pattern=r"(?u)(?:@user|\b\w+\b|[!?])",
        ngram_range=(1, 3),
        sublinear_tf=True,
        dtype=numpy.float32,
    )
    chars = TfidfVectorizer(analyzer="char", ngram_range=(2, 5), sublinear_tf=True, min_df=min_df, dtype=numpy.float32)
    return Pipeline([
        ("normalise", FunctionTransformer(normalise_texts)),
        ("tfidf", FeatureUnion([("words", words), ("chars", chars)])),
    ])


def drop_fitted_stop_words(features: Pipeline) -> Pipeline:
    """Remove the vectorisers' record of pruned terms: only needed for introspection, and large."""
    for _, vectoriser in features.named_steps["tfidf"].transformer_list:
        if hasattr(vectoriser, "stop_words_"):
            vectoriser.stop_words_ = None
    return features
