"""Write the graph out: Turtle, the ontology, and an interactive HTML view that works offline.

Files are written through :mod:`kg.outputs`, so an interrupted run never
leaves half a file, nor a new graph beside an old view.

The HTML view is made with pyvis and a template of our own
(``kg/templates/graph.html``): pyvis's own template loads Bootstrap and
vis-network from a CDN in every ``cdn_resources`` mode, so ours inlines the
vis-network script and stylesheet that ship inside the pyvis package.
"""

from __future__ import annotations

import html as _html
import json
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rdflib import Graph

from .errors import GraphFileError, KgError
from .outputs import atomic_write
from .network import to_networkx

CLASS_STYLE = {
    "union": {"color": "#d62728", "shape": "diamond", "zh": "工会", "size": 22},
    "program": {"color": "#1f77b4", "shape": "dot", "zh": "项目活动", "size": 14},
    "place": {"color": "#2ca02c", "shape": "triangle", "zh": "地点", "size": 14},
    "amount": {"color": "#ff7f0e", "shape": "square", "zh": "数量", "size": 9},
    "article": {"color": "#7f7f7f", "shape": "hexagon", "zh": "文章", "size": 10},
}
"""Colour, shape and Chinese name of each node class: the legend and the drawing agree."""

DEFAULT_MAX_NODES = 2000
FONT = "WenQuanYi Micro Hei, Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"


def to_turtle(g: Graph) -> str:
    """The graph as Turtle text (deterministic for the same triples)."""
    return g.serialize(format="turtle")


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


@dataclass(frozen=True)
class View:
    """An HTML view and what it left out."""

    html: str
    nodes: int
    edges: int
    total_nodes: int
    notice: str = ""


def _short(label: str, n: int = 14) -> str:
    return label if len(label) <= n else label[: n - 1] + "…"


def _tooltip(d: dict) -> str:
    lines = [f"{d['label']}  [{d['cls']}]"]
    if d.get("aliases"):
        lines.append("别名: " + "、".join(d["aliases"]))
    for a in d.get("amounts", [])[:6]:
        lines.append(f"数额: {a['text']} ({a['value']} {a['unit']})")
    for e in d.get("evidence", [])[:2]:
        lines.append("依据: " + _short(e, 120))
    for a in d.get("articles", [])[:3]:
        lines.append("文章: " + _short(a, 40))
    if d.get("sources"):
        lines.append("文件: " + ", ".join(d["sources"][:3]))
    return "\n".join(lines)


def _select(G, focus: str | None, depth: int, max_nodes: int) -> tuple[list[str], int, str]:
    """The nodes to draw and, when some were left out, a notice saying so."""
    import networkx as nx

    if focus:
        q = focus.strip().lower()
        hits = [n for n, d in G.nodes(data=True)
                if q in d["label"].lower() or any(q in a.lower() for a in d["aliases"])]
        if not hits:
            raise KgError(f"no node's label contains {focus!r}; try a shorter part of the name")
        hits.sort(key=lambda n: (len(G.nodes[n]["label"]), G.nodes[n]["label"]))
        centre = hits[0]
        keep = list(nx.single_source_shortest_path_length(G.to_undirected(as_view=True), centre,
                                                          cutoff=max(0, depth)))
    else:
        keep = list(G.nodes)
    total = len(keep)
    notice = ""
    if total > max_nodes:
        order = list(CLASS_STYLE)
        keep.sort(key=lambda n: (order.index(G.nodes[n]["cls"]), -G.degree(n), n))
        keep = keep[:max_nodes]
        notice = (f"图中有 {total} 个节点，超过上限 {max_nodes}，只显示了其中 {max_nodes} 个。"
                  f" The graph has {total} nodes, over the ceiling of {max_nodes}: showing {max_nodes}."
                  f" Use --focus LABEL --depth N to see one neighbourhood, or raise --max-nodes.")
    return sorted(keep), total, notice


def render_view(g: Graph, focus: str | None = None, depth: int = 2,
                max_nodes: int = DEFAULT_MAX_NODES, heading: str = "工会知识图谱 · union knowledge graph") -> View:
    """Render the graph (or the neighbourhood of ``focus``) as a self-contained HTML page."""
    try:
        from pyvis.network import Network
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("kg needs pyvis for the HTML view: pip install pyvis==0.3.2") from e

    G = to_networkx(g)
    keep, total, notice = _select(G, focus, depth, max_nodes)
    keep_set = set(keep)
    net = Network(height="100%", width="100%", directed=True, bgcolor="#ffffff",
                  heading=_html.escape(heading))
    for n in keep:
        d = G.nodes[n]
        style = CLASS_STYLE[d["cls"]]
        label = _short(d["label"])
        money = [a["text"] for a in d.get("amounts", []) if a["unit"] == "CNY"]
        if money:
            label += "\n" + "、".join(money[:2]) + ("…" if len(money) > 2 else "")
        net.add_node(
            n, label=label, title=_tooltip(d), color=style["color"], shape=style["shape"],
            size=style["size"], cls=d["cls"], fullLabel=d["label"], aliases=d["aliases"],
            evidence=d["evidence"], sources=d["sources"], articles=d["articles"],
            amounts=d.get("amounts", []), amountValue=d.get("value", ""), unit=d.get("unit", ""),
            font={"face": FONT, "size": 14},
        )
    for s, o, e in G.edges(data=True):
        if s in keep_set and o in keep_set:
            net.add_edge(s, o, title=", ".join(e["predicates"]), arrows="to", color="#b0b0b0",
                         width=1.5 if "runs" in e["predicates"] else 0.7)
    n = len(keep)
    iterations = max(60, min(400, 300_000 // max(n, 1)))
    options = {
        "physics": {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -6000, "springLength": 120,
                          "springConstant": 0.03, "damping": 0.35, "avoidOverlap": 0.1},
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 25,
                              "fit": True},
            "minVelocity": 1.5,
        },
        "layout": {"improvedLayout": n <= 400, "randomSeed": 7},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": n > 1000},
        "edges": {"smooth": False},
        "nodes": {"font": {"face": FONT}},
    }
    net.set_options(json.dumps(options))
    net.set_template_dir(str(resources.files("kg") / "templates"), "graph.html")
    page = net.generate_html()
    lib = resources.files("pyvis") / "templates" / "lib" / "vis-9.1.2"
    kg_data = {"notice": notice, "classes": [
        {"name": c, "color": s["color"], "shape": s["shape"], "zh": s["zh"]} for c, s in CLASS_STYLE.items()]}
    page = (page.replace("/*__KG_DATA__*/", json.dumps(kg_data, ensure_ascii=False).replace("</", "<\\/"))
                .replace("/*__VIS_CSS__*/", (lib / "vis-network.css").read_text(encoding="utf-8"))
                .replace("/*__VIS_JS__*/", (lib / "vis-network.min.js").read_text(encoding="utf-8")))
    n_edges = sum(1 for s, o in G.edges() if s in keep_set and o in keep_set)
    return View(page, n, n_edges, total, notice)

