"""Facts → rdflib graph. The only module that mints IRIs.

IRIs are readable and stable: they are made from normalised names and
article ids, never from counters or random numbers, so the same input gives
the same IRIs (and byte-identical Turtle). Unions and places are one node per
name across the build; a program and its amounts belong to one article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from decimal import Decimal

from rdflib import Graph, Literal, URIRef

from .gazetteer import adcode
from .types import Amount, Article, DateMention, Extraction, Program
from .vocab import KGR, PREFIXES, PROV, RDF, RDFS, SKOS, UKG, XSD

_SAFE_ASCII = re.compile(r"[A-Za-z0-9\-._~]")


def _iri_char(c: str) -> bool:
    """Whether ``c`` may stand as itself in an IRI path segment (RFC 3987 iunreserved)."""
    if c.isascii():
        return bool(_SAFE_ASCII.match(c))
    o = ord(c)
    if not (0xA0 <= o <= 0xD7FF or 0xF900 <= o <= 0xFDCF or 0xFDF0 <= o <= 0xFFEF or 0x10000 <= o <= 0xEFFFD):
        return False  # C1 controls, surrogates, private use, non-characters, specials
    return (o & 0xFFFF) < 0xFFFE


@lru_cache(maxsize=65536)
def _slug(text: str) -> str:
    """``text`` made safe for an IRI path segment: Chinese stays readable, anything else is %-encoded.

    Controls, private-use characters and non-characters, which strict parsers
    (Oxigraph) refuse in IRIs, are encoded as UTF-8 bytes.
    """
    text = re.sub(r"\s+", "_", text.strip())
    return "".join(c if _iri_char(c) else "".join(f"%{b:02X}" for b in c.encode("utf-8", "surrogatepass"))
                   for c in text) or "_"


def article_iri(article_id: str) -> URIRef:
    """``001_69aa9dea666dac39#3`` → ``…/article/001_69aa9dea666dac39-3``."""
    return KGR["article/" + _slug(article_id.replace("#", "-"))]


def union_iri(name: str) -> URIRef:
    return KGR["union/" + _slug(name)]


def place_iri(name: str) -> URIRef:
    return KGR["place/" + _slug(name)]


def program_iri(program: Program) -> URIRef:
    """Minted from the article that reported the program first in its file, and its label."""
    article = program.node or program.article
    return KGR["program/" + _slug(article.replace("#", "-")) + "/" + _slug(program.label)]


def amount_iri(article_id: str, amount: Amount) -> URIRef:
    """One node per stated quantity: the article and the offset where it is stated."""
    return KGR["amount/" + _slug(article_id.replace("#", "-")) + "-" + str(amount.start)]


def decimal_lexical(value: Decimal) -> str:
    """The canonical ``xsd:decimal`` form (``60000.0``, ``51.02``), the one Turtle round-trips."""
    text = format(Decimal(value).normalize(), "f")
    return text if "." in text else text + ".0"


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound (and no others)."""
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g


class _Sink:
    """Triples of a build, each kept once, with the nodes already labelled: rdflib's ``add`` and
    ``in`` cost microseconds each, and a union or place is named in many articles."""

    def __init__(self) -> None:
        self.triples: dict[tuple, None] = {}
        self.labelled: set[URIRef] = set()

    def add(self, t: tuple) -> None:
        self.triples[t] = None

    def label(self, node: URIRef, label: str) -> bool:
        """Give ``node`` its one label; False when it has one already."""
        if node in self.labelled:
            return False
        self.labelled.add(node)
        self.triples[(node, RDFS.label, Literal(label))] = None
        return True


def _place_node(g: _Sink, name: str, parents: list[str]) -> URIRef:
    """A place's node with its type, label and (for a division of the gazetteer) its adcode."""
    node = place_iri(name)
    if g.label(node, name):
        g.add((node, RDF.type, UKG.Place))
        code = adcode(name, parents)
        if code:
            g.add((node, UKG.adcode, Literal(code)))
    return node


def _place(g: _Sink, name: str, parents: Iterable[str] = ()) -> URIRef:
    chain = [*parents, name]
    node = _place_node(g, name, chain[:-1])
    for i in range(1, len(chain)):
        inner, outer = chain[i], chain[i - 1]
        if inner == outer:
            continue
        a, b = _place_node(g, inner, chain[:i]), _place_node(g, outer, chain[: i - 1])
        g.add((a, UKG.partOf, b))
    return node


def _article(g: _Sink, a: Article) -> URIRef:
    node = article_iri(a.id)
    g.add((node, RDF.type, UKG.Article))
    g.label(node, a.title or a.id)
    g.add((node, UKG.sourceFile, Literal(a.source)))
    g.add((node, UKG.span, Literal(f"{a.span[0]}-{a.span[1]}")))
    g.add((node, UKG.kind, Literal(a.kind)))
    if a.source_key:
        g.add((node, UKG.sourcePath, Literal(a.source_key)))
    return node


def _amount(g: _Sink, article_id: str, amount: Amount) -> URIRef:
    node = amount_iri(article_id, amount)
    g.add((node, RDF.type, UKG.Amount))
    g.label(node, amount.text)
    g.add((node, UKG.value, Literal(decimal_lexical(amount.value), datatype=XSD.decimal)))
    g.add((node, UKG.unit, Literal(amount.unit)))
    g.add((node, UKG.text, Literal(amount.text)))
    if amount.qualifier:
        g.add((node, UKG.qualifier, Literal(amount.qualifier)))
    return node


def _date(g: _Sink, node: URIRef, d: DateMention | None) -> None:
    """``ukg:date`` typed as precisely as the text allows, and ``ukg:dateText`` as written."""
    if d is None or not d.datatype:
        return
    g.add((node, UKG.date, Literal(d.lexical, datatype=XSD[d.datatype])))
    g.add((node, UKG.dateText, Literal(d.text)))


def _add(g: _Sink, x: Extraction) -> None:
    art = _article(g, x.article)
    _date(g, art, x.date)
    for u in x.unions:
        node = union_iri(u.name)
        if g.label(node, u.name):
            g.add((node, RDF.type, UKG.Union))
        if u.surface != u.name and not u.from_context:
            g.add((node, SKOS.altLabel, Literal(u.surface)))
        g.add((node, UKG.mentionedIn, art))
        if u.locality:
            g.add((node, UKG.locatedIn, _place(g, u.locality, u.locality_parents)))
    for p in x.places:
        node = _place(g, p.name, p.parents)
        g.add((node, UKG.mentionedIn, art))
    for prog in x.programs:
        node = program_iri(prog)
        g.add((node, RDF.type, UKG.Program))
        g.label(node, prog.label)
        g.add((node, PROV.wasDerivedFrom, art))
        g.add((node, UKG.mentionedIn, art))
        g.add((node, UKG.evidence, Literal(prog.evidence)))
        if not prog.node:
            _date(g, node, prog.date)  # a program reported again keeps the date of its first report
        for r in prog.runners:
            g.add((union_iri(r), UKG.runs, node))
        for pl in prog.places:
            g.add((node, UKG.inPlace, _place(g, pl.name, pl.parents)))
        for am in prog.amounts:
            g.add((node, UKG.amount, _amount(g, prog.article, am)))


def add_extraction(g: Graph, x: Extraction) -> None:
    """Add one article's facts to ``g`` (a node that already has a label keeps it)."""
    sink = _Sink()
    sink.labelled = {s for s in g.subjects(RDFS.label, None) if isinstance(s, URIRef)}
    _add(sink, x)
    g.addN((*t, g) for t in sink.triples)


def graph_triples(extractions: Iterable[Extraction]) -> list[tuple]:
    """The triples of some extractions (rdflib terms), each once: what a store keeps per file."""
    sink = _Sink()
    for x in extractions:
        _add(sink, x)
    return list(sink.triples)


def file_graph_iri(key: str) -> str:
    """The named graph of one source file in a store, in SPARQL form: ``<…/id/file/001_x.txt>``."""
    return f"<{str(KGR['file/' + _slug(key)])}>"


def build_graph(extractions: Iterable[Extraction]) -> Graph:
    """The graph of a whole build."""
    import gc

    enabled = gc.isenabled()
    gc.disable()  # rdflib makes several objects per triple and no cycles: collections only cost time
    try:
        sink = _Sink()
        for x in extractions:
            _add(sink, x)
        g = new_graph()
        g.addN((*t, g) for t in sink.triples)
    finally:
        if enabled:
            gc.enable()
    return g


__all__ = [
    "build_graph", "graph_triples", "file_graph_iri", "add_extraction", "new_graph", "article_iri", "union_iri",
    "place_iri", "program_iri", "amount_iri", "decimal_lexical",
]
