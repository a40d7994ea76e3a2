"""The ``kg`` command: a thin layer over the library.

Each command validates its arguments, makes one library call and formats the
result. A :class:`~kg.errors.KgError` becomes a one-line message on stderr
and exit status 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import KgError


def _progress(quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return lambda items, stage="reading", unit="file": tqdm(items, desc=stage, unit=unit, file=sys.stderr,
                                                            leave=False, total=len(items))


def cmd_build(args: argparse.Namespace) -> int:
    from .pipeline import build, build_store

    if (args.executor == "dask") != bool(args.scheduler):
        raise KgError("--executor dask needs --scheduler ADDRESS, and --scheduler needs --executor dask")

    if args.store:
        if args.min_confidence:
            raise KgError("--min-confidence applies to a build into files; a store keeps every program with its "
                          "ukg:confidence: filter in the query (FILTER(?confidence >= 0.5))")
        if args.output is not None:
            raise KgError("give --store DIR or -o DIR, not both; write files from a store with kg export --store")
        r = build_store(args.sources, args.store, strict=args.strict, progress=_progress(args.quiet),
                        date=args.date, jobs=args.jobs, scheduler=args.scheduler, corrections=args.corrections,
                        apply_corrections=not args.no_corrections)
        for message in r.skipped:
            print(f"kg: warning: skipped {message}", file=sys.stderr)
        for message in r.notes:
            print(f"kg: warning: {message}", file=sys.stderr)
        _corrections_warnings(r.corrections)
        if not args.quiet:
            print(f"added     {len(r.added)}\nchanged   {len(r.changed)}\nunchanged {len(r.unchanged)}"
                  f"\nrefolded  {len(r.refolded)}  (unions named differently since)\nfiles     {r.files} in {args.store}")
            _corrections_summary(r.corrections)
        return 0
    args.output = args.output or "output"

    result = build(args.sources, args.output, strict=args.strict, progress=_progress(args.quiet),
                   html=not args.no_html, max_nodes=args.max_nodes, date=args.date, jobs=args.jobs,
                   scheduler=args.scheduler, min_confidence=args.min_confidence, corrections=args.corrections,
                   apply_corrections=not args.no_corrections)
    for message in result.skipped:
        print(f"kg: warning: skipped {message}", file=sys.stderr)
    for message in result.notes:
        print(f"kg: warning: {message}", file=sys.stderr)
    _corrections_warnings(result.corrections)
    if not args.quiet:
        s = result.summary()
        print(f"files     {s['files']}" + (f"  (skipped {s['skipped']})" if s["skipped"] else ""))
        for key in ("articles", "unions", "programs", "places", "amounts", "triples"):
            print(f"{key:<9} {s[key]}")
        _corrections_summary(result.corrections)
        for path in result.outputs.values():
            print(f"wrote     {path}")
    if result.view_notice and not (args.quiet and "html" in result.outputs):
        print(f"kg: note: {result.view_notice}", file=sys.stderr)  # a page not written is said even with -q
    return 0


def _corrections_warnings(report) -> None:
    """One line on stderr per correction the build could not apply."""
    for line in report.lines() if report is not None else ():
        print(f"kg: warning: {line}", file=sys.stderr)


def _corrections_summary(report) -> None:
    if report is not None:
        print(f"corrected {len(report.applied)}" + (f"  ({len(report.unapplied)} not applied)"
                                                   if report.unapplied else "") + f"  from {report.path}")


def _corrections_target(args: argparse.Namespace):
    """The corrections file ``kg correct`` edits and the graph it checks against: ``--corrections``, else
    the one the store or the output folder uses."""
    from .corrections import DEFAULT_NAME

    if args.store:
        from .store import open_store

        with open_store(args.store) as st:
            path = args.corrections or st.meta.get("corrections") or str(Path(args.store) / DEFAULT_NAME)
            graph = st.graph() if args.command_action != "list" else None
        return Path(path), graph
    out = Path(args.output or "output")
    path = Path(args.corrections) if args.corrections else out / DEFAULT_NAME
    if args.command_action == "list":
        return path, None
    from .export import read_graph

    if not (out / "graph.ttl").is_file():
        raise KgError(f"{out}/graph.ttl: no graph to check the correction against; build one with "
                      f"kg build SRC -o {out}, or give -o or --store")
    return path, read_graph(out / "graph.ttl")


def cmd_correct(args: argparse.Namespace) -> int:
    from .corrections import SEP, Correction, add_correction, read_corrections, remove_correction

    path, graph = _corrections_target(args)
    if args.command_action == "list":
        book = read_corrections(path)
        for n, c in enumerate(book.items, start=1):
            print(f"{n:>3}  {c.describe()}  ({c.by or '?'}, {c.at or '?'})" + (f"  {c.note}" if c.note else ""))
        if not book.items:
            print(f"no corrections in {path}")
        return 0
    if args.command_action == "undo":
        gone = remove_correction(path, args.number)
        print(f"removed correction {args.number}: {gone.describe()}  (from {path}; the next kg build undoes it)")
        return 0
    a = args.command_action
    if a == "add":
        c = Correction("add", "program", args.file or "", args.program, args.union, SEP.join(args.place),
                       SEP.join(args.amount), args.evidence or "", args.by or "", "", args.note or "")
    else:
        label, other = (args.targets + [""])[:2]
        need = 1 if a == "reject" and args.what in ("program", "union") else 2
        if len(args.targets) != need:
            raise KgError(f"kg correct {a} {args.what} takes {need} label(s), got {len(args.targets)}: "
                          + {"runs": "PROGRAM UNION", "place": "PROGRAM PLACE", "amount": "PROGRAM AMOUNT-TEXT"}.get(
                              args.what, "LABEL" if need == 1 else ("KEEP OTHER" if a == "merge" else "OLD NEW")))
        c = Correction(a, args.what, args.file or "", label, other, "", "", args.evidence or "", args.by or "", "",
                       args.note or "")
    n = add_correction(path, c, None if args.no_check else graph)
    print(f"correction {n}: {c.describe()}  (in {path}; applied by the next kg build)")
    return 0


def _source(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """The GRAPH file or the ``--store`` folder a command reads (one of them, not both)."""
    graph, store = args.graph, getattr(args, "store", None)
    if graph and store:
        raise KgError("give a GRAPH file or --store DIR, not both")
    if not (graph or store):
        raise KgError("give a graph file (e.g. output/graph.ttl) or --store DIR")
    return graph, store


def _graph(args: argparse.Namespace):
    """The graph a command reads: its GRAPH file, or the store of ``--store``."""
    graph, store = _source(args)
    if store:
        from .store import open_store

        with open_store(store) as st:
            return st.graph()
    from .export import read_graph

    return read_graph(graph)


def cmd_remove(args: argparse.Namespace) -> int:
    from .store import GraphStore

    with GraphStore(args.store, create=False) as st:  # an existing store: never make one here
        r = st.remove(args.files, st.corrections())
        left = len(st.files)
    _corrections_warnings(r.corrections)
    for key in r.removed:
        print(f"removed   {key}")
    if r.refolded:
        print(f"refolded  {len(r.refolded)}  (unions named differently since)")
    print(f"files     {left} in {args.store}")
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from .sparql import format_result, load_graph_file, load_query, parse_binding, run_store_query, saved_queries, \
        saved_query

    if args.list:
        for q in saved_queries().values():
            print(f"{q.name:<20} {q.description}")
        return 0
    if args.store and args.query is None and args.graph is not None and not args.saved:
        args.graph, args.query = None, args.graph  # kg query --store DIR QUERY
    graph, store = _source(args)
    if args.saved:
        if args.query:
            raise KgError("give either a QUERY or --saved NAME, not both")
        text = saved_query(args.saved).for_store()
    elif args.query:
        text = load_query(args.query)
    else:
        raise KgError("give a QUERY (SPARQL text or a .rq file) or --saved NAME; see kg query --list")
    bindings = dict(parse_binding(b) for b in args.bind)
    if store:
        from .store import open_store

        with open_store(store) as st:
            result = run_store_query(st.ox, text, bindings, union=not st.merged)
    else:
        result = run_store_query(load_graph_file(graph), text, bindings)
    for note in result.notes:
        print(f"kg: note: {note}", file=sys.stderr)
    print(format_result(result, args.format))
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import evaluate, format_report, load_gold, merge_gold
    from .export import read_graph

    from .corrections import read_corrections

    golds = [g for g in args.gold if not g.lower().endswith(".csv")]
    fixes = [read_corrections(g) for g in args.gold if g.lower().endswith(".csv")]
    for book in fixes:
        if not Path(book.path).is_file():
            raise KgError(f"{book.path}: no such corrections file")
    graph = read_graph(args.graph)
    gold = merge_gold([load_gold(g) for g in golds], golds) if golds else {"files": {}}
    report = evaluate(graph, gold, fixes)
    if args.format == "json":
        data = report.explain_dict() if args.explain else report.as_dict()
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(format_report(report, explain=args.explain))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from .graphstats import format_stats, stats, store_stats

    graph, store = _source(args)
    if store:
        from .store import open_store

        with open_store(store) as st:
            data = store_stats(st.ox, top=args.top, network=args.network, union=not st.merged)
    else:
        data = stats(graph, top=args.top, network=args.network)
    print(json.dumps(data, ensure_ascii=False, indent=2) if args.format == "json" else format_stats(data))
    return 0


def cmd_view(args: argparse.Namespace) -> int:
    from .explorer import check_max_nodes, render_view
    from .outputs import atomic_write

    if args.depth < 0:
        raise KgError(f"--depth {args.depth}: give 0 or more")
    check_max_nodes(args.max_nodes)  # before the graph is read
    graph, store = _source(args)
    if store:
        from .store import open_store
        from .viewgraph import of_store

        with open_store(store) as st:
            graph = of_store(st)
    view = render_view(graph, focus=args.focus, depth=args.depth, max_nodes=args.max_nodes,
                       since=args.since, until=args.until)
    atomic_write(args.output, view.html)
    print(f"wrote {args.output}: {view.nodes} nodes, {view.edges} edges"
          + (f", centred on {view.focus}" if view.focus else ""))
    if view.notice:
        print(f"kg: note: {view.notice}", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export, write_sorted
    from .outputs import atomic_write_with

    _graph_file, store = _source(args)
    if store and args.format in ("turtle", "nt"):
        from .export import DEFAULT_PATHS
        from .store import open_store

        path = Path(args.output or DEFAULT_PATHS[args.format])
        with open_store(store) as st:  # straight from the store, in sorted runs beside the output
            print(f"wrote {atomic_write_with(path, lambda tmp: write_sorted(st.triples(), tmp, args.format))}")
        return 0
    for path in export(_graph(args), args.format, args.output):
        print(f"wrote {path}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .browsepage import Browser
    from .editor import Explorer
    from .serve import serve

    options = dict(host=args.host, port=args.port, timeout=args.timeout, max_rows=args.max_rows,
                   workers=args.workers, max_memory_mb=args.max_memory, pages=Browser(Explorer()))
    graph, store = _source(args)
    if args.corrections:
        from .editor import check_loopback, editor_of_store

        if not store:
            raise KgError("kg serve --corrections needs --store DIR: corrections apply to each file's records, "
                          "which a store keeps and a graph file does not (kg build SRC --store DIR)")
        check_loopback(args.host)
    else:
        serve(graph or Path(store), **options)  # a store is served from a snapshot: builds may go on
        return 0
    import tempfile

    with tempfile.TemporaryDirectory(prefix="kg-store-copy-") as tmp:
        editor = editor_of_store(store, args.corrections, tmp)
        serve(editor.graph_file, **{**options, "pages": Browser(editor)})
    return 0


class _Help(argparse.ArgumentDefaultsHelpFormatter):
    """Help that shows each default, where there is one to show."""

    def _get_help_string(self, action):
        if action.default in (None, False, []) or action.default is argparse.SUPPRESS:
            return action.help
        return super()._get_help_string(action)


def _graph_arguments(p: argparse.ArgumentParser, store_note: str = "") -> None:
    """GRAPH, or ``--store DIR`` instead: what the reading commands take."""
    p.add_argument("graph", nargs="?", metavar="GRAPH", help="a graph file, e.g. output/graph.ttl")
    p.add_argument("--store", metavar="DIR", help="a store made by kg build --store, instead of GRAPH" + store_note)


def parser() -> argparse.ArgumentParser:
    from .explorer import DEFAULT_MAX_NODES
    from .export import DEFAULT_PATHS
    from .pages import default_jobs
    from .export import FORMATS as EXPORT_FORMATS
    from .sparql import FORMATS

    fmt = _Help
    p = argparse.ArgumentParser(
        prog="kg", formatter_class=fmt, description="Build and ask knowledge graphs of which union runs which "
        "program, where, when, with how much, from Chinese trade-union news pages.")
    p.add_argument("--version", action="version", version=f"kg {__version__}", help="print the version and exit")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    b = sub.add_parser("build", help="read pages, write graph.ttl, ontology.ttl and graph.html", formatter_class=fmt,
                       description="Read newspaper pages or articles (files, or folders of *.txt) "
                       "and write the graph as Turtle and as an HTML view.")
    b.add_argument("sources", nargs="+", metavar="SRC", help="a .txt file or a folder of them")
    b.add_argument("-o", "--output", metavar="DIR", help="output folder (default: output)")
    b.add_argument("--store", metavar="DIR", help="keep the graph in a persistent store instead, adding these "
                   "files to it: unchanged files are not read again (see kg export/query/remove --store)")
    b.add_argument("--date", metavar="YYYY-MM-DD",
                   help="the date of pages whose file name gives none (2023-12-25_p01.txt and "
                   "20231225.txt give their own); dates the text gives win")
    b.add_argument("--jobs", type=int, default=default_jobs(), metavar="N",
                   help="worker processes that read, split and extract (the output is the same for any N)")
    b.add_argument("--executor", choices=("local", "dask"), default="local",
                   help="where files are read, split and extracted: worker processes here, or a Dask cluster")
    b.add_argument("--scheduler", metavar="ADDRESS", help="the Dask scheduler, e.g. tcp://10.0.0.5:8786 (with "
                   "--executor dask; its workers must see the files at the same paths)")
    b.add_argument("--min-confidence", type=float, default=0.0, metavar="X",
                   help="drop what kg is less sure of than X (0-1): programs, their runners, places and amounts "
                   "(each keeps its ukg:confidence)")
    b.add_argument("--corrections", metavar="FILE", help="the corrections to apply (default: corrections.csv in the "
                   "output folder or the store, if there is one; a store remembers a FILE given)")
    b.add_argument("--no-corrections", action="store_true",
                   help="apply no corrections: the graph as the extractor alone reads it")
    b.add_argument("--strict", action="store_true", help="stop at the first unreadable file")
    b.add_argument("--no-html", action="store_true", help="skip the HTML view")
    b.add_argument("--max-nodes", type=int, default=DEFAULT_MAX_NODES, metavar="N",
                   help="node ceiling of the HTML view: a graph with more nodes gets no graph.html (explore it "
                   "with kg serve --store)")
    b.add_argument("-q", "--quiet", action="store_true", help="print nothing but warnings and errors")
    b.set_defaults(func=cmd_build)

    q = sub.add_parser("query", help="run SPARQL on a graph file", formatter_class=fmt,
                       description="Run a SPARQL query (text, a .rq file, or a saved query) on a graph. "
                       "The prefixes ukg:, rdfs:, skos:, prov:, xsd: need no PREFIX lines; updates are refused.")
    q.add_argument("graph", nargs="?", metavar="GRAPH", help="a Turtle file, e.g. output/graph.ttl")
    q.add_argument("query", nargs="?", metavar="QUERY", help="SPARQL text or a .rq file")
    q.add_argument("--store", metavar="DIR", help="a store made by kg build --store, instead of GRAPH "
                   "(then: kg query --store DIR QUERY)")
    q.add_argument("--saved", metavar="NAME", help="run a saved query (see --list)")
    q.add_argument("--list", action="store_true", help="list the saved queries")
    q.add_argument("--bind", action="append", default=[], metavar="NAME=VALUE",
                   help="bind a variable of the query, e.g. --bind union=青岛市总工会 (repeatable; another "
                   "name of a node, such as 青岛市总, is bound to its label)")
    q.add_argument("--format", choices=FORMATS, default="table", help="output format")
    q.set_defaults(func=cmd_query)

    e = sub.add_parser("evaluate", help="score a graph against ukg-gold/1 annotations", formatter_class=fmt,
                       description="Precision, recall and F1 of unions, runs, places and money, and their mean.")
    e.add_argument("graph", metavar="GRAPH", help="the graph to score, e.g. output/graph.ttl")
    e.add_argument("gold", nargs="+", metavar="GOLD.json", help="one or more ukg-gold/1 files, and corrections "
                   "files (.csv, from kg correct): the facts users rejected and added, scored beside the gold")
    e.add_argument("--explain", action="store_true",
                   help="list every false positive and false negative, per file and metric, with evidence")
    e.add_argument("--format", choices=("table", "json"), default="table", help="output format")
    e.set_defaults(func=cmd_evaluate)

    s = sub.add_parser("stats", help="counts, most active unions, components, busiest places", formatter_class=fmt,
                       description="Counts from SPARQL aggregates (Oxigraph); --network adds networkx's "
                       "betweenness and components.")
    _graph_arguments(s)
    s.add_argument("--top", type=int, default=10, metavar="N", help="rows in the top lists")
    s.add_argument("--network", action="store_true", help="also the unions' betweenness and the connected "
                   "components (the whole graph in networkx: minutes and gigabytes at 30 MB)")
    s.add_argument("--format", choices=("table", "json"), default="table", help="output format")
    s.set_defaults(func=cmd_stats)

    v = sub.add_parser("view", help="write an interactive HTML view of a graph", formatter_class=fmt,
                       description="The whole graph, or the neighbourhood of one node, as an HTML page "
                       "with graph, table and map tabs that works offline.")
    _graph_arguments(v)
    v.add_argument("-o", "--output", default="output/view.html", metavar="FILE.html", help="the page to write")
    v.add_argument("--focus", metavar="LABEL", help="centre on the node whose label (or other name) contains LABEL")
    v.add_argument("--depth", type=int, default=2, metavar="N", help="hops around --focus")
    v.add_argument("--since", metavar="DATE", help="only programs dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)")
    v.add_argument("--until", metavar="DATE", help="only programs dated on or before DATE")
    v.add_argument("--max-nodes", type=int, default=DEFAULT_MAX_NODES, metavar="N",
                   help="node ceiling: the page carries the N most relevant nodes")
    v.set_defaults(func=cmd_view)

    x = sub.add_parser("export", help="write a graph as Turtle, N-Triples, JSON-LD, GraphML, CSV or HTML",
                       formatter_class=fmt, description="Convert a graph file. CSV writes a folder of tables: one "
                       "per class and runs.csv (union, program, place, date, yuan: the sum of the program's total "
                       "amounts, standard, other_yuan, file). Default -o by format: "
                       + ", ".join(f"{k} {v}" for k, v in DEFAULT_PATHS.items()) + ".")
    _graph_arguments(x, " (turtle and nt are written by Oxigraph straight from it)")
    x.add_argument("--format", choices=EXPORT_FORMATS, default="turtle", help="what to write")
    x.add_argument("-o", "--output", metavar="PATH", help="file (folder for csv) to write")
    x.set_defaults(func=cmd_export)

    c = sub.add_parser("correct", help="fix what kg got wrong, once: reject, merge, rename, add; list, undo",
                       formatter_class=fmt, description="Add a correction to the corrections file (checked against "
                       "the current graph; an ambiguous target is refused with the candidates listed), list them, or "
                       "undo one. Every kg build and store update applies them (docs/corrections.md).")
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument("-o", "--output", metavar="DIR", help="the output folder whose graph.ttl is checked and "
                       "whose corrections.csv is edited (default: output)")
    where.add_argument("--store", metavar="DIR", help="a store instead: its graph, its corrections file")
    where.add_argument("--corrections", metavar="FILE", help="another corrections file to edit")
    who = argparse.ArgumentParser(add_help=False)
    who.add_argument("--file", metavar="FILE", help="the source file the fact is read from (its base name, "
                     "as ukg:sourceFile gives it)")
    who.add_argument("--evidence", metavar="TEXT", help="words of the sentence it is read from (tells apart "
                     "programs of one label; required by add)")
    who.add_argument("--by", metavar="NAME", help="who makes the correction (default: the login name)")
    who.add_argument("--note", metavar="TEXT", help="why")
    who.add_argument("--no-check", action="store_true", help="do not check it against the graph")
    csub = c.add_subparsers(dest="command_action", metavar="ACTION", help="reject, merge, rename, add, list or undo")
    csub.required = True
    for action, what, help_text in (
            ("reject", ("program", "runs", "place", "amount", "union"),
             "reject a program (LABEL), a runner (PROGRAM UNION), a place link (PROGRAM PLACE), an amount "
             "(PROGRAM AMOUNT-TEXT) or a union mention (UNION), in --file"),
            ("merge", ("union", "program"), "merge OTHER into KEEP (its label stays; OTHER's becomes an altLabel); "
             "a union everywhere unless --file, a program in --file"),
            ("rename", ("union", "program", "place"), "give a node the label NEW (OLD stays as skos:altLabel)")):
        sp = csub.add_parser(action, parents=[where, who], formatter_class=fmt, help=help_text, description=help_text)
        sp.add_argument("what", choices=what, help="what the correction is about")
        sp.add_argument("targets", nargs="+", metavar="LABEL", help="the labels, as the graph writes them")
    ad = csub.add_parser("add", parents=[where, who], formatter_class=fmt, help="add a fact the extractor missed",
                         description="UNION runs PROGRAM (a new program, or one the file already has), with its "
                         "places and amounts, read from --evidence in --file.")
    ad.add_argument("program", metavar="PROGRAM", help="the program's label")
    ad.add_argument("--union", required=True, metavar="UNION", help="the union that runs it")
    ad.add_argument("--place", action="append", default=[], metavar="PLACE", help="a place it is in (repeatable)")
    ad.add_argument("--amount", action="append", default=[], metavar="TEXT",
                    help="an amount as the text writes it, e.g. 51.02万元 (repeatable)")
    csub.add_parser("list", parents=[where], formatter_class=fmt, help="list the corrections, numbered")
    un = csub.add_parser("undo", parents=[where], formatter_class=fmt, help="remove correction N (see list)")
    un.add_argument("number", type=int, metavar="N", help="its number in kg correct list")
    c.set_defaults(func=cmd_correct)

    r = sub.add_parser("remove", help="drop files from a store", formatter_class=fmt,
                       description="Drop source files (by name, key or path) from a store made by kg build --store; "
                       "unions and places other files name stay, and names fold again without them.")
    r.add_argument("files", nargs="+", metavar="FILE", help="a file's name, key or path as built")
    r.add_argument("--store", required=True, metavar="DIR", help="the store")
    r.set_defaults(func=cmd_remove)

    sv = sub.add_parser("serve", help="serve a graph as a read-only SPARQL endpoint", formatter_class=fmt,
                        description="A SPARQL 1.1 Protocol endpoint and query page (Oxigraph), read-only, "
                        "on 127.0.0.1 unless told otherwise.")
    _graph_arguments(sv)
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback unless you mean otherwise)")
    sv.add_argument("--port", type=int, default=7878, help="port to listen on")
    sv.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help="per-query time limit")
    sv.add_argument("--max-rows", type=int, default=10000, metavar="N", help="row cap of a result")
    sv.add_argument("--workers", type=int, default=0, metavar="N",
                    help="query worker processes (0: one per core, at least 2)")
    sv.add_argument("--max-memory", type=int, default=1024, metavar="MB",
                    help="memory limit of one query's worker")
    sv.add_argument("--corrections", metavar="FILE", help="let the explorer (/explorer) reject, merge, rename and "
                    "add: it writes FILE (nothing else) and serves the graph it makes at once; with --store, "
                    "on loopback only (off by default: read-only)")
    sv.set_defaults(func=cmd_serve)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KgError as e:
        print(f"kg: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
