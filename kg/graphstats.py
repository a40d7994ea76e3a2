"""``kg stats``: counts, most active unions and busiest places from SPARQL aggregates on an Oxigraph store.

Oxigraph counts in its indexes what a networkx graph of the whole file took minutes and gigabytes to
hold at 30 MB. The numbers are those of :func:`kg.network.to_networkx` (and of the view's own tables,
:mod:`kg.viewgraph`):
nodes are the nodes typed with a :data:`kg.network.CLASSES` class, edges the pairs of nodes that one of
:data:`kg.network.EDGES` links (kg types every node it links, so these are the view's edges). Betweenness and connected components need the whole graph in memory
and are measured only when asked for (``network=True``, ``kg stats --network``).
"""

from __future__ import annotations

from decimal import Decimal

from .network import CLASSES, EDGES
from .vocab import PREFIXES

_CLASS_NAMES = {str(iri): name for iri, name in CLASSES.items()}
_CLASSES = " ".join(f"<{iri}>" for iri in CLASSES)
_CORE = " ".join(f"<{iri}>" for iri, name in CLASSES.items() if name != "article")
_EDGES = " ".join(f"<{iri}>" for iri in EDGES)
_RUNS, _IN_PLACE = (f"<{PREFIXES['ukg']}{p}>" for p in ("runs", "inPlace"))

_COUNTS = f"SELECT ?c (COUNT(*) AS ?k) WHERE {{ VALUES ?c {{ {_CLASSES} }} ?n a ?c }} GROUP BY ?c"
_EDGE_COUNT = f"SELECT (COUNT(*) AS ?k) WHERE {{ SELECT DISTINCT ?s ?o WHERE {{ VALUES ?p {{ {_EDGES} }} ?s ?p ?o }} }}"
_PROPERTIES = "SELECT ?p (COUNT(*) AS ?k) WHERE { ?s ?p ?o } GROUP BY ?p"
_UNIONS = f"""SELECT ?u (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?p) AS ?programs) WHERE {{
  ?u a ukg:Union OPTIONAL {{ ?u rdfs:label ?l }} OPTIONAL {{ ?u {_RUNS} ?p }} }} GROUP BY ?u"""
_DEGREES = f"""SELECT ?u (COUNT(DISTINCT ?x) AS ?degree) WHERE {{
  {{ VALUES ?u {{ __UNIONS__ }} VALUES ?p {{ {_EDGES} }} ?u ?p ?x }}
  UNION {{ VALUES ?u {{ __UNIONS__ }} VALUES ?p {{ {_EDGES} }} ?x ?p ?u }}
  FILTER(?x != ?u) FILTER EXISTS {{ VALUES ?c {{ {_CORE} }} ?x a ?c }} }} GROUP BY ?u"""
_TOTALS = f"""SELECT DISTINCT ?u ?a ?v WHERE {{ VALUES ?u {{ __UNIONS__ }}
  ?u {_RUNS} ?p . ?p ukg:amount ?a . ?a ukg:unit "CNY" ; ukg:amountRole "total" ; ukg:value ?v FILTER(isNumeric(?v)) }}"""
_PLACES = f"""SELECT ?pl (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?p) AS ?programs) WHERE {{
  ?pl a ukg:Place OPTIONAL {{ ?pl rdfs:label ?l }} ?p {_IN_PLACE} ?pl }} GROUP BY ?pl"""
_CORE_NODES = f"SELECT DISTINCT ?n WHERE {{ VALUES ?c {{ {_CORE} }} ?n a ?c FILTER(isIRI(?n)) }}"
_CORE_EDGES = f"""SELECT DISTINCT ?s ?o WHERE {{ VALUES ?p {{ {_EDGES} }} ?s ?p ?o FILTER(isIRI(?s) && isIRI(?o))
  FILTER EXISTS {{ VALUES ?c {{ {_CORE} }} ?s a ?c }} FILTER EXISTS {{ VALUES ?d {{ {_CORE} }} ?o a ?d }} }}"""


def _short(iri: str) -> str:
    """A property as ``kg stats`` names it: ``ukg:runs``, or ``<iri>`` outside the contract's prefixes."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and prefix != "kgr":
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def _number(term) -> int:
    return int(term.value) if term is not None else 0


def stats(graph, top: int = 10, network: bool = False) -> dict:
    """Counts per class and property, the most active unions (programs run, neighbours in the graph without
    articles, money: the sum of their programs' ``total`` amounts, each once) and busiest places of
    ``graph`` (a pyoxigraph ``Store``, an rdflib ``Graph`` or a graph file); with ``network``, the unions'
    betweenness and the connected components too."""
    store, union = _store(graph)
    return store_stats(store, top=top, network=network, union=union)


def _store(graph):
    """A pyoxigraph store of ``graph`` and whether its default graph is the union of its named graphs."""
    import pyoxigraph as ox
    from rdflib import Graph

    if isinstance(graph, ox.Store):
        return graph, False
    if isinstance(graph, Graph):
        from .export import ox_triples

        store = ox.Store()
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in ox_triples(graph))
        return store, False
    from .sparql import load_graph_file

    return load_graph_file(graph), False


def store_stats(store, top: int = 10, network: bool = False, union: bool = False) -> dict:
    """:func:`stats` of a pyoxigraph store's default graph (with ``union``, the union of its graphs)."""

    def select(text: str) -> list:
        return list(store.query(text, prefixes=PREFIXES, use_default_graph_as_union=union))

    classes = {_CLASS_NAMES[r["c"].value]: _number(r["k"]) for r in select(_COUNTS)}
    properties = {_short(r["p"].value): _number(r["k"]) for r in select(_PROPERTIES)}
    unions = sorted(({"union": r["label"].value if r["label"] is not None else r["u"].value,
                      "programs": _number(r["programs"]), "degree": 0, "yuan": None, "iri": r["u"].value}
                     for r in select(_UNIONS)), key=lambda u: -u["programs"])
    if top < len(unions):  # the degrees of the unions that may make the list: ties at its end are broken by them
        unions = [u for u in unions if u["programs"] >= unions[max(top, 1) - 1]["programs"]]
    if unions and top > 0:
        values = " ".join(f"<{u['iri']}>" for u in unions)
        degree = {r["u"].value: _number(r["degree"])
                  for r in select(_DEGREES.replace("__UNIONS__", values))}
        yuan: dict[str, Decimal] = {}
        for r in select(_TOTALS.replace("__UNIONS__", values)):  # each amount once (kg.money)
            yuan[r["u"].value] = yuan.get(r["u"].value, Decimal(0)) + Decimal(r["v"].value)
        for u in unions:
            u["degree"], u["yuan"] = degree.get(u["iri"], 0), float(yuan[u["iri"]]) if u["iri"] in yuan else None
    unions.sort(key=lambda u: (-u["programs"], -u["degree"], u["union"]))
    unions = unions[:top]
    places = sorted(({"place": r["label"].value if r["label"] is not None else r["pl"].value,
                      "programs": _number(r["programs"])} for r in select(_PLACES)),
                    key=lambda p: (-p["programs"], p["place"]))[:top]
    data = {
        "nodes": sum(classes.values()),
        "edges": _number(select(_EDGE_COUNT)[0]["k"]),
        "triples": sum(properties.values()),
        "classes": dict(sorted(classes.items())),
        "properties": dict(sorted(properties.items())),
        "top_unions": unions,
        "top_places": places,
    }
    if network:
        data.update(_network(select, unions))
    for u in unions:
        del u["iri"]
    return data


def _network(select, unions: list[dict]) -> dict:
    """Betweenness of ``unions`` (sampled from 500 sources, as the view's statistics always were) and the
    connected components of the graph without articles."""
    import networkx as nx

    core = nx.Graph()
    core.add_nodes_from(sorted(r["n"].value for r in select(_CORE_NODES)))
    core.add_edges_from(sorted((r["s"].value, r["o"].value) for r in select(_CORE_EDGES)))
    between = nx.betweenness_centrality(core, k=min(len(core), 500), seed=0) if len(core) else {}
    for u in unions:
        u["betweenness"] = round(between.get(u["iri"], 0.0), 4)
        u["yuan"] = u.pop("yuan")  # the order kg stats --format json always had
    comps = sorted((len(c) for c in nx.connected_components(core)), reverse=True)
    return {"components": {"count": len(comps), "largest": comps[:5]}}


def format_stats(data: dict) -> str:
    """``kg stats`` as plain text."""
    network = "components" in data
    lines = [f"nodes {data['nodes']}  edges {data['edges']}  triples {data['triples']}", "", "classes"]
    lines += [f"  {k:<10} {v}" for k, v in data["classes"].items()]
    lines += ["", "properties"]
    lines += [f"  {k:<55} {v}" for k, v in data["properties"].items()]
    lines += ["", "most active unions (programs, degree, " + ("betweenness, " if network else "")
              + "yuan: the sum of their programs' totals)"]
    lines += [f"  {u['programs']:>4} {u['degree']:>5} " + (f"{u['betweenness']:>8.4f} " if network else "")
              + f"{'' if u['yuan'] is None else format(u['yuan'], ',.0f'):>14}  {u['union']}"
              for u in data["top_unions"]]
    lines += ["", "places with most programs"]
    lines += [f"  {p['programs']:>4}  {p['place']}" for p in data["top_places"]]
    if network:
        c = data["components"]
        lines += ["", f"connected components (articles left out): {c['count']}, largest {c['largest']}"]
    else:
        lines += ["", "betweenness and connected components: kg stats --network (slower: the whole graph in memory)"]
    return "\n".join(lines)
