"""The served explorer's data: small JSON answers over Oxigraph, so that no page holds the whole graph.

The page ``kg serve`` serves at ``/browse`` (:mod:`kg.browsepage`) asks for what it shows, when it shows it:

- :func:`overview`, the graph tab's first frame: the unions that run most, each with a few of its
  programs (those with the most money stated, else the latest), and how many nodes there are;
- :func:`search`: the unions, places and programs whose label or other name holds the text typed,
  unions and places first; another name (``全总``) is said as ``kg query --bind`` says it
  (:class:`kg.sparql.Names`), and a text no name holds gets the closest names;
- :func:`node`: a node's details and its neighbours by kind, each kind a page at a time;
- :class:`Table`: the rows of union and program with place, province, date, money and confidence,
  for filtered, sorted pages with facet counts, for downloads, and the map's places and provinces.
  It is read once per graph (seven SELECTs) and kept in memory: sorting a page of 48,000 rows in
  SPARQL took 0.5 s at 30 MB, in Python a few milliseconds. Once read, it also finds programs by name
  for :func:`search` and a union's money for :func:`node`.

Each takes ``select``, which runs a SELECT and gives its rows as dicts of text (``kg serve``'s
:meth:`kg.serve.Endpoint.select`: the guard, the sandboxed read-only workers, the time limit), and an
optional ``max_rows``. All the SPARQL is here. What a user sends reaches it only as an IRI checked to
be one (:func:`iri`) or as a string literal of cleaned text (:func:`literal`); every answer is capped.
Money is :mod:`kg.money`'s: a program's is the sum of its ``total`` amounts, each once.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import resources

from . import money
from .errors import BrowseError
from .vocab import PREFIXES

Select = Callable[..., list[dict[str, str]]]
"""``select(text, max_rows=None)``: the rows of a SELECT, each a dict of its bound variables' values."""

_UKG = PREFIXES["ukg"]
CLASS_NAMES = {_UKG + c: c.lower() for c in ("Union", "Program", "Place", "Amount", "Article")}
"""Node classes by their ``ukg:`` IRI, named as the page names them."""

MAX_TEXT = 100
"""The longest search text taken."""
MAX_SUGGESTIONS = 20
MAX_GROUP = 50
"""The most neighbours of one kind in one answer ("show more" asks for the next ones)."""
MAX_PAGE = 200
"""The most table rows in one page."""
MAX_DOWNLOAD = 200_000
"""The most rows in one download."""
TABLE_MAX_ROWS = 2_000_000
"""The most rows one of the table's SELECTs may give; a graph with more is refused."""
FACET_VALUES = 30
"""Values shown per facet, most rows first (the one chosen always among them)."""

# -- SPARQL ------------------------------------------------------------------------------------------------
# Written for the plans Oxigraph makes: a node's facts by lookups from it, no ORDER BY over many rows (it
# sorts 4,000 IRIs in 0.1 s; Python sorts a node's neighbours), no ``?n a ?c`` after a bound pattern (it
# joins every typed node), a UNION of lookups rather than ``?a ?k ?o VALUES ?k {…}`` (0.87 s against 1 ms).

COUNTS = """SELECT ?c (COUNT(?n) AS ?k) WHERE {
  VALUES ?c { ukg:Union ukg:Program ukg:Place ukg:Amount ukg:Article } ?n a ?c } GROUP BY ?c"""
TOP_UNIONS = "SELECT ?u (COUNT(?p) AS ?n) WHERE { ?u ukg:runs ?p } GROUP BY ?u ORDER BY DESC(?n) ?u LIMIT %(n)s"
TOTALS_OF = """SELECT ?u ?p ?a ?v ?r WHERE { ?a ukg:amountRole "total" . ?p ukg:amount ?a . ?u ukg:runs ?p .
  VALUES ?u { %(unions)s } ?a ukg:unit "CNY" ; ukg:value ?v BIND("total" AS ?r) }"""
DATED_OF = "SELECT ?u ?p ?d WHERE { VALUES ?u { %(unions)s } ?u ukg:runs ?p . ?p ukg:date ?d }"
SOME_OF = "{ SELECT ?u ?p WHERE { VALUES ?u { %(union)s } ?u ukg:runs ?p } LIMIT %(n)s }"
FACTS = """SELECT ?n ?l ?d ?u WHERE { VALUES ?n { %(nodes)s }
  { ?n rdfs:label ?l } UNION { ?n ukg:date ?d } UNION { ?u ukg:runs ?n } }"""
SUGGEST_NAMED = """SELECT ?n ?c ?name ?label WHERE { VALUES ?c { ukg:Union ukg:Place } ?n a ?c .
  { ?n rdfs:label ?name } UNION { ?n skos:altLabel ?name } FILTER(CONTAINS(%(name)s, %(text)s))
  OPTIONAL { ?n rdfs:label ?label } } LIMIT 2000"""
SUGGEST_ANY = """SELECT ?n ?c ?name WHERE { { SELECT ?n ?name WHERE { { ?n rdfs:label ?name } UNION
  { ?n skos:altLabel ?name } FILTER(CONTAINS(%(name)s, %(text)s)) } LIMIT 1000 } ?n a ?c }"""
"""A text with no letter that has a case is looked for in the names as they are (``LCASE`` of 115,000 labels
took a third of the time at 30 MB)."""
DETAILS = """SELECT ?p ?o WHERE {
  { VALUES ?p { rdf:type rdfs:label skos:altLabel ukg:date ukg:confidence ukg:evidence ukg:adcode ukg:sourceFile
                ukg:text ukg:value ukg:unit ukg:amountRole ukg:per } %(node)s ?p ?o }
  UNION { %(node)s prov:wasDerivedFrom ?a . ?a ukg:sourceFile ?o BIND(prov:wasDerivedFrom AS ?p) } } LIMIT 300"""
AMOUNTS = """SELECT ?p ?a ?k ?o WHERE { VALUES ?p { %(programs)s } ?p ukg:amount ?a .
  { ?a ukg:text ?o BIND("t" AS ?k) } UNION { ?a ukg:value ?o BIND("v" AS ?k) } UNION { ?a ukg:unit ?o BIND("unit" AS ?k) }
  UNION { ?a ukg:amountRole ?o BIND("r" AS ?k) } UNION { ?a ukg:per ?o BIND("per" AS ?k) } }"""
NEIGHBOURS = "SELECT ?kind ?n ?d WHERE { { %(parts)s } OPTIONAL { ?n ukg:date ?d } }"
LABELS = "SELECT ?n ?l WHERE { VALUES ?n { %(nodes)s } ?n rdfs:label ?l }"
NEIGHBOUR_COUNTS = "SELECT ?kind (COUNT(DISTINCT ?n) AS ?k) WHERE { %(parts)s } GROUP BY ?kind"

TABLE_RUNS = "SELECT ?u ?p WHERE { ?u ukg:runs ?p }"
TABLE_PROGRAMS = """SELECT ?p ?l ?d ?k WHERE { ?p a ukg:Program OPTIONAL { ?p rdfs:label ?l }
  OPTIONAL { ?p ukg:date ?d } OPTIONAL { ?p ukg:confidence ?k } }"""
TABLE_NAMES = "SELECT ?n ?l WHERE { VALUES ?c { ukg:Union ukg:Place } ?n a ?c ; rdfs:label ?l }"
TABLE_PROGRAM_NAMES = "SELECT ?n ?a WHERE { ?n skos:altLabel ?a . ?n a ukg:Program }"
PROGRAM_LABELS = "SELECT ?n ?a WHERE { ?n a ukg:Program ; rdfs:label ?a }"
TABLE_IN_PLACE = "SELECT ?p ?pl WHERE { ?p ukg:inPlace ?pl }"
TABLE_PLACES = """SELECT ?pl ?code ?up WHERE { ?pl a ukg:Place
  OPTIONAL { ?pl ukg:adcode ?code } OPTIONAL { ?pl ukg:partOf ?up } }"""
TABLE_MONEY = """SELECT ?p ?a ?v ?r WHERE { ?p ukg:amount ?a . ?a ukg:amountRole "total" ; ukg:unit "CNY" ;
  ukg:value ?v BIND("total" AS ?r) }"""
"""Only the amounts :func:`kg.money.total` adds (``total`` in yuan) are read; kg.money adds them, each once."""

GROUPS = (
    ("runs>", "union", "<x> ukg:runs ?n", "program", "开展的项目 programs it runs"),
    ("runs<", "program", "?n ukg:runs <x>", "union", "开展者 run by"),
    ("inPlace>", "program", "<x> ukg:inPlace ?n", "place", "地点 places"),
    ("inPlace<", "place", "?n ukg:inPlace <x>", "program", "这里的项目 programs here"),
    ("locatedIn>", "union", "<x> ukg:locatedIn ?n", "place", "所在地 locality"),
    ("locatedIn<", "place", "?n ukg:locatedIn <x>", "union", "当地工会 unions based here"),
    ("partOf>", "place", "<x> ukg:partOf ?n", "place", "隶属于 part of"),
    ("partOf<", "place", "?n ukg:partOf <x>", "place", "下辖地点 places inside it"),
    ("amount>", "program", "<x> ukg:amount ?n", "amount", "数额 amounts"),
    ("amount<", "amount", "?n ukg:amount <x>", "program", "用于 funds"),
)
"""A node's neighbours by kind: the key the page asks by, the class of the nodes that have such neighbours,
the pattern, the class the contract gives what it finds, the heading. Articles are left out."""
NEIGHBOURS_READ = 20_000
"""The most neighbours read for one node; a node with more lists the first of them (their number is exact)."""

_NOT_IRI = re.compile(r"[\x00-\x20\x7f-\x9f<>\"{}|^`\\\u2028\u2029\ud800-\udfff]")
_NOT_TEXT = re.compile(r"[\x00-\x1f\x7f-\x9f\\\u2028\u2029\ud800-\udfff]")


def iri(value) -> str:
    """``value`` written as a SPARQL IRI, when it is an http(s) IRI with none of the characters an IRI
    cannot hold (so it cannot end the ``<…>``); a :class:`BrowseError` otherwise."""
    if not (isinstance(value, str) and value.startswith(("http://", "https://")) and len(value) <= 2000
            and not _NOT_IRI.search(value)):
        raise BrowseError(f"not the IRI of a node: {str(value)[:80]!r}")
    return f"<{value}>"


def clean(text) -> str:
    """Text a user typed as it may stand in a query: one line, no control characters or backslashes
    (:mod:`kg.guard` refuses some, and ``\\u`` escapes are decoded before parsing), at most
    :data:`MAX_TEXT` characters."""
    return " ".join(_NOT_TEXT.sub(" ", str(text)).split())[:MAX_TEXT]


def literal(text: str) -> str:
    """Cleaned ``text`` as a SPARQL string literal: its double quotes escaped, nothing else can end it."""
    return '"' + clean(text).replace('"', '\\"') + '"'


def _values(iris: Iterable[str]) -> str:
    return " ".join(iri(x) for x in iris)


def _number(text: str | None) -> float | None:
    try:
        return None if text is None else float(text)
    except ValueError:
        return None


def _amount(row: Mapping, unit: str = "") -> dict:
    """An amount as :mod:`kg.money` reads it."""
    return {"iri": row.get("a", ""), "text": row.get("t", ""), "value": row.get("v", ""),
            "unit": row.get("unit", unit), "role": row.get("r", ""), "per": row.get("per", "")}


def _money_by_program(rows: Iterable[Mapping], unit: str = "") -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r["p"], []).append(_amount(r, unit))
    return out


def _yuan(amounts: Iterable[Mapping]) -> float | None:
    return money.as_float(money.total(amounts))


# -- the graph tab -----------------------------------------------------------------------------------------

def overview(select: Select, unions: int = 16, programs: int = 3) -> dict:
    """The first frame: the ``unions`` that run most programs, each with up to ``programs`` of them (those
    with the largest stated totals, then the latest, then any), the links between what is drawn, and the
    number of nodes of each class."""
    unions, programs = max(1, min(int(unions), 60)), max(0, min(int(programs), 10))
    count_rows, top_rows = _together([lambda: select(COUNTS), lambda: select(TOP_UNIONS % {"n": unions})])
    counts = {CLASS_NAMES[r["c"]]: int(r["k"]) for r in count_rows if r.get("c") in CLASS_NAMES}
    top = {r["u"]: int(r["n"]) for r in top_rows}
    chosen: dict[str, list[str]] = {u: [] for u in top}
    yuan: dict[str, float | None] = {}
    if top and programs:
        rows, dated = _together([lambda: select(TOTALS_OF % {"unions": _values(top)}, max_rows=200_000),
                                 lambda: select(DATED_OF % {"unions": _values(top)}, max_rows=200_000)])
        runner = {r["p"]: r["u"] for r in rows}
        yuan = {p: _yuan(a) for p, a in _money_by_program(rows, "CNY").items()}
        for p in sorted((p for p in yuan if yuan[p] is not None), key=lambda p: (-yuan[p], p)):
            if len(chosen[runner[p]]) < programs:
                chosen[runner[p]].append(p)
        _fill(chosen, programs, dated)
        short = _short(chosen, programs)
        if short:
            parts = " UNION ".join(SOME_OF % {"union": iri(u), "n": 2 * programs} for u in short)
            _fill(chosen, programs, select(f"SELECT ?u ?p WHERE {{ {parts} }}"))
    picked = sorted({p for ps in chosen.values() for p in ps})
    facts: dict[str, dict] = {}
    edges = set()
    for r in select(FACTS % {"nodes": _values([*top, *picked])}):
        f = facts.setdefault(r["n"], {})
        for k in ("l", "d"):
            if k in r:
                f[k] = r[k]
        if r.get("u") in chosen:
            edges.add((r["u"], r["n"]))
    nodes = [{"id": u, "label": facts.get(u, {}).get("l", u), "cls": "union", "programs": n} for u, n in top.items()]
    nodes += [{"id": p, "label": facts.get(p, {}).get("l", p), "cls": "program", "date": facts.get(p, {}).get("d", ""),
               "yuan": yuan.get(p)} for p in picked]
    return {"nodes": nodes, "edges": [{"from": u, "to": p, "kind": "runs"} for u, p in sorted(edges)],
            "counts": counts}


def _short(chosen: dict[str, list[str]], n: int) -> list[str]:
    return [u for u, ps in chosen.items() if len(ps) < n]


def _fill(chosen: dict[str, list[str]], n: int, rows: list[dict[str, str]]) -> None:
    """Add the latest programs of ``rows`` (``u``, ``p`` and maybe ``d``) to the unions with fewer than ``n``."""
    for r in sorted(rows, key=lambda r: (r.get("d", ""), r["p"]), reverse=True):
        have = chosen.get(r["u"])
        if have is not None and len(have) < n and r["p"] not in have:
            have.append(r["p"])


def search(select: Select, text: str, limit: int = 12, table: _ProgramsNamed | None = None) -> dict:
    """Unions, places and programs whose label or other name holds ``text`` (any case), best first: a name
    that is the text, then unions, places, programs, names that begin with it, shorter labels. With a note
    when the text is another name of one node (``全总``), and the closest names when nothing holds it.
    Programs are looked for in ``table`` (a :class:`Table` or :class:`ProgramNames`) when one is given (in
    memory: a scan of every label in Oxigraph took 0.1 s at 30 MB)."""
    from .sparql import Names

    text, limit = clean(text), max(1, min(int(limit), MAX_SUGGESTIONS))
    if not text:
        return {"text": "", "matches": [], "notes": []}
    low = text.lower()
    words = {"name": "LCASE(?name)" if low != text.upper() else "?name", "text": literal(low)}
    names = Names(select=select)
    calls = [lambda: select(SUGGEST_NAMED % words, max_rows=2000), lambda: names.lookup(text)]
    if table is None:
        calls.append(lambda: [r for r in select(SUGGEST_ANY % words, max_rows=1000) if r.get("c") == _UKG + "Program"])
    named, (is_label, labels), *anything = _together(calls)
    rows = named + (anything[0] if anything else table.programs_named(low))
    rank = {"union": 0, "place": 1, "program": 2}
    best: dict[str, tuple] = {}
    for r in rows:
        cls, name = CLASS_NAMES.get(r.get("c", ""), "program"), r.get("name", "")
        label = r.get("label") or name
        key = (name.lower() != low and label.lower() != low, rank.get(cls, 3), not name.lower().startswith(low),
               len(label), label, name != label)
        if r["n"] not in best or key < best[r["n"]][0]:
            best[r["n"]] = (key, {"id": r["n"], "label": label, "cls": cls, **({"name": name} if name != label else {})})
    matches = [m for _, m in sorted(best.values(), key=lambda x: x[0])][:limit]
    notes = []
    if not is_label and len(labels) == 1:
        notes.append(f"{text} is another name of {next(iter(labels))}")
    elif not is_label and len(labels) > 1:
        notes.append(f"{text} is another name of {len(labels)} nodes: {', '.join(sorted(labels))}")
    if matches:
        return {"text": text, "matches": matches, "notes": notes}
    close = [n for kind in ("union", "place") for n in names.closest(kind, text, 4)]
    notes.append(f"no union, place or program is named {text}" + (f"; the closest: {', '.join(close)}" if close else ""))
    return {"text": text, "matches": [], "notes": notes, "closest": close}


def node(select: Select, node_iri: str, kind: str | None = None, offset: int = 0, limit: int = 20,
         table: Table | None = None, cls: str | None = None) -> dict:
    """A node's details (label, class, other names, date, confidence, evidence, source files, adcode, its
    money as :mod:`kg.money` says it) and its neighbours of each kind (:data:`GROUPS`): ``limit`` of each
    from ``offset`` (latest first, then by IRI, which holds the label), with how many there are. With
    ``kind``, only that kind's page ("show more"). A union's money is its ``table``'s when one is given
    (the same amounts, already read), else asked. ``cls``, the class the page was told the node has,
    narrows what is asked (each query is parsed by the guard, and the time is in the parsing); a node of
    another class is asked again in full."""
    target, offset, limit = iri(node_iri), max(0, int(offset)), max(1, min(int(limit), MAX_GROUP))
    groups = {k: (pattern.replace("<x>", target), found, name) for k, _, pattern, found, name in GROUPS}
    if kind is not None and kind not in groups:
        raise BrowseError(f"no kind of neighbour {str(kind)[:20]!r}; ask for one of {', '.join(groups)}")
    if cls not in CLASS_NAMES.values():
        cls = None
    kinds = [kind] if kind is not None else [k for k, of, *_ in GROUPS if cls in (None, of)]
    parts = " UNION ".join(f"{{ {groups[k][0]} BIND({literal(k)} AS ?kind) }}" for k in kinds)
    calls = [lambda: select(NEIGHBOURS % {"parts": parts}, max_rows=NEIGHBOURS_READ) if kinds else []]
    if kind is None:  # its money is asked with the rest, before its class is known: either answer is quick when empty
        calls.append(lambda: select(DETAILS % {"node": target}))
        calls.append(lambda: select(AMOUNTS % {"programs": target}) if cls in (None, "program") else [])
        calls.append(lambda: select(TOTALS_OF % {"unions": target}, max_rows=200_000)
                     if table is None and cls in (None, "union") else None)
    rows, *about = _together(calls)
    out: dict = {"id": node_iri}
    if about:
        out.update(_details(node_iri, *about))
        if cls is not None and out["cls"] != cls:
            return node(select, node_iri, None, offset, limit, table)
        if out["cls"] == "union" and table is not None:
            out["yuan"] = table.union_money(node_iri)
    found: dict[str, dict[str, dict]] = {k: {} for k in kinds}
    for r in rows:
        item = found[r["kind"]].setdefault(r["n"], {"id": r["n"], "cls": groups[r["kind"]][1]})
        if r.get("d"):
            item["date"] = max(item.get("date", ""), r["d"])
    totals = {k: len(v) for k, v in found.items()}
    if len(rows) >= NEIGHBOURS_READ:
        totals = {r["kind"]: int(r["k"]) for r in select(NEIGHBOUR_COUNTS % {"parts": parts})}
    pages = {}
    for k in kinds:
        items = sorted(found[k].values(), key=lambda i: (i.get("date", ""), i["id"]), reverse=True)
        if totals.get(k, 0) > offset:
            pages[k] = items[offset:offset + limit]
    shown = sorted({i["id"] for page in pages.values() for i in page})
    progs = sorted({i["id"] for page in pages.values() for i in page if i["cls"] == "program"})
    labels, amounts = _together([lambda: select(LABELS % {"nodes": _values(shown)}) if shown else [],
                                 lambda: _amounts(select, progs) if progs else {}])
    label = {r["n"]: r["l"] for r in labels}
    for page in pages.values():
        for i in page:
            i["label"] = label.get(i["id"], i["id"])
            if i["cls"] == "program":
                i["yuan"] = _yuan(amounts.get(i["id"], ()))
    out["groups"] = [{"kind": k, "name": groups[k][2], "total": totals[k], "offset": offset, "items": pages[k]}
                     for k in kinds if k in pages]
    return out


def _amounts(select: Select, programs: Iterable[str]) -> dict[str, list[dict]]:
    """Each program's amounts as :mod:`kg.money` reads them."""
    return _amounts_of(select(AMOUNTS % {"programs": _values(programs)}, max_rows=50_000))


def _amounts_of(rows: Iterable[Mapping]) -> dict[str, list[dict]]:
    """Each program's amounts from :data:`AMOUNTS`' rows (one a fact)."""
    by: dict[str, dict[str, dict]] = {}
    for r in rows:
        by.setdefault(r["p"], {}).setdefault(r["a"], {"p": r["p"], "a": r["a"]})[r["k"]] = r["o"]
    return {p: [_amount(row) for row in amounts.values()] for p, amounts in by.items()}


def _details(node_iri: str, facts_rows: list[dict], amount_rows: list[dict], total_rows: list[dict] | None) -> dict:
    """A node's details from its :data:`DETAILS`, its own :data:`AMOUNTS` and its programs' :data:`TOTALS_OF`
    (None: its money is found elsewhere)."""
    facts: dict[str, list[str]] = {}
    for r in facts_rows:
        facts.setdefault(r["p"].rsplit("#", 1)[-1], []).append(r["o"])
    cls = next((CLASS_NAMES[c] for c in facts.get("type", ()) if c in CLASS_NAMES), "")
    if not cls:
        raise BrowseError(f"the graph has no node {node_iri[:120]}", 404)
    label = (facts.get("label") or [node_iri])[0]
    out = {"label": label, "cls": cls, "aliases": sorted(set(facts.get("altLabel", ())) - {label})[:20]}
    for key in ("date", "adcode"):
        if facts.get(key):
            out[key] = facts[key][0]
    if facts.get("confidence"):
        out["confidence"] = _number(facts["confidence"][0])
    if facts.get("evidence"):
        out["evidence"] = sorted(facts["evidence"])[0][:400]
    files = facts.get("wasDerivedFrom", []) + facts.get("sourceFile", [])
    if files:
        out["files"] = sorted(set(files))[:10]
    if cls == "program":
        amounts = _amounts_of(amount_rows).get(node_iri, [])
        out.update(yuan=_yuan(amounts), standards=money.standards(amounts), others=money.others(amounts))
    elif cls == "union" and total_rows is not None:
        out["yuan"] = money.as_float(money.programs_total(_money_by_program(total_rows, "CNY").values()))
    elif cls == "amount":
        out["amount"] = {k: facts[s][0] for s, k in (("text", "text"), ("value", "value"), ("unit", "unit"),
                                                      ("amountRole", "role"), ("per", "per")) if facts.get(s)}
    return out


def _together(calls: list[Callable[[], list]]) -> list[list]:
    """The answers of ``calls`` (each a query's round trip), made at once: the workers run them side by side."""
    if len(calls) == 1:
        return [calls[0]()]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(len(calls)) as ex:
        return [f.result() for f in [ex.submit(c) for c in calls]]


# -- the table and the map ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Row:
    """One union and a program it runs, as the table shows it; ``scope`` holds its places and the places
    they are part of (a filter by a place keeps what is in the places inside it)."""

    union: str
    program: str
    union_label: str
    program_label: str
    places: str
    provinces: str
    province_codes: tuple[str, ...]
    scope: tuple[str, ...]
    date: str
    year: str
    yuan: float | None
    confidence: float | None


SORTS = {"union": "union_label", "program": "program_label", "place": "places", "province": "provinces",
         "date": "date", "money": "yuan", "confidence": "confidence"}
"""The columns the table sorts by, and the row field each sorts on (Chinese by code point)."""


@dataclass(frozen=True)
class Filters:
    """What the table shows: rows in a province (its code), a year, of a union, in a place or the places
    inside it (their IRIs), whose union, program or place holds ``text``, at or above a confidence."""

    province: str = ""
    year: str = ""
    union: str = ""
    place: str = ""
    text: str = ""
    min_confidence: float = 0.0

    @classmethod
    def of(cls, params: Mapping) -> Filters:
        """The filters of a request, each checked; unknown names are left to the caller."""
        province, year = str(params.get("province") or ""), str(params.get("year") or "")
        if province and not re.fullmatch(r"\d{6}", province):
            raise BrowseError(f"province {province[:20]!r}: give a province's 6-digit adcode (440000)")
        if year and not re.fullmatch(r"\d{4}", year):
            raise BrowseError(f"year {year[:20]!r}: give a year as YYYY")
        union, place = (str(params.get(k) or "") for k in ("union", "place"))
        for value in (union, place):
            if value:
                iri(value)
        try:
            floor = float(params.get("min_confidence") or 0)
        except (TypeError, ValueError):
            raise BrowseError("min_confidence: give a number from 0 to 1") from None
        return cls(province, year, union, place, clean(params.get("text") or "").lower(), max(0.0, min(floor, 1.0)))

    def failed(self, row: Row) -> tuple[str, ...]:
        """The filters ``row`` does not pass."""
        out = []
        if self.province and self.province not in row.province_codes:
            out.append("province")
        if self.year and row.year != self.year:
            out.append("year")
        if self.union and row.union != self.union:
            out.append("union")
        if self.place and self.place not in row.scope:
            out.append("place")
        if self.text and self.text not in f"{row.union_label}\n{row.program_label}\n{row.places}".lower():
            out.append("text")
        if self.min_confidence and row.confidence is not None and row.confidence < self.min_confidence:
            out.append("confidence")
        return tuple(out)


FACETS = ("province", "year", "union", "place")


@lru_cache(maxsize=1)
def province_names() -> dict[str, str]:
    """Each province's name by its adcode (``440000`` → ``广东省``), from the map's outlines."""
    data = json.loads((resources.files("kg") / "data" / "provinces.json").read_text(encoding="utf-8"))
    return {p["code"]: p["name"] for p in data["provinces"]}


class _ProgramsNamed:
    """Programs found by a piece of their names, in memory (``program_names``: lower-cased name, name, IRI)."""

    program_names: list[tuple[str, str, str]]
    labels: dict[str, str]

    def programs_named(self, text: str, n: int = 1000) -> list[dict[str, str]]:
        """Up to ``n`` programs a name of which holds ``text`` (in lower case), as :data:`SUGGEST_ANY` rows."""
        found = []
        for low, name, p in self.program_names:
            if text in low:
                found.append({"n": p, "c": _UKG + "Program", "name": name, "label": self.labels.get(p, name)})
                if len(found) >= n:
                    break
        return found


class ProgramNames(_ProgramsNamed):
    """Every program's names, read in two SELECTs (about a second at 30 MB) before the table is (about five):
    what a search looks programs up in meanwhile, instead of scanning every label in Oxigraph beside the
    table's own queries (0.3-0.5 s a search then)."""

    def __init__(self, names: list[tuple[str, str]], labels: dict[str, str]):
        self.program_names = [(name.lower(), name, p) for name, p in names]
        self.labels = labels

    @classmethod
    def read(cls, select: Select) -> ProgramNames:
        labels = {r["n"]: r["a"] for r in select(PROGRAM_LABELS, max_rows=TABLE_MAX_ROWS)}
        names = [(a, p) for p, a in labels.items()]
        names += [(r["a"], r["n"]) for r in select(TABLE_PROGRAM_NAMES, max_rows=TABLE_MAX_ROWS)]
        return cls(names, labels)


class Table(_ProgramsNamed):
    """The union-program rows of one graph, with what the map needs, read with a few SELECTs."""

    def __init__(self, rows: list[Row], labels: dict[str, str], coded: dict[str, str | None],
                 codes: dict[str, str], amounts: dict[str, list[dict]], places_of: dict[str, tuple[str, ...]],
                 program_names: list[tuple[str, str]] = ()):
        self.rows = rows
        self.program_names = [(name.lower(), name, p) for name, p in program_names]
        """Each program's label and other names, with the program's IRI."""
        self.labels = labels
        self.coded = coded
        """Each place's nearest place with an adcode (itself, or one it is part of), where the map draws it."""
        self.codes = codes
        self.amounts = amounts
        self.places_of = places_of
        self._sorted: dict[tuple, list[Row]] = {}
        self._facets: dict[Filters, dict] = {}
        self._runs: dict[str, list[str]] = {}
        for r in rows:
            self._runs.setdefault(r.union, []).append(r.program)

    @classmethod
    def read(cls, select: Select) -> Table:
        """The table of the graph ``select`` asks."""

        def rows_of(text: str) -> list[dict[str, str]]:
            rows = select(text, max_rows=TABLE_MAX_ROWS)
            if len(rows) >= TABLE_MAX_ROWS:
                raise BrowseError(f"the graph is too large for the explorer's table (over {TABLE_MAX_ROWS} rows)", 503)
            return rows

        runs = rows_of(TABLE_RUNS)
        programs = {r["p"]: r for r in rows_of(TABLE_PROGRAMS)}
        labels = {r["n"]: r["l"] for r in rows_of(TABLE_NAMES)}
        labels.update((p, r["l"]) for p, r in programs.items() if r.get("l"))
        program_names = [(r["l"], p) for p, r in programs.items() if r.get("l")]
        program_names += [(r["a"], r["n"]) for r in rows_of(TABLE_PROGRAM_NAMES)]
        places_of: dict[str, list[str]] = {}
        for r in rows_of(TABLE_IN_PLACE):
            places_of.setdefault(r["p"], []).append(r["pl"])
        up: dict[str, list[str]] = {}
        codes: dict[str, str] = {}
        places = {pl for pls in places_of.values() for pl in pls}
        for r in rows_of(TABLE_PLACES):
            places.add(r["pl"])
            if r.get("code"):
                codes[r["pl"]] = r["code"]
            if r.get("up"):
                up.setdefault(r["pl"], []).append(r["up"])
        amounts = _money_by_program(rows_of(TABLE_MONEY), "CNY")
        scope, coded = _place_scopes(places, up, codes)
        names = province_names()
        rows = []
        for run in runs:
            u, p = run["u"], run["p"]
            if p not in programs:
                continue
            info, places = programs[p], sorted(places_of.get(p, ()), key=lambda x: labels.get(x, x))
            provinces = sorted({c[:2] + "0000" for pl in places if (c := codes.get(coded.get(pl) or ""))}
                               & set(names))
            date = info.get("d", "")
            rows.append(Row(u, p, labels.get(u, u), labels.get(p, p), "、".join(labels.get(x, x) for x in places),
                            "、".join(names[c] for c in provinces), tuple(provinces),
                            tuple(sorted({s for pl in places for s in scope.get(pl, (pl,))})), date, date[:4],
                            _yuan(amounts.get(p, ())), _number(info.get("k"))))
        rows.sort(key=lambda r: (r.union_label, r.date, r.program_label, r.program))
        return cls(rows, labels, coded, codes, amounts, {p: tuple(v) for p, v in places_of.items()}, program_names)

    def _matching(self, filters: Filters, sort: str, descending: bool) -> list[Row]:
        key = (filters, sort, descending)
        if key not in self._sorted:
            if len(self._sorted) > 16:
                self._sorted.clear()
            rows = [r for r in self.rows if not filters.failed(r)]
            self._sorted[key] = _sorted(rows, sort, descending)
        return self._sorted[key]

    def page(self, filters: Filters, sort: str = "union", descending: bool = False, offset: int = 0,
             limit: int = 50) -> dict:
        """A page of the rows ``filters`` keeps, sorted by the column ``sort``, with how many there are and
        the facets' counts."""
        if sort not in SORTS:
            raise BrowseError(f"sort {sort[:20]!r}: sort by one of {', '.join(SORTS)}")
        offset, limit = max(0, int(offset)), max(1, min(int(limit), MAX_PAGE))
        rows = self._matching(filters, sort, descending)
        return {"total": len(rows), "offset": offset, "rows": [_row_json(r) for r in rows[offset:offset + limit]],
                "facets": self.facets(filters), "all": len(self.rows)}

    def facets(self, filters: Filters) -> dict[str, list[dict]]:
        """For each facet, its values with how many rows they keep under the other filters, most first."""
        if filters not in self._facets:
            if len(self._facets) > 16:
                self._facets.clear()
            self._facets[filters] = self._count(filters)
        return self._facets[filters]

    def _count(self, filters: Filters) -> dict[str, list[dict]]:
        counts = {f: Counter() for f in FACETS}
        for r in self.rows:
            failed = filters.failed(r)
            if len(failed) > 1 or (failed and failed[0] not in FACETS):
                continue
            for f in FACETS if not failed else failed:
                counts[f].update(_facet_values(r, f))
        names = province_names()
        out = {}
        for f in FACETS:
            top = sorted(counts[f].items(), key=lambda kv: (-kv[1], kv[0]))
            chosen = getattr(filters, f)
            shown = [(v, n) for v, n in top if v != chosen][:FACET_VALUES]
            if chosen:
                shown.insert(0, (chosen, counts[f].get(chosen, 0)))
            label = names.get if f == "province" else (lambda v: v) if f == "year" else self.labels.get
            out[f] = [{"value": v, "label": label(v) or v, "count": n} for v, n in shown]
        return out

    def download(self, filters: Filters, sort: str = "union", descending: bool = False, fmt: str = "csv") -> tuple[str, bool]:
        """The rows ``filters`` keeps as CSV (after a UTF-8 byte order mark, cells safe in a spreadsheet) or
        JSON, and whether they were cut at :data:`MAX_DOWNLOAD`."""
        if sort not in SORTS:
            raise BrowseError(f"sort {sort[:20]!r}: sort by one of {', '.join(SORTS)}")
        rows = self._matching(filters, sort, descending)
        cut, rows = len(rows) > MAX_DOWNLOAD, rows[:MAX_DOWNLOAD]
        if fmt == "json":
            return json.dumps({"filters": {f.name: getattr(filters, f.name) for f in fields(filters)},
                               "rows": [_row_json(r) for r in rows]}, ensure_ascii=False, indent=1), cut
        if fmt != "csv":
            raise BrowseError(f"format {fmt[:20]!r}: download as csv or json")
        from .cells import table_text
        from .export import CSV_BOM

        header = ["union", "program", "place", "province", "date", "yuan", "confidence", "union_iri", "program_iri"]
        body = ([r.union_label, r.program_label, r.places, r.provinces, r.date,
                 "" if r.yuan is None else _plain(r.yuan), "" if r.confidence is None else r.confidence,
                 r.union, r.program] for r in rows)
        return CSV_BOM + table_text(header, body), cut

    def map(self) -> dict:
        """The places the map draws (a program counts at the nearest place with an adcode and coordinates:
        板逢村 at 东兰县) with their programs, unions and money, and each province's programs and money."""
        from .gazetteer import coordinates

        where = coordinates()
        programs: dict[str, set[str]] = {}
        runners: dict[str, set[str]] = {}
        for r in self.rows:
            for pl in self.places_of.get(r.program, ()):
                point = self.coded.get(pl)
                if point and self.codes.get(point) in where:
                    programs.setdefault(point, set()).add(r.program)
                    runners.setdefault(point, set()).add(r.union)
        names = province_names()
        by_province: dict[str, set[str]] = {}
        points = []
        for point, progs in programs.items():
            code = self.codes[point]
            lon, lat = where[code]
            by_province.setdefault(code[:2] + "0000", set()).update(progs)
            points.append({"id": point, "name": self.labels.get(point, point), "code": code, "lon": lon, "lat": lat,
                           "programs": len(progs), "unions": len(runners[point]), "yuan": self._money(progs)})
        points.sort(key=lambda p: (-p["programs"], p["code"]))
        provinces = [{"code": c, "name": names[c], "programs": len(ps), "yuan": self._money(ps)}
                     for c, ps in sorted(by_province.items()) if c in names]
        return {"points": points[:2000], "provinces": provinces}

    def union_money(self, union: str) -> float | None:
        """A union's money: its programs' ``total`` amounts, each once (:func:`kg.money.programs_total`)."""
        return self._money(self._runs.get(union, ()))

    def _money(self, programs: Iterable[str]) -> float | None:
        return money.as_float(money.programs_total(self.amounts.get(p, ()) for p in programs))


def _place_scopes(places: set[str], up: dict[str, list[str]], codes: dict[str, str]):
    """Each place with the places it is part of (itself first), and its nearest place with an adcode."""
    scope: dict[str, tuple[str, ...]] = {}
    coded: dict[str, str | None] = {}
    for start in places:
        seen, todo, nearest = [start], [start], None
        while todo:
            at = todo.pop(0)
            if nearest is None and at in codes:
                nearest = at
            for parent in sorted(up.get(at, ())):
                if parent not in seen and len(seen) < 64:
                    seen.append(parent)
                    todo.append(parent)
        scope[start], coded[start] = tuple(seen), nearest
    return scope, coded


def _facet_values(row: Row, facet: str) -> Iterable[str]:
    if facet == "province":
        return row.province_codes
    if facet == "year":
        return (row.year,) if row.year else ()
    if facet == "union":
        return (row.union,)
    return row.scope


def _sorted(rows: list[Row], sort: str, descending: bool) -> list[Row]:
    """Rows by a column, those without a value last either way; ties in the table's own order."""
    name = SORTS[sort]
    have = [r for r in rows if getattr(r, name) not in (None, "")]
    have.sort(key=lambda r: getattr(r, name), reverse=descending)
    return have + [r for r in rows if getattr(r, name) in (None, "")]


def _plain(x: float) -> str:
    return str(int(x)) if x == int(x) else repr(x)


def _row_json(r: Row) -> dict:
    return {"union": r.union, "program": r.program, "union_label": r.union_label, "program_label": r.program_label,
            "places": r.places, "provinces": r.provinces, "date": r.date, "yuan": r.yuan, "confidence": r.confidence}
