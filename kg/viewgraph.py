"""The graph the explorer page is made from, gathered in one pass over a stream of triples.

The page needs, per node, a class, a label, its other names and a few values (a program's evidence,
date, confidence and amounts; a place's adcode; an article's file), and the links between typed
nodes. :func:`gather` keeps exactly that, in compact tables keyed by small integers, from triples
streamed out of a build's Turtle or any graph file (pyoxigraph's parser, one triple at a time), a
store's quads, or an rdflib graph: never a whole-graph rdflib and networkx copy, which cost the
view ~1.5 GB at 30 MB of pages where these tables cost ~100 MB.

Nodes are the subjects typed with one of :data:`CLASSES`, numbered in IRI order; links are the
object properties of :data:`EDGES` between two nodes, one per ordered pair with the properties that
link them (what :func:`kg.network.to_networkx` makes of the same graph, so the view and
``kg stats`` agree).
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import money
from .errors import GraphFileError

_UKG = "https://w3id.org/ukg/ontology#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_PROV = "http://www.w3.org/ns/prov#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"

CLASSES = ("union", "program", "place", "amount", "article")
"""The node classes, in the order the view ranks and lists them."""
_CLASS_IRIS = {_UKG + c.capitalize(): c for c in CLASSES}

EDGES = ("runs", "inPlace", "partOf", "locatedIn", "amount", "mentionedIn", "wasDerivedFrom")
"""The object properties that link nodes, by their short names."""
_EDGE_BITS = {(_PROV if name == "wasDerivedFrom" else _UKG) + name: 1 << i for i, name in enumerate(EDGES)}

_VALUES = {_UKG + "evidence": "evidence", _UKG + "sourceFile": "source", _UKG + "date": "date",
           _UKG + "adcode": "adcode", _UKG + "text": "text", _UKG + "value": "value", _UKG + "unit": "unit",
           _UKG + "amountRole": "role", _UKG + "per": "per", _UKG + "confidence": "confidence",
           _UKG + "runnerConfidence": "runner_confidence"}
"""Literal properties kept, one value a node (the least, where a node has several)."""
_CORRECTION = {_PROV + "wasAttributedTo": "by", _PROV + "generatedAtTime": "at", _RDFS + "comment": "note",
               _UKG + "adds": "adds", _UKG + "removes": "removes", _RDF + "subject": "subject",
               _RDF + "object": "object", _RDF + "predicate": "predicate"}
"""What a ``ukg:Correction`` and its ``rdf:Statement``s say: who, when, why, which triples (and, for a
statement of a program's place, how sure kg is of it)."""
_IN_PLACE = _UKG + "inPlace"
_TYPE, _LABEL, _ALT = _RDF + "type", _RDFS + "label", _SKOS + "altLabel"
_CORRECTION_CLASS = _UKG + "Correction"


@dataclass(frozen=True)
class ViewGraph:
    """Typed nodes (numbered in IRI order) and the links between them, with what the page shows.

    ``values[i]`` holds a node's kept literals (``evidence``, ``date``, ``adcode``, ``source``,
    ``confidence``; an amount's ``text``, ``value``, ``unit``, ``role``, ``per``); ``fixes`` the
    corrections that touched a node (``reject runs … (li, 2024-05-01)``) and ``added`` the links a
    correction added. Links are held as arrays of numbers (a few bytes a link, where tuples and
    per-node lists cost ~150): link ``k`` goes from ``link_s[k]`` to ``link_o[k]`` by the properties
    ``props[link_p[k]]``, sorted by subject and object; a node's outgoing links are
    ``out_start[i]:out_start[i + 1]``, its incoming ones ``in_order[in_start[i]:in_start[i + 1]]``."""

    iris: list[str]
    classes: list[str]
    labels: list[str]
    aliases: dict[int, tuple[str, ...]]
    values: list[dict]
    fixes: dict[int, list[str]]
    added: frozenset[tuple[int, int]]
    props: tuple[tuple[str, ...], ...]
    link_s: array
    link_o: array
    link_p: array
    out_start: array
    in_order: array
    in_start: array

    def __len__(self) -> int:
        return len(self.iris)

    def links(self) -> Iterator[tuple[int, int, tuple[str, ...]]]:
        """Each link once, as (subject, object, properties), sorted."""
        props = self.props
        for s, o, p in zip(self.link_s, self.link_o, self.link_p):
            yield s, o, props[p]

    def succ(self, i: int) -> list[tuple[int, tuple[str, ...]]]:
        """A node's outgoing links: (object, properties), objects in IRI order."""
        o, p, props = self.link_o, self.link_p, self.props
        return [(o[k], props[p[k]]) for k in range(self.out_start[i], self.out_start[i + 1])]

    def pred(self, i: int) -> list[tuple[int, tuple[str, ...]]]:
        """A node's incoming links: (subject, properties), subjects in IRI order."""
        s, p, props = self.link_s, self.link_p, self.props
        return [(s[k], props[p[k]]) for k in self.in_order[self.in_start[i]:self.in_start[i + 1]]]

    def linked(self, i: int, prop: str, cls: str | None = None, incoming: bool = False) -> list[int]:
        """The nodes ``i`` links to (or that link to it) by ``prop``, of class ``cls`` if given."""
        return [o for o, props in (self.pred(i) if incoming else self.succ(i))
                if prop in props and (cls is None or self.classes[o] == cls)]

    def degree(self, i: int) -> int:
        return self.out_start[i + 1] - self.out_start[i] + self.in_start[i + 1] - self.in_start[i]

    def amount(self, i: int) -> dict:
        """An amount as :mod:`kg.money` reads it."""
        v = self.values[i]
        return {"iri": self.iris[i], "text": v.get("text") or self.labels[i], "value": v.get("value", ""),
                "unit": v.get("unit", ""), "role": v.get("role", ""), "per": v.get("per", "")}

    def amounts(self, program: int) -> list[dict]:
        """A program's amounts, by unit, text and IRI."""
        return sorted((self.amount(a) for a in self.linked(program, "amount", "amount")),
                      key=lambda d: (d["unit"], d["text"], d["iri"]))

    def program_yuan(self, program: int) -> float | None:
        """A program's money: its ``total`` amounts, each once (:mod:`kg.money`)."""
        return money.as_float(money.total(self.amounts(program)))

    def union_yuan(self, union: int) -> float | None:
        """A union's money: its programs' ``total`` amounts, an amount two of them share counted once."""
        return money.as_float(money.programs_total(self.amounts(p) for p in self.linked(union, "runs")))

    def source(self, i: int) -> str:
        """The file a node comes from: an article's own, else the first of its articles' files."""
        if self.classes[i] == "article":
            return self.values[i].get("source", "")
        files = {self.values[a].get("source") for a, props in self.succ(i)
                 if self.classes[a] == "article" and ("mentionedIn" in props or "wasDerivedFrom" in props)}
        files.discard(None)
        return min(files) if files else ""

    def subgraph(self, keep: Iterable[int]) -> ViewGraph:
        """The nodes ``keep`` and the links between them (numbered again, in IRI order)."""
        old = sorted(set(keep))
        new = {n: i for i, n in enumerate(old)}
        return _view([self.iris[n] for n in old], [self.classes[n] for n in old], [self.labels[n] for n in old],
                     {new[n]: a for n, a in self.aliases.items() if n in new}, [self.values[n] for n in old],
                     ((new[s], new[o], p) for s, o, p in self.links() if s in new and o in new),
                     {new[n]: f for n, f in self.fixes.items() if n in new},
                     frozenset((new[s], new[o]) for s, o in self.added if s in new and o in new))


def _view(iris, classes, labels, aliases, values, links, fixes, added) -> ViewGraph:
    """A :class:`ViewGraph` of ``links`` ((subject, object, properties), sorted), indexed both ways."""
    props: dict[tuple[str, ...], int] = {}
    link_s, link_o, link_p = array("i"), array("i"), array("H")
    for s, o, p in links:
        link_s.append(s)
        link_o.append(o)
        link_p.append(props.setdefault(p, len(props)))
    n = len(iris)
    out_start, in_start = array("i", bytes(4 * (n + 1))), array("i", bytes(4 * (n + 1)))
    for s in link_s:
        out_start[s + 1] += 1
    for o in link_o:
        in_start[o + 1] += 1
    for i in range(n):
        out_start[i + 1] += out_start[i]
        in_start[i + 1] += in_start[i]
    in_order, fill = array("i", bytes(4 * len(link_o))), array("i", in_start)
    for k, o in enumerate(link_o):  # links come by subject, so each object's come in subject order
        in_order[fill[o]] = k
        fill[o] += 1
    return ViewGraph(iris, classes, labels, aliases, values, fixes, added, tuple(props), link_s, link_o, link_p,
                     out_start, in_order, in_start)


class _Gatherer:
    """What :func:`gather` keeps while the triples stream past: IRIs as numbers, the rest as found."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.types: dict[int, str] = {}
        self.labels: dict[int, str] = {}
        self.alt: dict[int, set[str]] = {}
        self.values: dict[int, dict] = {}
        self.links: dict[int, int] = {}  # subject << 32 | object → property bits
        self.corrections: set[int] = set()
        self.said: dict[int, dict[str, list]] = {}  # what corrections and statements say

    def id(self, iri: str) -> int:
        n = self.ids.get(iri)
        if n is None:
            n = self.ids[iri] = len(self.ids)
        return n

    def add(self, s: str, p: str, o: str, iri: bool) -> None:
        """One triple: subject IRI, predicate IRI, object (an IRI when ``iri``, else a literal's lexical form)."""
        bit = _EDGE_BITS.get(p)
        if bit is not None:
            if iri:
                key = self.id(s) << 32 | self.id(o)
                self.links[key] = self.links.get(key, 0) | bit
            return
        name = _VALUES.get(p)
        if name is not None:
            if not iri:
                d = self.values.setdefault(self.id(s), {})
                if name not in d or o < d[name]:
                    d[name] = o
            return
        if p == _TYPE:
            if iri:
                cls = _CLASS_IRIS.get(o)
                n = self.id(s)
                if cls is not None:
                    old = self.types.get(n)
                    if old is None or CLASSES.index(cls) < CLASSES.index(old):
                        self.types[n] = cls
                elif o == _CORRECTION_CLASS:
                    self.corrections.add(n)
        elif p == _LABEL:
            if not iri:
                n = self.id(s)
                if n not in self.labels or o < self.labels[n]:
                    self.labels[n] = o
        elif p == _ALT:
            if not iri:
                self.alt.setdefault(self.id(s), set()).add(o)
        elif p in _CORRECTION:
            self.said.setdefault(self.id(s), {}).setdefault(_CORRECTION[p], []).append((o, iri))

    def _fixes(self, iris: list[str]) -> tuple[dict[int, list[str]], set[tuple[int, int]]]:
        """Per node (its old number), the corrections that added or removed a triple about it; the
        (subject, object) pairs of the links a correction added."""
        def one(n: int, key: str) -> str:
            values = self.said.get(n, {}).get(key, [])
            return min(v for v, _ in values) if values else ""

        notes: dict[int, list[str]] = {}
        added: set[tuple[int, int]] = set()
        for c in sorted(self.corrections, key=lambda n: iris[n]):
            agent = one(c, "by")
            by = self.labels.get(self.ids[agent], "") if agent else ""
            at, note = one(c, "at"), one(c, "note")
            text = f"{self.labels.get(c, '')} ({', '.join(x[:10] for x in (by, at) if x)})" + (f": {note}" if note else "")
            for verb in ("adds", "removes"):
                for st, _ in self.said.get(c, {}).get(verb, []):
                    n = self.ids.get(st)
                    s, o = one(n, "subject"), self.said.get(n, {}).get("object", [("", False)])[0]
                    ends = [s] + ([o[0]] if o[1] else [])
                    for end in ends:
                        k = self.ids.get(end)
                        if k is not None and text not in notes.setdefault(k, []):
                            notes[k].append(text)
                    if verb == "adds" and o[1] and s in self.ids and o[0] in self.ids:
                        added.add((self.ids[s], self.ids[o[0]]))
        return notes, added

    def _place_confidence(self) -> None:
        """Each program's ``place_confidence``: its places' labels and how sure kg is of each link (from the
        ``rdf:Statement`` of the link, :func:`kg.graph`'s ``_link``)."""
        for st, said in self.said.items():
            if [o for o, _ in said.get("predicate", [])] != [_IN_PLACE] or "confidence" not in self.values.get(st, {}):
                continue
            s, o = said.get("subject", [("", False)])[0][0], said.get("object", [("", False)])[0][0]
            if s in self.ids and o in self.ids:
                place = self.labels.get(self.ids[o], o)
                self.values.setdefault(self.ids[s], {}).setdefault("place_confidence", {})[place] = \
                    self.values[st]["confidence"]

    def finish(self) -> ViewGraph:
        iris = [""] * len(self.ids)
        for iri, n in self.ids.items():
            iris[n] = iri
        old = sorted(self.types, key=lambda n: iris[n])
        new = {n: i for i, n in enumerate(old)}
        names: dict[int, tuple[str, ...]] = {}
        keys = []
        for key, bits in self.links.items():
            s, o = new.get(key >> 32), new.get(key & 0xFFFFFFFF)
            if s is not None and o is not None:
                if bits not in names:
                    names[bits] = tuple(sorted(name for i, name in enumerate(EDGES) if bits >> i & 1))
                keys.append((s << 32 | o) << 8 | bits)  # one number a link: no tuples for 300,000 of them
        self.links = {}
        keys.sort()
        notes, added = self._fixes(iris)
        self._place_confidence()
        return _view([iris[n] for n in old], [self.types[n] for n in old], [self.labels.get(n, iris[n]) for n in old],
                     {new[n]: tuple(sorted(a)) for n, a in self.alt.items() if n in new},
                     [self.values.get(n, {}) for n in old],
                     ((k >> 40, k >> 8 & 0xFFFFFFFF, names[k & 0xFF]) for k in keys),
                     {new[n]: f for n, f in notes.items() if n in new},
                     frozenset((new[s], new[o]) for s, o in added if s in new and o in new))


def gather(triples: Iterable[tuple[str, str, str, bool]]) -> ViewGraph:
    """The view's graph from ``(subject, predicate, object, object is an IRI)`` tuples, in any order."""
    g = _Gatherer()
    for s, p, o, iri in triples:
        g.add(s, p, o, iri)
    return g.finish()


def ox_terms(triples: Iterable) -> Iterator[tuple[str, str, str, bool]]:
    """pyoxigraph triples (or quads) as :func:`gather` reads them; blank nodes are passed over."""
    import pyoxigraph as ox

    named, literal = ox.NamedNode, ox.Literal
    for t in triples:
        s, o = t.subject, t.object
        if type(s) is named:
            if type(o) is named:
                yield s.value, t.predicate.value, o.value, True
            elif type(o) is literal:
                yield s.value, t.predicate.value, o.value, False


def rdflib_terms(g) -> Iterator[tuple[str, str, str, bool]]:
    """An rdflib graph's triples as :func:`gather` reads them; blank nodes are passed over."""
    from rdflib import Literal, URIRef

    for s, p, o in g:
        if isinstance(s, URIRef) and isinstance(o, (URIRef, Literal)):
            yield str(s), str(p), str(o), isinstance(o, URIRef)


_FORMATS = {".nt": "N_TRIPLES", ".nq": "N_QUADS", ".rdf": "RDF_XML", ".xml": "RDF_XML"}


def of_file(path: str | os.PathLike) -> ViewGraph:
    """The view's graph of a graph file, streamed by pyoxigraph's parser (JSON-LD read by rdflib, as
    :func:`kg.export.read_graph` reads it)."""
    p = Path(path)
    if p.suffix.lower() == ".jsonld":
        from .export import read_graph

        return gather(rdflib_terms(read_graph(p)))
    if not p.is_file():
        raise GraphFileError(f"{p}: no such graph file; build one with `kg build SRC -o DIR`")
    import pyoxigraph as ox

    fmt = _FORMATS.get(p.suffix.lower(), "TURTLE")
    try:
        return gather(ox_terms(ox.parse(path=str(p), format=getattr(ox.RdfFormat, fmt))))
    except (SyntaxError, ValueError) as e:
        msg = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise GraphFileError(f"{p}: not a readable {fmt.lower().replace('_', '-')} graph ({msg[:160]})") from None


def of_graph(graph) -> ViewGraph:
    """The view's graph of an rdflib ``Graph``, a graph file's path, or a :class:`ViewGraph` as it is."""
    if isinstance(graph, ViewGraph):
        return graph
    if isinstance(graph, (str, os.PathLike)):
        return of_file(graph)
    return gather(rdflib_terms(graph))


def of_store(store) -> ViewGraph:
    """The view's graph of a kg store (:class:`kg.store.GraphStore`), streamed from its quads."""
    return gather(ox_terms(store.triples()))


__all__ = ["CLASSES", "EDGES", "ViewGraph", "gather", "ox_terms", "rdflib_terms", "of_file", "of_graph", "of_store"]
