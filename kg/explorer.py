"""The HTML explorer: graph, table and map tabs in one offline page.

The page is made from a :class:`kg.viewgraph.ViewGraph` (gathered in one pass over a stream of
triples, never a whole-graph rdflib and networkx copy). It carries up to a ceiling of nodes, chosen
by relevance: the unions that run most, each with its programs and those programs' places and money,
then the places around them, then articles. Each node is a small record (label, other names, class
and what its class shows); the details panel works out the rest from the links when a node is
selected.

It does not draw all it carries: it opens on the busiest unions, each with the programs that have
most money, laid out in blocks and zoomed so that every label drawn is at least
:data:`LEGIBLE_PX` pixels high (it draws fewer rather than smaller); a double click draws a node's
neighbours, :data:`EXPAND_AT_ONCE` at a time with a "more" node for the rest; search finds any node
by any of its names and draws it. What is drawn is pushed apart until no two label boxes overlap.

vis-network's script and stylesheet, which ship inside the pyvis package, are inlined (pyvis's own
template loads them from a CDN). The map draws province outlines shipped in
``kg/data/provinces.json`` (see ``tools/make_provinces.py``) and places at the coordinates of the
gazetteer.
"""

from __future__ import annotations

import html as _html
import json
import re
from dataclasses import dataclass
from importlib import resources
from importlib.util import find_spec
from pathlib import Path

from . import money
from .embed import script_json
from .errors import InputError, KgError
from .viewgraph import ViewGraph, of_graph

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

DEFAULT_MAX_NODES = 20_000
"""The most nodes a page carries; a build whose graph has more writes no page (use ``kg serve --store``)."""
LEGIBLE_PX = 12
"""The least height, in screen pixels, of a label the page draws first."""
FIRST_UNIONS, FIRST_PROGRAMS, FIRST_NODES = 10, 3, 30
"""What the page draws first, at most: the busiest unions and each one's programs (a focused view: its
node and neighbours, FIRST_NODES in all)."""
EXPAND_AT_ONCE = 12
"""Neighbours a double click draws at once; a "more" node draws the next ones."""
FONT = "WenQuanYi Micro Hei, Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


@dataclass(frozen=True)
class View:
    """An HTML view and what it left out. Shown inline in Jupyter."""

    html: str
    nodes: int
    """The nodes the page carries (it draws a few of them first)."""
    edges: int
    total_nodes: int
    """The nodes there were to carry."""
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


def too_large(nodes: int, max_nodes: int, out_dir) -> str:
    """What a build says when its graph is over the page's ceiling and it writes no ``graph.html``."""
    return (f"no graph.html: the graph has {nodes:,} nodes, over the static view's ceiling of {max_nodes:,} "
            f"(--max-nodes); explore it with kg serve --store DIR (after kg build SRC --store DIR), or draw "
            f"one neighbourhood with kg view {Path(out_dir) / 'graph.ttl'} --focus LABEL")


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


def _date_filter(G: ViewGraph, since: str, until: str) -> ViewGraph:
    """Drop programs dated outside [since, until] (and undated ones) with their amounts; a union's money is
    then that of the programs kept."""
    drop = {n for n, c in enumerate(G.classes) if c == "program" and not _in_period(G.values[n].get("date", ""), since, until)}
    drop |= {o for n in drop for o, _ in G.succ(n) if G.classes[o] == "amount"}
    return G.subgraph(n for n in range(len(G)) if n not in drop)


def _relevance(G: ViewGraph) -> list[int]:
    """Every node, most relevant first: unions by programs run, each followed by its programs and their
    places and amounts; then the places enclosing those; then the rest by class; articles last."""
    order: dict[int, None] = {}

    def runs_of(u):
        return sorted(G.linked(u, "runs"), key=lambda p: (G.labels[p], p))

    runs = {u: runs_of(u) for u, c in enumerate(G.classes) if c == "union"}
    for u in sorted(runs, key=lambda u: (-len(runs[u]), G.labels[u], u)):
        if not runs[u]:
            continue
        order[u] = None
        for p in runs[u]:
            order[p] = None
            for o, _ in G.succ(p):
                if G.classes[o] in ("place", "amount"):
                    order[o] = None
    for n in list(order):
        if G.classes[n] == "place":
            stack = [n]
            while stack:
                for o, _ in G.succ(stack.pop()):
                    if G.classes[o] == "place" and o not in order:
                        order[o] = None
                        stack.append(o)
    rank = {c: i for i, c in enumerate(CLASS_STYLE)}
    rest = sorted((n for n in range(len(G)) if n not in order), key=lambda n: (rank[G.classes[n]], -G.degree(n), n))
    return [*order, *rest]


def _near(G: ViewGraph, centre: int, depth: int) -> dict[int, int]:
    """The nodes within ``depth`` links of ``centre`` either way, with their distance."""
    near, frontier = {centre: 0}, [centre]
    for d in range(1, max(0, depth) + 1):
        nxt = []
        for n in frontier:
            for o, _ in (*G.succ(n), *G.pred(n)):
                if o not in near:
                    near[o] = d
                    nxt.append(o)
        frontier = nxt
    return near


def _select(G: ViewGraph, focus: str | None, depth: int, max_nodes: int) -> tuple[list[int], int, str, int]:
    """The nodes to carry, the number there were, a notice when some were left out, and the focus node (-1)."""
    notices = []
    centre = -1
    if focus:
        q = focus.strip().lower()
        rank = {c: i for i, c in enumerate(CLASS_STYLE)}
        hits = [n for n in sorted(range(len(G)), key=lambda n: (rank[G.classes[n]], n))
                if q in G.labels[n].lower() or any(q in a.lower() for a in G.aliases.get(n, ()))]
        if not hits:
            raise KgError(f"--focus {focus!r}: no node's label contains it; try a shorter part of the name")
        exact = {n for n in hits if G.labels[n].lower() == q or q in (a.lower() for a in G.aliases.get(n, ()))}
        hits.sort(key=lambda n: (n not in exact, rank[G.classes[n]], len(G.labels[n]), G.labels[n]))
        centre = hits[0]
        if len(hits) > 1 and not exact:
            names = "、".join(G.labels[n] for n in hits[:5]) + ("…" if len(hits) > 5 else "")
            notices.append(f"--focus {focus!r} matches {len(hits)} nodes ({names}); centred on "
                           f"{G.labels[centre]}. Give more of a label to choose another.")
        near = _near(G, centre, depth)
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


def _info(G: ViewGraph, n: int) -> dict:
    """The small record the details panel and the search read for one node: its label, class, every other
    name, and what its class shows; the corrections that touched it (``x``)."""
    cls, v = G.classes[n], G.values[n]
    out = {"l": G.labels[n], "c": cls}
    if n in G.aliases:
        out["a"] = list(G.aliases[n])
    if cls == "program":
        source = G.source(n)
        if source:
            out["f"] = source  # the file a kg correct command names
        if v.get("evidence"):
            out["e"] = v["evidence"][:300]
        if v.get("date"):
            out["d"] = v["date"]
        amounts = G.amounts(n)
        yuan = money.as_float(money.total(amounts))
        if yuan is not None:
            out["y"] = yuan
        if v.get("confidence") is not None:
            out["k"] = float(v["confidence"])
        if v.get("runner_confidence") is not None:
            out["rk"] = float(v["runner_confidence"])
        if v.get("place_confidence"):
            out["pk"] = {place: float(c) for place, c in sorted(v["place_confidence"].items())}
        for key, shown in (("s", money.standards(amounts)), ("o", money.others(amounts))):
            if shown:
                out[key] = shown[:8]
    elif cls == "union":
        yuan = G.union_yuan(n)
        if yuan is not None:
            out["y"] = yuan
    elif cls == "article":
        out["f"] = G.source(n)
        if v.get("date"):
            out["d"] = v["date"]
    elif cls == "amount":
        a = G.amount(n)
        out.update(t=a["text"], v=a["value"], u=a["unit"], r=a["role"])
        if v.get("confidence") is not None:
            out["k"] = float(v["confidence"])
        if a["per"]:
            out["p"] = a["per"]
    elif cls == "place" and v.get("adcode"):
        out["code"] = v["adcode"]
    if n in G.fixes:
        out["x"] = G.fixes[n]
    return out


def _table_rows(G: ViewGraph) -> list[list]:
    """One row per union and program it runs: union, program, places, date, money (the sum of its
    ``total`` amounts, None when it has none), its standards and its other money as written
    (``每人500元``, ``累计超过180万元``), the program's node and its confidence (None when unknown)."""
    rows = []
    for u, cls in enumerate(G.classes):
        if cls != "union":
            continue
        for p in G.linked(u, "runs"):
            amounts, v = G.amounts(p), G.values[p]
            places = sorted(G.labels[o] for o, _ in G.succ(p) if G.classes[o] == "place")
            confidence = v.get("confidence")
            rows.append([G.labels[u], G.labels[p], "、".join(places), v.get("date", ""),
                         money.as_float(money.total(amounts)), "、".join(money.standards(amounts)),
                         "、".join(money.others(amounts)), p, None if confidence is None else float(confidence)])
    rows.sort(key=lambda r: (r[0], r[3], r[1]))
    return rows


def _map_points(G: ViewGraph) -> list[dict]:
    """Places with an adcode and the programs and unions in them: where, how many, how much money (the
    ``total`` amounts of the programs there, each once).

    A program in a village or a venue counts at the nearest place above it that has an adcode
    (板逢村 → 东兰县), so that the map shows what the text places below the county."""
    from .gazetteer import coordinates

    where = coordinates()
    found: dict[int, int | None] = {}  # place → the coded place it counts at, each worked out once

    def coded(n, seen=()):
        if n in found:
            return found[n]
        hit = n if G.classes[n] == "place" and G.values[n].get("adcode") in where else None
        for up, props in G.succ(n) if hit is None else ():
            if up not in seen and G.classes[up] == "place" and "partOf" in props:
                hit = coded(up, (*seen, n))
                if hit is not None:
                    break
        found[n] = hit
        return hit

    progs: dict[int, set[int]] = {}
    for s, n, props in G.links():
        if "inPlace" in props and G.classes[s] == "program":
            point = coded(n)
            if point is not None:
                progs.setdefault(point, set()).add(s)
    out = []
    for n, cls in enumerate(G.classes):
        code = G.values[n].get("adcode") if cls == "place" else ""
        if not code or code not in where:
            continue
        here = sorted(progs.get(n, ()))
        unions = [s for s, _ in G.pred(n) if G.classes[s] == "union"]
        if not here and not unions:
            continue
        yuan = money.programs_total(G.amounts(p) for p in here)
        lon, lat = where[code]
        out.append({"n": n, "name": G.labels[n], "code": code, "lon": lon, "lat": lat,
                    "programs": len(here), "unions": len(unions), "yuan": float(yuan or 0)})
    out.sort(key=lambda p: (-p["programs"], p["code"]))
    return out


def _first_frame(G: ViewGraph, keep: list[int], centre: int) -> list[list[int]]:
    """What the page draws first, as ``[node, head]`` pairs (head -1: the node heads a block; else the
    node it is drawn beside), most telling first: the page drops pairs from the end until every label
    drawn is legible. A focused view: its node and its neighbours; else the busiest unions, each with
    its programs that have most money."""
    kept = {n: i for i, n in enumerate(keep)}
    rank = {c: i for i, c in enumerate(CLASS_STYLE)}
    if centre >= 0:
        near = {o for o, _ in (*G.succ(centre), *G.pred(centre)) if o in kept and G.classes[o] != "article"}
        return [[centre, -1], *([n, centre] for n in sorted(near, key=lambda n: (rank[G.classes[n]], kept[n]))[:FIRST_NODES - 1])]
    heads = []
    for n in keep:
        if G.classes[n] != "union" or len(heads) == FIRST_UNIONS:
            continue
        progs = [p for p in G.linked(n, "runs") if p in kept]
        if progs:
            def money_first(p):
                yuan = G.program_yuan(p)
                return (yuan is None, -(yuan or 0), kept[p])

            heads.append((n, sorted(progs, key=money_first)[:FIRST_PROGRAMS]))
    if not heads:
        return [[n, -1] for n in keep if G.classes[n] != "article"][:FIRST_NODES]
    pairs, drawn = [[u, -1] for u, _ in heads], {u for u, _ in heads}
    for k in range(FIRST_PROGRAMS):
        for u, progs in heads:
            if k < len(progs) and progs[k] not in drawn:
                drawn.add(progs[k])
                pairs.append([progs[k], u])
    return pairs


def _provinces() -> dict:
    return json.loads((resources.files("kg") / "data" / "provinces.json").read_text(encoding="utf-8"))


def _vis_assets() -> tuple[str, str]:
    """The vis-network stylesheet and script that ship inside the pyvis package, found without importing
    pyvis (which imports networkx, Jinja and IPython)."""
    spec = find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - depends on the environment
        raise ImportError("kg needs pyvis for the HTML view's vis-network script: pip install pyvis==0.3.2")
    lib = Path(spec.submodule_search_locations[0]) / "templates" / "lib" / "vis-9.1.2"
    return (lib / "vis-network.css").read_text(encoding="utf-8"), (lib / "vis-network.min.js").read_text(encoding="utf-8")


VIS_OPTIONS = {
    "physics": {"enabled": False},
    "layout": {"randomSeed": 7, "improvedLayout": False},
    "interaction": {"hover": True, "tooltipDelay": 150, "zoomView": True},
    "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}}},
    "nodes": {"font": {"face": FONT, "size": 14}},
}
"""vis-network's options: no physics (the page lays out what it draws itself, and keeps it still)."""


def render_view(g, focus: str | None = None, depth: int = 2, max_nodes: int = DEFAULT_MAX_NODES,
                since: str | None = None, until: str | None = None,
                heading: str = "工会知识图谱 · union knowledge graph", script: str = "") -> View:
    """Render the graph (or the neighbourhood of ``focus``; programs dated within ``since``–``until``)
    as a self-contained HTML page with graph, table and map tabs; ``script`` runs after the page's own
    (``kg serve --corrections`` adds its controls so).

    ``g`` is an rdflib ``Graph``, a graph file's path (streamed, never held whole) or a
    :class:`kg.viewgraph.ViewGraph`. The page carries at most ``max_nodes`` nodes, most relevant first,
    and draws a few of them first (:func:`_first_frame`); the rest are reached from there."""
    check_max_nodes(max_nodes)
    since, until = _check_date("since", since), _check_date("until", until)
    if since and until and since > until:
        raise KgError(f"--since {since} is after --until {until}; swap them")
    G = of_graph(g)
    if since or until:
        G = _date_filter(G, since, until)
    keep, total, notice, centre = _select(G, focus, depth, max_nodes)
    index = {n: i for i, n in enumerate(keep)}
    kinds: dict[tuple[str, ...], int] = {}
    edges: list[int] = []
    for s, o, props in G.links():
        if s in index and o in index:
            edges += (index[s], index[o], kinds.setdefault(props, len(kinds)))
    if focus:  # the table and the map of the neighbourhood; its nodes numbered again in IRI order
        part, ids = G.subgraph(keep), sorted(keep)
    else:
        part, ids = G, range(len(G))
    rows = _table_rows(part)
    for r in rows:
        r[7] = index.get(ids[r[7]], -1)
    points = _map_points(part)
    for p in points:
        p["n"] = index.get(ids[p["n"]], -1)
    kg_data = {
        "notice": notice,
        "focus": index.get(centre, -1),
        "info": [_info(G, n) for n in keep],
        "edges": edges,
        "edgeSets": list(kinds),
        "added": sorted([index[s], index[o]] for s, o in G.added if s in index and o in index),
        "first": [[index[n], index.get(h, -1)] for n, h in _first_frame(G, keep, centre)],
        "total": total,
        "classes": [{"name": c, **s} for c, s in CLASS_STYLE.items()],
        "edgeKinds": [{"name": p, "color": s["color"], "zh": s["zh"], "width": s["width"], "dashes": s["dashes"]}
                      for p, s in EDGE_STYLE.items()],
        "corrected": CORRECTED_COLOR,
        "legible": LEGIBLE_PX,
        "expand": EXPAND_AT_ONCE,
        "options": VIS_OPTIONS,
        "rows": rows,
        "roles": ROLE_NAMES,
        "points": points,
        "provinces": _provinces()["provinces"],
        "period": [since, until],
    }
    css, js = _vis_assets()
    page = (resources.files("kg") / "templates" / "graph.html").read_text(encoding="utf-8")
    page = page.replace("__KG_HEADING__", _html.escape(heading).replace("/", "&#x2F;"))
    # each placeholder at its one place in the template, the data last: no label is read as a placeholder
    for marker, text in (("/*__VIS_CSS__*/", css), ("/*__VIS_JS__*/", js),
                         ("/*__KG_EDIT_SCRIPT__*/", script.replace("</", "<\\/")),
                         ("/*__KG_DATA__*/", script_json(kg_data))):
        page = page.replace(marker, text, 1)
    return View(page, len(keep), len(edges) // 3, total, notice, G.labels[centre] if centre >= 0 else "")
