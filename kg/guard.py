"""Which SPARQL queries the endpoint runs, decided from the parsed query.

rdflib's SPARQL parser reads the query after its ``\\u`` escapes are decoded;
the engine is then handed that decoded text, so it parses exactly what was
checked. Only queries (SELECT, ASK, CONSTRUCT, DESCRIBE) with no ``SERVICE``
anywhere in their algebra pass: UPDATE and LOAD get 403, SERVICE 400.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

READ_ONLY = "this endpoint is read-only: SPARQL UPDATE and LOAD are refused"
NO_SERVICE = "SERVICE (federated query) is refused: this endpoint answers from its own graph only"


@dataclass(frozen=True)
class Checked:
    """A query that may run: its text with escapes decoded, and its form."""

    text: str
    form: str
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``."""


class Refused(Exception):
    """A query the endpoint will not run: HTTP status and a one-line reason."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


def _mentions_service(node, seen: set[int]) -> bool:
    """True when a parse or algebra tree holds a ``SERVICE`` pattern anywhere (FILTER EXISTS, subqueries…)."""
    if id(node) in seen:
        return False
    seen.add(id(node))
    name = getattr(node, "name", None)
    if isinstance(name, str) and name.startswith("ServiceGraphPattern"):
        return True
    if isinstance(node, dict):
        return any(_mentions_service(v, seen) for v in node.values())
    if isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        return any(_mentions_service(v, seen) for v in node)
    return False


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split())[:300] or type(e).__name__


@lru_cache(maxsize=512)
def inspect_query(text: str) -> Checked:
    """Decide from the parsed query whether it may run; raise :class:`Refused` when not.

    The engine gets the decoded text, so that it parses exactly what was checked;
    a text whose decoding leaves escapes to decode again is refused.
    """
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes, parseQuery, parseUpdate

    try:
        decoded = expandUnicodeEscapes(text)
    except ValueError as e:
        raise Refused(400, f"SPARQL syntax error: {_one_line(e)}") from None
    if re.search(r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}", decoded):
        raise Refused(400, "SPARQL syntax error: an escape decodes to another escape; write the characters")
    try:
        tree = parseQuery(decoded)
    except RecursionError:
        raise Refused(400, "query nested too deeply; simplify it") from None
    except Exception as e:  # pyparsing's ParseException and friends
        try:
            parseUpdate(decoded)
        except Exception:
            raise Refused(400, f"SPARQL syntax error: {_one_line(e)}") from None
        raise Refused(403, READ_ONLY) from None
    form = _FORMS.get(getattr(tree[1], "name", ""), "")
    if not form:
        raise Refused(400, "not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)")
    try:
        algebra = translateQuery(tree).algebra
    except RecursionError:
        raise Refused(400, "query nested too deeply; simplify it") from None
    except Exception:
        algebra = tree  # rdflib cannot translate some valid queries; its parse tree tells as much
    if _mentions_service(algebra, set()) or _mentions_service(tree, set()):
        raise Refused(400, NO_SERVICE)
    return Checked(decoded, form)


def check_query(text: str) -> tuple[int, str] | None:
    """``(status, message)`` when the query must be refused, else None."""
    try:
        inspect_query(text)
    except Refused as e:
        return e.status, e.message
    return None
