"""The medical-term guard (ZM-3; also serves ZM-2, RI-3, RI-5 and RI-6).

ZM-2 keeps medical data out of every employer-side field by design; ZM-3 covers the few open
text fields that must exist ("lopende afspraken en werkzaamheden", notes on a plan van aanpak,
messages, re-integration reports). Each such field carries `NO_MEDICAL_DATA_NOTICE` as help text
and runs `validate_no_medical_terms`, which refuses a save whose text contains Dutch diagnosis,
symptom, treatment, medication or care-provider vocabulary and names the offending words. Forms
use `GuardedTextField`, the API uses `GuardedCharField`: one validator for both, so the form and
the API cannot drift apart. A refused form comes back bound, with the typed text intact.

Hand-written because no maintained Dutch medical-term filter exists on PyPI. What is there
solves other problems: `deduce` de-identifies Dutch medical text (it removes names and dates from
clinical notes, the opposite direction); `clinlp` is a spaCy pipeline for Dutch clinical notes
that ships no lay vocabulary and needs spaCy and models; medspaCy, QuickUMLS and MedCAT are
English-first and need UMLS/SNOMED licences or downloaded models. None knows how an HR officer
writes "zit er doorheen" or "loopt bij de fysio". The vocabulary is data,
`privacy/data/medische_termen.txt`, so adding a word is a one-line change reviewed like any text;
its syntax is documented at the top of that file.

How matching works: the text is case-folded and stripped of diacritics (é→e, ï→i, ĳ→ij), soft
hyphens and zero-width characters are removed, and it is cut into words. A hyphenated word is
looked at as a whole ("burn-out" → "burnout") and part by part ("knie-operatie" → "operatie");
an apostrophe is dropped ("hernia's" → "hernias") and the part before it is tried too
("hernia"). Phrases match consecutive words within one sentence (a single line break does
not end one). The offending words are reported as they were typed, widened to the whole
hyphenated word.

Known false-positive classes (refused although not medical; the notice tells the writer to
rephrase, and nothing is lost because the form comes back filled in):
- "operatie" in the business sense ("de operatie in Rotterdam", "logistieke operatie"): in a
  sick-leave file the surgical sense dominates, so "operatie" stays in the vocabulary.
  "Operationeel" and "coöperatie" pass.
- Care-sector employers, whose own workplace and job titles are medical words ("werkt als
  psycholoog", "dienst op de polikliniek", "klant: ziekenhuis Zwolle", "UMC"). Neutral wording
  ("zorginstelling", "de afdeling", "de functie") passes; "ziekenhuisbranche" passes.
- Organisations named after a disease ("KWF Kankerbestrijding", "Diabetesfonds",
  "Reumafonds").
- The pandemic as a time reference ("sinds corona"); compounds such as "coronatijd",
  "coronacrisis" and "coronamaatregelen" are listed exceptions and pass.
- Employer vaccination campaigns ("griepprik-actie"): refused on purpose, because whether
  someone was vaccinated is health data.
- Pregnancy leave ("zwangerschapsverlof", "bevallingsverlof"): refused on purpose, because in
  a sick-leave file it reveals which vangnet provision applies (ZM-1, ZM-2).
- Technical senses of medical words: "diagnose" of a network fault, a car's "ontsteking",
  "benauwd" about a stuffy room, "trauma" of a robbery when no one is ill.
- "de specialist" in the business sense after naar/bij/van/door ("geholpen door de
  specialist van ons team"); "IT-specialist" and "specialist in SAP" pass.
- First names and surnames that are also abbreviations or eponyms ("Tia", "Pfeiffer").

Known limits: it is a guard against honest mistakes, not against someone determined to get
round it ("h e r n i a", "h3rnia"). It misses descriptions without any listed word ("op de
wachtlijst voor een nieuwe heup") and diagnoses that are also common words: "ALS" (als) and
"MS" (MS Teams) are caught only as "ALS-patiënt" or "multiple sclerose". It does not read
negation ("geen griep" is refused too, and should be: it is still about health). Body parts
alone never match ("achter de rug", "met het oog op", "hoofd van de afdeling"); they count
only in a complaint phrase or compound ("last van zijn rug", "rugklachten").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError

VOCABULARY_PATH = Path(__file__).resolve().parent / "data" / "medische_termen.txt"

NO_MEDICAL_DATA_NOTICE = (
    "Vul hier geen medische gegevens in (zoals diagnose, klachten, behandeling of medicatie). "
    "De werkgever mag die niet vastleggen."
)

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
# A word: letters/digits, optionally joined by apostrophes and hyphens. Or a sentence boundary,
# across which phrases do not match: sentence punctuation or a blank line. A single line break
# is not one, because text pasted from an e-mail breaks lines in mid-sentence.
_TOKEN_RE = re.compile(r"(?P<w>[^\W_]+(?:['-][^\W_]+)*)|(?P<b>[.!?;:]|\n[^\S\n]*\n)")
_GROUP_DEF_RE = re.compile(r"^@([a-z_]+)\s*=\s*(.+)$")
_EXPANSION_RE = re.compile(r"^@([a-z_]+)\+(\S+)$")


def _fold(text: str) -> tuple[str, list[int]]:
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
    return _fold(word)[0].replace("'", "").replace("-", "")


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
class _Phrase:
    # Each step is ("set", frozenset of words), ("prefix", stem) or ("end", "").
    steps: tuple[tuple[str, object], ...]
    source: str


@dataclass
class Vocabulary:
    words: _WordMatcher
    exceptions: _WordMatcher
    phrases_by_first: dict[str, list[_Phrase]]
    phrases_prefix_first: list[_Phrase]
    entries: list[str]
    phrases: list[_Phrase]


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
    phrases: list[_Phrase] = []
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
            phrases.append(_Phrase(steps, line))
        else:
            words.add(line, line)
    words.freeze()
    exceptions.freeze()

    by_first: dict[str, list[_Phrase]] = {}
    prefix_first: list[_Phrase] = []
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


@dataclass(frozen=True)
class Hit:
    """One match: the span in the original text and the vocabulary line that matched."""

    start: int
    end: int
    text: str
    entry: str


def _forms(part: str) -> list[str]:
    plain = part.replace("'", "")
    if "'" in part:
        return [plain, part.split("'", 1)[0]]
    return [plain]


def _step_matches(step: tuple[str, object], word: str | None) -> bool:
    kind, value = step
    if kind == "end":
        return word is None
    if word is None:
        return False
    if kind == "set":
        return word in value  # type: ignore[operator]
    return word.startswith(value)  # type: ignore[arg-type]


def scan(text: str) -> list[Hit]:
    """Every medical term in `text`, in order of appearance, with the vocabulary line behind
    it. `find_medical_terms` is the public face; this one also explains (for tests, tuning)."""
    if not text:
        return []
    vocab = vocabulary()
    folded, index = _fold(str(text))

    # Flat list of word parts per sentence: (folded word, start, end, whole-word start, end).
    sentences: list[list[tuple[str, int, int, int, int]]] = [[]]
    raw_hits: list[tuple[int, int, str]] = []
    for m in _TOKEN_RE.finditer(folded):
        if m.group("b") is not None:
            if sentences[-1]:
                sentences.append([])
            continue
        whole, w_start, w_end = m.group("w"), m.start(), m.end()
        parts = whole.split("-")
        candidates = []
        pos = w_start
        for part in parts:
            candidates.extend(_forms(part))
            sentences[-1].append((part.replace("'", ""), pos, pos + len(part), w_start, w_end))
            pos += len(part) + 1
        if len(parts) > 1:
            head = "".join(p.replace("'", "") for p in parts[:-1])
            candidates.extend(head + f for f in _forms(parts[-1]))
        for candidate in candidates:
            entry = vocab.words.match(candidate)
            if entry is not None and vocab.exceptions.match(candidate) is None:
                raw_hits.append((w_start, w_end, entry))
                break

    for sentence in sentences:
        for i, (word, *_rest) in enumerate(sentence):
            candidates = vocab.phrases_by_first.get(word, [])
            if vocab.phrases_prefix_first:
                candidates = candidates + [
                    p for p in vocab.phrases_prefix_first if word.startswith(p.steps[0][1])
                ]
            for phrase in candidates:
                end = _phrase_end(phrase, sentence, i)
                if end is not None:
                    # Widen to whole hyphenated words at both ends.
                    raw_hits.append((sentence[i][3], sentence[end][4], phrase.source))
                    break

    # Keep the widest span where hits overlap, in order of appearance.
    raw_hits.sort(key=lambda h: (h[0], -h[1]))
    hits: list[Hit] = []
    last_end = -1
    for start, end, entry in raw_hits:
        if start < last_end:
            continue
        o_start, o_end = index[start], index[end - 1] + 1
        hits.append(Hit(o_start, o_end, str(text)[o_start:o_end], entry))
        last_end = end
    return hits


def _phrase_end(phrase: _Phrase, sentence: list, i: int) -> int | None:
    """Index of the last word matched by `phrase` starting at word i, or None."""
    j = i
    last = i
    for step in phrase.steps:
        word = sentence[j][0] if j < len(sentence) else None
        if not _step_matches(step, word):
            return None
        if step[0] != "end":
            last = j
            j += 1
    return last


def find_medical_terms(text: str) -> list[str]:
    """The medical terms in `text` as typed, deduplicated (ignoring case and diacritics), in
    order of appearance. An empty list means the text may be saved (ZM-3)."""
    seen: set[str] = set()
    found: list[str] = []
    for hit in scan(text):
        key = _fold(hit.text)[0]
        if key not in seen:
            seen.add(key)
            found.append(hit.text)
    return found


def validate_no_medical_terms(value) -> None:
    """Django validator for every employer-writable free-text field (ZM-3)."""
    if value is None:
        return
    terms = find_medical_terms(str(value))
    if terms:
        listed = ", ".join(f'"{t}"' for t in terms)
        raise ValidationError(
            "Medische gegevens mogen hier niet worden ingevuld. Verwijder: %(terms)s.",
            code="medical_terms",
            params={"terms": listed, "found": terms},
        )


class GuardedTextField(forms.CharField):
    """A free-text form field the employer side may write: notice, Textarea, guard (ZM-3)."""

    widget = forms.Textarea
    default_validators = [validate_no_medical_terms]

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", NO_MEDICAL_DATA_NOTICE)
        super().__init__(**kwargs)


def __getattr__(name: str):
    # The DRF field is built on first use, so importing this module for forms does not import
    # rest_framework.
    if name == "GuardedCharField":
        field_class = _make_drf_field()
        globals()[name] = field_class
        return field_class
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _make_drf_field():
    from rest_framework import serializers

    class GuardedCharField(serializers.CharField):
        """The API twin of GuardedTextField (ZM-3): same validator, same notice. DRF turns
        the Django ValidationError into a 400 with the message under the field's name."""

        def __init__(self, **kwargs):
            kwargs.setdefault("help_text", NO_MEDICAL_DATA_NOTICE)
            validators = list(kwargs.pop("validators", []))
            super().__init__(validators=[*validators, validate_no_medical_terms], **kwargs)

    GuardedCharField.__module__ = __name__
    GuardedCharField.__qualname__ = "GuardedCharField"
    return GuardedCharField
