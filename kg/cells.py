"""Table cells safe to open in a spreadsheet (CSV formula injection, OWASP).

Text from the pages reaches kg's tables (labels, evidence, query results). A
spreadsheet reads a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula (``=HYPERLINK(…)``, ``=WEBSERVICE(…)``, DDE), so every
table kg writes prefixes such a cell with a single quote, as OWASP advises; the
quote shows the text as text. A plain number (``-12``, ``+3.5``) is a value, not
a formula, and is left as it is.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP's list)."""
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value) -> str:
    """``value`` as cell text a spreadsheet shows as written: ``'`` before a would-be formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def table_text(header: Iterable, rows: Iterable[Iterable], delimiter: str = ",", lineterminator: str = "\n") -> str:
    """A header and rows as CSV (or TSV with ``delimiter="\\t"``), every cell through :func:`safe_cell`."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator)
    w.writerow([safe_cell(v) for v in header])
    w.writerows([safe_cell(v) for v in row] for row in rows)
    return buf.getvalue()
