"""SPARQL results written in the four standard formats, cut at a row cap as they stream.

Oxigraph can serialise a whole result, but not the first N rows of one; the
endpoint must stop reading a result at its row cap (a query may stream rows
without end), so it writes the formats itself: SPARQL 1.1 Query Results JSON,
XML, CSV and TSV, from pyoxigraph terms. CSV and TSV cells that a spreadsheet
would run as a formula begin with ``'`` (:mod:`kg.cells`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

from .cells import safe_cell, table_text

MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_MEDIA_TYPES = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _kind(term) -> str:
    return type(term).__name__


def _json_term(term) -> dict:
    kind = _kind(term)
    if kind == "NamedNode":
        return {"type": "uri", "value": term.value}
    if kind == "BlankNode":
        return {"type": "bnode", "value": term.value}
    if kind == "Triple":
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None and term.datatype.value != _XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _xml_term(term) -> str:
    kind = _kind(term)
    if kind == "NamedNode":
        return f"<uri>{escape(term.value)}</uri>"
    if kind == "BlankNode":
        return f"<bnode>{escape(term.value)}</bnode>"
    if kind == "Triple":
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
                f"</predicate><object>{_xml_term(term.object)}</object></triple>")
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype is not None and term.datatype.value not in (_XSD_STRING, _RDF_LANGSTRING):
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _csv_value(term) -> str:
    if term is None:
        return ""
    kind = _kind(term)
    if kind == "BlankNode":
        return "_:" + term.value
    if kind == "Triple":
        return str(term)
    return term.value


def _tsv_value(term) -> str:
    return "" if term is None else str(term)


def write_solutions(variables: Sequence[str], rows: Iterable, fmt: str, max_rows: int,
                    notes: Sequence[str] = ()) -> tuple[bytes, bool]:
    """``rows`` (sequences of terms or None, in ``variables`` order) as ``fmt``; True when cut at ``max_rows``.
    JSON carries ``notes`` (what was done with the bindings) as ``kg_notes``."""
    kept, cut = [], False
    for row in rows:
        if len(kept) == max_rows:
            cut = True
            break
        kept.append(tuple(row))
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in kept]
        data = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
        if notes:
            data["kg_notes"] = list(notes)
        if cut:
            data["kg_warning"] = f"result cut at {max_rows} rows (row cap); add LIMIT or raise --max-rows"
        return json.dumps(data, ensure_ascii=False).encode("utf-8"), cut
    if fmt == "xml":
        parts = ['<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
                 "<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in variables) + "</head>",
                 "<results>"]
        for row in kept:
            parts.append("<result>" + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                                              for v, t in zip(variables, row) if t is not None) + "</result>")
        parts.append("</results></sparql>\n")
        return "\n".join(parts).encode("utf-8"), cut
    if fmt == "csv":
        text = table_text(variables, ([_csv_value(t) for t in row] for row in kept), lineterminator="\r\n")
        return text.encode("utf-8"), cut
    if fmt == "tsv":
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join(safe_cell(_tsv_value(t)) for t in row) for row in kept]
        return ("\n".join(lines) + "\n").encode("utf-8"), cut
    raise ValueError(f"no results format {fmt!r}")


def write_boolean(answer: bool, fmt: str) -> bytes:
    """The answer of an ASK query as ``fmt``."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": answer}).encode()
    if fmt == "xml":
        return ('<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{'true' if answer else 'false'}</boolean></sparql>\n").encode()
    return ("true" if answer else "false").encode() + (b"\r\n" if fmt == "csv" else b"\n")
