"""The HTML explorer: graph, table and map tabs in one offline page.

What to draw is chosen by relevance, not by class: at the node ceiling the view
keeps the unions that run most, each with its programs and those programs'
places and money, then the places around them, then articles (hidden until
asked for). Nodes carry only an id, a short label and a class; what the
details panel shows (a union's programs with place, date and money, a place's
programs including those in places inside it …) is worked out in the page from
the edges and a small record per node, when a node is selected.

The page is made with pyvis and a template of our own
(``kg/templates/graph.html``): pyvis's own template loads Bootstrap and
vis-network from a CDN in every ``cdn_resources`` mode, so ours inlines the
vis-network script and stylesheet that ship inside the pyvis package. The map
draws province outlines shipped in ``kg/data/provinces.json`` (see
``tools/make_provinces.py``) and places at the coordinates of the gazetteer.
"""

from __future__ import annotations

import html as _html
import json
import re
from dataclasses import dataclass
from importlib import resources

from rdflib import Graph

from . import money
from .embed import script_json
from .errors import InputError, KgError

CLASS_STYLE = {
    "union": {"color": "#d62728", "shape": "diamond", "zh": "工会", "size": 22, "font": 26},
    "program": {"color": "#1f77b4", "shape": "dot", "zh": "项目活动", "size": 14, "font": 16},
    "place": {"color": "#2ca02c", "shape": "triangle", "zh": "地点", "size": 14, "font": 16},
    "amount": {"color": "#ff7f0e", "shape": "square", "zh": "数量", "size": 9, "font": 13},
    "article": {"color": "#7f7f7f", "shape": "hexagon", "zh": "文章", "size": 10, "font": 13},
}
"""Colour, shape, Chinese name and label size of each node class: the legend and the drawing agree.
Union labels are the largest, so a whole graph still reads as its unions."""

EDGE_STYLE = {
    "runs": {"color": "#d62728", "zh": "开展", "width": 2.0, "dashes": False},
    "inPlace": {"color": "#2ca02c", "zh": "地点", "width": 1.2, "dashes": False},
    "amount": {"color": "#ff7f0e", "zh": "数额", "width": 1.2, "dashes": False},
    "partOf": {"color": "#8fbc8f", "zh": "隶属于", "width": 1.0, "dashes": True},
    "locatedIn": {"color": "#c49c94", "zh": "所在地", "width": 1.0, "dashes": True},
    "mentionedIn": {"color": "#c7c7c7", "zh": "提及于", "width": 0.6, "dashes": [2, 4]},
    "wasDerivedFrom": {"color": "#c7c7c7", "zh": "来自", "width": 0.6, "dashes": [2, 4]},
}
"""Each edge property's colour and Chinese name, most telling first: a pair linked by two
properties is drawn as the first of them."""

ROLE_NAMES = {"total": "总额 total", "perUnit": "标准 per unit", "rangeLow": "范围下限 range low",
              "rangeHigh": "范围上限 range high", "cumulative": "累计 cumulative", "target": "计划 target",
              "received": "收到 received", "part": "其中 part"}
"""How the page names each ``ukg:amountRole``."""

CORRECTED_COLOR = "#9467bd"
"""The border of a node and the colour of a link that a correction touched or added."""

DEFAULT_MAX_NODES = 2000
FONT = "WenQuanYi Micro Hei, Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


@dataclass(frozen=True)
class View:
    """An HTML view and what it left out. Shown inline in Jupyter."""

    html: str
    nodes: int
    edges: int
    total_nodes: int
    notice: str = ""
    focus: str = ""
    """The label of the node the view is centred on, if any."""

    def __repr__(self) -> str:
        """One line: the page itself is megabytes (Jupyter shows it through :meth:`_repr_html_`)."""
        focus = f", focus={self.focus!r}" if self.focus else ""
        return (f"View(nodes={self.nodes}, edges={self.edges}, total_nodes={self.total_nodes}{focus}, "
                f"html=<{len(self.html):,} characters>)")

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{_html.escape(self.html, quote=True)}" style="width:100%;height:640px;'
                'border:1px solid #ddd" sandbox="allow-scripts"></iframe>')

    def save(self, path) -> None:
        from .outputs import atomic_write

        atomic_write(path, self.html)


def check_max_nodes(max_nodes: int) -> int:
    """The view's node ceiling, which must be 1 or more: a one-line error naming the fix otherwise."""
    if max_nodes < 1:
        raise InputError(f"--max-nodes {max_nodes}: give the view's node ceiling as 1 or more "
                         f"(default {DEFAULT_MAX_NODES})")
    return max_nodes


def _check_date(name: str, text: str | None) -> str:
    if not text:
        return ""
    if not _DATE.match(text.strip()):
        raise KgError(f"--{name} {text!r}: give a date as YYYY, YYYY-MM or YYYY-MM-DD")
    return text.strip()


def _in_period(date: str, since: str, until: str) -> bool:
    """Whether a date (``2023``, ``2023-06``, ``2023-06-16``) may fall within [since, until]: a year or
    month counts when any day of it does."""
    if not date:
        return False
    return (not since or date >= since[: len(date)]) and (not until or date[: len(until)] <= until)


def _date_filter(G, since: str, until: str) -> None:
    """Drop programs dated outside [since, until] (and undated ones) with their amounts; a union's money is
    then that of the programs kept."""
    drop = [n for n, d in G.nodes(data=True) if d["cls"] == "program" and not _in_period(d.get("date", ""), since, until)]
    amounts = {o for n in drop for o in G.successors(n) if G.nodes[o]["cls"] == "amount"}
    G.remove_nodes_from([*drop, *amounts])
    from .network import union_yuan

    for n, d in G.nodes(data=True):
        if d["cls"] == "union":
            d["yuan"] = union_yuan(G, n)


def _edge_kind(preds: list[str]) -> str:
    return next(p for p in EDGE_STYLE if p in preds) if any(p in EDGE_STYLE for p in preds) else preds[0]


def _relevance(G) -> list[str]:
    """Every node, most relevant first: unions by programs run, each followed by its programs and their
    places and amounts; then the places enclosing those; then the rest by class; articles last."""
    order: dict[str, None] = {}

    def runs_of(u):
        return sorted((o for o in G.successors(u) if "runs" in G.edges[u, o]["predicates"]),
                      key=lambda p: G.nodes[p]["label"])

    unions = sorted((n for n, d in G.nodes(data=True) if d["cls"] == "union"),
                    key=lambda u: (-len(runs_of(u)), G.nodes[u]["label"]))
    for u in unions:
        progs = runs_of(u)
        if not progs:
            continue
        order[u] = None
        for p in progs:
            order[p] = None
            for o in sorted(G.successors(p)):
                if G.nodes[o]["cls"] in ("place", "amount"):
                    order[o] = None
    for n in list(order):
        if G.nodes[n]["cls"] == "place":
            stack = [n]
            while stack:
                for o in G.successors(stack.pop()):
                    if G.nodes[o]["cls"] == "place" and o not in order:
                        order[o] = None
                        stack.append(o)
    rank = list(CLASS_STYLE)
    rest = sorted((n for n in G if n not in order),
                  key=lambda n: (rank.index(G.nodes[n]["cls"]), -G.degree(n), n))
    return [*order, *rest]


def _select(G, focus: str | None, depth: int, max_nodes: int) -> tuple[list[str], int, str, str]:
    """The nodes to draw, the number there were, a notice when some were left out, and the focus node."""
    import networkx as nx

    notices = []
    centre = ""
    if focus:
        q = focus.strip().lower()
        hits = [n for n, d in G.nodes(data=True)
                if q in d["label"].lower() or any(q in a.lower() for a in d["aliases"])]
        if not hits:
            raise KgError(f"--focus {focus!r}: no node's label contains it; try a shorter part of the name")
        exact = [n for n in hits if G.nodes[n]["label"].lower() == q or q in (a.lower() for a in G.nodes[n]["aliases"])]
        rank = list(CLASS_STYLE)
        hits.sort(key=lambda n: (n not in exact, rank.index(G.nodes[n]["cls"]), len(G.nodes[n]["label"]),
                                 G.nodes[n]["label"]))
        centre = hits[0]
        if len(hits) > 1 and not exact:
            names = "、".join(G.nodes[n]["label"] for n in hits[:5]) + ("…" if len(hits) > 5 else "")
            notices.append(f"--focus {focus!r} matches {len(hits)} nodes ({names}); centred on "
                           f"{G.nodes[centre]['label']}. Give more of a label to choose another.")
        near = nx.single_source_shortest_path_length(G.to_undirected(as_view=True), centre, cutoff=max(0, depth))
        keep = sorted(near, key=lambda n: (near[n], n))
    else:
        keep = _relevance(G)
    total = len(keep)
    if total > max_nodes:
        keep = keep[:max_nodes]
        notices.append(f"图中有 {total} 个节点，超过上限 {max_nodes}，按相关性显示了其中 {max_nodes} 个。"
                       f" The graph has {total} nodes, over the ceiling of {max_nodes}: showing the {max_nodes}"
                       f" most relevant (unions that run most, their programs, places and money)."
                       f" Use --focus LABEL --depth N to see one neighbourhood, or raise --max-nodes.")
    return keep, total, " ".join(notices), centre


def corrected(g: Graph) -> tuple[dict[str, list[str]], set[tuple[str, str]]]:
    """What corrections did, as the page shows it: for each node, the corrections that added or removed
    a triple about it (``reject runs … (li, 2024-05-01)``), and the (subject, object) pairs of the links
    a correction added."""
    from rdflib import URIRef

    from .vocab import PROV, RDF, RDFS, UKG

    notes: dict[str, list[str]] = {}
    added: set[tuple[str, str]] = set()
    for c in sorted(g.subjects(RDF.type, UKG.Correction)):
        by = g.value(g.value(c, PROV.wasAttributedTo), RDFS.label)
        at = g.value(c, PROV.generatedAtTime)
        note = g.value(c, RDFS.comment)
        text = f"{g.value(c, RDFS.label)} ({', '.join(str(x)[:10] for x in (by, at) if x)})" + (
            f": {note}" if note else "")
        for verb in (UKG.adds, UKG.removes):
            for st in g.objects(c, verb):
                s, o = g.value(st, RDF.subject), g.value(st, RDF.object)
                for node in (s, o):
                    if isinstance(node, URIRef) and text not in notes.setdefault(str(node), []):
                        notes[str(node)].append(text)
                if verb == UKG.adds and isinstance(o, URIRef):
                    added.add((str(s), str(o)))
    return notes, added


def _with_corrections(info: dict, fixes: list[str] | None) -> dict:
    """A node's record with the corrections that touched it (``x``), when any did."""
    if fixes:
        info["x"] = fixes
    return info


def _info(d: dict) -> dict:
    """The small record the details panel reads for one node."""
    out = {"l": d["label"], "c": d["cls"]}
    if d["aliases"]:
        out["a"] = d["aliases"][:8]
    if d["cls"] == "program":
        if d["sources"]:
            out["f"] = d["sources"][0]  # the file a kg correct command names
        if d["evidence"]:
            out["e"] = d["evidence"][0][:300]
        if d.get("date"):
            out["d"] = d["date"]
        if d.get("yuan") is not None:
            out["y"] = d["yuan"]
        if d.get("confidence") is not None:
            out["k"] = d["confidence"]
        for key, shown in (("s", money.standards(d["amounts"])), ("o", money.others(d["amounts"]))):
            if shown:
                out[key] = shown[:8]
    elif d["cls"] == "union" and d.get("yuan") is not None:
        out["y"] = d["yuan"]
    elif d["cls"] == "article":
        out["f"] = d["sources"][0] if d["sources"] else ""
        if d.get("date"):
            out["d"] = d["date"]
    elif d["cls"] == "amount":
        out["t"] = d.get("text", d["label"])
        out["v"] = d.get("value", "")
        out["u"] = d.get("unit", "")
        out["r"] = d.get("role", "")
        if d.get("per"):
            out["p"] = d["per"]
    elif d["cls"] == "place" and d.get("adcode"):
        out["code"] = d["adcode"]
    return out


def _table_rows(G) -> list[list]:
    """One row per union and program it runs: union, program, places, date, money (the sum of its
    ``total`` amounts, None when it has none), its standards and its other money as written
    (``每人500元``, ``累计超过180万元``), the program's index and its confidence (None when unknown)."""
    rows = []
    for u, du in G.nodes(data=True):
        if du["cls"] != "union":
            continue
        for p in G.successors(u):
            if "runs" not in G.edges[u, p]["predicates"]:
                continue
            dp = G.nodes[p]
            places = sorted(G.nodes[o]["label"] for o in G.successors(p) if G.nodes[o]["cls"] == "place")
            rows.append([du["label"], dp["label"], "、".join(places), dp.get("date", ""), dp["yuan"],
                         "、".join(money.standards(dp["amounts"])), "、".join(money.others(dp["amounts"])), p,
                         dp.get("confidence")])
    rows.sort(key=lambda r: (r[0], r[3], r[1]))
    return rows


def _map_points(G) -> list[dict]:
    """Places with an adcode and the programs and unions in them: where, how many, how much money (the
    ``total`` amounts of the programs there, each once).

    A program in a village or a venue counts at the nearest place above it that has an adcode
    (板逢村 → 东兰县), so that the map shows what the text places below the county."""
    from .gazetteer import coordinates

    where = coordinates()

    found: dict = {}  # place → the coded place it counts at, each worked out once

    def coded(n, seen=()):
        if n in found:
            return found[n]
        hit = n if G.nodes[n]["cls"] == "place" and G.nodes[n].get("adcode") in where else None
        for up in G.successors(n) if hit is None else ():
            if up not in seen and G.nodes[up]["cls"] == "place" and "partOf" in G.edges[n, up]["predicates"]:
                hit = coded(up, (*seen, n))
                if hit is not None:
                    break
        found[n] = hit
        return hit

    progs: dict = {}
    for s, n, e in G.edges(data=True):
        if "inPlace" in e["predicates"] and G.nodes[s]["cls"] == "program":
            point = coded(n)
            if point is not None:
                progs.setdefault(point, set()).add(s)
    out = []
    for n, d in G.nodes(data=True):
        code = d.get("adcode") if d["cls"] == "place" else ""
        if not code or code not in where:
            continue
        here = sorted(progs.get(n, ()))
        unions = [s for s in G.predecessors(n) if G.nodes[s]["cls"] == "union"]
        if not here and not unions:
            continue
        yuan = money.programs_total(G.nodes[p]["amounts"] for p in here)
        lon, lat = where[code]
        out.append({"n": n, "name": d["label"], "code": code, "lon": lon, "lat": lat,
                    "programs": len(here), "unions": len(unions), "yuan": float(yuan or 0)})
    out.sort(key=lambda p: (-p["programs"], p["code"]))
    return out


def _provinces() -> dict:
    return json.loads((resources.files("kg") / "data" / "provinces.json").read_text(encoding="utf-8"))


def render_view(g: Graph, focus: str | None = None, depth: int = 2, max_nodes: int = DEFAULT_MAX_NODES,
                since: str | None = None, until: str | None = None,
                heading: str = "工会知识图谱 · union knowledge graph", script: str = "") -> View:
    """Render the graph (or the neighbourhood of ``focus``; programs dated within ``since``–``until``)
    as a self-contained HTML page with graph, table and map tabs; ``script`` runs after the page's own
    (``kg serve --corrections`` adds its controls so)."""
    try:
        from pyvis.network import Network
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("kg needs pyvis for the HTML view: pip install pyvis==0.3.2") from e
    from .network import to_networkx

    check_max_nodes(max_nodes)
    since, until = _check_date("since", since), _check_date("until", until)
    if since and until and since > until:
        raise KgError(f"--since {since} is after --until {until}; swap them")
    G = to_networkx(g)
    if since or until:
        _date_filter(G, since, until)
    fixes, added = corrected(g)
    keep, total, notice, centre = _select(G, focus, depth, max_nodes)
    index = {n: i for i, n in enumerate(keep)}
    sub = G.subgraph(keep)
    net = Network(height="100%", width="100%", directed=True, bgcolor="#ffffff", heading=_html.escape(heading).replace("/", "&#x2F;"))
    for n in keep:
        d = G.nodes[n]
        style = CLASS_STYLE[d["cls"]]
        label = d["label"] if len(d["label"]) <= 14 else d["label"][:13] + "…"
        if d["cls"] == "program" and d.get("date"):
            label += "\n" + d["date"]
        marked = n in fixes  # a correction touched it: a violet border and a ✎
        net.add_node(index[n], label=label + ("\n✎" if marked else ""), shape=style["shape"],
                     color={"background": style["color"], "border": CORRECTED_COLOR} if marked else style["color"],
                     borderWidth=3 if marked else 1, size=style["size"], font={"size": style["font"]},
                     cls=d["cls"], hidden=d["cls"] == "article")
    edges = []
    for s, o, e in sub.edges(data=True):
        kind = _edge_kind(e["predicates"])
        style = EDGE_STYLE.get(kind, EDGE_STYLE["mentionedIn"])
        fixed = (s, o) in added
        colour = CORRECTED_COLOR if fixed else style["color"]
        net.add_edge(index[s], index[o], title=" · ".join(f"{p} {EDGE_STYLE.get(p, {}).get('zh', '')}".strip()
                                                          for p in e["predicates"]) + (" · ✎ 更正 corrected" if fixed else ""),
                     arrows="to", color={"color": colour, "highlight": colour, "hover": colour},
                     width=style["width"], dashes=[8, 4] if fixed else style["dashes"],
                     kind=kind, hidden=G.nodes[s]["cls"] == "article" or G.nodes[o]["cls"] == "article")
        edges.append([index[s], index[o], e["predicates"]])
    n = len(keep)
    iterations = max(60, min(400, 300_000 // max(n, 1)))
    options = {
        "physics": {
            "enabled": True,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -9000 if n <= 300 else -6000, "springLength": 150 if n <= 300 else 120,
                          "springConstant": 0.03, "damping": 0.35, "avoidOverlap": 0.5 if n <= 300 else 0.1},
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 25, "fit": True},
            "minVelocity": 1.5,
        },
        "layout": {"improvedLayout": n <= 400, "randomSeed": 7},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": n > 1000},
        "edges": {"smooth": False},
        "nodes": {"font": {"face": FONT, "size": 14}},
    }
    net.set_options(json.dumps(options))
    net.set_template_dir(str(resources.files("kg") / "templates"), "graph.html")
    page = net.generate_html()
    rows = _table_rows(G if not focus else G.subgraph(keep))
    for r in rows:
        r[7] = index.get(r[7], -1)
    points = _map_points(G if not focus else G.subgraph(keep))
    for p in points:
        p["n"] = index.get(p["n"], -1)
    kg_data = {
        "notice": notice,
        "focus": index[centre] if centre else -1,
        "info": [_with_corrections(_info(G.nodes[n]), fixes.get(n)) for n in keep],
        "edges": edges,
        "classes": [{"name": c, "color": s["color"], "shape": s["shape"], "zh": s["zh"]} for c, s in CLASS_STYLE.items()],
        "edgeKinds": [{"name": p, "color": s["color"], "zh": s["zh"], "dashes": bool(s["dashes"])}
                      for p, s in EDGE_STYLE.items()],
        "rows": rows,
        "roles": ROLE_NAMES,
        "points": points,
        "provinces": _provinces()["provinces"],
        "period": [since, until],
    }
    lib = resources.files("pyvis") / "templates" / "lib" / "vis-9.1.2"
    # each placeholder at its one place in the template, the data last: no label is read as a placeholder
    for marker, text in (("/*__VIS_CSS__*/", (lib / "vis-network.css").read_text(encoding="utf-8")),
                         ("/*__VIS_JS__*/", (lib / "vis-network.min.js").read_text(encoding="utf-8")),
                         ("/*__KG_EDIT_SCRIPT__*/", script.replace("</", "<\\/")),
                         ("/*__KG_DATA__*/", script_json(kg_data))):
        page = page.replace(marker, text, 1)
    return View(page, n, len(edges), total, notice, G.nodes[centre]["label"] if centre else "")
