"""Many word-list patterns searched fast: each tried only where a word starts with a letter it can start with."""
from __future__ import annotations

import re
from functools import lru_cache
from re import _constants as sre_constants  # the standard library's pattern parser, to read a pattern's first step
from re import _parser as sre_parser
from typing import Any, Iterator


def _first_chars(items: Any) -> set[str] | None:
    """The characters a parsed pattern can start with, or None when it could start with anything."""
    c = sre_constants
    chars: set[str] = set()
    for op, av in items:
        if op is c.ASSERT and av[0] == 1 and not chars:  # a leading look-ahead says what can come first
            ahead = _first_chars(av[1])
            if ahead is not None:
                return ahead
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero width: look at what follows
        if op is c.LITERAL:
            return chars | {chr(av)}
        if op is c.IN:
            for item_op, item_av in av:
                if item_op is c.LITERAL:
                    chars.add(chr(item_av))
                elif item_op is c.RANGE:
                    chars.update(chr(x) for x in range(item_av[0], item_av[1] + 1))
                elif item_op is c.CATEGORY and item_av is c.CATEGORY_DIGIT:
                    chars.update("0123456789")
                else:
                    return None
            return chars
        if op is c.SUBPATTERN:
            inner, can_be_empty = _first_chars(av[3]), av[3].getwidth()[0] == 0
        elif op is c.BRANCH:
            firsts = [_first_chars(branch) for branch in av[1]]
            if any(f is None for f in firsts):
                return None
            inner = set().union(*firsts)  # type: ignore[arg-type]
            can_be_empty = any(branch.getwidth()[0] == 0 for branch in av[1])
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            inner, can_be_empty = _first_chars(av[2]), av[0] == 0
        else:
            return None
        if inner is None:
            return None
        chars |= inner
        if not can_be_empty:
            return chars
    return None


def _syntax(pattern: str) -> Iterator[tuple[int, str, int]]:
    """(index, character, depth after it) of each bracket or bar of pattern that is not escaped or in a [class]."""
    depth, in_class, escaped = 0, False, False
    for index, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch in "()|":
            depth += {"(": 1, ")": -1}.get(ch, 0)
            yield index, ch, depth


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of pattern ("a|b(c|d)" gives "a" and "b(c|d)"), so each can be grouped apart."""
    cuts = [index for index, ch, depth in _syntax(pattern) if ch == "|" and depth == 0]
    if not cuts:
        return [pattern]
    bounds = zip([-1, *cuts], [*cuts, len(pattern)])
    return [part for part in (pattern[a + 1:b] for a, b in bounds) if part]


class WordStartScanner:
    """Many patterns, each tried only where a word starts with a character it can start with.

    One alternation of a few hundred patterns tries every one of them at every word; grouping them by first
    character first makes the search several times faster, which the suite's speed target needs. Patterns that
    can start with many different characters (or anything) are kept apart in one "broad" pattern, tried where
    no grouped pattern matched, rather than copied into every group.
    """

    _SYMBOLS = "£$€@#🔪🔫💣🪓"  # words may start with these too (weapon emoji stand for words)
    _WORD_START = re.compile(rf"(?<![\w'])[^\W_]|[{_SYMBOLS}]")
    BROAD = 8  # a pattern that can start with more characters than this is a broad one

    def __init__(self, kinds: dict[str, list[str]]) -> None:
        buckets: dict[str, list[tuple[str, str]]] = {}
        broad: list[tuple[str, str]] = []
        for kind, patterns in kinds.items():
            waiting = [part for whole in patterns for part in alternatives(whole)][::-1]
            while waiting:
                pattern = waiting.pop()  # in the word list's order: at one place the earlier pattern wins
                try:
                    first = _first_chars(sre_parser.parse(pattern))
                except Exception:  # noqa: BLE001 - an unusual pattern is simply tried everywhere
                    first = None
                if first is not None and len(first) <= self.BROAD:
                    for ch in first:
                        buckets.setdefault(ch, []).append((kind, pattern))
                elif (split := _split_leading_group(pattern)) is not None:
                    waiting.extend(reversed(split))
                else:
                    broad.append((kind, pattern))
        self._by_char = {ch: self._compile(entries) for ch, entries in buckets.items()}
        self._broad = self._compile(broad) if broad else None
        self._starts = self._WORD_START if broad else self._starts_for(set(buckets))

    @classmethod
    def _starts_for(cls, chars: set[str]) -> re.Pattern[str]:
        """Word starts with one of chars only: with no broad pattern, other words cannot begin a match."""
        word_chars = "".join(re.escape(c) for c in sorted(chars) if c.isalnum())
        symbols = "".join(re.escape(c) for c in sorted(chars) if c in cls._SYMBOLS)
        parts = ([rf"(?<![\w'])[{word_chars}]"] if word_chars else []) + ([f"[{symbols}]"] if symbols else [])
        return re.compile("|".join(parts) or r"(?!)")

    @staticmethod
    def _compile(entries: list[tuple[str, str]]) -> re.Pattern[str]:
        grouped: dict[str, list[str]] = {}
        for kind, pattern in entries:
            grouped.setdefault(kind, []).append(pattern)
        return re.compile("|".join(f"(?P<{k}>" + "|".join(f"(?:{p})" for p in ps) + ")" for k, ps in grouped.items()))

    def scan(self, text: str) -> list[tuple[str, int, int]]:
        """(kind, start, end) of each match starting at a word, left to right, not overlapping."""
        found: list[tuple[str, int, int]] = []
        resume = 0
        by_char, broad = self._by_char, self._broad
        for start_match in self._starts.finditer(text):
            pos = start_match.start()
            if pos < resume:
                continue
            pattern = by_char.get(text[pos])
            m = pattern.match(text, pos) if pattern is not None else None
            if (m is None or m.end() == pos) and broad is not None:
                m = broad.match(text, pos)
            if m is not None and m.end() > pos:
                found.append((m.lastgroup or "", pos, m.end()))
                resume = m.end()
        return found


def _split_leading_group(pattern: str) -> list[str] | None:
    """"(?:a|b) rest" as "(?:a) rest" and "(?:b) rest", each with fewer first characters; None if it cannot be."""
    if not pattern.startswith("(?:"):
        return None
    close = next((index for index, ch, depth in _syntax(pattern) if ch == ")" and depth == 0), None)
    if close is None:
        return None
    rest = pattern[close + 1:]
    if rest[:1] in ("?", "*", "+", "{"):
        return None  # an optional or repeated group cannot be split this way
    choices = alternatives(pattern[3:close])
    return [f"(?:{choice}){rest}" for choice in choices] if len(choices) > 1 else None


def by_first_character(template: str, placeholder: str, choices: list[str]) -> list[str]:
    """template once per first character, its placeholder replaced by the choices that can start with it.

    A pattern that starts with a long alternation (any insult, any group of people) can start with almost any
    letter, so the scanner would try it at every word; split like this, each copy is tried only where a word starts
    with its letter. Choices that could start with anything stay together in one copy.
    """
    by_char: dict[str, list[str]] = {}
    for choice in choices:
        for part in alternatives(choice):
            first = _first_chars(sre_parser.parse(part))
            for ch in sorted(first) if first else [""]:
                by_char.setdefault(ch, []).append(part)
    # A leading look-ahead on the letter files each copy under that letter only (see _first_chars).
    copies = []
    for ch, parts in sorted(by_char.items()):
        ahead = f"(?={re.escape(ch)})" if ch else ""
        copies.append(ahead + template.replace(placeholder, f"(?:{'|'.join(dict.fromkeys(parts))})"))
    return copies


def starts_with(template: str, placeholder: str) -> bool:
    """Whether template begins (after any look-behind) with placeholder, so by_first_character can split it."""
    try:
        return _first_chars(sre_parser.parse(template.replace(placeholder, "\x00"))) == {"\x00"}
    except Exception:  # noqa: BLE001 - not a pattern we can read: leave it whole
        return False


@lru_cache(maxsize=32)
def _cached_scanner(kinds: tuple[tuple[str, tuple[str, ...]], ...]) -> WordStartScanner:
    return WordStartScanner({kind: list(patterns) for kind, patterns in kinds})


def scanner_for(kinds: dict[str, list[str]]) -> WordStartScanner:
    """A scanner for kinds, built once per distinct word list and kept: building one takes a noticeable moment."""
    return _cached_scanner(tuple((kind, tuple(patterns)) for kind, patterns in kinds.items()))
