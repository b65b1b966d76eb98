"""ZM-3: the medical-term guard on every employer-writable free-text field.

The corpora in tests/privacy/corpus/ are the contract: every ordinary work sentence passes,
every medical sentence is refused (0% false positives and false negatives on the tuning corpus,
werkzinnen.txt and medische_zinnen.txt). Two held-out pairs were written without looking at the
vocabulary and are never edited to make the guard pass (a miss is fixed in the vocabulary or its
rules; a sentence is only ever added to the tuning corpus):

- holdout_werk.txt / holdout_medisch.txt (30 + 30, written before the vocabulary): below 20%;
- heldout2_werk.txt / heldout2_medisch.txt (issue 21, at least 150 each, written by someone who
  never saw the vocabulary, the guard or these tests): at most 5% wrong either way, with every
  miss listed. Their content is pinned by hash, so an edit fails here.
- heldout3_werk.txt / heldout3_medisch.txt (issue 21, 197 + 177, written blind after heldout2
  had been tuned on; blind rates FN 10.2%, FP 7.6%): at most 5% wrong either way, every miss
  listed, content pinned by hash. Its misses were then fixed in the vocabulary and its rules, so
  it is no longer blind either (README.md, "heldout2").
- heldout4_werk.txt / heldout4_medisch.txt (issue 21, 219 + 209, written blind after heldout3
  had been tuned on; blind rates FN 3.8%, FP 15.5%, the FP mostly care, pharmacy, dental,
  university and farming businesses): at most 5% wrong either way, every miss listed, content
  pinned by hash. Its misses were then fixed with general rules (work frames, the plural that
  was taken for a typo), so it is no longer blind either.
- heldout5_werk.txt / heldout5_medisch.txt (issue 21, 182 + 194, written blind after heldout4
  had been tuned on, as a realistic mix of what each employer field receives): measured with
  the final guard and NEVER tuned on — its rates (FN 4.6%, FP 3.3%) are the unbiased estimate.
  At most 5% either way, every miss listed, content pinned by hash. Its misses are left as they
  are: fixing them would spend the last blind measurement (a next one needs a new corpus).

Print the rates and every miss of every corpus with

    .venv/bin/pytest tests/privacy/test_medical_guard.py -q -s -k zm3

Speed is measured in bench/measure_guard.py, never here.
"""

import dataclasses
import hashlib
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError

from privacy import medical_guard
from privacy.medical_guard import (
    NO_MEDICAL_DATA_NOTICE,
    GuardedTextField,
    find_medical_terms,
    scan,
    validate_no_medical_terms,
)

CORPUS = Path(__file__).resolve().parent / "corpus"
MIN_CORPUS = 200
MIN_HELDOUT2 = 150
MAX_HOLDOUT_RATE = 0.20
MAX_HELDOUT_RATE = 0.05
# Each held-out corpus as its author wrote it, in its own commit ("held-out corpus N, written
# blind"): never edited, so a changed hash is an error, not something to update.
HELDOUT_SHA256 = {
    "heldout2_medisch.txt": "ff8fcd2294c66767d0c87cef7670668dd4bd93d9920713cf2a5fa3b41d6efaf4",
    "heldout2_werk.txt": "9eed9db1d77024d19e7e379c35c66f7dcc5cef2f496af368429c02b207a552ce",
    "heldout3_medisch.txt": "de7b49fa4e9bff043ed403d589faa92fffe26daccd6bedcb707c1f26f416f707",
    "heldout3_werk.txt": "15e571e27addec0eaeb44eac6f8319c8b8f6e01f266088e76958762f0230264c",
    "heldout4_medisch.txt": "d49df63cc0f09aaedb30d7f58351caf34e03739f7dac4b3f5980d7210ba3c73e",
    "heldout4_werk.txt": "e0dc07e949fb51745e70ce3fa27d9ce1718c162da62bbafd1f6bade771491ad4",
    "heldout5_medisch.txt": "24d49644c4902b146591e2140ac85866dc2fc1d8b891547032b564ee70a49238",
    "heldout5_werk.txt": "53d34dbb88174326d32b8fbe05d019ee7049c158f2c696625e63f59541528e84",
}
# The later held-out pairs: where each sits in guard_rates(), and its first (blind) run.
HELDOUT_PAIRS = {
    "heldout3": (6, "blind FN 10.2%, FP 7.6%; then tuned on"),
    "heldout4": (8, "blind FN 3.8%, FP 15.5% (a stress test); then tuned on"),
    "heldout5": (10, "blind FN 9/194 = 4.6%, FP 6/182 = 3.3%; never tuned on"),
}


def corpus(name: str) -> list[str]:
    lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@dataclass
class Rate:
    name: str
    size: int
    wrong: list[str]

    @property
    def rate(self) -> float:
        return len(self.wrong) / self.size

    def line(self, kind: str) -> str:
        return f"{self.name:22} {kind:15} {len(self.wrong):3}/{self.size:<4} = {self.rate:6.1%}"


def false_positives(name: str) -> Rate:
    """Work sentences the guard refuses, each with what it found."""
    sentences = corpus(name)
    wrong = [f"{s}  <- {[(h.text, h.entry) for h in hits]}" for s in sentences if (hits := scan(s))]
    return Rate(name, len(sentences), wrong)


def false_negatives(name: str) -> Rate:
    """Medical sentences the guard lets through."""
    sentences = corpus(name)
    return Rate(name, len(sentences), [s for s in sentences if not find_medical_terms(s)])


def guard_rates() -> list[tuple[str, Rate]]:
    """Per corpus pair (tuning, holdout, heldout2, heldout3, heldout4, heldout5): refused work,
    let-through medical."""
    return [
        ("false positives", false_positives("werkzinnen.txt")),
        ("false negatives", false_negatives("medische_zinnen.txt")),
        ("false positives", false_positives("holdout_werk.txt")),
        ("false negatives", false_negatives("holdout_medisch.txt")),
        ("false positives", false_positives("heldout2_werk.txt")),
        ("false negatives", false_negatives("heldout2_medisch.txt")),
        ("false positives", false_positives("heldout3_werk.txt")),
        ("false negatives", false_negatives("heldout3_medisch.txt")),
        ("false positives", false_positives("heldout4_werk.txt")),
        ("false negatives", false_negatives("heldout4_medisch.txt")),
        ("false positives", false_positives("heldout5_werk.txt")),
        ("false negatives", false_negatives("heldout5_medisch.txt")),
    ]


def report(rates: list[tuple[str, Rate]] | None = None) -> str:
    vocab = medical_guard.vocabulary()
    lines = [
        f"vocabulary: {len(vocab.entries)} entries, {len(vocab.context_exceptions)} context "
        "exceptions"
    ]
    for kind, rate in rates or guard_rates():
        lines.append(rate.line(kind))
        lines.extend(f"    miss: {w}" for w in rate.wrong)
    return "\n".join(lines)


# --- the corpora ---------------------------------------------------------------------------


def test_every_work_sentence_passes():
    """ZM-3: no ordinary work sentence is refused (false-positive rate 0 on the corpus)."""
    result = false_positives("werkzinnen.txt")
    print("\n" + result.line("false positives"))
    assert result.wrong == [], "refused work sentences:\n" + "\n".join(result.wrong)
    assert result.rate == 0


def test_every_medical_sentence_is_refused():
    """ZM-3: every medical sentence is refused (false-negative rate 0 on the corpus)."""
    result = false_negatives("medische_zinnen.txt")
    print("\n" + result.line("false negatives"))
    assert result.wrong == [], "medical sentences let through:\n" + "\n".join(result.wrong)
    assert result.rate == 0


@pytest.mark.parametrize("name", ["werkzinnen.txt", "medische_zinnen.txt"])
def test_corpora_are_large_enough(name):
    """ZM-3: the corpora that set the rates hold at least 200 sentences each."""
    assert len(corpus(name)) >= MIN_CORPUS


def test_holdout_rates_below_20_percent():
    """ZM-3: the first held-out pair (never tuned on) stays below 20% wrong either way."""
    for kind, rate in guard_rates()[2:4]:
        assert rate.size >= 30
        assert rate.rate < MAX_HOLDOUT_RATE, rate.line(kind)


def test_zm3_rates_on_every_corpus_and_heldout2_at_most_5_percent(capsys):
    """ZM-3, issue 21: the false-negative and false-positive rates of every corpus pair are
    printed with every miss (run with -s); on the held-out corpus 2, written without the
    vocabulary, at most 5% of the medical sentences pass and at most 5% of the work sentences
    are refused."""
    rates = guard_rates()
    with capsys.disabled():
        print("\n" + report(rates))
    for kind, rate in rates[4:6]:
        assert rate.size >= MIN_HELDOUT2
        assert rate.rate <= MAX_HELDOUT_RATE, rate.line(kind) + "\n" + "\n".join(rate.wrong)


@pytest.mark.parametrize("pair", sorted(HELDOUT_PAIRS))
def test_zm3_later_heldout_at_most_5_percent(pair):
    """ZM-3, issue 21: on each later held-out corpus (HELDOUT_PAIRS: its blind first run) at most
    5% of the medical sentences pass and at most 5% of the work sentences are refused; every miss
    is printed by the rates test. heldout5 was never tuned on: a failure there is a regression
    on unseen text, not a sentence to fix."""
    start, _blind = HELDOUT_PAIRS[pair]
    for kind, rate in guard_rates()[start : start + 2]:
        assert rate.name.startswith(pair) and rate.size >= MIN_HELDOUT2
        assert rate.rate <= MAX_HELDOUT_RATE, rate.line(kind) + "\n" + "\n".join(rate.wrong)


@pytest.mark.parametrize("name", sorted(HELDOUT_SHA256))
def test_zm3_heldout_corpus_is_never_edited(name):
    """ZM-3, issue 21: a held-out corpus is evaluated as written; a miss is fixed in the
    vocabulary or its rules, never by editing (or dropping) a held-out sentence."""
    digest = hashlib.sha256((CORPUS / name).read_bytes()).hexdigest()
    assert digest == HELDOUT_SHA256[name]


def test_corpus_was_not_tuned_by_adding_sentences():
    """ZM-3: the vocabulary holds terms, not corpus sentences: no phrase is longer than five
    words, and no phrase of three or more words is a whole corpus sentence. (A one- or
    two-word diagnosis may stand alone as a sentence: "Kanker.", "Angina pectoris.")"""

    def plain(text):
        return " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split())

    sentences = {plain(s) for name in CORPUS.glob("*.txt") for s in corpus(name.name)}
    vocab = medical_guard.vocabulary()
    for phrase in [*vocab.phrases, *vocab.context_exceptions]:
        words = [step for step in phrase.steps if step[0] not in ("end", "gap")]
        gaps = sum(step[1] for step in phrase.steps if step[0] == "gap")
        assert len(words) <= 5 and gaps <= 3, phrase.source
        if len(words) >= 3:
            assert plain(phrase.source) not in sentences, phrase.source
    # A context exception's example is its own sentence, not a corpus sentence.
    for phrase in vocab.context_exceptions:
        assert plain(phrase.example) not in sentences, phrase.example


# --- the vocabulary ------------------------------------------------------------------------


def test_vocabulary_is_data_with_hundreds_of_entries():
    """ZM-3: the Dutch vocabulary is a data file in the repo with at least 500 entries."""
    assert medical_guard.VOCABULARY_PATH.name == "medische_termen.txt"
    assert len(medical_guard.vocabulary().entries) >= 500


def test_vocabulary_has_no_duplicate_lines():
    """ZM-3: one line per term, so a removal takes effect."""
    lines = medical_guard.VOCABULARY_PATH.read_text(encoding="utf-8").splitlines()
    entries = [line.split("#", 1)[0].strip() for line in lines]
    entries = [e for e in entries if e and not e.startswith("@")]
    duplicates = {e for e in entries if entries.count(e) > 1}
    assert not duplicates


def test_vocabulary_is_loaded_once():
    """ZM-3: the file is read and compiled once per process (lru_cache)."""
    medical_guard.vocabulary()
    before = medical_guard.vocabulary.cache_info()
    find_medical_terms("heeft griep")
    find_medical_terms("heeft een hernia")
    after = medical_guard.vocabulary.cache_info()
    assert after.misses == before.misses and after.hits >= before.hits + 2


def test_unknown_group_in_vocabulary_is_an_error():
    """ZM-3: a typo in a group name fails loudly instead of silently matching nothing."""
    with pytest.raises(ValueError, match="@lichaamsdeeel"):
        medical_guard.parse_vocabulary("@lichaamsdeel = rug\nlast van @lichaamsdeeel\n")


def test_syntax_markers_behave_as_documented():
    """ZM-3: whole word, stem*, first~ part, ~last part, ~infix*, !exception, phrases, $."""
    vocab = medical_guard.parse_vocabulary(
        "griepje\nmigraine*\nkanker~\n~pijn\n~hernia*\n~operatie\n!~cooperatie\n"
        "@deel = rug knie\nlast van zijn @deel\nis opgenomen $\n"
    )
    assert vocab.words.match("griepje") and not vocab.words.match("griepjesdag")
    assert vocab.words.match("migraineaanval")
    assert vocab.words.match("kankerpatient") and not vocab.words.match("kankeren")
    assert vocab.words.match("rugpijn") and not vocab.words.match("pijnlijk")
    assert vocab.words.match("nekhernias")
    assert vocab.words.match("cooperatie") and vocab.exceptions.match("cooperatie")
    assert [p.source for p in vocab.phrases] == ["last van zijn @deel", "is opgenomen $"]


def test_gaps_pattern_groups_and_context_exceptions_behave_as_documented():
    """ZM-3, issue 21: `..N` skips up to N words, a group may hold patterns, a phrase step may
    be a ~last part, and `!phrase | example` drops the hits inside its match."""
    vocab = medical_guard.parse_vocabulary(
        "diagnos*\n~operatie\nzit er ..2 doorheen\n"
        "@werk = ~storing logistiek*\n"
        "!diagnos* van ..2 @werk | De diagnose van de netwerkstoring volgt.\n"
        "!@werk ~operatie | De logistieke operatie start.\n"
    )
    assert [h.text for h in scan("Zit er psychisch helemaal doorheen.", vocab)] == [
        "Zit er psychisch helemaal doorheen"
    ]
    assert scan("Zit er met drie collega's doorheen.", vocab) == []
    assert scan("De diagnose van de netwerkstoring volgt.", vocab) == []
    assert scan("De logistieke operaties starten.", vocab) == []  # ~operaties: inflected
    assert [h.text for h in scan("De diagnose van de huisarts volgt.", vocab)] == ["diagnose"]
    assert [h.text for h in scan("De operatie start.", vocab)] == ["operatie"]
    [exception, _] = vocab.context_exceptions
    assert exception.example == "De diagnose van de netwerkstoring volgt."


@pytest.mark.parametrize(
    "line",
    [
        "!diagnos* van de storing",  # no example
        "!diagnos* van de storing |",  # empty example
        "!diagnos* | De diagnose van de storing.",  # no phrase
        "zit er ..2",  # a gap at the end
        "..2 doorheen",  # a gap at the start
    ],
)
def test_malformed_context_exceptions_and_gaps_are_errors(line):
    """ZM-3, issue 21: every context exception has a phrase and an example; a gap stands
    between two steps."""
    with pytest.raises(ValueError):
        medical_guard.parse_vocabulary(line + "\n")


@pytest.mark.parametrize(
    "exception", medical_guard.vocabulary().context_exceptions, ids=lambda p: p.source
)
def test_each_context_exception_passes_its_example(exception):
    """ZM-3, issue 21: the example of every context exception passes, and is refused without
    the context exceptions: the exception, not a gap in the vocabulary, lets it through."""
    vocab = medical_guard.vocabulary()
    assert scan(exception.example) == [], exception.example
    without = dataclasses.replace(vocab, context_exceptions=[])
    assert scan(exception.example, without) != [], exception.example


# --- matching ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HERNIA", ["HERNIA"]),
        ("Hernía", ["Hernía"]),
        ("hernia's", ["hernia's"]),
        ("hernia’s", ["hernia’s"]),
        ("burn-out", ["burn-out"]),
        ("Burn Out", ["Burn Out"]),
        ("burnout", ["burnout"]),
        ("burn\u2011out", ["burn\u2011out"]),
        ("bur\u00adnout", ["bur\u00adnout"]),
        ("ge\u200bopereerd", ["ge\u200bopereerd"]),
        ("Geöpereerd", ["Geöpereerd"]),
        ("knie-operatie", ["knie-operatie"]),
        ("COVID-19", ["COVID-19"]),
        ("covid19", ["covid19"]),
        ("long covid", ["long covid"]),
        ("Patiënt", ["Patiënt"]),
        ("ADHD'er", ["ADHD'er"]),
    ],
)
def test_case_diacritics_hyphen_and_apostrophe_variants(text, expected):
    """ZM-3: case-insensitive, diacritics-insensitive, hyphens, apostrophes, invisible
    characters; the word is reported as typed."""
    assert find_medical_terms(text) == expected


def test_decomposed_unicode_is_matched():
    """ZM-3: "é" typed as e + combining accent is the same word."""
    text = unicodedata.normalize("NFD", "Hij is geopereerd, daarna fysiothérapie.")
    assert len(find_medical_terms(text)) == 2


def test_words_reported_in_order_and_deduplicated():
    """ZM-3: each offending word once, in order of appearance, as first typed."""
    text = "Hernia.Daarna HERNIA en fysio;\nhernia, 2x fysio (maandag 10:00)."
    assert find_medical_terms(text) == ["Hernia", "fysio"]


def test_phrase_survives_a_line_break_but_not_a_sentence_end():
    """ZM-3: text pasted from an e-mail breaks lines mid-sentence; a full stop ends one."""
    assert find_medical_terms("Hij heeft last van zijn\nrug.") == ["last van zijn\nrug"]
    assert find_medical_terms("Hij had last van zijn collega. Rug en nek blijven vrij.") == []
    assert find_medical_terms("Jan is opgenomen.") == ["is opgenomen"]
    assert find_medical_terms("Jan is opgenomen in het rooster.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Een pijnlijke situatie in het team.",
        "De stukken liggen op het hoofdkantoor.",
        "De rugzak staat in zijn kluisje.",
        "Het magazijn is weer operationeel.",
        "De coöperatie vergadert in juni.",
        "De klant zit in de ziekenhuisbranche.",
        "Het nieuwe systeem heeft nog kinderziektes.",
        "Hij begint op arbeidstherapeutische basis.",
        "Het re-integratiebedrijf start een psychisch interventietraject.",
        "Het spreekuur bij de bedrijfsarts is dinsdag.",
        "Gebroken diensten worden niet ingepland.",
        "De verhuizing is achter de rug.",
        "Met het oog op de drukte zoeken we hulp.",
        "Tijdens ziekte loopt de opbouw van vakantiedagen door.",
        "Een beroepsziekte wordt gemeld bij het NCvB.",
        "De laptop had een virus.",
        "Hij loopt te kankeren over het rooster.",
    ],
)
def test_near_misses_pass(text):
    """ZM-3: ordinary words that look like medical ones are not refused."""
    assert find_medical_terms(text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # Inflection: plural, diminutive, with a doubled consonant made single.
        ("Na het operatietje is hij terug.", ["operatietje"]),
        ("Er waren twee patiënten op de afdeling.", ["patiënten"]),
        ("Een knobbeltje onder de oksel.", ["knobbeltje"]),
        ("De behandelplannen liggen klaar.", ["behandelplannen"]),
        # A medical head word ending a compound.
        ("Ze is hartpatiënt.", ["hartpatiënt"]),
        ("Drie keer per week nierdialyse.", ["nierdialyse"]),
        ("De heupvervanging is in april.", ["heupvervanging"]),
        ("Een maagonderzoek op woensdag.", ["maagonderzoek"]),
        # Informal and abbreviated forms.
        ("Hij zit bij de psych.", ["psych"]),
        ("Ze heeft suiker.", ["Ze heeft suiker"]),
        ("Hij had een hypo.", ["hypo"]),
        ("Ze heeft ME/CVS.", ["ME/CVS"]),
        # Body part with what it stops, or what happens to it.
        ("Hij mag zijn arm niet belasten.", ["arm niet belasten"]),
        ("Haar pols laat het niet toe.", ["pols laat het niet toe"]),
        ("Zijn rug schoot gisteren op slot.", ["rug schoot gisteren op slot"]),
        ("Kan niet tillen door zijn schouder.", ["door zijn schouder"]),
        ("Iets met haar longen.", ["haar longen"]),
        ("Wacht op een nieuwe heup.", ["nieuwe heup"]),
        ("Zijn knie is helemaal versleten.", ["knie is helemaal versleten"]),
        # A collapse or exhaustion without a diagnosis.
        ("Ze is helemaal ingestort.", ["Ze is helemaal ingestort"]),
        ("Hij zit er psychisch helemaal doorheen.", ["zit er psychisch helemaal doorheen"]),
        ("Ze is op van de zenuwen.", ["op van de zenuwen"]),
    ],
)
def test_inflections_compounds_informal_forms_and_body_part_patterns(text, found):
    """ZM-3, issue 21: word forms and short phrases, not only the listed spelling."""
    assert find_medical_terms(text) == found


@pytest.mark.parametrize(
    "text",
    [
        # Inflection only for patterns of five letters or more, and never an adjectival -e.
        "De polissen zijn verlengd.",
        "In de spits is het druk.",
        "We prikken een datum voor de evaluatie.",
        "De overwerkte uren worden uitbetaald.",
        "Die verrekte printer doet het weer niet.",
        # Body parts in idioms, and collapses of things.
        "De deadline hijgt in zijn nek.",
        "In zijn ogen is het plan te duur.",
        "Het vak zit in zijn vingers.",
        "De markt is ingestort.",
        "Het systeem laat het niet toe.",
        "De kantine heeft suiker nodig.",
        # Technical senses governed by a work object (context exceptions).
        "De diagnose van de printerstoring is gesteld.",
        "Het behandelplan voor de verbouwing is rond.",
        "De logistieke operatie loopt.",
        "De operatie rond de fusie kost tijd.",
        "De koorts rond de verkiezingen stijgt.",
        "De offerte voor de kliniek is verstuurd.",
        "Hij houdt de blessuretijd bij.",
    ],
)
def test_idioms_short_words_and_technical_senses_pass(text):
    """ZM-3, issue 21: what the new forms and patterns must leave alone."""
    assert find_medical_terms(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Zijn operatie rond de verhuizing is goed gegaan.",  # possessive: surgery
        "De diagnose van de huisarts is binnen.",  # no work object
        "De storing bij de huisarts kwam door zijn hernia.",  # another medical word stays
    ],
)
def test_context_exceptions_do_not_hide_the_medical_sense(text):
    """ZM-3, issue 21: a context exception needs its work object in the governing place."""
    assert find_medical_terms(text) != []


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("De operatie in Rotterdam start in mei.", "operatie"),
        ("Operatie Schoonschip begint in juni.", "Operatie"),
        ("De griepprik-actie van de zaak is in oktober.", "griepprik-actie"),
        ("Collecte voor KWF Kankerbestrijding.", "Kankerbestrijding"),
        ("Het zwangerschapsverlof gaat in op 1 mei.", "zwangerschapsverlof"),
        ("Nieuwe opdrachtgever: fysiopraktijk De Brug.", "fysiopraktijk"),
    ],
)
def test_documented_false_positive_classes_are_refused(text, word):
    """ZM-3: refused on purpose or knowingly (see the medical_guard docstring); a change here
    must update that list."""
    assert find_medical_terms(text) == [word]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # A compound whose last part is a medical word.
        ("Hij heeft inspanningsastma en mag niet in de koelcel werken.", ["inspanningsastma"]),
        ("Na haar beenamputatie is ze voorlopig niet inzetbaar.", ["beenamputatie"]),
        # Body part (also as a compound's last part) with what happened to it, either order.
        ("De chauffeur heeft een gebroken halswervel.", ["gebroken halswervel"]),
        ("Bij het vallen is zijn elleboog verbrijzeld.", ["elleboog verbrijzeld"]),
        ("Haar enkel in tweeën na de val van de ladder.", ["enkel in tweeën"]),
        ("Zijn been is afgezet.", ["been is afgezet"]),
        # Drugs, carriers, wheelchairs, an operation told as "de ingreep".
        ("Hij blowde elke avond en kwam daardoor te laat.", ["blowde"]),
        ("Zij is drager van een resistente bacterie.", ["drager van een resistente bacterie"]),
        ("Hij zit sinds het ongeluk in een rolstoel.", ["in een rolstoel"]),
        ("Na de ingreep moet hij drie weken thuisblijven.", ["Na de ingreep moet"]),
        ("Hij heeft schurft en mag niet in de keuken staan.", ["schurft"]),
    ],
)
def test_injuries_compounds_and_lay_words_of_heldout3(text, found):
    """ZM-3, issue 21 (heldout3): rule kinds added for its misses, on sentences of their own."""
    assert find_medical_terms(text) == found


@pytest.mark.parametrize(
    ("text", "found", "entry"),
    [
        ("Ze heeft weer een migriane-aanval.", ["migriane-aanval"], "migraine* (tikfout)"),
        ("Hij wacht op de uitslag van de bipsie.", [], None),
        ("Ze heeft een hernai.", ["hernai"], "~hernia* (tikfout)"),
        ("Hij is al weken depresief.", [], None),
        ("Volgens de huisarts een depresie.", ["huisarts", "depresie"], None),
    ],
)
def test_one_typing_error_in_a_whole_word(text, found, entry):
    """ZM-3, issue 21: a whole word with two neighbouring letters swapped (six letters or
    more) or a doubled letter typed once (seven or more) is the listed word; reported with
    "(tikfout)". Not every misspelling: "bipsie" drops a letter, "depresief" is no listed
    word."""
    hits = scan(text)
    assert [h.text for h in hits] == found
    if entry:
        assert entry in [h.entry for h in hits]


@pytest.mark.parametrize(
    "text",
    [
        # Ordinary words one typing error from a listed word are exceptions.
        "De kosten van de verhuizing vallen mee.",
        "De namen prijken op het bord bij de ingang.",
        "Hij zeikte de hele dag over het rooster.",
        # Figurative senses: adverbs, verbs, idioms with an organisation as subject.
        "Koortsachtig zochten we naar een vervanger voor de nachtdienst.",
        "Hij heeft de hele middag aan de planning gedokterd.",
        "Het callcenter bloedt personeel sinds de reorganisatie.",
        "Het nieuwe systeem ligt op de intensive care na de mislukte update.",
        "De telefooncentrale was verlamd door de stroomstoring.",
        "De beheerder heeft de kapotte printer toch nog gereanimeerd.",
        "Een nieuw hoofdpijndossier voor de afdeling inkoop.",
        # A care place as an organisation or a workplace.
        "De apotheek verhuist naar het winkelcentrum.",
        "Alle spreekkamers van de kliniek worden zaterdag geschilderd.",
        "De nieuwe kasten worden maandag geleverd bij de huisartsenpraktijk.",
        "Zij doet vanavond de medicijnronde op de tweede etage.",
        # "de ingreep" of a manager is no operation.
        "Na de ingreep van de directie is de rust teruggekeerd.",
    ],
)
def test_figurative_senses_care_places_and_typo_neighbours_pass(text):
    """ZM-3, issue 21 (heldout3): the word exceptions and context exceptions added for its
    false positives, on sentences of their own."""
    assert find_medical_terms(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Na de val op het project lag hij op de intensive care.",
        "In het ziekenhuis worden zijn wonden schoongemaakt.",
        "Ze ligt in het ziekenhuis.",
        "Ze is verlamd sinds het ongeluk bij de machine.",
        "Hij is naast de machine gereanimeerd.",
        "Hij heeft een infectie opgelopen op het project.",
        "Ze krijgt een injectie van de huisarts.",
    ],
)
def test_heldout3_context_exceptions_keep_the_medical_sense(text):
    """ZM-3, issue 21: the heldout3 context exceptions need their work subject or object in
    the governing place; a person in the hospital stays refused."""
    assert find_medical_terms(text) != []


def test_empty_and_plain_texts_pass():
    """ZM-3: nothing to refuse in empty, numeric or punctuation-only input."""
    for text in ["", "   ", "\n\n", "2025-03-14 10:00", "-- '' ...", "06-12345678"]:
        assert find_medical_terms(text) == []
    validate_no_medical_terms(None)
    validate_no_medical_terms("")


# --- validator, form field and API field ---------------------------------------------------


def test_validator_message_names_the_offending_words():
    """ZM-3: a clear Dutch message that names the words to remove, with a code and params."""
    with pytest.raises(ValidationError) as info:
        validate_no_medical_terms("Jan heeft een hernia en gaat naar de fysiotherapie.")
    error = info.value
    assert error.code == "medical_terms"
    assert error.params["found"] == ["hernia", "fysiotherapie"]
    assert error.messages == [
        'Medische gegevens mogen hier niet worden ingevuld. Verwijder: "hernia", "fysiotherapie".'
    ]


class LopendeAfsprakenForm(forms.Form):
    lopende_afspraken = GuardedTextField(label="Lopende afspraken en werkzaamheden")
    telefoon = forms.CharField()


def test_form_refuses_medical_text_and_keeps_everything_typed():
    """ZM-3: the form comes back with the error on the field and everything typed intact."""
    typed = "Overdracht klantbezoek aan Piet.\nHeeft een burn-out, loopt bij de psycholoog."
    form = LopendeAfsprakenForm(data={"lopende_afspraken": typed, "telefoon": "06-12345678"})
    assert not form.is_valid()
    assert form.errors["lopende_afspraken"] == [
        'Medische gegevens mogen hier niet worden ingevuld. Verwijder: "burn-out", "psycholoog".'
    ]
    assert form["lopende_afspraken"].value() == typed
    assert form["telefoon"].value() == "06-12345678"
    html = form["lopende_afspraken"].as_widget()
    assert "<textarea" in html and "loopt bij de psycholoog" in html


def test_form_field_carries_the_notice_and_accepts_work_text():
    """ZM-3: every guarded field states plainly that medical data may not be entered."""
    form = LopendeAfsprakenForm(
        data={"lopende_afspraken": "Start met 2 uur per dag aangepast werk.", "telefoon": "06"}
    )
    assert form.is_valid(), form.errors
    field = form.fields["lopende_afspraken"]
    assert field.help_text == NO_MEDICAL_DATA_NOTICE
    assert isinstance(field.widget, forms.Textarea)
    assert "geen medische gegevens" in NO_MEDICAL_DATA_NOTICE
    assert NO_MEDICAL_DATA_NOTICE in form.as_div()


def test_api_field_returns_the_error_on_the_field():
    """ZM-3: the API uses the same validator; DRF answers 400 with the message on the field,
    through the project's own exception handler."""
    from rest_framework import serializers
    from rest_framework.permissions import AllowAny
    from rest_framework.response import Response
    from rest_framework.test import APIRequestFactory
    from rest_framework.views import APIView

    from privacy.medical_guard import GuardedCharField

    class NotitieSerializer(serializers.Serializer):
        notitie = GuardedCharField(max_length=2000)

    serializer = NotitieSerializer(data={"notitie": "Slikt antidepressiva."})
    assert not serializer.is_valid()
    [error] = serializer.errors["notitie"]
    assert error.code == "medical_terms"
    assert str(error) == (
        'Medische gegevens mogen hier niet worden ingevuld. Verwijder: "antidepressiva".'
    )
    assert NotitieSerializer().fields["notitie"].help_text == NO_MEDICAL_DATA_NOTICE
    assert NotitieSerializer(data={"notitie": "Gesprek volgende week."}).is_valid()

    class NotitieView(APIView):
        authentication_classes = []
        permission_classes = [AllowAny]

        def post(self, request):
            NotitieSerializer(data=request.data).is_valid(raise_exception=True)
            return Response(status=204)

    request = APIRequestFactory().post("/x", {"notitie": "Heeft griep."}, format="json")
    response = NotitieView.as_view()(request)
    assert response.status_code == 400
    assert response.data["fields"]["notitie"] == [
        'Medische gegevens mogen hier niet worden ingevuld. Verwijder: "griep".'
    ]


def test_module_does_not_import_rest_framework():
    """ZM-3: forms-only users of the guard do not pay for DRF; the API field is built on use."""
    code = "import sys, privacy.medical_guard; print('rest_framework' in sys.modules)"
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.stdout.strip() == "False"


if __name__ == "__main__":
    print(report())


# --- heldout4: work frames, plurals, i/y typos (issue 21) ----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # Medication and care places as goods, customers or suppliers.
        "De inkoop van ibuprofen voor alle vestigingen loopt via de nieuwe groothandel.",
        "Het assortiment pijnstillers in de winkel wordt per maart kleiner.",
        "De leverancier stuurt de insulinepennen pas na ontvangst van de factuur.",
        "Ons contract met de huisartsenpost loopt in juni af.",
        "De offerte voor de tandartspraktijk in Hengelo moet vandaag de deur uit.",
        "Een nieuwe klant is verpleeghuis De Linde in Almelo.",
        "Onze klant, een tandartspraktijk in Hengelo, belt morgen terug.",
        # Research, congresses and the theatre.
        "De subsidie voor het vaccinonderzoek is binnen, de controller boekt hem.",
        "Het congres van kinderchirurgen heeft veertig kamers gereserveerd.",
        "In het theaterstuk speelt Sanne een huisarts in een wit kostuum.",
        # Farming.
        "De kippen in stal 3 zijn door de dierenarts gevaccineerd.",
        "De planten in kas 2 hebben een bladinfectie, er mag niemand in.",
        # A regular plural is no typing error; goods in a truck are goods.
        "De vrachtwagen met de implantaten staat bij dock 4.",
        # Figurative senses and devices.
        "De verbouwing ligt aan de beademing tot de nieuwe financiering rond is.",
        "Onze klant is allergisch voor onaangekondigde wijzigingen.",
        "Een chirurgische ingreep in het budget: de kerstborrel vervalt.",
        "De diagnosecomputer van de werkplaats moet een update krijgen.",
        "De cursus valpreventie voor het magazijnpersoneel is op dinsdag.",
        "Een medisch onderzoek wordt dit najaar voor alle medewerkers georganiseerd.",
    ],
)
def test_work_frames_and_figurative_senses_of_heldout4_pass(text):
    """ZM-3, issue 21 (heldout4): a medication, care place, specialism or infection that is the
    object of commerce, research, theatre or farming passes (a work word of the frame in the
    same clause, no person cue before it), as do the figurative frames and devices."""
    assert find_medical_terms(text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # A person cue before the word keeps it refused inside a business frame.
        ("Hij slikt paracetamol, de bestelling voor de filialen doet Wim.", ["paracetamol"]),
        ("Jan gebruikt pijnstillers, de inkoop neemt Piet over.", ["pijnstillers"]),
        ("Zij moet naar de tandarts, de levering schuift een dag.", ["tandarts"]),
        ("Kees is bij de huisarts geweest, de offerte volgt morgen.", ["huisarts"]),
        ("Zijn insulinevoorraad is op, de klant wacht.", ["insulinevoorraad"]),
        ("Zij is besmet met corona, de kas doet Piet.", ["besmet", "corona"]),
        # Without a frame word the goods stay medical.
        ("De implantaten zitten goed.", ["implantaten"]),
        # A comma ends the frame (apposition aside); every medical part of a word must be goods.
        ("Jan zit vol pijnstillers, de bestellingen voor Zwolle doet Piet.", ["pijnstillers"]),
        ("De antibiotica slaan bij Jan niet aan, de inkoop doet Piet.", ["antibiotica"]),
        ("Vanwege insuline-injecties wil Jan pauzes, de klant weet ervan.", ["insuline-injecties"]),
        # Words outside the frames' goods are never let through by a frame.
        ("Na de operatie neemt Piet de bestelling over.", ["operatie"]),
        # The figurative frames need their work object.
        ("Hij ligt aan de beademing.", ["beademing"]),
        ("Zij is allergisch voor noten.", ["allergisch"]),
    ],
)
def test_work_frames_keep_the_medical_sense(text, found):
    """ZM-3, issue 21 (heldout4): the work frames stop at a person cue (pronoun, possessive,
    slikt/gebruikt/krijgt, naar/bij the word) before the word, and never cover words that are
    not a frame's goods."""
    assert find_medical_terms(text) == found


@pytest.mark.parametrize(
    ("text", "found", "entry"),
    [
        ("Hij heeft al jaren last van fybromyalgie.", ["fybromyalgie"], "fibromyalgie (tikfout)"),
        ("Ze loopt bij de psichiater.", ["psichiater"], None),
        ("Hij heeft nieuwe implantaten gekregen.", ["implantaten"], "implantaat"),
        ("Ze heeft migrane.", [], None),
        ("Ze slikt lithium.", ["lithium"], "lithium"),
        ("Hij hoort stemmen als het druk is.", ["Hij hoort stemmen"], None),
        ("Na het ongeval bleef gehoorschade over.", ["gehoorschade"], "gehoorschade"),
        ("Zij gaat wekelijks naar een praatdokter.", ["praatdokter"], None),
    ],
)
def test_plurals_i_y_typos_and_lay_words_of_heldout4(text, found, entry):
    """ZM-3, issue 21 (heldout4): a plural that writes a long vowel single ("implantaten") is
    the listed word, not a typing error; i and y confused in a whole word of six letters or
    more is a typing error; a dropped letter ("migrane") still passes (a known limit)."""
    hits = scan(text)
    assert [h.text for h in hits] == found
    if entry:
        assert entry in [h.entry for h in hits]


@pytest.mark.parametrize(
    "text",
    [
        "De insuline van Jan moet in de koelcel van het magazijn.",
        "Tandarts voor Jan donderdag en de offerte schuift.",
    ],
)
def test_work_frame_limit_a_named_person_without_a_cue_passes(text):
    """ZM-3, issue 21: a known limit of the work frames (module docstring): a frame's goods
    pass when the person is only named, with no cue before the word."""
    assert find_medical_terms(text) == []
