"""Facts → rdflib graph. The only module that mints IRIs.

IRIs are readable and stable: they are made from normalised names and
article ids, never from counters or random numbers, so the same input gives
the same IRIs (and byte-identical Turtle). Unions and places are one node per
name across the build; a program and its amounts belong to one article.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from decimal import Decimal

from rdflib import Graph, URIRef

from .extract.unions import kind_only
from .gazetteer import adcode
from .types import Amount, Article, DateMention, Extraction, Program
from .vocab import KGR, PREFIXES, PROV, RDF, RDFS, SKOS, UKG, XSD

_KGR = str(KGR)
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


def _article_path(article_id: str) -> str:
    return _KGR + "article/" + _slug(article_id.replace("#", "-"))


def _program_path(program: Program) -> str:
    article = program.node or program.article
    return _KGR + "program/" + _slug(article.replace("#", "-")) + "/" + _slug(program.label)


def _amount_path(article_id: str, amount: Amount) -> str:
    return _KGR + "amount/" + _slug(article_id.replace("#", "-")) + "-" + str(amount.start)


def article_iri(article_id: str) -> URIRef:
    """``001_69aa9dea666dac39#3`` → ``…/article/001_69aa9dea666dac39-3``."""
    return URIRef(_article_path(article_id))


def _union_path(name: str, article_id: str) -> str:
    """A union named by its kind or level alone (公司工会, 市总工会) is one per file: its IRI says which."""
    if kind_only(name):
        return _KGR + "union/" + _slug(article_id.split("#", 1)[0]) + "/" + _slug(name)
    return _KGR + "union/" + _slug(name)


def union_iri(name: str, article_id: str = "") -> URIRef:
    """``青岛市总工会`` → ``…/union/青岛市总工会``; a name alike in many files (``公司工会``) within its file's."""
    return URIRef(_union_path(name, article_id))


def place_iri(name: str) -> URIRef:
    return URIRef(_KGR + "place/" + _slug(name))


def program_iri(program: Program) -> URIRef:
    """Minted from the article that reported the program first in its file, and its label."""
    return URIRef(_program_path(program))


def amount_iri(article_id: str, amount: Amount) -> URIRef:
    """One node per stated quantity: the article and the offset where it is stated."""
    return URIRef(_amount_path(article_id, amount))


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
    """Triples of a build as pyoxigraph terms, each kept once, with the nodes already labelled.

    pyoxigraph terms, not rdflib's: they cost a fraction of an rdflib ``Literal`` to make, and
    the Turtle writer and the store take them as they are (an rdflib graph is made only on request).
    """

    def __init__(self) -> None:
        import pyoxigraph as ox

        self._triple, self._named, self._literal = ox.Triple, ox.NamedNode, ox.Literal
        self.triples: dict = {}
        self.labelled: set[str] = set()
        self._nodes: dict[str, object] = {}
        self.p = _terms()
        """Our classes and predicates by name, made once a process (a sink is made for each file)."""
        self.xsd = {}

    def node(self, iri: str):
        n = self._nodes.get(iri)
        if n is None:
            n = self._nodes[iri] = self._named(iri)
        return n

    def add(self, s, p: str, o) -> None:
        self.triples[self._triple(s, self.p[p], o)] = None

    def text(self, s, p: str, value: str, datatype=None) -> None:
        self.triples[self._triple(s, self.p[p], self._literal(value, datatype=datatype))] = None

    def date_type(self, name: str):
        t = self.xsd.get(name)
        if t is None:
            t = self.xsd[name] = self._named(str(XSD[name]))
        return t

    def label(self, iri: str, label: str) -> bool:
        """Give the node ``iri`` its one label; False when it has one already."""
        if iri in self.labelled:
            return False
        self.labelled.add(iri)
        self.text(self.node(iri), "label", label)
        return True


@lru_cache(maxsize=1)
def _terms() -> dict:
    """:attr:`_Sink.p`: the classes and predicates triples are made with, as pyoxigraph terms."""
    from pyoxigraph import NamedNode

    p = {name: NamedNode(str(UKG[name])) for name in ("Article", "Union", "Program", "Place", "Amount", *_PREDICATES)}
    others = dict(type=RDF.type, label=RDFS.label, altLabel=SKOS.altLabel, wasDerivedFrom=PROV.wasDerivedFrom,
                  decimal=XSD.decimal, Correction=UKG.Correction, Agent=PROV.Agent, wasAttributedTo=PROV.wasAttributedTo,
                  generatedAtTime=PROV.generatedAtTime, comment=RDFS.comment, Statement=RDF.Statement,
                  subject=RDF.subject, predicate=RDF.predicate, object=RDF.object)
    p.update({name: NamedNode(str(iri)) for name, iri in others.items()})
    return p


_PREDICATES = ("sourceFile", "mentionedIn", "runs", "inPlace", "partOf", "locatedIn", "amount", "value", "unit",
               "text", "qualifier", "amountRole", "per", "evidence", "span", "kind", "sourcePath", "date", "dateText",
               "adcode", "confidence", "runnerConfidence", "action", "correctsFile", "adds", "removes")


def _place_node(g: _Sink, name: str, parents: list[str]):
    """A place's node with its type, label and (for a division of the gazetteer) its adcode."""
    iri = _KGR + "place/" + _slug(name)
    node = g.node(iri)
    if g.label(iri, name):
        g.add(node, "type", g.p["Place"])
        code = adcode(name, parents)
        if code:
            g.text(node, "adcode", code)
    return node


def _place(g: _Sink, name: str, parents: Iterable[str] = ()):
    chain = [*parents, name]
    node = _place_node(g, name, chain[:-1])
    for i in range(1, len(chain)):
        inner, outer = chain[i], chain[i - 1]
        if inner == outer:
            continue
        a, b = _place_node(g, inner, chain[:i]), _place_node(g, outer, chain[: i - 1])
        g.add(a, "partOf", b)
    return node


def _article(g: _Sink, a: Article):
    iri = _article_path(a.id)
    node = g.node(iri)
    g.add(node, "type", g.p["Article"])
    g.label(iri, a.title or a.id)
    g.text(node, "sourceFile", a.source)
    g.text(node, "span", f"{a.span[0]}-{a.span[1]}")
    g.text(node, "kind", a.kind)
    if a.source_key:
        g.text(node, "sourcePath", a.source_key)
    return node


def _amount(g: _Sink, iri: str, amount: Amount):
    node = g.node(iri)
    g.add(node, "type", g.p["Amount"])
    g.label(iri, amount.text)
    g.text(node, "value", decimal_lexical(amount.value), g.p["decimal"])
    g.text(node, "unit", amount.unit)
    g.text(node, "text", amount.text)
    if amount.qualifier:
        g.text(node, "qualifier", amount.qualifier)
    if amount.role:
        g.text(node, "amountRole", amount.role)
    if amount.per:
        g.text(node, "per", amount.per)
    return node


def _date(g: _Sink, node, d: DateMention | None) -> None:
    """``ukg:date`` typed as precisely as the text allows, and ``ukg:dateText`` as written."""
    if d is None or not d.datatype:
        return
    g.text(node, "date", d.lexical, g.date_type(d.datatype))
    g.text(node, "dateText", d.text)


def _add(g: _Sink, x: Extraction) -> None:
    art = _article(g, x.article)
    _date(g, art, x.date)
    for u in x.unions:
        iri = _union_path(u.name, x.article.id)
        node = g.node(iri)
        if g.label(iri, u.name):
            g.add(node, "type", g.p["Union"])
        if u.surface != u.name and not u.from_context:
            g.text(node, "altLabel", u.surface)
        g.add(node, "mentionedIn", art)
        if u.locality:
            g.add(node, "locatedIn", _place(g, u.locality, u.locality_parents))
    for p in x.places:
        node = _place(g, p.name, p.parents)
        g.add(node, "mentionedIn", art)
    sure: dict[str, float] = {}  # each amount node once, as sure as the surest program it is linked to
    for prog in x.programs:
        for am in prog.amounts:
            key = _amount_path(prog.article, am)
            sure[key] = max(sure.get(key, 0.0), am.confidence)
    for prog in x.programs:
        iri = _program_path(prog)
        node = g.node(iri)
        g.add(node, "type", g.p["Program"])
        g.label(iri, prog.label)
        g.add(node, "wasDerivedFrom", art)
        g.add(node, "mentionedIn", art)
        g.text(node, "evidence", prog.evidence)
        if not prog.node:
            _date(g, node, prog.date)  # a program reported again keeps the date and confidence of its first report
            g.text(node, "confidence", _probability(prog.confidence), g.p["decimal"])
            if prog.runners:
                g.text(node, "runnerConfidence", _probability(prog.runner_confidence), g.p["decimal"])
        for r in prog.runners:
            g.add(g.node(_union_path(r, prog.article)), "runs", node)
        for pl in prog.places:
            place = _place(g, pl.name, pl.parents)
            g.add(node, "inPlace", place)
            _link(g, node, "inPlace", place, pl.confidence, prog.article, f"{prog.label} · {pl.name}")
        for am in prog.amounts:
            iri = _amount_path(prog.article, am)
            amount = _amount(g, iri, am)
            g.add(node, "amount", amount)
            g.text(amount, "confidence", _probability(sure[iri]), g.p["decimal"])


def _probability(p: float) -> str:
    return decimal_lexical(Decimal(str(p)))


def _link(g: _Sink, s, p: str, o, confidence: float, article_id: str, label: str) -> None:
    """How sure kg is of the triple ``s p o`` as one article states it: an ``rdf:Statement`` of it with
    ``ukg:confidence`` (named by a hash of the triple and the article, so each report states its own)."""
    key = f"{s.value} {p} {o.value} {article_id}".encode()
    iri = _KGR + "link/" + hashlib.sha256(key).hexdigest()[:20]
    st = g.node(iri)
    if g.label(iri, label):
        g.add(st, "type", g.p["Statement"])
        g.add(st, "subject", s)
        g.add(st, "predicate", g.p[p])
        g.add(st, "object", o)
        g.text(st, "confidence", _probability(confidence), g.p["decimal"])


def add_extraction(g: Graph, x: Extraction) -> None:
    """Add one article's facts to ``g`` (a node that already has a label keeps it)."""
    from .export import rdflib_graph

    sink = _Sink()
    sink.labelled = {str(s) for s in g.subjects(RDFS.label, None) if isinstance(s, URIRef)}
    _add(sink, x)
    g += rdflib_graph(sink.triples)


def graph_triples(extractions: Iterable[Extraction]) -> list:
    """The triples of some extractions (pyoxigraph terms), each once, in the order made: what
    the Turtle writer and a store take.

    The graph of several files is the union of each file's graph: a node is labelled and typed
    (and a place given its adcode) by each file that names it, so a build gives the same graph
    whether it holds all files at once, streams them, or keeps one named graph per file.
    """
    import gc

    enabled = gc.isenabled()
    gc.disable()  # several objects per triple and no cycles: collections only cost time
    try:
        return next(_made(extractions, 0))
    finally:
        if enabled:
            gc.enable()


def graph_triple_batches(extractions: Iterable[Extraction], size: int = 10_000) -> Iterator[list]:
    """The triples of :func:`graph_triples` about ``size`` at a time, for a writer that keeps each once
    (:class:`kg.export.SortedTriples`): a triple may come in two batches, and the triples of a large
    file are never all held at once."""
    yield from _made(extractions, size)


def _made(extractions: Iterable[Extraction], size: int) -> Iterator[list]:
    """The triples made, in batches once ``size`` (0: never) are held; a node labelled once a file."""
    sink, file = _Sink(), None
    for x in extractions:
        key = x.article.source_key or x.article.source
        if key != file:
            sink.labelled, file = set(), key
        _add(sink, x)
        if size and len(sink.triples) >= size:
            yield list(sink.triples)
            sink.triples = {}
    yield list(sink.triples)


def alt_label_triples(items: Iterable[tuple[str, str | Program, str]]) -> list:
    """``skos:altLabel`` triples for nodes a correction renamed or merged: each item is the node's
    kind (``union``, ``place``, ``program``), its name (a program: its record) and the other label."""
    sink = _Sink()
    for kind, what, label in items:
        if kind == "program":
            iri = _program_path(what)
        else:
            iri = _KGR + kind + "/" + _slug(what)
        sink.text(sink.node(iri), "altLabel", label)
    return list(sink.triples)


def correction_iri(correction_id: str) -> str:
    """The node of one correction, from its id (a hash of what it says, not of where it stands in the file)."""
    return _KGR + "correction/" + _slug(correction_id)


def correction_triples(correction_id: str, action: str, label: str, file: str, by: str, at: str, note: str,
                       added: Iterable, removed: Iterable) -> list:
    """A correction as a ``ukg:Correction`` (who, when, why) and the triples it added to and removed from
    its file's graph, each as an ``rdf:Statement`` named by a hash of the triple (so two corrections that
    touch one triple share its statement, and the same correction gives the same nodes in every build)."""

    sink = _Sink()
    node = sink.node(correction_iri(correction_id))
    sink.add(node, "type", sink.p["Correction"])
    sink.text(node, "label", label)
    sink.text(node, "action", action)
    if file:
        sink.text(node, "correctsFile", file)
    if by:
        agent = sink.node(_KGR + "agent/" + _slug(by))
        sink.add(agent, "type", sink.p["Agent"])
        sink.text(agent, "label", by)
        sink.add(node, "wasAttributedTo", agent)
    if at:
        sink.text(node, "generatedAtTime", at, sink.date_type("dateTime"))
    if note:
        sink.text(node, "comment", note)
    for verb, triples in (("adds", added), ("removes", removed)):
        for t in triples:
            st = sink.node(_KGR + "statement/" + hashlib.sha256(str(t).encode()).hexdigest()[:20])
            sink.add(st, "type", sink.p["Statement"])
            sink.add(st, "subject", t.subject)
            sink.add(st, "predicate", t.predicate)
            sink.add(st, "object", t.object)
            sink.add(node, verb, st)
    return list(sink.triples)


def file_graph_iri(key: str) -> str:
    """The named graph of one source file in a store, in SPARQL form: ``<…/id/file/001_x.txt>``."""
    return f"<{_KGR}file/{_slug(key)}>"


def build_graph(extractions: Iterable[Extraction]) -> Graph:
    """The graph of a whole build, as an rdflib ``Graph``."""
    from .export import rdflib_graph

    return rdflib_graph(graph_triples(extractions))


__all__ = [
    "build_graph", "graph_triples", "file_graph_iri", "add_extraction", "new_graph", "article_iri", "union_iri",
    "place_iri", "program_iri", "amount_iri", "decimal_lexical", "alt_label_triples", "correction_iri",
    "correction_triples",
]
