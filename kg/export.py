"""Read and write graphs: Turtle, N-Triples, JSON-LD, GraphML, CSV tables and the HTML view.

Files are written through :mod:`kg.outputs`, so an interrupted run never
leaves half a file, nor a new graph beside an old view. The view itself is
:mod:`kg.explorer`.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from rdflib import Graph, URIRef

from .cells import table_text
from .errors import GraphFileError, KgError, UnknownNameError
from .outputs import atomic_write
from .vocab import PREFIXES, PROV, RDF, RDFS, SKOS, UKG, XSD

FORMATS = ("turtle", "nt", "jsonld", "graphml", "csv", "html")
"""What ``kg export`` writes."""
CSV_BOM = "\ufeff"
"""What every CSV file kg writes begins with (``kg export --format csv``, ``kg query --format csv``): the
UTF-8 byte order mark, by which spreadsheet programs (Excel) know to read the Chinese as UTF-8."""


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


def ox_triples(triples: Iterable) -> list:
    """Triples (rdflib terms, pyoxigraph triples, or pyoxigraph quads as parsed) as pyoxigraph triples."""
    import gc

    import pyoxigraph as ox

    term, triple, quad = _ox_converter(), ox.Triple, ox.Quad
    enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of new objects and no cycles: collections only cost time
    try:
        return [t if isinstance(t, triple) else triple(t.subject, t.predicate, t.object) if isinstance(t, quad)
                else triple(term(t[0]), term(t[1]), term(t[2])) for t in triples]
    finally:
        if enabled:
            gc.enable()


def nt_lines(triples: Iterable) -> list[str]:
    """Each triple as its N-Triples line (with its ``\n``), unsorted.

    The line is canonical (pyoxigraph writes one form per triple), so the lines sorted are the
    order every graph is written in: a subject's lines, and within them a predicate's, stand
    together, which is all the Turtle writer needs to group them.
    """
    import pyoxigraph as ox

    text = (ox.serialize(ox_triples(triples), format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
    return [line + "\n" for line in text.split("\n") if line]  # not splitlines: U+2028 may stand in a literal


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


_TURTLE_PREFIXES = {p: iri for p, iri in PREFIXES.items() if p != "kgr"}
_TO_TURTLE = ("import json, sys\nimport pyoxigraph as ox\ntry:\n"
              "    ox.serialize(ox.parse(input=sys.stdin.buffer, format=ox.RdfFormat.N_TRIPLES), output=sys.argv[1],"
              " format=ox.RdfFormat.TURTLE, prefixes=json.loads(sys.argv[2]))\n"
              "except OSError as e:\n    sys.exit(str(e))\n")
"""The child of :meth:`SortedTriples.write_turtle`: sorted N-Triples on stdin, Turtle to a file."""


def _nt_to_turtle(source: dict, **output) -> bytes | None:
    """Sorted N-Triples (``source``: pyoxigraph's ``input=`` or ``path=``) as Turtle, by pyoxigraph."""
    import pyoxigraph as ox

    return ox.serialize(ox.parse(**source, format=ox.RdfFormat.N_TRIPLES), **output,
                        format=ox.RdfFormat.TURTLE, prefixes=_TURTLE_PREFIXES)


def turtle_of(triples: Iterable) -> str:
    """Turtle with the contract's prefixes, triples in the order of their sorted N-Triples lines
    (byte-identical for the same triples, however they are held or streamed).

    Written by pyoxigraph's serialiser: rdflib's grows quadratically with the number of
    articles (it puts every IRI's namespace in its prefix trie), ~4x slower at 40,000 triples.
    """
    text = "".join(sorted(set(nt_lines(triples)))).encode("utf-8")
    return _nt_to_turtle({"input": text}).decode("utf-8")


def ntriples_of(triples: Iterable) -> str:
    """N-Triples, one triple a line, each once, lines sorted (deterministic)."""
    return "".join(sorted(set(nt_lines(triples))))


class SortedTriples:
    """Triples gathered in sorted runs on disk and merged once, each kept once: a graph larger than
    memory written in the order, and so to the bytes, of :func:`turtle_of` and :func:`ntriples_of`.

    Runs are files of sorted N-Triples lines, so that merging them is comparing strings. Memory
    holds one run (``run`` lines) while gathering and a line per run while merging. Runs written
    elsewhere (by worker processes) join with :meth:`adopt`.
    """

    MERGE_AT_ONCE = 128
    """Runs read at the same time; more are merged into longer runs first (open files stay few)."""

    def __init__(self, folder: str | os.PathLike, run: int = 100_000, name: str = "run"):
        self.folder, self.run, self.name = Path(folder), run, name
        self._buffer: set[str] = set()
        self._runs: list[Path] = []
        self._made = 0
        self.count = 0
        """Triples written by the last write (each once)."""
        self.typed: dict[str, int] = {}
        """Subjects of each ``rdf:type`` (class IRI) written by the last write."""
        self.merged = 0
        """Runs the last write merged."""

    def extend(self, triples: Iterable) -> None:
        """Add pyoxigraph triples."""
        self._buffer.update(nt_lines(triples))
        if len(self._buffer) >= self.run:
            self._spill()

    def _new_run(self) -> Path:
        self._made += 1
        return self.folder / f"{self.name}-{self._made:05d}.nt"

    def _spill(self) -> None:
        if not self._buffer:
            return
        path = self._new_run()
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.writelines(sorted(self._buffer))
        self._runs.append(path)
        self._buffer = set()

    def flush(self) -> list[Path]:
        """Write what is held as a run; return every run (for :meth:`adopt` elsewhere)."""
        self._spill()
        return list(self._runs)

    def adopt(self, runs: Iterable[str | os.PathLike]) -> None:
        """Take over runs another :class:`SortedTriples` wrote (they are deleted with these)."""
        self._runs.extend(Path(p) for p in runs)

    def _merged(self, runs: list[Path]):
        import heapq
        from contextlib import ExitStack

        with ExitStack() as stack:
            files = [stack.enter_context(open(p, encoding="utf-8", newline="")) for p in runs]
            last = None
            for line in heapq.merge(*files):
                if line != last:
                    yield line
                    last = line

    def lines(self):
        """The N-Triples lines, sorted, each once."""
        if not self._runs:
            yield from sorted(self._buffer)
            return
        self._spill()
        self.merged = len(self._runs)
        while len(self._runs) > self.MERGE_AT_ONCE:
            first, rest = self._runs[: self.MERGE_AT_ONCE], self._runs[self.MERGE_AT_ONCE :]
            longer = self._new_run()
            with open(longer, "w", encoding="utf-8", newline="") as f:
                f.writelines(self._merged(first))
            for p in first:
                p.unlink()
            self._runs = [*rest, longer]
        yield from self._merged(self._runs)

    def _write_lines(self, f) -> None:
        """The merged lines into the binary file ``f``, counting the triples and the typed subjects."""
        rdf_type = f"<{RDF.type}>"
        typed: dict[str, int] = {}
        n = 0
        for line in self.lines():
            n += 1
            _s, p, o = line.split(" ", 2)  # no space stands in a subject or a predicate
            if p == rdf_type:
                typed[o[1:-4]] = typed.get(o[1:-4], 0) + 1  # <class> .\n
            f.write(line.encode("utf-8"))
        self.count, self.typed = n, typed

    def write_ntriples(self, path: str | os.PathLike) -> None:
        """Write the triples as :func:`ntriples_of` would, without holding them."""
        with open(path, "wb", buffering=1 << 20) as f:
            self._write_lines(f)

    def write_turtle(self, path: str | os.PathLike) -> None:
        """Write the triples as :func:`turtle_of` would, without holding them: this process merges the
        runs while a child process turns the merged lines into Turtle (pyoxigraph, streaming), so the
        two halves of the work run on two cores."""
        import subprocess
        import sys

        if not self._runs:  # all held: no child needed
            lines = io.BytesIO()
            self._write_lines(lines)
            _nt_to_turtle({"input": lines.getvalue()}, output=str(path))
            return
        child = subprocess.Popen([sys.executable, "-c", _TO_TURTLE, str(path), json.dumps(_TURTLE_PREFIXES)], stdin=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
        try:
            try:
                with child.stdin:
                    self._write_lines(child.stdin)
            except BrokenPipeError:
                pass  # the child stopped: its error is read below
            error = child.stderr.read().decode("utf-8", "replace").strip()
            if child.wait():
                raise OSError(error.splitlines()[-1] if error else "the Turtle writer stopped")
        finally:
            if child.poll() is None:
                child.kill()
            child.wait()
            child.stderr.close()

    def close(self) -> None:
        """Delete the runs."""
        for p in self._runs:
            p.unlink(missing_ok=True)
        self._runs, self._buffer = [], set()


def write_sorted(triples: Iterable, path: str | os.PathLike, fmt: str = "turtle") -> None:
    """Write ``triples`` (pyoxigraph's, any number, in any order) to ``path`` as Turtle or N-Triples,
    the bytes :func:`turtle_of` or :func:`ntriples_of` would give, through sorted runs in a temporary
    folder beside ``path``."""
    import tempfile
    from itertools import islice

    path = Path(path)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".kg-runs-") as tmp:
        runs = SortedTriples(tmp)
        it = iter(triples)
        while batch := list(islice(it, 10_000)):
            runs.extend(batch)
        (runs.write_turtle if fmt == "turtle" else runs.write_ntriples)(path)


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
        for key in ("date", "adcode", "text", "unit", "role", "per"):
            if d.get(key):
                attrs[key] = d[key]
        if d.get("value"):
            attrs["value"] = float(d["value"])
        if d.get("yuan") is not None:
            attrs["yuan"] = d["yuan"]
        H.add_node(n, **attrs)
    for s, o, e in G.edges(data=True):
        H.add_edge(s, o, predicates="|".join(e["predicates"]), kind=e["predicates"][0])
    buf = io.BytesIO()
    nx.write_graphml(H, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue().decode("utf-8")


def _csv(header: list[str], rows: list[list]) -> str:
    """Rows sorted, as CSV a spreadsheet opens without running a formula (:mod:`kg.cells`)."""
    return table_text(header, sorted(rows, key=lambda r: [str(v) for v in r]))


def to_tables(g: Graph) -> dict[str, str]:
    """CSV tables (a cell that would start a formula begins with ``'``): one per class (``unions.csv`` …) and ``runs.csv``: union, program, place, date, yuan,
    standard, other_yuan, file. ``yuan`` is a program's or union's money (:mod:`kg.money`: the sum of the
    ``total`` amounts, each once; empty when none), ``standard`` its standards and range ends
    (``每人500元``, ``800–7000元``), ``other_yuan`` the money that is not its total (``累计超过180万元``)."""
    from . import money
    from .network import to_networkx

    G = to_networkx(g)

    def node(n) -> dict:
        return G.nodes[str(n)] if str(n) in G else {"amounts": [], "yuan": None}

    def shown(p) -> list:
        d = node(p)
        return [d["yuan"], "|".join(money.standards(d["amounts"])), "|".join(money.others(d["amounts"]))]

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
        "unions.csv": _csv(["iri", "label", "aliases", "locality", "articles", "yuan"],
                           [[str(u), s(u, RDFS.label), many(u, SKOS.altLabel), labels(u, UKG.locatedIn),
                             len(set(g.objects(u, UKG.mentionedIn))), node(u).get("yuan")] for u in of(UKG.Union)]),
        "programs.csv": _csv(["iri", "label", "date", "date_text", "runners", "places", "yuan", "standard",
                              "other_yuan", "evidence", "article", "file"],
                             [[str(p), s(p, RDFS.label), s(p, UKG.date), s(p, UKG.dateText),
                               "|".join(sorted(s(u, RDFS.label) for u in g.subjects(UKG.runs, p))),
                               labels(p, UKG.inPlace), *shown(p), s(p, UKG.evidence),
                               s(g.value(p, PROV.wasDerivedFrom), RDFS.label),
                               s(g.value(p, PROV.wasDerivedFrom), UKG.sourceFile)] for p in of(UKG.Program)]),
        "places.csv": _csv(["iri", "label", "adcode", "part_of"],
                           [[str(p), s(p, RDFS.label), s(p, UKG.adcode), labels(p, UKG.partOf)] for p in of(UKG.Place)]),
        "amounts.csv": _csv(["iri", "text", "value", "unit", "qualifier", "role", "per", "program"],
                            [[str(a), s(a, UKG.text), s(a, UKG.value), s(a, UKG.unit), s(a, UKG.qualifier),
                              s(a, UKG.amountRole), s(a, UKG.per),
                              "|".join(sorted(s(p, RDFS.label) for p in g.subjects(UKG.amount, a)))]
                             for a in of(UKG.Amount)]),
        "articles.csv": _csv(["iri", "label", "file", "date", "kind", "span"],
                             [[str(a), s(a, RDFS.label), s(a, UKG.sourceFile), s(a, UKG.date), s(a, UKG.kind),
                               s(a, UKG.span)] for a in of(UKG.Article)]),
    }
    runs = []
    for u, p in g.subject_objects(UKG.runs):
        runs.append([s(u, RDFS.label), s(p, RDFS.label), labels(p, UKG.inPlace).replace("|", "、"), s(p, UKG.date),
                     *shown(p), s(g.value(p, PROV.wasDerivedFrom), UKG.sourceFile), str(p)])
    tables["runs.csv"] = _csv(["union", "program", "place", "date", "yuan", "standard", "other_yuan", "file",
                               "program_iri"], runs)
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
        files = {target / name: CSV_BOM + text for name, text in to_tables(g).items()}
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
