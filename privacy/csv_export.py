"""SE-6: the one place that writes CSV. Every CSV export (the verzuimoverzicht, the insurer's MD-6
export, the DG-2 UWV check list, the DG-5 inclusion report, the AV-1 processing register) goes
through here; tests/privacy/test_csv_exports.py fails for a csv.writer or a "text/csv" anywhere
else, and for a CSV URL without its injection test.

Why: names, departments, personnel numbers and countries are typed by users, and a spreadsheet
treats a cell that starts with `=`, `+`, `-` or `@` as a formula — `=HYPERLINK(...)` leaks data
on a click, DDE formulas run commands. Tab and carriage return are on the OWASP list too: a
spreadsheet may skip them and read the rest of the cell as a formula. This is CSV injection
(OWASP, https://owasp.org/www-community/attacks/CSV_Injection); the OWASP rule applied here:

- a text cell whose first character is `=`, `+`, `-`, `@`, a tab or a carriage return gets a
  leading `'`, which spreadsheets show as text and do not evaluate;
- every cell is quoted (`csv.QUOTE_ALL`), so a delimiter or quote inside a value cannot start a
  new cell; a `"` inside a value is doubled by the csv module;
- the delimiter stays `;` (what a Dutch Excel expects, and what the exports always used).

Numbers (int, float, Decimal; bool, being an int, too) are written as they are: a negative count
or percentage is a number, not a formula, and a `'` would turn it into text. Only strings, and
anything else converted with str(), are neutralised. None is an empty cell. Dates are formatted
by the caller (verzuim.poortwachter.format_date), as before.
"""

import csv
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse

DELIMITER = ";"
CONTENT_TYPE = "text/csv; charset=utf-8"
#: OWASP: a cell starting with one of these is a formula (or becomes one once trimmed).
DANGEROUS_FIRST_CHARACTERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """The cell as text that no spreadsheet evaluates (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return str(value)
    text = str(value)
    if text.startswith(DANGEROUS_FIRST_CHARACTERS):
        return "'" + text
    return text


def write_rows(file, header: Iterable | None, rows: Iterable[Iterable]) -> None:
    """Write `header` (unless None) and `rows` to a text file-like object, every cell
    neutralised and quoted."""
    writer = csv.writer(file, delimiter=DELIMITER, quoting=csv.QUOTE_ALL)
    if header is not None:
        writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])


def csv_response(filename: str, header: Iterable | None, rows: Iterable[Iterable]) -> HttpResponse:
    """A CSV download (UTF-8, attachment named `filename`). Further headers such as
    Cache-Control are the caller's, as is the audit of the export (SE-7)."""
    response = HttpResponse(content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    write_rows(response, header, rows)
    return response
