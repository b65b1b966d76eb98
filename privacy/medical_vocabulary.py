"""The vocabulary of the medical-term guard (ZM-3): the data file
`privacy/data/medische_termen.txt` read and compiled once, and the text folding both the
vocabulary and the scanned text go through. `privacy/medical_guard.py` scans with it.

How matching works: the text is case-folded and stripped of diacritics (é→e, ï→i, ĳ→ij), soft
hyphens and zero-width characters are removed, and it is cut into words. A hyphenated word is
looked at as a whole ("burn-out" → "burnout") and part by part ("knie-operatie" → "operatie");
an apostrophe is dropped ("hernia's" → "hernias") and the part before it is tried too
("hernia"). Phrases match consecutive words within one sentence (a single line break does
not end one). The offending words are reported as they were typed, widened to the whole
hyphenated word.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

VOCABULARY_PATH = Path(__file__).resolve().parent / "data" / "medische_termen.txt"

# A compound's first part must be followed by at least this many letters ("kanker~" matches
# "kankerpatiënt" but not the verb "kankeren"), so short inflections are not compounds.
_MIN_COMPOUND_REST = 3

# Characters deleted before matching: soft hyphen and zero-width characters would otherwise
# split a word invisibly ("bur\u00adnout").
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_TRANSLATE = {
    **_INVISIBLE,
    **dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2212"), "-"),
    **dict.fromkeys(map(ord, "\u2018\u2019\u02bc\u0060\u00b4"), "'"),
}
# Vocabulary lines that define a group ("@name = a b c") and that expand one ("@name+tail").
_GROUP_DEF_RE = re.compile(r"^@([a-z_]+)\s*=\s*(.+)$")
_EXPANSION_RE = re.compile(r"^@([a-z_]+)\+(\S+)$")


def fold(text: str) -> tuple[str, list[int]]:
    """Case-fold and strip diacritics; return the folded text and, per folded character, the
    index of the original character it came from (to report words as typed)."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    out: list[str] = []
    index: list[int] = []
    for i, char in enumerate(text):
        if char.isascii():
            out.append(char.lower())
            index.append(i)
            continue
        # Per character, so the index map stays right when a character is dropped.
        decomposed = unicodedata.normalize("NFKD", char.translate(_TRANSLATE))
        folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        for c in folded:
            out.append(c)
            index.append(i)
    return "".join(out), index


def _fold_word(word: str) -> str:
    """The form a vocabulary word is compared in: folded, without apostrophes and hyphens."""
    return fold(word)[0].replace("'", "").replace("-", "")


@dataclass
class _WordMatcher:
    """Single-word patterns, indexed so a lookup costs a few dict probes per word."""

    exact: dict[str, str] = field(default_factory=dict)
    prefix: dict[str, str] = field(default_factory=dict)
    first_part: dict[str, str] = field(default_factory=dict)
    suffix: dict[str, str] = field(default_factory=dict)
    infix: list[tuple[str, str]] = field(default_factory=list)

    def add(self, pattern: str, source: str) -> None:
        if pattern.startswith("~") and pattern.endswith("*"):
            self.infix.append((_fold_word(pattern[1:-1]), source))
        elif pattern.startswith("~"):
            self.suffix[_fold_word(pattern[1:])] = source
        elif pattern.endswith("*"):
            self.prefix[_fold_word(pattern[:-1])] = source
        elif pattern.endswith("~"):
            self.first_part[_fold_word(pattern[:-1])] = source
        else:
            self.exact[_fold_word(pattern)] = source
        if "" in self.exact or "" in self.prefix or "" in self.suffix or "" in self.first_part:
            raise ValueError(f"empty pattern in vocabulary: {source!r}")

    def freeze(self) -> None:
        self._prefix_lengths = sorted({len(k) for k in self.prefix})
        self._first_lengths = sorted({len(k) for k in self.first_part})
        self._suffix_lengths = sorted({len(k) for k in self.suffix})

    def match(self, word: str) -> str | None:
        if word in self.exact:
            return self.exact[word]
        size = len(word)
        for n in self._prefix_lengths:
            if n > size:
                break
            if word[:n] in self.prefix:
                return self.prefix[word[:n]]
        for n in self._first_lengths:
            if n > size:
                break
            if (size == n or size - n >= _MIN_COMPOUND_REST) and word[:n] in self.first_part:
                return self.first_part[word[:n]]
        for n in self._suffix_lengths:
            if n > size:
                break
            if word[-n:] in self.suffix:
                return self.suffix[word[-n:]]
        for stem, source in self.infix:
            if stem in word:
                return source
        return None


@dataclass(frozen=True)
class Phrase:
    # Each step is ("set", frozenset of words), ("prefix", stem) or ("end", "").
    steps: tuple[tuple[str, object], ...]
    source: str


@dataclass
class Vocabulary:
    words: _WordMatcher
    exceptions: _WordMatcher
    phrases_by_first: dict[str, list[Phrase]]
    phrases_prefix_first: list[Phrase]
    entries: list[str]
    phrases: list[Phrase]


def _phrase_step(word: str, groups: dict[str, set[str]], source: str) -> tuple[str, object]:
    if word == "$":
        return ("end", "")
    if word.startswith("@"):
        name = word[1:]
        if name not in groups:
            raise ValueError(f"unknown group @{name} in vocabulary line {source!r}")
        return ("set", frozenset(groups[name]))
    if word.endswith("*"):
        return ("prefix", _fold_word(word[:-1]))
    return ("set", frozenset({_fold_word(word)}))


def parse_vocabulary(text: str) -> Vocabulary:
    """Compile the vocabulary file's text (syntax: the header of medische_termen.txt)."""
    lines = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    groups: dict[str, set[str]] = {}
    for line in lines:
        if m := _GROUP_DEF_RE.match(line):
            groups.setdefault(m[1], set()).update(_fold_word(w) for w in m[2].split())

    words, exceptions = _WordMatcher(), _WordMatcher()
    phrases: list[Phrase] = []
    entries: list[str] = []
    for line in lines:
        if _GROUP_DEF_RE.match(line):
            continue
        if line.startswith("!"):
            exceptions.add(line[1:], line)
            continue
        entries.append(line)
        if m := _EXPANSION_RE.match(line):
            if m[1] not in groups:
                raise ValueError(f"unknown group @{m[1]} in vocabulary line {line!r}")
            star = "*" if m[2].endswith("*") else ""
            tail = m[2].rstrip("*")
            for member in groups[m[1]]:
                words.add(member + _fold_word(tail) + star, line)
        elif " " in line:
            steps = tuple(_phrase_step(w, groups, line) for w in line.split())
            if steps[0][0] == "end":
                raise ValueError(f"a phrase cannot start with $: {line!r}")
            phrases.append(Phrase(steps, line))
        else:
            words.add(line, line)
    words.freeze()
    exceptions.freeze()

    by_first: dict[str, list[Phrase]] = {}
    prefix_first: list[Phrase] = []
    for phrase in phrases:
        kind, value = phrase.steps[0]
        if kind == "set":
            for word in value:
                by_first.setdefault(word, []).append(phrase)
        else:
            prefix_first.append(phrase)
    return Vocabulary(words, exceptions, by_first, prefix_first, entries, phrases)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The compiled vocabulary, read once per process."""
    return parse_vocabulary(VOCABULARY_PATH.read_text(encoding="utf-8"))
