"""Read and write graphs: Turtle, N-Triples, JSON-LD, GraphML, CSV tables and the HTML view.

Files are written through :mod:`kg.outputs`, so an interrupted run never
leaves half a file, nor a new graph beside an old view. The view itself is
:mod:`kg.explorer`.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from rdflib import Graph, URIRef

from .errors import GraphFileError, KgError, UnknownNameError
from .outputs import atomic_write
from .vocab import PREFIXES, PROV, RDF, RDFS, SKOS, UKG, XSD

FORMATS = ("turtle", "nt", "jsonld", "graphml", "csv", "html")
"""What ``kg export`` writes."""


def _ox_converter():
    """A function from an rdflib term to the same pyoxigraph term, remembering each one."""
    import pyoxigraph as ox
    from rdflib import BNode, URIRef

    cache: dict = {}
    named, blank, literal = ox.NamedNode, ox.BlankNode, ox.Literal

    def term(x):
        t = cache.get(x)
        if t is None:
            if isinstance(x, URIRef):
                t = named(str(x))
            elif isinstance(x, BNode):
                t = blank(str(x))
            elif x.language:
                t = literal(str(x), language=x.language)
            elif x.datatype:
                t = literal(str(x), datatype=named(str(x.datatype)))
            else:
                t = literal(str(x))
            cache[x] = t
        return t

    return term


def _ox_key(t) -> tuple:
    o = t.object
    if hasattr(o, "datatype"):
        return (t.subject.value, t.predicate.value, 1, o.value, o.datatype.value, o.language or "")
    return (t.subject.value, t.predicate.value, 0, o.value, "", "")


def ox_triples(triples: Iterable) -> list:
    """Triples (rdflib terms, or pyoxigraph triples) as pyoxigraph triples in one fixed order (subject,
    predicate, object; literals by value, datatype and language): the same triples, the same bytes."""
    import gc

    import pyoxigraph as ox

    term, triple = _ox_converter(), ox.Triple
    enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of new objects and no cycles: collections only cost time
    try:
        out = [t if isinstance(t, triple) else triple(term(t[0]), term(t[1]), term(t[2])) for t in triples]
    finally:
        if enabled:
            gc.enable()
    out.sort(key=_ox_key)
    return out


def rdflib_graph(triples: Iterable) -> Graph:
    """pyoxigraph triples as an rdflib ``Graph`` with the project's prefixes."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    from .graph import new_graph

    def term(x):
        if isinstance(x, ox.NamedNode):
            return URIRef(x.value)
        if isinstance(x, ox.BlankNode):
            return BNode(x.value)
        if x.language:
            return Literal(x.value, lang=x.language)
        dt = x.datatype.value
        return Literal(x.value, datatype=None if dt == str(XSD.string) else URIRef(dt))

    g = new_graph()
    g.addN((term(t.subject), term(t.predicate), term(t.object), g) for t in triples)
    return g


def turtle_of(triples: Iterable) -> str:
    """Turtle with the contract's prefixes, subjects in order (byte-identical for the same triples).

    Written by pyoxigraph's serialiser: rdflib's grows quadratically with the number of
    articles (it puts every IRI's namespace in its prefix trie), ~4x slower at 40,000 triples.
    """
    import pyoxigraph as ox

    prefixes = {p: iri for p, iri in PREFIXES.items() if p != "kgr"}
    return ox.serialize(ox_triples(triples), format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")


def ntriples_of(triples: Iterable) -> str:
    """N-Triples, one triple a line, lines sorted (deterministic)."""
    import pyoxigraph as ox

    text = ox.serialize(ox_triples(triples), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    lines = sorted(line for line in text.splitlines() if line.strip())
    return "\n".join(lines) + ("\n" if lines else "")


class SortedTriples:
    """Triples gathered in sorted runs on disk and merged once, each kept once: a graph larger than
    memory written in the order, and so to the bytes, of :func:`turtle_of`.

    Memory holds one run (``run`` triples) while gathering and one triple per run while merging.
    """

    def __init__(self, folder: str | os.PathLike, run: int = 50_000):
        self.folder, self.run = Path(folder), run
        self._buffer: dict = {}
        self._runs: list[Path] = []
        self.count = 0
        """Triples written by the last write (each once)."""
        self.typed: dict[str, int] = {}
        """Subjects of each ``rdf:type`` (class IRI) written by the last write."""

    def extend(self, triples: Iterable) -> None:
        """Add pyoxigraph triples."""
        self._buffer.update(dict.fromkeys(triples))
        if len(self._buffer) >= self.run:
            self._spill()

    def _spill(self) -> None:
        import pyoxigraph as ox

        if not self._buffer:
            return
        path = self.folder / f"run-{len(self._runs):05d}.nt"
        ox.serialize(sorted(self._buffer, key=_ox_key), output=str(path), format=ox.RdfFormat.N_TRIPLES)
        self._runs.append(path)
        self._buffer = {}

    def __iter__(self):
        """The triples in :func:`ox_triples` order, each once."""
        import heapq

        import pyoxigraph as ox

        if not self._runs:
            yield from sorted(self._buffer, key=_ox_key)
            return
        self._spill()
        runs = [ox.parse(path=str(p), format=ox.RdfFormat.N_TRIPLES) for p in self._runs]
        last = None
        for t in heapq.merge(*runs, key=_ox_key):
            if t != last:
                yield t
                last = t

    def write_turtle(self, path: str | os.PathLike) -> None:
        """Write the triples as :func:`turtle_of` would, without holding them."""
        import pyoxigraph as ox

        prefixes = {p: iri for p, iri in PREFIXES.items() if p != "kgr"}
        ox.serialize(self._counted(), output=str(path), format=ox.RdfFormat.TURTLE, prefixes=prefixes)

    def _counted(self):
        rdf_type, typed, n = str(RDF.type), {}, 0
        for t in self:
            n += 1
            if t.predicate.value == rdf_type:
                typed[t.object.value] = typed.get(t.object.value, 0) + 1
            yield t
        self.count, self.typed = n, typed

    def close(self) -> None:
        """Delete the runs."""
        for p in self._runs:
            p.unlink(missing_ok=True)
        self._runs, self._buffer = [], {}


def to_turtle(g: Graph) -> str:
    """The graph as Turtle (see :func:`turtle_of`)."""
    return turtle_of(g)


def write_turtle(g: Graph, path: str | os.PathLike) -> Path:
    return atomic_write(path, to_turtle(g))


def ontology_text() -> str:
    """The ontology shipped in the package."""
    return (resources.files("kg") / "ontology.ttl").read_text(encoding="utf-8")


def ontology_graph() -> Graph:
    g = Graph()
    g.parse(data=ontology_text(), format="turtle")
    return g


def write_ontology(path: str | os.PathLike) -> Path:
    return atomic_write(path, ontology_text())


def read_graph(path: str | os.PathLike) -> Graph:
    """Parse a Turtle (or N-Triples, RDF/XML, JSON-LD by extension) graph file."""
    p = Path(path)
    if not p.is_file():
        raise GraphFileError(f"{p}: no such graph file; build one with `kg build SRC -o DIR`")
    fmt = {".nt": "nt", ".rdf": "xml", ".xml": "xml", ".jsonld": "json-ld", ".nq": "nquads"}.get(
        p.suffix.lower(), "turtle")
    g = Graph(bind_namespaces="none")
    try:
        g.parse(p, format=fmt)
    except Exception as e:  # rdflib raises many kinds of parse errors
        msg = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise GraphFileError(f"{p}: not a readable {fmt} graph ({msg[:160]})") from None
    return g


def to_ntriples(g: Graph) -> str:
    """The graph as N-Triples, one triple a line, lines sorted (deterministic)."""
    return ntriples_of(g)


def to_jsonld(g: Graph) -> str:
    """The graph as JSON-LD compacted with the contract's prefixes; nodes sorted by ``@id`` (deterministic)."""
    context = {p: iri for p, iri in PREFIXES.items() if p != "kgr"}
    data = json.loads(g.serialize(format="json-ld", context=context))
    nodes = data.get("@graph", [data] if "@id" in data else [])

    def order(v):
        if isinstance(v, list):
            return sorted((order(x) for x in v), key=lambda x: json.dumps(x, ensure_ascii=False, sort_keys=True))
        if isinstance(v, dict):
            return {k: order(x) for k, x in v.items()}
        return v

    data = {"@context": context, "@graph": sorted((order(n) for n in nodes), key=lambda n: n.get("@id", ""))}
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def to_graphml(g: Graph) -> str:
    """The graph as GraphML with scalar attributes only (what Gephi and ``networkx.read_graphml`` open):
    each node's class, label, IRI and the first of its list attributes joined by ``|``."""
    import networkx as nx

    from .network import to_networkx

    G = to_networkx(g)
    H = nx.DiGraph()
    for n, d in G.nodes(data=True):
        attrs = {"iri": n, "cls": d["cls"], "label": d["label"]}
        for key in ("aliases", "sources"):
            if d.get(key):
                attrs[key] = "|".join(d[key])
        if d.get("evidence"):
            attrs["evidence"] = d["evidence"][0]
        for key in ("date", "adcode", "text", "unit"):
            if d.get(key):
                attrs[key] = d[key]
        if d.get("value"):
            attrs["value"] = float(d["value"])
        H.add_node(n, **attrs)
    for s, o, e in G.edges(data=True):
        H.add_edge(s, o, predicates="|".join(e["predicates"]), kind=e["predicates"][0])
    buf = io.BytesIO()
    nx.write_graphml(H, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue().decode("utf-8")


def _csv(header: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(["" if v is None else v for v in r] for r in sorted(rows, key=lambda r: [str(v) for v in r]))
    return buf.getvalue()


def to_tables(g: Graph) -> dict[str, str]:
    """CSV tables: one per class (``unions.csv`` …) and ``runs.csv``: union, program, place, date, yuan."""
    def s(node, prop) -> str:
        v = g.value(node, prop)
        return "" if v is None else str(v)

    def many(node, prop) -> str:
        return "|".join(sorted(str(v) for v in g.objects(node, prop)))

    def labels(node, prop) -> str:
        return "|".join(sorted(s(o, RDFS.label) for o in g.objects(node, prop)))

    def of(cls) -> list[URIRef]:
        return sorted(n for n in set(g.subjects(RDF.type, cls)) if isinstance(n, URIRef))

    tables = {
        "unions.csv": _csv(["iri", "label", "aliases", "locality", "articles"],
                           [[str(u), s(u, RDFS.label), many(u, SKOS.altLabel), labels(u, UKG.locatedIn),
                             len(set(g.objects(u, UKG.mentionedIn)))] for u in of(UKG.Union)]),
        "programs.csv": _csv(["iri", "label", "date", "date_text", "runners", "places", "evidence", "article", "file"],
                             [[str(p), s(p, RDFS.label), s(p, UKG.date), s(p, UKG.dateText),
                               "|".join(sorted(s(u, RDFS.label) for u in g.subjects(UKG.runs, p))),
                               labels(p, UKG.inPlace), s(p, UKG.evidence), s(g.value(p, PROV.wasDerivedFrom), RDFS.label),
                               s(g.value(p, PROV.wasDerivedFrom), UKG.sourceFile)] for p in of(UKG.Program)]),
        "places.csv": _csv(["iri", "label", "adcode", "part_of"],
                           [[str(p), s(p, RDFS.label), s(p, UKG.adcode), labels(p, UKG.partOf)] for p in of(UKG.Place)]),
        "amounts.csv": _csv(["iri", "text", "value", "unit", "qualifier", "program"],
                            [[str(a), s(a, UKG.text), s(a, UKG.value), s(a, UKG.unit), s(a, UKG.qualifier),
                              "|".join(sorted(s(p, RDFS.label) for p in g.subjects(UKG.amount, a)))]
                             for a in of(UKG.Amount)]),
        "articles.csv": _csv(["iri", "label", "file", "date", "kind", "span"],
                             [[str(a), s(a, RDFS.label), s(a, UKG.sourceFile), s(a, UKG.date), s(a, UKG.kind),
                               s(a, UKG.span)] for a in of(UKG.Article)]),
    }
    runs = []
    for u, p in g.subject_objects(UKG.runs):
        yuan = sum(float(g.value(a, UKG.value)) for a in set(g.objects(p, UKG.amount))
                   if s(a, UKG.unit) == "CNY" and g.value(a, UKG.value) is not None)
        runs.append([s(u, RDFS.label), s(p, RDFS.label), labels(p, UKG.inPlace).replace("|", "、"), s(p, UKG.date),
                     yuan or None, s(g.value(p, PROV.wasDerivedFrom), UKG.sourceFile), str(p)])
    tables["runs.csv"] = _csv(["union", "program", "place", "date", "yuan", "file", "program_iri"], runs)
    return tables


DEFAULT_PATHS = {"turtle": "output/graph.ttl", "nt": "output/graph.nt", "jsonld": "output/graph.jsonld",
                 "graphml": "output/graph.graphml", "csv": "output/tables", "html": "output/view.html"}


def export(g: Graph, fmt: str, path: str | os.PathLike | None = None, **view_options) -> list[Path]:
    """Write ``g`` as ``fmt`` (one of :data:`FORMATS`) to ``path``: a file, or for ``csv`` a folder of
    tables. Every file is generated before any is written. Returns the paths written."""
    if fmt not in FORMATS:
        raise UnknownNameError(f"no export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    target = Path(path or DEFAULT_PATHS[fmt])
    if fmt == "csv":
        if target.exists() and not target.is_dir():
            raise KgError(f"{target}: is a file; CSV export writes a folder of tables, give a folder with -o")
        files = {target / name: text for name, text in to_tables(g).items()}
    else:
        if target.is_dir():
            raise KgError(f"{target}: is a folder; give a file name with -o, e.g. {target / Path(DEFAULT_PATHS[fmt]).name}")
        if fmt == "html":
            from .explorer import render_view

            text = render_view(g, **view_options).html
        else:
            text = {"turtle": to_turtle, "nt": to_ntriples, "jsonld": to_jsonld, "graphml": to_graphml}[fmt](g)
        files = {target: text}
    return [atomic_write(p, text) for p, text in files.items()]
