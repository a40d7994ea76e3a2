"""The one check every SPARQL query passes before an engine runs it: kg query, kg.query, kg serve.

kg answers from its own graph only, so no query may make an engine fetch anything:
``SERVICE`` (federation: rdflib and Oxigraph both have an HTTP client), ``FROM`` and
``FROM NAMED`` (rdflib parses their IRI as a URL or a local file) and updates
(``LOAD`` among them) are refused, wherever they stand in the query.

One parser decides. The query's ``\\u`` escapes are decoded (the SPARQL spec does it
before parsing; rdflib does, Oxigraph does not), its ``#`` comments are cut out by a
strict lexer, and that canonical text is what rdflib parses for the check and what
both engines run; never the text as sent. Characters that SPARQL parsers read
differently are refused rather than guessed at: a carriage return not followed by a
line feed ends a comment for Oxigraph and not for rdflib; U+2028, U+0085 and the
other control characters are no line end to either today, and no SPARQL syntax; a
backslash in a prefixed name (``ex:a\\#b``) stays in rdflib's IRI and not in Oxigraph's.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .errors import QueryError, QueryRefusedError, one_line

READ_ONLY = "this endpoint is read-only: SPARQL UPDATE and LOAD are refused"
NO_SERVICE = "SERVICE (federated query) is refused: kg answers from its own graph only"
NO_FROM = ("FROM and FROM NAMED are refused: kg answers from its own graph only "
           "(GRAPH <iri> { … } picks a named graph of a store)")

CONTRACT_PREFIXES = "ukg:, kgr:, rdfs:, skos:, prov:, xsd: and rdf:"
"""The prefixes every kg query interface knows without PREFIX lines (:data:`kg.vocab.PREFIXES`)."""

_ESCAPE = re.compile(r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}")
_AMBIGUOUS = re.compile("\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_LEXEME = re.compile("|".join([
    r"<[^<>\"{}|^`\\\x00-\x20]*>",                   # an IRI: a '#' inside is no comment
    r'"""(?:[^"\\]|\\.|"(?!""))*"""',                # long strings
    r"'''(?:[^'\\]|\\.|'(?!''))*'''",
    r'"(?:[^"\\\n\r]|\\.)*"',                        # short strings
    r"'(?:[^'\\\n\r]|\\.)*'",
    r"(?P<escape>\\.?)",                             # an escape of a prefixed name: ex:a\#b
    r"(?P<comment>#[^\n]*)",
    r"(?P<quote>[\"'])",                             # a quote that opens no string
    r"[^<\"'#\\]+",
    r"<",                                            # less than
]), re.S)


@dataclass(frozen=True)
class Checked:
    """A query that may run: the canonical text both engines run, its form, and rdflib's reading of it."""

    text: str
    """Escapes decoded, comments cut out: what was checked, and what an engine is given."""
    form: str
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``."""
    query: object | None = None
    """rdflib's prepared query of :attr:`text` (the contract's prefixes known), or None when rdflib
    cannot translate it (it fails on some valid queries; Oxigraph may still run them)."""
    untranslatable: str = ""
    """Why rdflib could not translate it, when :attr:`query` is None."""


_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
_FETCHING = {"ServiceGraphPattern": NO_SERVICE, "DatasetClause": NO_FROM}


def _fetching(node, seen: set[int]) -> str | None:
    """Why a parse or algebra tree makes the engine fetch (a ``SERVICE`` pattern or a ``FROM`` clause
    anywhere: FILTER EXISTS, subqueries, OPTIONAL…), or None."""
    if id(node) in seen:
        return None
    seen.add(id(node))
    name = getattr(node, "name", None)
    if isinstance(name, str):
        for kind, message in _FETCHING.items():
            if name.startswith(kind):
                return message
    if isinstance(node, dict):
        children = node.values()
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        children = node
    else:
        return None
    return next((m for m in (_fetching(v, seen) for v in children) if m), None)


def _position(text: str, at: int) -> str:
    line, column = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
    return f"line {line}, column {column}"


def canonical(text: str) -> str:
    """``text`` with its ``\\u`` escapes decoded and its comments cut out: the text to check and run.

    Raises :class:`QueryRefusedError` for a spelling the engines could read differently: an
    escape that decodes to another escape, a carriage return not before a line feed, a control
    character, U+2028/U+2029, a lone surrogate, a backslash in a prefixed name (rdflib keeps it
    in the IRI, Oxigraph drops it); :class:`QueryError` for a quote that opens no string.
    """
    from rdflib.plugins.sparql.parser import expandUnicodeEscapes

    try:
        decoded = expandUnicodeEscapes(text)
    except ValueError as e:
        raise QueryError(f"SPARQL syntax error: {one_line(e)}") from None
    if _ESCAPE.search(decoded):
        raise QueryRefusedError("SPARQL syntax error: an escape decodes to another escape; write the characters")
    bad = _AMBIGUOUS.search(decoded)
    if bad:
        ch = bad.group()
        what = ("a carriage return not followed by a line feed" if ch == "\r"
                else f"U+{ord(ch):04X} {unicodedata.name(ch, 'a control character')}")
        raise QueryRefusedError(f"the query holds {what} at {_position(decoded, bad.start())}, which SPARQL "
                                "parsers read differently; end lines with \\n or \\r\\n and leave such "
                                "characters out")
    out = []
    for m in _LEXEME.finditer(decoded):
        if m.group("quote"):
            raise QueryError(f"SPARQL syntax error: a string opened at {_position(decoded, m.start())} "
                             "is not closed")
        if m.group("escape"):
            raise QueryRefusedError(f"the query escapes a character of a prefixed name at "
                                    f"{_position(decoded, m.start())} (ex:a\\#b), which SPARQL parsers read "
                                    "differently; write the whole IRI in <…>")
        if not m.group("comment"):
            out.append(m.group())
    return "".join(out)


@lru_cache(maxsize=512)
def inspect_query(text: str) -> Checked:
    """Decide from the parsed canonical query whether it may run; raise :class:`QueryRefusedError`
    when it may not (an update, SERVICE, FROM, an ambiguous spelling) and :class:`QueryError` when
    it is no SPARQL."""
    from rdflib import Namespace
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    from .vocab import PREFIXES

    text = canonical(text)
    try:
        tree = parseQuery(text)
    except RecursionError:
        raise QueryError("query nested too deeply; simplify it") from None
    except Exception as e:  # pyparsing's ParseException and friends
        try:
            parseUpdate(text)
        except Exception:  # noqa: BLE001 - not an update either: the query's own error is the one to show
            raise QueryError(f"SPARQL syntax error: {one_line(e)}") from None
        raise QueryRefusedError(READ_ONLY, 403) from None
    form = _FORMS.get(getattr(tree[1], "name", ""), "")
    if not form:
        raise QueryError("not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)")
    refusal = _fetching(tree, set())
    if refusal:
        raise QueryRefusedError(refusal)
    try:
        query = translateQuery(tree, initNs={p: Namespace(iri) for p, iri in PREFIXES.items()})
    except RecursionError:
        raise QueryError("query nested too deeply; simplify it") from None
    except Exception as e:  # rdflib cannot translate some valid queries
        unknown = re.match(r"Unknown namespace prefix : (\S*)", str(e))
        if unknown:
            raise QueryError(f"unknown prefix {unknown.group(1)}: in the query; {CONTRACT_PREFIXES} need no "
                             f"PREFIX line, declare any other (PREFIX {unknown.group(1)}: <…>)") from None
        return Checked(text, form, None, one_line(e))
    refusal = _fetching(query.algebra, set())
    if refusal:
        raise QueryRefusedError(refusal)
    return Checked(text, form, query)


def check_query(text: str) -> tuple[int, str] | None:
    """``(status, message)`` when the query must be refused, else None."""
    try:
        inspect_query(text)
    except QueryRefusedError as e:
        return e.status, e.message
    except QueryError as e:
        return 400, str(e)
    return None
