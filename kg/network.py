"""The rdflib graph as a networkx graph: what ``kg stats`` counts and the view draws.

:func:`to_networkx` is the one conversion for the tables, GraphML and ``kg.to_networkx``;
``kg stats`` (:mod:`kg.graphstats`) counts the same nodes and edges with SPARQL aggregates, and the
HTML view gathers them from streamed triples into tables of its own (:mod:`kg.viewgraph`, which a
test holds to this module), so what is counted is what is drawn.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import Graph, URIRef

from .money import as_float, programs_total, total
from .vocab import PROV, RDF, RDFS, SKOS, UKG

CLASSES = {UKG.Union: "union", UKG.Program: "program", UKG.Place: "place",
           UKG.Amount: "amount", UKG.Article: "article"}
"""Node classes by their ``ukg:`` class, in the order the view lists them."""

EDGES = {UKG.runs: "runs", UKG.inPlace: "inPlace", UKG.partOf: "partOf",
         UKG.locatedIn: "locatedIn", UKG.amount: "amount", UKG.mentionedIn: "mentionedIn",
         PROV.wasDerivedFrom: "wasDerivedFrom"}
"""The object properties that become edges, by their short names."""


def to_networkx(g: Graph):
    """A ``networkx.DiGraph`` of the typed nodes of ``g`` and the edges between them.

    Node keys are IRIs (strings). Node attributes: ``cls`` (union, program,
    place, amount, article), ``label``, ``aliases``, ``evidence``, ``sources``
    (source files), ``articles`` (article headlines), ``amounts`` (``iri``, ``text``,
    ``value``, ``unit``, ``role``, ``per`` of a program's amounts), for programs and articles ``date``
    (``ukg:date``, lexical), for places ``adcode``, for amounts ``text``, ``value``, ``unit``,
    ``role`` and ``per``, and for programs and unions ``yuan``: their money (:mod:`kg.money`, the sum
    of their ``total`` amounts, each once), None when none is stated. Edge attribute ``predicates``:
    the short names of the properties linking the two nodes (a program is both ``mentionedIn`` and
    ``wasDerivedFrom`` its article).
    """
    import networkx as nx

    G = nx.DiGraph()
    label = {s: str(o) for s, o in g.subject_objects(RDFS.label)}
    source = {s: str(o) for s, o in g.subject_objects(UKG.sourceFile)}
    for cls_iri, cls in CLASSES.items():
        for node in sorted(set(g.subjects(RDF.type, cls_iri))):
            if not isinstance(node, URIRef) or str(node) in G:
                continue
            G.add_node(str(node), cls=cls, label=label.get(node, str(node)),
                       aliases=sorted(str(o) for o in g.objects(node, SKOS.altLabel)),
                       evidence=sorted(str(o) for o in g.objects(node, UKG.evidence)),
                       sources=[], articles=[], amounts=[])
    edges: dict[tuple[str, str], list[str]] = defaultdict(list)
    for pred, name in EDGES.items():
        for s, o in g.subject_objects(pred):
            if str(s) in G and str(o) in G:
                edges[(str(s), str(o))].append(name)
    for (s, o), preds in sorted(edges.items()):
        G.add_edge(s, o, predicates=sorted(set(preds)))
    for n, data in G.nodes(data=True):
        node = URIRef(n)
        arts = sorted({a for a in g.objects(node, UKG.mentionedIn)}
                      | {a for a in g.objects(node, PROV.wasDerivedFrom)})
        if data["cls"] == "article":
            arts = [node]
        data["sources"] = sorted({source[a] for a in arts if a in source})
        data["articles"] = sorted({label.get(a, str(a)) for a in arts})
        if data["cls"] in ("program", "article"):
            data["date"] = str(g.value(node, UKG.date) or "")
        if data["cls"] == "place":
            data["adcode"] = str(g.value(node, UKG.adcode) or "")
        if data["cls"] == "amount":
            data.update({k: v for k, v in _amount(g, node, label).items() if k != "iri"})
        if data["cls"] == "program":
            data["amounts"] = sorted((_amount(g, a, label) for a in set(g.objects(node, UKG.amount))),
                                     key=lambda d: (d["unit"], d["text"], d["iri"]))
            data["yuan"] = as_float(total(data["amounts"]))
            confidence = g.value(node, UKG.confidence)
            data["confidence"] = float(confidence) if confidence is not None else None
    for n, data in G.nodes(data=True):
        if data["cls"] == "union":
            data["yuan"] = union_yuan(G, n)
    return G


def union_yuan(G, union: str) -> float | None:
    """A union's money in ``G`` (:func:`to_networkx`): its programs' ``total`` amounts, each once."""
    return as_float(programs_total(G.nodes[p]["amounts"] for p in G.successors(union)
                                   if "runs" in G.edges[union, p]["predicates"]))


def _text(value) -> str:
    """A literal as text, or empty when absent (``0.0`` is a value, not an absence)."""
    return "" if value is None else str(value)


def _amount(g: Graph, node, label: dict) -> dict:
    """What the view, the tables and the money totals read of one amount."""
    return {"iri": str(node), "text": _text(g.value(node, UKG.text)) or label.get(node, ""),
            "value": _text(g.value(node, UKG.value)), "unit": _text(g.value(node, UKG.unit)),
            "role": _text(g.value(node, UKG.amountRole)), "per": _text(g.value(node, UKG.per))}
