"""The vocabulary of the medical-term guard (ZM-3): the data file
`privacy/data/medische_termen.txt` read and compiled once, and the text folding both the
vocabulary and the scanned text go through. `privacy/medical_guard.py` scans with it.

How matching works: the text is case-folded and stripped of diacritics (é→e, ï→i, ĳ→ij), soft
hyphens and zero-width characters are removed, and it is cut into words. A hyphenated word is
looked at as a whole ("burn-out" → "burnout") and part by part ("knie-operatie" → "operatie");
an apostrophe is dropped ("hernia's" → "hernias") and the part before it is tried too
("hernia"). Phrases match consecutive words within one sentence (a single line break does
not end one); a gap step `..N` lets up to N words of any kind stand between two steps ("zit er
..2 doorheen": "zit er psychisch helemaal doorheen"). The offending words are reported as they
were typed, widened to the whole hyphenated word.

Inflection: a word that matches no pattern as it stands is tried again without a Dutch
inflection ending: plural -en/-s/-n, diminutive -je/-tje/-pje/-etje and their
plurals -jes/-tjes/-pjes/-etjes; after -en and -etje(s) also with a doubled final consonant
made single ("behandelplannen" → "behandelplan"); after -en also with the long vowel of an
open syllable written double again ("implantaten" → "implantaat", so a regular plural is never
taken for a typing error). Only whole-word and last-part
patterns of at least `_MIN_INFLECTED_STEM` letters take an ending ("operatietje" → ~operatie,
"patiënten" → ~patiënt), so short words keep their other senses ("polis" is not "poli",
"spits" is not "spit", "prikken" is not "prik"). Verb forms are irregular enough to be listed
as words ("geopereerd", "gediagnosticeerd").

Typing errors: a word that still matches nothing is tried against the vocabulary's words and
stems with one typing error undone, as a whole word (with its inflections): two neighbouring
letters swapped, not the first (6+ letters: "hernai" -> ~hernia*), or a doubled letter typed
once (7+ letters: "depresie" -> ~depressie*), or i and y confused (6+ letters, not the first
letter, not the i of ij: "fybromyalgie", "psichiater"). A dropped letter ("migrane") is not
caught. The hit's entry ends in "(tikfout)". Ordinary
words one such error away from a term ("kosten" <- kotsen) are !exceptions in the data file;
the variants were checked against the OpenTaal word list (about 385,000 Dutch words). Only
whole words, because that costs one dict probe per word (after a check of its first three
letters); a typo inside a compound ("nekhernai") is not caught.

A group with patterns is compiled once, and phrases that start with the same group share it, so
a word is tried once per group rather than once per phrase.

Context exceptions (`!phrase | example`): a phrase that contains a medical word in a technical
sense, governed by a work object ("de diagnose van de storing", "logistieke operatie"). A hit
that lies wholly inside a context exception's match is dropped; every context exception
carries an example sentence that must pass (the tests check each one).

Work frames (issue 21, heldout4; groups @kader_waar_X / @kader_werk_X, @kader_persoon,
@kader_bezit): a word hit whose matched form is one of a frame's goods (a medication, a care
place, a specialism; "besmet" of crops) is dropped when a word of the same frame's work
patterns stands in the same clause (no comma between them, except a work word in apposition
right before the comma: "onze klant, een huisartsenpraktijk"; bestelling, levering, klant,
subsidie, congres, theater, kas, dierenarts; the hit's own word counts, "insulinevoorraad"),
every other medical part of a hyphenated word is goods too ("insuline-injecties" stays
refused), and no person cue
stands before it: a @kader_persoon word anywhere before it in the sentence (hij, ze, slikt,
gebruikt, krijgt, naar, bij, heeft), or a @kader_bezit possessive up to POSSESSIVE_REACH words
before it. Phrase hits are never dropped by a frame.
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

# Inflection endings tried when a word matches no pattern as it stands (longest first), and the
# shortest pattern that takes one: shorter words have too many other senses.
# No adjectival -e: "overwerkte uren" (overtime) is not "overwerkt", "die verrekte printer" not
# "verrekt".
_INFLECTIONS = ("etjes", "tjes", "pjes", "etje", "jes", "tje", "pje", "je", "en", "s", "n")
_UNDOUBLE_AFTER = frozenset({"en", "etje", "etjes"})
# A stem whose plural -en made its long vowel single: consonant, one of a/e/o/u, consonant at
# the end ("implantat" of "implantaten" is "implantaat"). Tried after -en only.
_OPEN_SYLLABLE_RE = re.compile(r"[^aeiou][aeou][^aeiouyj]$")
_MIN_INFLECTED_STEM = 5

# Typing errors (issue 21): a word that matches nothing, not even without an inflection ending,
# is tried against the vocabulary's words and stems with one typing error undone. Only the two
# errors that rarely make another Dutch word: two neighbouring letters swapped (not the first
# letter; "hernai" for hernia) in words of at least _MIN_TYPO_SWAP letters, and a doubled
# letter written once ("depresie" for depressie) in words of at least _MIN_TYPO_UNDOUBLE.
# A variant that is an ordinary word is kept out by a !exception like any other pattern.
# A possessive (@kader_bezit) keeps a work frame from applying up to this many words before
# the hit ("zijn voorraad insuline"); further away it is mostly the verb ("zijn geleverd").
POSSESSIVE_REACH = 3
_MIN_TYPO_SWAP = 6
_MIN_TYPO_UNDOUBLE = 7
TYPO_MARK = " (tikfout)"

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
# A gap in a phrase: up to N words of any kind ("..2").
_GAP_RE = re.compile(r"^\.\.([1-9])$")


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
    """Single-word patterns, indexed so a lookup costs a few dict probes per word. `inflect`:
    also try the word without an inflection ending (the vocabulary's words and exceptions, and
    a single ~pattern in a phrase; not a group's patterns, which list their own forms)."""

    inflect: bool = True

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
        # For inflection: the patterns that take an ending, and their last three letters (a
        # stem whose last three letters are none of these cannot match, one set probe).
        inflectable = [k for k in [*self.exact, *self.suffix] if len(k) >= _MIN_INFLECTED_STEM]
        self._tails = frozenset(k[-3:] for k in inflectable)
        # The first three letters of the whole words (a quick no for the typo matcher, which
        # holds whole words only and is tried on every word that matched nothing).
        self.heads = frozenset(k[:3] for k in self.exact)
        self._inflect_suffix_lengths = sorted(
            {len(k) for k in self.suffix if len(k) >= _MIN_INFLECTED_STEM}
        )

    def match(self, word: str) -> str | None:
        found = self._match(word)
        if found is None and self.inflect and len(word) > _MIN_INFLECTED_STEM:
            found = self._match_inflected(word)
        return found

    def _match_inflected(self, word: str) -> str | None:
        """The word without a Dutch inflection ending, against whole-word and last-part
        patterns of at least _MIN_INFLECTED_STEM letters only."""
        for ending in _INFLECTIONS:
            if not word.endswith(ending):
                continue
            stem = word[: -len(ending)]
            if len(stem) < _MIN_INFLECTED_STEM:
                continue
            stems = [stem]
            if ending in _UNDOUBLE_AFTER and len(stem) > _MIN_INFLECTED_STEM:
                if stem[-1] == stem[-2] and stem[-1] not in "aeiou":
                    stems.append(stem[:-1])
            if ending == "en" and _OPEN_SYLLABLE_RE.search(stem):
                # An open syllable writes a long vowel single: "implantaten" -> "implantaat".
                stems.append(stem[:-1] + stem[-2] + stem[-1])
            for candidate in stems:
                if candidate[-3:] not in self._tails:
                    continue
                if candidate in self.exact:
                    return self.exact[candidate]
                size = len(candidate)
                for n in self._inflect_suffix_lengths:
                    if n > size:
                        break
                    if candidate[-n:] in self.suffix:
                        return self.suffix[candidate[-n:]]
        return None

    def _match(self, word: str) -> str | None:
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
    # Each step is ("set", frozenset of words), ("prefix", stem), ("match", _WordMatcher) for a
    # ~pattern or a group with patterns, ("gap", N) or ("end", "").
    steps: tuple[tuple[str, object], ...]
    source: str
    # Context exceptions only: the sentence that shows the technical sense (it must pass).
    example: str = ""


@dataclass
class _PhraseIndex:
    """Phrases indexed by their first step, so a word costs a few dict probes: word and group
    steps by word, stems by stem; only phrases that start with a pattern group are tried on
    every word."""

    by_first: dict[str, list[Phrase]] = field(default_factory=dict)
    by_stem: dict[str, list[Phrase]] = field(default_factory=dict)
    stem_lengths: list[int] = field(default_factory=list)
    # Phrases that start with a pattern group, per group: its matcher is shared by every
    # phrase that starts with the group (parse_vocabulary compiles a group once), so each word
    # is tried once per group, not once per phrase.
    pattern_first: list[tuple[tuple[str, object], list[Phrase]]] = field(default_factory=list)

    def add(self, phrase: Phrase) -> None:
        kind, value = phrase.steps[0]
        if kind == "set":
            for word in value:  # type: ignore[attr-defined]
                self.by_first.setdefault(word, []).append(phrase)
        elif kind == "prefix":
            self.by_stem.setdefault(value, []).append(phrase)  # type: ignore[arg-type]
            self.stem_lengths = sorted({len(stem) for stem in self.by_stem})
        else:
            for step, group in self.pattern_first:
                if step[1] is value:
                    group.append(phrase)
                    break
            else:
                self.pattern_first.append((phrase.steps[0], [phrase]))

    def starting_at(self, word: str) -> list[Phrase]:
        found = self.by_first.get(word, _NONE)
        if self.stem_lengths:
            for n in self.stem_lengths:
                if n <= len(word) and word[:n] in self.by_stem:
                    found = found + self.by_stem[word[:n]]
        if self.pattern_first:
            for step, group in self.pattern_first:
                if step_matches(step, word):
                    found = found + group
        return found


_NONE: list[Phrase] = []


def typo_variants(stem: str) -> set[str]:
    """`stem` with one typing error: two neighbouring letters swapped (not the first), or a
    doubled letter written once (see _MIN_TYPO_SWAP, _MIN_TYPO_UNDOUBLE)."""
    found = set()
    if len(stem) >= _MIN_TYPO_SWAP:
        for i in range(1, len(stem) - 1):
            if stem[i] != stem[i + 1]:
                found.add(stem[:i] + stem[i + 1] + stem[i] + stem[i + 2 :])
    if len(stem) >= _MIN_TYPO_UNDOUBLE:
        for i in range(1, len(stem)):
            if stem[i] == stem[i - 1]:
                found.add(stem[:i] + stem[i + 1 :])
    if len(stem) >= _MIN_TYPO_SWAP:
        # i and y confused (not the first letter, not the i of ij): "fybromyalgie".
        for i in range(1, len(stem)):
            if stem[i] == "y":
                found.add(stem[:i] + "i" + stem[i + 1 :])
            elif stem[i] == "i" and stem[i + 1 : i + 2] != "j":
                found.add(stem[:i] + "y" + stem[i + 1 :])
    found.discard(stem)
    return found


def _typo_matcher(words: _WordMatcher) -> _WordMatcher:
    """The vocabulary's words and stems with one typing error each, as whole words (with their
    inflections): "hernai", "depresie", "depresies", but not "nekhernai". Whole words only,
    because they cost one dict probe; every word of the text that matched nothing is tried."""
    typos = _WordMatcher()
    patterns = [words.exact, words.prefix, words.suffix, words.first_part, dict(words.infix)]
    for kind in patterns:
        for stem, source in kind.items():
            for variant in typo_variants(stem):
                typos.add(variant, source + TYPO_MARK)
    typos.freeze()
    return typos


@dataclass
class Vocabulary:
    words: _WordMatcher
    exceptions: _WordMatcher
    phrase_index: _PhraseIndex
    context_index: _PhraseIndex
    entries: list[str]
    phrases: list[Phrase]
    context_exceptions: list[Phrase]
    # The most words a context exception's match can span (gaps at their widest).
    context_reach: int = 0
    # The word patterns with one typing error (tried only when `words` finds nothing).
    typos: _WordMatcher = field(default_factory=lambda: _typo_matcher(_frozen_empty()))
    # Work frames (@kader_werk_X / @kader_waar_X): a listed word matched by a frame's goods
    # patterns passes when a word of its work patterns stands in the same clause and no
    # person cue (@kader_persoon) stands before it (see the module docstring).
    frames: list[Frame] = field(default_factory=list)
    person_cues: frozenset[str] = frozenset()
    # Possessives (@kader_bezit) are person cues only up to POSSESSIVE_REACH words before.
    possessive_cues: frozenset[str] = frozenset()
    _frames_of: dict[str, tuple[Frame, ...]] = field(default_factory=dict, init=False, repr=False)

    def frames_of(self, form: str) -> tuple[Frame, ...]:
        """The work frames whose goods `form` is (remembered: the same medical words recur)."""
        found = self._frames_of.get(form)
        if found is None:
            if len(self._frames_of) > 50_000:
                self._frames_of.clear()
            found = tuple(f for f in self.frames if f.goods.match(form) is not None)
            self._frames_of[form] = found
        return found


@dataclass(frozen=True)
class Frame:
    name: str
    work: _WordMatcher
    goods: _WordMatcher


def step_matches(step: tuple[str, object], word: str | None) -> bool:
    """Whether one phrase step accepts `word` (None: past the end of the sentence)."""
    kind, value = step
    if kind == "end":
        return word is None
    if word is None:
        return False
    if kind == "set":
        return word in value  # type: ignore[operator]
    if kind == "prefix":
        return word.startswith(value)  # type: ignore[arg-type]
    return value.match(word) is not None  # type: ignore[union-attr]


def _is_pattern(word: str) -> bool:
    return word.startswith("~") or word.endswith("*")


def _pattern_matcher(patterns: list[str], source: str, inflect: bool) -> _WordMatcher:
    matcher = _WordMatcher(inflect=inflect)
    for pattern in patterns:
        matcher.add(pattern, source)
    matcher.freeze()
    return matcher


def _phrase_step(
    word: str, groups: dict[str, list[str]], source: str, compiled: dict[str, _WordMatcher]
) -> tuple[str, object]:
    if word == "$":
        return ("end", "")
    if m := _GAP_RE.match(word):
        return ("gap", int(m[1]))
    if word.startswith("@"):
        name = word[1:]
        if name not in groups:
            raise ValueError(f"unknown group @{name} in vocabulary line {source!r}")
        members = groups[name]
        if any(_is_pattern(member) for member in members):
            # Compiled once per group: phrases that start with it share the matcher.
            if name not in compiled:
                compiled[name] = _pattern_matcher(members, source, inflect=False)
            return ("match", compiled[name])
        return ("set", frozenset(_fold_word(member) for member in members))
    if word.startswith("~"):
        return ("match", _pattern_matcher([word], source, inflect=True))
    if word.endswith("*"):
        return ("prefix", _fold_word(word[:-1]))
    return ("set", frozenset({_fold_word(word)}))


def _phrase(
    line: str,
    groups: dict[str, list[str]],
    example: str = "",
    compiled: dict[str, _WordMatcher] | None = None,
) -> Phrase:
    compiled = {} if compiled is None else compiled
    steps = tuple(_phrase_step(w, groups, line, compiled) for w in line.split())
    if steps[0][0] in ("end", "gap") or steps[-1][0] == "gap":
        raise ValueError(f"a phrase cannot start with $ or start or end with a gap: {line!r}")
    return Phrase(steps, line, example)


def parse_vocabulary(text: str) -> Vocabulary:
    """Compile the vocabulary file's text (syntax: the header of medische_termen.txt)."""
    lines = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    groups: dict[str, list[str]] = {}
    for line in lines:
        if m := _GROUP_DEF_RE.match(line):
            groups.setdefault(m[1], []).extend(m[2].split())

    words, exceptions = _WordMatcher(), _WordMatcher()
    compiled: dict[str, _WordMatcher] = {}
    phrases: list[Phrase] = []
    context_exceptions: list[Phrase] = []
    entries: list[str] = []
    for line in lines:
        if _GROUP_DEF_RE.match(line):
            continue
        if line.startswith("!") and ("|" in line or " " in line.strip()):
            pattern, _bar, example = line[1:].partition("|")
            if not example.strip() or " " not in pattern.strip():
                raise ValueError(f"a context exception needs a phrase and | an example: {line!r}")
            context_exceptions.append(_phrase(pattern.strip(), groups, example.strip(), compiled))
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
                words.add(_fold_word(member) + _fold_word(tail) + star, line)
        elif " " in line:
            phrases.append(_phrase(line, groups, compiled=compiled))
        else:
            words.add(line, line)
    words.freeze()
    exceptions.freeze()

    phrase_index, context_index = _PhraseIndex(), _PhraseIndex()
    for phrase in phrases:
        phrase_index.add(phrase)
    for phrase in context_exceptions:
        context_index.add(phrase)
    reach = max((_span(p) for p in context_exceptions), default=0)
    frames = []
    for name in groups:
        if not name.startswith("kader_waar_"):
            continue
        kind = name.removeprefix("kader_waar_")
        if f"kader_werk_{kind}" not in groups:
            raise ValueError(f"@{name} has no @kader_werk_{kind}")
        work = _pattern_matcher(groups[f"kader_werk_{kind}"], f"@kader_werk_{kind}", True)
        goods = _pattern_matcher(groups[name], f"@{name}", True)
        frames.append(Frame(kind, work, goods))
    person_cues = frozenset(_fold_word(w) for w in groups.get("kader_persoon", []))
    possessive_cues = frozenset(_fold_word(w) for w in groups.get("kader_bezit", []))
    return Vocabulary(
        words,
        exceptions,
        phrase_index,
        context_index,
        entries,
        phrases,
        context_exceptions,
        reach,
        _typo_matcher(words),
        frames,
        person_cues,
        possessive_cues,
    )


def _frozen_empty() -> _WordMatcher:
    matcher = _WordMatcher()
    matcher.freeze()
    return matcher


def _span(phrase: Phrase) -> int:
    return sum(step[1] if step[0] == "gap" else step[0] != "end" for step in phrase.steps)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The compiled vocabulary, read once per process."""
    return parse_vocabulary(VOCABULARY_PATH.read_text(encoding="utf-8"))
