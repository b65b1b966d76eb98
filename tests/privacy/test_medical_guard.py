"""ZM-3: the medical-term guard on every employer-writable free-text field.

The corpora in tests/privacy/corpus/ are the contract: every ordinary work sentence passes,
every medical sentence is refused (0% false positives and false negatives on the checked-in
corpus). The held-out files were written before the vocabulary and never used to tune it; their
rates are printed and only held below 20%. Print the whole report with

    .venv/bin/pytest tests/privacy/test_medical_guard.py -q -s -k rates
"""

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
MAX_HOLDOUT_RATE = 0.20


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
    return [
        ("false positives", false_positives("werkzinnen.txt")),
        ("false negatives", false_negatives("medische_zinnen.txt")),
        ("false positives", false_positives("holdout_werk.txt")),
        ("false negatives", false_negatives("holdout_medisch.txt")),
    ]


def report() -> str:
    lines = [f"vocabulary: {len(medical_guard.vocabulary().entries)} entries"]
    for kind, rate in guard_rates():
        lines.append(rate.line(kind))
        lines.extend(f"    {w}" for w in rate.wrong)
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


def test_rates_and_holdout_rates_below_20_percent(capsys):
    """ZM-3: the held-out sentences (never tuned on) stay below 20% wrong either way; the
    report with all four rates is printed (run with -s to see it)."""
    with capsys.disabled():
        print("\n" + report())
    for _kind, rate in guard_rates()[2:]:
        assert rate.size >= 30
        assert rate.rate < MAX_HOLDOUT_RATE, rate.line(_kind)


def test_corpus_was_not_tuned_by_adding_sentences():
    """ZM-3: the vocabulary holds terms, not corpus sentences: no phrase is longer than five
    words, and no phrase of three or more words is a whole corpus sentence. (A one- or
    two-word diagnosis may stand alone as a sentence: "Kanker.", "Angina pectoris.")"""

    def plain(text):
        return " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split())

    sentences = {plain(s) for name in CORPUS.glob("*.txt") for s in corpus(name.name)}
    for phrase in medical_guard.vocabulary().phrases:
        words = [step for step in phrase.steps if step[0] != "end"]
        assert len(words) <= 5, phrase.source
        if len(words) >= 3:
            assert plain(phrase.source) not in sentences, phrase.source


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
    ("text", "word"),
    [
        ("De operatie in Rotterdam start in mei.", "operatie"),
        ("De griepprik-actie van de zaak is in oktober.", "griepprik-actie"),
        ("Collecte voor KWF Kankerbestrijding.", "Kankerbestrijding"),
        ("Het zwangerschapsverlof gaat in op 1 mei.", "zwangerschapsverlof"),
    ],
)
def test_documented_false_positive_classes_are_refused(text, word):
    """ZM-3: refused on purpose or knowingly (see the medical_guard docstring); a change here
    must update that list."""
    assert find_medical_terms(text) == [word]


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
