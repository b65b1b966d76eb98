"""Synthetic BSNs for demo data and tests (SE-5, DG-2).

Faker's `ssn()` yields valid BSNs that may belong to real people. We use only the range
999 990 000 – 999 999 999, which the Rijksdienst voor Identiteitsgegevens keeps for test
purposes (the "testreeks" used in DigiD/Logius test environments, e.g. 999993653): numbers
there pass the 11-proef but are never issued to a person. Every BSN in a fixture, factory or demo
file must come from here; the security scan (issue 7) checks that.
"""

from stdnum.nl import bsn as stdnum_bsn

SYNTHETIC_FIRST = 999_990_000
SYNTHETIC_LAST = 999_999_999


def is_synthetic_bsn(value: str) -> bool:
    digits = stdnum_bsn.compact(value or "")
    return digits.isdigit() and SYNTHETIC_FIRST <= int(digits) <= SYNTHETIC_LAST


def synthetic_bsns(start: int = SYNTHETIC_FIRST):
    """Valid (11-proef) BSNs of the test range, in order."""
    for number in range(max(start, SYNTHETIC_FIRST), SYNTHETIC_LAST + 1):
        candidate = f"{number:09d}"
        if stdnum_bsn.is_valid(candidate):
            yield candidate
