"""The shared text handling: folding keeps offsets exact; masked and leetspeak spellings read as words."""
from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from classifiers import textnorm, wordscan


@given(st.text())
def test_folding_never_changes_the_length_so_offsets_stay_exact(text):
    folded = textnorm.fold(text)
    assert len(folded) == len(text)
    assert len(textnorm.fold_leet(folded)) == len(text)


def test_look_alike_letters_and_curly_apostrophes_are_made_plain():
    assert textnorm.fold("C\u0430n\u2019t G\u043e On") == "can't go on"


def test_leetspeak_is_read_as_letters_only_inside_words():
    assert textnorm.fold_leet("l0ser r3t4rd w@nker $hit") == "loser retard wanker shit"
    assert textnorm.fold_leet("over 80 at 10am, @sarah") == "over 80 at 10am, @sarah"


def test_a_masked_word_matches_its_asterisk_spellings_but_not_other_words():
    pattern = re.compile(rf"(?<![a-z]){textnorm.masked_word('fuck')}(?![a-z])")
    for spelling in ("fuck", "f*ck", "f**k", "f***", "f#ck"):
        assert pattern.fullmatch(spelling), spelling
    assert not pattern.search("fork")


def test_a_masked_list_entry_stands_for_one_vowel_per_asterisk():
    pattern = re.compile(textnorm.masked_word("r*t*rd"))
    assert pattern.fullmatch("retard") and pattern.fullmatch("r*t*rd") and pattern.fullmatch("r****d")
    assert not pattern.fullmatch("rxtxrd")


def test_a_phrase_allows_any_spacing_and_a_missing_apostrophe():
    pattern = re.compile(textnorm.phrase("can't go on"))
    assert pattern.search("i cant  go\non") and not pattern.search("scan't go on")


def test_the_word_start_scanner_finds_what_one_big_pattern_finds():
    kinds = {"a": [r"end it all", r"(?:kill|hurt) myself"], "b": [r"\d+ ?year ?old", r"(?:no|without) food"]}
    scanner = wordscan.WordStartScanner(kinds)
    text = "my 7 year old has no food and i want to end it all or hurt myself"
    found = [(kind, text[a:b]) for kind, a, b in scanner.scan(text)]
    assert found == [("b", "7 year old"), ("b", "no food"), ("a", "end it all"), ("a", "hurt myself")]


WORDS = ["kids", "children", "toddler", "baby", "girls", "boys", "lads", "twins", "sons", "daughters", "infants"]


@given(st.lists(st.sampled_from(WORDS + ["are", "left", "alone", "hungry", "the", "a", "7", "and"]), max_size=12))
def test_splitting_long_alternations_by_first_letter_finds_the_same_as_the_whole_pattern(words):
    whole = rf"(?:{'|'.join(WORDS)}) (?:are )?(?:left alone|hungry)|\d+ (?:kids|boys)"
    by_letter = wordscan.WordStartScanner({"sign": wordscan.by_first_character(
        "{W} (?:are )?(?:left alone|hungry)", "{W}", WORDS) + [r"\d+ (?:kids|boys)"]})
    split = wordscan.WordStartScanner({"sign": [whole]})
    plain = re.compile(rf"(?<![\w'])(?:{whole})")
    text = " ".join(words)
    expected = [(m.start(), m.end()) for m in plain.finditer(text)]
    assert [(a, b) for _, a, b in by_letter.scan(text)] == expected
    assert [(a, b) for _, a, b in split.scan(text)] == expected


def test_top_level_alternatives_are_split_and_groups_kept_whole():
    assert wordscan.alternatives(r"a|b(?:c|d)|[|]e") == ["a", "b(?:c|d)", "[|]e"]
    assert wordscan.alternatives(r"(?:a|b)") == ["(?:a|b)"]


def test_a_short_quote_is_cut_with_an_ellipsis():
    assert textnorm.short_quote("a " * 40, 0, 80, limit=10) == "a a a a..."
