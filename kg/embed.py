"""Data written into an HTML page's ``<script>`` as JSON that the HTML parser cannot end or bend.

Inside a script the parser looks for ``</script``; after ``<!--`` a ``<script`` makes it
skip even that (the rest of the page becomes script and nothing is drawn). So ``<``, ``>``
and ``&`` are written as the JSON escapes ``\\u003c``, ``\\u003e``, ``\\u0026``, and U+2028
and U+2029 (line ends to older JavaScript) as ``\\u2028`` and ``\\u2029``: no ``</``,
``<!--`` or ``<script`` can stand in the page, and JavaScript reads the same values.
"""

from __future__ import annotations

import json
import re

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_UNSAFE = re.compile("[<>&\u2028\u2029]")


def script_json(value) -> str:
    """``value`` as compact JSON safe to stand inside ``<script>`` (outside a JSON string no escaped character occurs)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _UNSAFE.sub(lambda m: _ESCAPES[m.group()], text)
