"""Validators the apps share (core imports no app).

`validate_phone` (issue 18, "the phone field accepts 'bel maar niet'"): a Dutch or international
telephone number. Written as people write them — spaces, hyphens, dots, brackets, "+31 (0)" —
and checked on its digits: a Dutch number is 0 and nine digits (or +31/0031 and nine), an
international one + (or 00), a country code and in all 8 to 15 digits (ITU-T E.164).
"""

import re

from django.core.exceptions import ValidationError

PHONE_MESSAGE = (
    "Vul een geldig telefoonnummer in, bijvoorbeeld 06 12345678, 020 1234567 of +31 6 12345678."
)
PHONE_HELP = "Bijvoorbeeld 06 12345678 of +31 6 12345678."

_ALLOWED = re.compile(r"^\+?[0-9 ().\-/]+$")
_SEPARATORS = re.compile(r"[ ().\-/]")
_DUTCH = re.compile(r"^0[1-9][0-9]{8}$")
_DUTCH_INTERNATIONAL = re.compile(r"^(\+|00)31[1-9][0-9]{8}$")
_INTERNATIONAL = re.compile(r"^(\+|00)[1-9][0-9]{7,14}$")


def validate_phone(value: str) -> None:
    text = (value or "").strip()
    if not text:
        return  # whether a number is required is the field's business
    if not _ALLOWED.match(text):
        raise ValidationError(PHONE_MESSAGE, code="invalid_phone")
    digits = _SEPARATORS.sub("", text.replace("(0)", ""))
    if digits.startswith(("+31", "0031")):
        valid = bool(_DUTCH_INTERNATIONAL.match(digits))
    elif digits.startswith(("+", "00")):
        valid = bool(_INTERNATIONAL.match(digits))
    else:
        valid = bool(_DUTCH.match(digits))
    if not valid:
        raise ValidationError(PHONE_MESSAGE, code="invalid_phone")
