"""How much text each field takes: one table for every form and API field (issue 18 item 5).

Without a limit a form field took anything the request carried — 1 MB of text was saved
silently. Now every text field has a maximum, shown at the field and refused there with a Dutch
message (forms) or a 400 naming the field (API); tests/test_field_limits.py walks every form and
serializer class of the project and fails for a text field without one. The request as a whole
is bounded by DATA_UPLOAD_MAX_MEMORY_SIZE (config/settings.py; 413 above it).

The sizes, by what the field holds:
- LINE: one line — a name, a subject, a reference.
- SHORT_TEXT: a reason or remark of a few sentences.
- TEXT: a paragraph — agreements, goals, an advice's limitations.
- LONG_TEXT: a report or a medical note — anamnesis, findings, a progress report, a letter.

`BY_NAME` fixes a field's limit wherever that name occurs, so that a page's form and the API's
serializer for the same text agree; other fields take TEXT when multi-line, LINE otherwise.

Forms: decorate the class with `@limited`. It sets the limit on each text field that has none,
and says "Maximaal N tekens." under every multi-line field. A multi-line field gets no
`maxlength` attribute: a browser cuts pasted text at that length without a word, and the person
would lose the rest; the server refuses it instead and the form comes back with all of it.
ModelSerializers: mix in `LimitedTextSerializer`; plain serializers name `max_length` themselves.
"""

from functools import wraps

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models
from rest_framework import serializers

LINE = 200
SHORT_TEXT = 1000
TEXT = 4000
LONG_TEXT = 20_000
PASSWORD = 256  # far above any real password; bounds the hashing work a request can ask for
OTP_CODE = 16

BY_NAME = {
    # medisch: the doctor's notes and letters
    "anamnesis": LONG_TEXT,
    "findings": LONG_TEXT,
    "diagnosis": TEXT,
    "diagnosis_code": 32,
    "policy": LONG_TEXT,
    "medical_part": LONG_TEXT,
    "body": LONG_TEXT,
    "conclusion": TEXT,
    "counterpart": LINE,
    "subject": LINE,
    # an advice's parts and the plan (the employer may read them)
    "limitations": TEXT,
    "capabilities": TEXT,
    "adjustments": TEXT,
    "goals": TEXT,
    "description": TEXT,
    "outcome": TEXT,
    "summary": TEXT,
    # progress reports and notes
    "cooperation_explanation": TEXT,
    "progress": LONG_TEXT,
    "next_steps": TEXT,
    "text": LONG_TEXT,
    "remark": 2000,  # the employee's remark the employer reads (reintegratie)
    "employee_remark": 2000,
    # privacy: breaches and requests
    "assessment": TEXT,
    "measures": TEXT,
    "reason": SHORT_TEXT,
    # doelgroep, verzuim
    "documentation": TEXT,
    "justification": TEXT,
    "aspects": TEXT,
    "lopende_afspraken": TEXT,
    "password": PASSWORD,
    "otp_token": OTP_CODE,
}

MESSAGE = "Deze tekst is te lang: maximaal %(limit_value)d tekens, het zijn er nu %(show_value)d."


def limit_for(name: str, *, multiline: bool) -> int:
    return BY_NAME.get(name, TEXT if multiline else LINE)


def shown(limit: int) -> str:
    return f"Maximaal {limit:,} tekens.".replace(",", ".")


def _is_text(field) -> bool:
    return isinstance(field, forms.CharField)


def limited(form_class):
    """Class decorator for a form: a limit on every text field, shown (see the module)."""
    for name, field in form_class.base_fields.items():
        if not _is_text(field):
            continue
        multiline = isinstance(field.widget, forms.Textarea)
        if field.max_length is None:
            field.max_length = limit_for(name, multiline=multiline)
            field.validators.append(MaxLengthValidator(field.max_length, message=MESSAGE))
            if not multiline and not field.widget.is_hidden:
                field.widget.attrs["maxlength"] = str(field.max_length)
        if multiline:
            field.widget.attrs.pop("maxlength", None)

    original_init = form_class.__init__

    @wraps(original_init)
    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        for field in self.fields.values():
            if _is_text(field) and isinstance(field.widget, forms.Textarea) and field.max_length:
                note = shown(field.max_length)
                if note not in str(field.help_text or ""):
                    field.help_text = f"{field.help_text} {note}".strip()

    form_class.__init__ = __init__
    return form_class


class LimitedTextSerializer:
    """Mixin for a ModelSerializer: a model TextField has no max_length, so DRF would build an
    unlimited CharField for it; this gives it the limit from the table."""

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if (
            issubclass(field_class, serializers.CharField)
            and kwargs.get("max_length") is None
            and not kwargs.get("read_only")
        ):
            limit = limit_for(field_name, multiline=isinstance(model_field, models.TextField))
            kwargs["max_length"] = limit
        return field_class, kwargs
