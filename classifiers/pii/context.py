"""Small text helpers the recognisers share: windows around a match and fast literal alternations."""
from __future__ import annotations

import re
from typing import Iterable

_SENTENCE_END = re.compile(r"[.!?\n]+(?:\s|$)")


def literal_alternation(phrases: Iterable[str]) -> str:
    """A regex alternation of phrases built as a trie, so that matching does not try each phrase in turn."""
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for char in phrase.lower():
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict) -> str:
    ends_here = "" in node
    branches = []
    for char in sorted(k for k in node if k):
        piece = r"\s+" if char == " " else re.escape(char)
        branches.append(piece + _trie_pattern(node[char]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:
        return "(?:" + body + ")?"
    return body


def before(text: str, start: int, size: int) -> str:
    """Up to size characters of text before start, not crossing the start of the sentence."""
    window = text[max(0, start - size):start]
    cut = None
    for cut in _SENTENCE_END.finditer(window):
        pass
    return window[cut.end():] if cut else window


def after(text: str, end: int, size: int) -> str:
    """Up to size characters of text after end, not crossing the end of the sentence."""
    window = text[end:end + size]
    match = _SENTENCE_END.search(window)
    return window[:match.start()] if match else window


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The start and end of the sentence (or line) holding text[start:end]."""
    left = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        left = match.end()
    match = _SENTENCE_END.search(text, end)
    return left, (match.start() if match else len(text))
