"""The medical-term guard (ZM-3; also serves ZM-2, RI-3, RI-5 and RI-6).

ZM-2 keeps medical data out of every employer-side field by design; ZM-3 covers the few open
text fields that must exist ("lopende afspraken en werkzaamheden", notes on a plan van aanpak,
messages, re-integration reports). Each such field carries `NO_MEDICAL_DATA_NOTICE` as help text
and runs `validate_no_medical_terms`, which refuses a save whose text contains Dutch diagnosis,
symptom, treatment, medication or care-provider vocabulary and names the offending words. Forms
use `GuardedTextField`, the API uses `GuardedCharField`: one validator for both, so the form and
the API cannot drift apart. A refused form comes back bound, with the typed text intact.

Forms and serializers only give early feedback. The guard that holds is in the action layer:
every action that writes such a field calls `guard_fields(data, fields)` first, so every entry
point (page, API, CSV import, management command, Celery task) passes through it. Its
ValidationError is keyed by field, so the page helpers put the message at the field and the API
answers 400 `invalid` with the message under the field's name.

Hand-written because no maintained Dutch medical-term filter exists on PyPI. What is there
solves other problems: `deduce` de-identifies Dutch medical text (it removes names and dates from
clinical notes, the opposite direction); `clinlp` is a spaCy pipeline for Dutch clinical notes
that ships no lay vocabulary and needs spaCy and models; medspaCy, QuickUMLS and MedCAT are
English-first and need UMLS/SNOMED licences or downloaded models. None knows how an HR officer
writes "zit er doorheen" or "loopt bij de fysio". The vocabulary is data,
`privacy/data/medische_termen.txt`, so adding a word is a one-line change reviewed like any text;
its syntax is documented at the top of that file.

How matching works is described in `privacy/medical_vocabulary.py`, which reads and compiles
the vocabulary; this module scans a text with it and is the face forms and the API use. In
short (issue 21): word forms, not bare substrings (Dutch plurals and diminutives of the listed
words, compounds whose last part is medical, informal forms such as "psych" and "hypo", one
typing error in a whole word, "hernai", "depresie"); short phrases with gaps for indirect
speech (a body part with what it stops, "zijn arm niet belasten"; a body part with what
happened to it, "gebroken ruggenwervel", "vingertop afgesneden", "sleutelbeen in tweeën"; a
collapse without a diagnosis, "ze is helemaal ingestort"); and context exceptions, kept as
data beside the vocabulary with an example each, for a medical word in a technical or
figurative sense governed by a work object or an organisation ("de diagnose van de storing",
"het behandelplan voor de renovatie", "de logistieke operatie", "het filiaal bloedt geld",
"het project ligt op de intensive care", "de huisartsenpraktijk verhuist"). The doctor's
advice warnings (MD-5, medisch.forms and medisch.actions.dossier) call `find_medical_terms`
too, so they gain every fix. The employee's noodinformatie (ZM-4) is not guarded;
tests/security/test_zm3_action_layer.py lists every free-text field as guarded or not, with
the reason.

Rates: tests/privacy/test_medical_guard.py prints the false-negative and false-positive rates of
every corpus with each miss (`-s -k zm3`); speed is measured by bench/measure_guard.py.

Known false-positive classes (refused although not medical; the notice tells the writer to
rephrase, and nothing is lost because the form comes back filled in):
- "operatie" in the business sense when no work object governs it ("de operatie in
  Rotterdam", code names such as "Operatie Schoonschip"): in a sick-leave file the surgical
  sense dominates, so "operatie" stays in the vocabulary. A business adjective or a work
  object after rond/van passes ("de logistieke operatie", "de operatie rond de verhuizing"), as
  do "operationeel" and "coöperatie".
- Care-sector employers, whose own workplace and job titles are medical words ("werkt als
  psycholoog", "dienst op de polikliniek", "klant: ziekenhuis Zwolle", "UMC"). Neutral wording
  ("zorginstelling", "de afdeling", "de functie") passes; "ziekenhuisbranche" passes; so does a
  care place governed by a work object ("de storing bij het ziekenhuis", "de levering aan de
  apotheek", "de offerte voor de kliniek"), a care place as an organisation ("de
  huisartsenpraktijk verhuist", "het ziekenhuis fuseert"), a care place, medication or
  specialism in a work frame (issue 21, heldout4: "de bestelling paracetamol voor de
  filialen", "nieuwe klant is een verpleeghuis", "congres van orthopedisch chirurgen", "de
  subsidie van het vaccinatieonderzoek", "de koeien door de dierenarts gevaccineerd"; the
  vocabulary docstring says how), facilities work at one ("de OK's
  van het ziekenhuis worden schoongemaakt", "geleverd op de revalidatieafdeling") and a care
  worker's task ("de medicijnronde"), but not a bare mention ("naar de apotheek in Zwolle",
  "ligt in het ziekenhuis"), nor a frame cut off by a colon, which ends a sentence
  ("klant: tandartspraktijk", "Mbt de offertes: Ahmed belt de tandartspraktijken"), nor one
  with a person cue before the word even when the cue is no person ("de apotheek-app krijgt
  een functie om herhaalrecepten te bestellen", "de planten zijn besmet" with "zijn" right
  before, "het gewas heeft een infectie").
- Organisations named after a disease ("KWF Kankerbestrijding", "Diabetesfonds",
  "Reumafonds").
- The pandemic as a time reference ("sinds corona"); compounds such as "coronatijd",
  "coronacrisis" and "coronamaatregelen" are listed exceptions and pass.
- Employer vaccination campaigns ("griepprik-actie"): refused on purpose, because whether
  someone was vaccinated is health data.
- Pregnancy leave ("zwangerschapsverlof", "bevallingsverlof"): refused on purpose, because in
  a sick-leave file it reveals which vangnet provision applies (ZM-1, ZM-2).
- Technical senses of medical words that no work object governs: "de diagnose is gesteld:
  defecte printplaat" (but "de diagnose van de storing" passes), a car's "ontsteking",
  "benauwd" about a stuffy room, "trauma" of a robbery when no one is ill. Figurative senses
  pass only in the listed frames: "koortsachtig", "dokteren aan", "hoofdpijndossier" as words;
  "bloedt geld/klanten", "<project> ligt op de intensive care", "<kassa's> waren verlamd",
  "heeft de <router> gereanimeerd", "infectie op de <server>", "malware-infectie", "injectie
  van <N> uur/euro", "operatie <vestiging>" as context exceptions. "Het netwerk ligt plat, de
  hele zaak is verlamd" or "de storing bloedt ons leeg" are still refused.
- Pronoun + "heeft suiker" about sugar itself ("hij heeft suiker meegenomen"), and a body part
  after door/in/aan + possessive in an idiom not excluded from @klachtdeel ("ze ging door haar
  knie" for giving in; "door zijn knieën", "in zijn nek", "in zijn maag", "in zijn vingers"
  and "in zijn ogen" are excluded and pass).
- "de specialist" in the business sense after naar/bij/van/door ("geholpen door de
  specialist van ons team"); "IT-specialist" and "specialist in SAP" pass.
- First names and surnames that are also abbreviations or eponyms ("Tia", "Pfeiffer").
- A verb or organisational "ingreep" followed by mag/moet/kan/zit/ligt or "weken": "na de
  ingreep moet het team ..." is refused ("na de ingreep van de directie" passes); "in een
  rolstoel" about a visitor.

Known limits: it is a guard against honest mistakes, not against someone determined to get
round it ("h e r n i a", "h3rnia"). Typing errors are caught only as one swap of neighbouring
letters or one doubled letter typed once, in a whole word of 6 or 7+ letters ("hernai",
"depresie"), or i and y confused in a whole word of 6+ letters ("fybromyalgie"); a dropped
or wrong letter ("bipsie", "migrane", "hernja"), a typo inside a compound
("nekhernai") or in a short word passes. "koortsachtig" passes even when literal; "drugsgebruik"
is not listed (it is mostly company policy), only "blowen", "cocaïnegebruik" and addiction
words. It misses descriptions without any listed word or pattern
("moet elke ochtend spuiten", "kan de trap niet meer op"), lay words it only knows in a
pattern ("Jan heeft suiker" passes; "ze heeft suiker" does not), and diagnoses that are also
common words: "ALS" (als) and "MS" (MS Teams) are caught only as "ALS-patiënt" or "multiple
sclerose". A work frame lets a frame's goods through when the person is named without a
cue before the word and a work word stands in the same clause ("De insuline van Jan moet in
de koelcel van het magazijn" and "Tandarts voor Jan donderdag en de offerte schuift" pass;
"Tandarts voor Jan donderdag, de offerte schuift", "Jan moet naar de tandarts en ...", "Hij
slikt paracetamol en de bestelling ..." and "zijn insuline" are refused); such a sentence
needs another medical word to be refused. A context exception lets its
medical word through whatever was meant ("de operatie
rond de verhuizing" passes even if it was surgery; "zijn operatie rond de verhuizing" does
not). Verb forms are listed words, not derived ("gediagnosticeerd" is listed, not every
participle). It does not read negation ("geen griep" is refused too, and should be: it is still
about health). Body parts alone never match ("achter de rug", "met het oog op", "hoofd van de
afdeling"); they count only in a complaint phrase, a phrase with what they stop ("zijn arm
niet belasten", "door zijn schouder"), after a possessive for inner organs ("haar longen"), or
in a compound ("last van zijn rug", "rugklachten", "heupvervanging").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError

from .medical_vocabulary import (
    _MIN_TYPO_SWAP,
    POSSESSIVE_REACH,
    VOCABULARY_PATH,
    Vocabulary,
    fold,
    parse_vocabulary,
    step_matches,
    vocabulary,
)

# The vocabulary's names are part of this face too (the tests and the tuning script read them).
__all__ = [
    "NO_MEDICAL_DATA_NOTICE",
    "VOCABULARY_PATH",
    "GuardedTextField",
    "Hit",
    "find_medical_terms",
    "guard_fields",
    "parse_vocabulary",
    "scan",
    "validate_no_medical_terms",
    "vocabulary",
]

NO_MEDICAL_DATA_NOTICE = (
    "Vul hier geen medische gegevens in (zoals diagnose, klachten, behandeling of medicatie). "
    "De werkgever mag die niet vastleggen."
)

# A word: letters/digits, optionally joined by apostrophes and hyphens. Or a sentence boundary,
# across which phrases do not match: sentence punctuation or a blank line. A single line break
# is not one, because text pasted from an e-mail breaks lines in mid-sentence.
_TOKEN_RE = re.compile(r"(?P<w>[^\W_]+(?:['-][^\W_]+)*)|(?P<b>[.!?;:]|\n[^\S\n]*\n)")

# A typing error is looked for only in words this long (the shortest variant there is).
_MIN_TYPO_WORD = _MIN_TYPO_SWAP


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


def scan(text: str, vocab: Vocabulary | None = None) -> list[Hit]:
    """Every medical term in `text`, in order of appearance, with the vocabulary line behind
    it. `find_medical_terms` is the public face; this one also explains (for tests, tuning).
    `vocab` defaults to the vocabulary file (tests pass their own)."""
    if not text:
        return []
    if vocab is None:
        vocab = vocabulary()
    folded, index = fold(str(text))

    # Flat list of word parts per sentence: (folded word, start, end, whole-word start, end).
    sentences: list[list[tuple[str, int, int, int, int]]] = [[]]
    raw_hits: list[tuple[int, int, str]] = []
    # Where each hit starts: (sentence, word), for the context exceptions.
    hit_at: set[tuple[int, int]] = set()
    # Word hits, for the work frames: (index in raw_hits, sentence, word, matched form).
    word_hits: list[tuple[int, int, int, str]] = []
    for m in _TOKEN_RE.finditer(folded):
        if m.group("b") is not None:
            if sentences[-1]:
                sentences.append([])
            continue
        whole, w_start, w_end = m.group("w"), m.start(), m.end()
        parts = whole.split("-")
        candidates = []
        pos = w_start
        first_part = len(sentences[-1])
        for part in parts:
            candidates.extend(_forms(part))
            sentences[-1].append((part.replace("'", ""), pos, pos + len(part), w_start, w_end))
            pos += len(part) + 1
        if len(parts) > 1:
            head = "".join(p.replace("'", "") for p in parts[:-1])
            candidates.extend(head + f for f in _forms(parts[-1]))
        for candidate in candidates:
            entry = vocab.words.match(candidate)
            if (
                entry is None
                and len(candidate) >= _MIN_TYPO_WORD
                and candidate[:3] in vocab.typos.heads
            ):
                entry = vocab.typos.match(candidate)
            if entry is not None and vocab.exceptions.match(candidate) is None:
                raw_hits.append((w_start, w_end, entry))
                hit_at.add((len(sentences) - 1, first_part))
                if vocab.frames:
                    word_hits.append(
                        (len(raw_hits) - 1, len(sentences) - 1, first_part, candidate, candidates)
                    )
                break

    if word_hits:
        framed = _framed_hits(vocab, folded, sentences, word_hits)
        if framed:
            raw_hits = [h for k, h in enumerate(raw_hits) if k not in framed]

    for n, sentence in enumerate(sentences):
        for i, start, end, source in _phrase_hits(vocab.phrase_index, sentence):
            raw_hits.append((start, end, source))
            hit_at.add((n, i))
    if raw_hits and vocab.context_exceptions:
        # A medical word in a technical sense, governed by a work object: hits wholly inside
        # a context exception's match are dropped. A context exception can only contain a hit
        # when it starts at most `context_reach` words before it, so only those starts are tried.
        starts = {
            (n, i) for n, w in hit_at for i in range(max(0, w - vocab.context_reach + 1), w + 1)
        }
        spans = []
        for n, i in starts:
            sentence = sentences[n]
            for phrase in vocab.context_index.starting_at(sentence[i][0]):
                end = _phrase_end(phrase.steps, 0, sentence, i)
                if end is not None:
                    spans.append((sentence[i][3], sentence[end][4]))
        if spans:
            raw_hits = [h for h in raw_hits if not any(s <= h[0] and h[1] <= e for s, e in spans)]

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


def _framed_hits(vocab: Vocabulary, folded: str, sentences: list, word_hits: list) -> set[int]:
    """The word hits a work frame lets through: the matched form is one of a frame's goods
    ("paracetamol", "tandartspraktijk") and so is every other medical part of a hyphenated
    word ("insuline-injecties" stays refused), a word of the same frame's work patterns stands
    in the same clause ("bestelling", "klant", "subsidie"; the hit's own word counts:
    "insulinevoorraad"; a comma ends a clause, except after a work word in apposition: "onze
    klant, een huisartsenpraktijk,"), and no person cue stands before it in the sentence
    ("hij", "zijn", "slikt", "naar"): "de bestelling paracetamol" passes; "hij slikt
    paracetamol, de bestelling ..." and "Jan zit vol pijnstillers, de bestelling ..." do not."""
    framed = set()
    # The work words of each sentence with a hit, per frame (found once, not once per hit).
    work_at: dict[tuple[int, str], list[int]] = {}
    for k, n, i, form, candidates in word_hits:
        frames = vocab.frames_of(form)
        if not frames:
            continue
        sentence = sentences[n]
        if any(word in vocab.person_cues for word, *_rest in sentence[:i]) or any(
            word in vocab.possessive_cues
            for word, *_rest in sentence[max(0, i - POSSESSIVE_REACH) : i]
        ):
            continue
        for frame in frames:
            if any(
                vocab.words.match(c) is not None and frame not in vocab.frames_of(c)
                for c in candidates
                if c != form
            ):
                continue
            key = (n, frame.name)
            if key not in work_at:
                work_at[key] = [
                    j for j, (word, *_rest) in enumerate(sentence) if frame.work.match(word)
                ]
            if any(_same_clause(folded, sentence, i, j) for j in work_at[key]):
                framed.add(k)
                break
    return framed


def _same_clause(folded: str, sentence: list, i: int, j: int) -> bool:
    """Whether words i (the hit) and j (a work word) of `sentence` stand in one clause: no
    comma between them, or j is a work word right before the comma and i one of the first
    three words after it (apposition: "onze klant, een huisartsenpraktijk")."""
    if i == j or sentence[i][3] == sentence[j][3]:
        return True
    first, last = sorted((i, j))
    between = folded[sentence[first][4] : sentence[last][3]]
    commas = between.count(",")
    if commas == 0:
        return True
    return j < i and commas == 1 and between.lstrip().startswith(",") and i - j <= 3


def _phrase_hits(phrase_index, sentence: list):
    """(word index, start, end, source) of the first phrase of `phrase_index` matched at each
    word of `sentence`, widened to whole hyphenated words."""
    for i, (word, *_rest) in enumerate(sentence):
        for phrase in phrase_index.starting_at(word):
            end = _phrase_end(phrase.steps, 0, sentence, i)
            if end is not None:
                yield (i, sentence[i][3], sentence[end][4], phrase.source)
                break


def _phrase_end(steps, k: int, sentence: list, j: int, last: int | None = None) -> int | None:
    """Index of the last word matched by steps[k:] starting at word j, or None. A gap step
    tries the fewest skipped words first."""
    while k < len(steps):
        step = steps[k]
        if step[0] == "gap":
            for skip in range(step[1] + 1):
                if j + skip > len(sentence):
                    break
                end = _phrase_end(steps, k + 1, sentence, j + skip, last)
                if end is not None:
                    return end
            return None
        word = sentence[j][0] if j < len(sentence) else None
        if not step_matches(step, word):
            return None
        if step[0] != "end":
            last = j
            j += 1
        k += 1
    return last


def find_medical_terms(text: str) -> list[str]:
    """The medical terms in `text` as typed, deduplicated (ignoring case and diacritics), in
    order of appearance. An empty list means the text may be saved (ZM-3)."""
    seen: set[str] = set()
    found: list[str] = []
    for hit in scan(text):
        key = fold(hit.text)[0]
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


def guard_fields(data: Mapping, fields: Iterable[str]) -> None:
    """ZM-3 in the action layer: refuse when any of `fields` in `data` holds a medical term.
    Raises one ValidationError with every offending field as a key (code `medical_terms`), so
    a form shows each message at its field; a field absent from `data` (a partial update) is
    not checked."""
    errors = {}
    for name in fields:
        try:
            validate_no_medical_terms(data.get(name))
        except ValidationError as error:
            errors[name] = error.error_list
    if errors:
        raise ValidationError(errors)


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
