"""Validators the apps share (core imports no app).

`validate_phone` (issue 18, "the phone field accepts 'bel maar niet'"): a Dutch or international
telephone number. Written as people write them — spaces, hyphens, dots, brackets, "+31 (0)" —
and checked on its digits: a Dutch number is 0 and nine digits (or +31/0031 and nine), an
international one + (or 00), a country code and in all 8 to 15 digits (ITU-T E.164).
"""

import re

from django.core.exceptions import ValidationError
from stdnum.nl import bsn as stdnum_bsn

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


# The loonheffingennummer (RI-11): the number under which an employer files its payroll tax
# returns and by which UWV knows it in the werkgeversportaal. It is the employer's fiscal number
# (RSIN, or the BSN of a sole trader: nine digits that pass the 11-proef), the letter L and a
# two-digit subnumber for the administrative unit, usually 01 (e.g. 999990019L01) — source:
# https://www.ugoo.nl/subsidietermen/loonheffingennummer/ ("Een loonheffingennummer bestaat uit
# een RSIN en een subnummer ... het getal 01 (subnummer) na de L"). python-stdnum has no module
# for it; its `stdnum.nl.bsn` checks the 11-proef that RSIN and BSN share (stdnum.nl.btw uses it
# the same way for the older VAT number), so the nine digits are checked with it.
LOONHEFFINGENNUMMER_MESSAGE = (
    "Vul een geldig loonheffingennummer in: negen cijfers, de letter L en twee cijfers, "
    "bijvoorbeeld 999990019L01."
)
LOONHEFFINGENNUMMER_CHECK_MESSAGE = (
    "De negen cijfers vóór de L zijn geen geldig fiscaal nummer (RSIN): de 11-proef klopt niet."
)
LOONHEFFINGENNUMMER_HELP = "Negen cijfers, de letter L en twee cijfers, bijvoorbeeld 999990019L01."
_LOONHEFFINGENNUMMER = re.compile(r"^([0-9]{9})L([0-9]{2})$")


def clean_loonheffingennummer(value: str) -> str:
    """The loonheffingennummer in its one stored form (no spaces or dots, capital L), or a
    ValidationError with a Dutch message."""
    text = re.sub(r"[ .\-]", "", value or "").upper()
    match = _LOONHEFFINGENNUMMER.match(text)
    if not match:
        raise ValidationError(LOONHEFFINGENNUMMER_MESSAGE, code="invalid_loonheffingennummer")
    if not stdnum_bsn.is_valid(match.group(1)):
        raise ValidationError(LOONHEFFINGENNUMMER_CHECK_MESSAGE, code="invalid_loonheffingennummer")
    return text


def validate_loonheffingennummer(value: str) -> None:
    if not (value or "").strip():
        return  # whether it is required is the field's business
    clean_loonheffingennummer(value)
