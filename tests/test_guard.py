"""No kg command or library call fetches anything, whatever the query; and the check reads a query as
both engines do (rdflib for graph files and kg.query, Oxigraph for --store and kg serve)."""

from __future__ import annotations

import re
import sys
import time

import pytest

pytest.importorskip("pyoxigraph", reason="pyoxigraph is not installed (pip install -e .)")

import kg  # noqa: E402
from kg.cli import main  # noqa: E402
from kg.errors import QueryRefusedError  # noqa: E402
from kg.guard import NO_FROM, NO_SERVICE, canonical  # noqa: E402
from kg.sparql import run_query, run_store_query  # noqa: E402
from kg.store import open_store  # noqa: E402

from conftest import DATA  # noqa: E402

SERVICE, FROM = re.escape(NO_SERVICE), re.escape(NO_FROM)
AMBIGUOUS = f"which SPARQL parsers read differently|{SERVICE}"
"""A lone CR is refused as such; read from a .rq file it is a line end (universal newlines), so SERVICE is."""

# What each query must be refused for (a pattern); {url} is the canary's address.
FETCHING = {
    "the reported .rq: one POST per union": (
        "SELECT ?l WHERE { ?u a ukg:Union ; rdfs:label ?l . SERVICE <{url}> { ?x ?y ?l } }", SERVICE),
    "a plain SERVICE": ("SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }", SERVICE),
    "a comment Oxigraph ends at a lone CR": (
        "SELECT * WHERE { # c\r SERVICE <{url}> { ?s ?p ?o } \n}", AMBIGUOUS),
    "a lone CR spelt as an escape": ("SELECT * WHERE { # c\\u000D SERVICE <{url}> { ?s ?p ?o } \n}", AMBIGUOUS),
    "SERVICE spelt with an escape": ("SELECT * WHERE { \\u0053ERVICE <{url}> { ?s ?p ?o } }", SERVICE),
    "inside FILTER EXISTS": ("SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <{url}> { ?s ?p ?o } } }",
                             SERVICE),
    "inside a subquery": ("SELECT * WHERE { { SELECT ?s WHERE { SERVICE SILENT <{url}> { ?s ?p ?o } } } }",
                          SERVICE),
    "inside OPTIONAL": ("SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <{url}> { ?s ?p ?o } } }", SERVICE),
    "FROM a URL": ("SELECT * FROM <{url}> WHERE { ?s ?p ?o }", FROM),
    "FROM NAMED a URL": ("SELECT * FROM NAMED <{url}> WHERE { GRAPH ?g { ?s ?p ?o } }", FROM),
    "FROM a local file": ("SELECT * FROM <file:///etc/hostname> WHERE { ?s ?p ?o }", FROM),
}


class Opened:
    """Records the files Python opens and the URLs urllib requests while armed (an audit hook:
    rdflib reads FROM <file:…> with open() and fetches SERVICE and FROM <http:…> with urllib)."""

    def __init__(self):
        self.armed = False
        self.seen: list[str] = []
        sys.addaudithook(self._hook)

    def _hook(self, event, args):
        if self.armed and (event == "urllib.Request" or (event == "open" and "hostname" in str(args[0]))):
            self.seen.append(f"{event} {args[0]}")


@pytest.fixture(scope="module")
def opened():
    return Opened()


def _query(template: str, canary) -> str:
    return template.replace("{url}", f"http://127.0.0.1:{canary.port}/x")


def _nothing_reached(canary, opened) -> None:
    time.sleep(0.05)
    assert canary.hits == [] and opened.seen == []


@pytest.mark.parametrize("how", ["rq-file", "text"])
@pytest.mark.parametrize("engine", ["graph-file", "store"])
@pytest.mark.parametrize("name", FETCHING)
def test_kg_query_refuses_in_one_line_and_connects_nowhere(capsys, tmp_path, canary, opened, fixture_store,
                                                           engine, name, how):
    template, reason = FETCHING[name]
    query = _query(template, canary)
    if how == "rq-file":
        query = tmp_path / "shared.rq"
        query.write_text(_query(template, canary), encoding="utf-8", newline="")
    source = [DATA / "fixture.ttl"] if engine == "graph-file" else ["--store", fixture_store]
    opened.armed = True
    try:
        code = main(["query", *map(str, source), str(query)])
    finally:
        opened.armed = False
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.startswith("kg: error: ") and re.search(reason, err) and err.count("\n") == 1
    _nothing_reached(canary, opened)


@pytest.mark.filterwarnings("ignore:Dataset.default_context:DeprecationWarning")
@pytest.mark.parametrize("name", FETCHING)
def test_the_library_refuses_on_both_engines_and_connects_nowhere(canary, opened, fixture_store, name):
    from rdflib import Dataset

    template, reason = FETCHING[name]
    query = _query(template, canary)
    dataset = Dataset()  # through a Dataset rdflib would load FROM <iri>: a URL or a local file
    dataset.parse(DATA / "fixture.ttl")
    opened.armed = True
    try:
        with pytest.raises(QueryRefusedError, match=reason):
            kg.query(dataset, query)
        with open_store(fixture_store) as st, pytest.raises(QueryRefusedError, match=reason):
            run_store_query(st.ox, query)
    finally:
        opened.armed = False
    _nothing_reached(canary, opened)


@pytest.mark.filterwarnings("ignore:Dataset.default_context:DeprecationWarning")
def test_the_canaries_see_what_the_engines_do_unchecked(tmp_path, opened):
    """The listener and the audit hook catch rdflib and Oxigraph fetching, when nothing checks the query."""
    import pyoxigraph as ox
    from rdflib import Dataset, Graph

    from conftest import Canary

    c = Canary()
    hostname = tmp_path / "hostname"
    hostname.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    try:
        opened.armed = True
        for run in (lambda q: list(Graph().query(q)), lambda q: list(ox.Store().query(q))):
            try:
                run(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{c.port}/x> {{ ?s ?p ?o }} }}")
            except Exception:  # noqa: BLE001 - the canary answers nothing SPARQL
                pass
        rows = list(Dataset().query(f"SELECT * FROM <{hostname.as_uri()}> WHERE {{ ?s ?p ?o }}"))
        opened.armed = False
        time.sleep(0.1)
        assert len(c.hits) == 2 and len(rows) == 1
        assert any(s.startswith("open ") for s in opened.seen)
    finally:
        opened.armed = False
        opened.seen.clear()
        c.close()


# The differential test: every spelling goes through kg's check, then through rdflib (a Graph) and
# Oxigraph (a Store) holding the same triples; both must refuse it, or both answer it the same.
DIFF_TURTLE = '''@prefix ex: <http://ex.org/> .
<http://ex.org/a#b> ex:p "x#y" .
ex:c ex:p """line1
# not a comment""" .
ex:d ex:q ex:e .
'''
PREFIX = "PREFIX ex: <http://ex.org/>\n"
RUNS = {
    "# in an IRI": "SELECT ?o WHERE { <http://ex.org/a#b> ex:p ?o }",
    "# in a string": 'SELECT ?s WHERE { ?s ex:p "x#y" }',
    "# in a single-quoted string": "SELECT ?s WHERE { ?s ex:p 'x#y' }",
    "a long string with # and a newline": 'SELECT ?s WHERE { ?s ex:p """line1\n# not a comment""" }',
    "a long single-quoted string with ' and #": "SELECT ?s WHERE { ?s ex:p ?v FILTER(?v != '''it's # \"x\"''') }",
    "an escaped newline and # in a string": 'SELECT ?s WHERE { ?s ex:p "line1\\n# not a comment" }',
    "a comment ending at LF hides SERVICE": "SELECT ?s WHERE { ?s ex:q ?o # SERVICE <{url}> { ?s ?p ?o }\n}",
    "a comment ending at CR LF hides SERVICE": "SELECT ?s WHERE { # SERVICE <{url}> { ?s ?p ?o }\r\n ?s ex:q ?o }",
    "an escape spelling # opens a comment": "SELECT ?s WHERE { ?s ex:q ?o \\u0023 SERVICE <{url}> { ?s ?p ?o }\n}",
    "an escape spelling LF ends a comment": "SELECT ?s WHERE { # c\\u000A ?s ex:q ?o }",
    "an escape spelling # in an IRI": "SELECT ?o WHERE { <http://ex.org/a\\u0023b> ex:p ?o }",
    "an escape spelling # in a string": 'SELECT ?s WHERE { ?s ex:p "x\\u0023y" }',
    "an escape of a character outside the BMP": 'SELECT ?s WHERE { ?s ex:p ?v FILTER(?v != "\\U0001F600") }',
    "nested braces": "SELECT ?s WHERE { { { ?s ex:q ?o } } FILTER EXISTS { { ?s ?p ?o } } }",
    "braces, # and SERVICE inside a string": 'SELECT ?s WHERE { ?s ex:p ?v FILTER(?v != "} # SERVICE <{url}> {") }',
    "quotes inside a comment": "SELECT ?s WHERE { ?s ex:q ?o # it's \"quoted\n}",
    "less-than before a comment": "SELECT ?s WHERE { ?s ex:q ?o FILTER(1 <2) # x>\n}",
    "a comment at the end with no line end": "ASK { ?s ex:q ?o } # SERVICE <{url}> { ?s ?p ?o }",
    "lower-case keywords": "select ?s where { ?s ex:q ?o }",
    "SERVICE as a local name": "SELECT ?s ?x WHERE { ?s ex:q ?o OPTIONAL { ?s ex:SERVICE ?x } }",
}
REFUSED = {
    "a comment ending at a lone CR": "SELECT ?s WHERE { ?s ex:q ?o # c\r FILTER(1 = 0) \n}",
    "a lone CR spelt as an escape": "SELECT ?s WHERE { ?s ex:q ?o # c\\u000D FILTER(1 = 0) \n}",
    "SERVICE after a lone CR": "SELECT ?s WHERE { # c\r SERVICE <{url}> { ?s ?p ?o } \n}",
    "a comment ending at U+2028": "SELECT ?s WHERE { ?s ex:q ?o # c\u2028 FILTER(1 = 0) \n}",
    "a comment ending at U+2029": "SELECT ?s WHERE { ?s ex:q ?o # c\u2029 FILTER(1 = 0) \n}",
    "a comment ending at U+0085": "SELECT ?s WHERE { ?s ex:q ?o # c\u0085 FILTER(1 = 0) \n}",
    "a comment ending at a form feed": "SELECT ?s WHERE { ?s ex:q ?o # c\x0c FILTER(1 = 0) \n}",
    "U+2028 spelt as an escape": "SELECT ?s WHERE { ?s ex:q ?o # c\\u2028 FILTER(1 = 0) \n}",
    "a vertical tab between terms": "SELECT ?s WHERE {\x0b?s ex:q ?o }",
    "half a surrogate pair": 'SELECT ?s WHERE { ?s ex:p ?v FILTER(?v != "\\uD83D\\uDE00") }',
    "an escape in a prefixed name": "SELECT ?o WHERE { ex:a\\#b ex:p ?o }",
    "an escape decoding to an escape": "SELECT ?s WHERE { ?s ex:q ?o # \\u005Cu000D FILTER(1 = 0) \n}",
    "SERVICE spelt with escapes": "SELECT ?s WHERE { \\u0053ERVICE <{url}> { ?s ?p ?o } }",
    "SERVICE in FILTER NOT EXISTS": "SELECT ?s WHERE { ?s ?p ?o FILTER NOT EXISTS { SERVICE <{url}> { ?s ?p ?o } } }",
    "FROM": "SELECT ?s FROM <{url}> WHERE { ?s ex:q ?o }",
    "FROM NAMED": "SELECT ?s FROM NAMED <{url}> WHERE { ?s ex:q ?o }",
}


@pytest.fixture(scope="module")
def engines():
    import pyoxigraph as ox
    from rdflib import Graph

    store = ox.Store()
    store.load(DIFF_TURTLE, format=ox.RdfFormat.TURTLE)
    return Graph().parse(data=DIFF_TURTLE, format="turtle"), store


def _outcome(run, query: str) -> tuple:
    """What an engine made of a query, comparable across engines: its refusal or error, or its answer."""
    from kg.errors import QueryError

    try:
        r = run(query)
    except QueryError as e:
        return ("refused" if isinstance(e, QueryRefusedError) else "error", str(e))
    rows = sorted(repr(sorted(row.items())) for row in r.rows)
    return ("ran", r.kind, r.answer, sorted(r.columns), rows)


def _both(engines, query: str) -> tuple[tuple, tuple]:
    graph, store = engines
    return (_outcome(lambda q: run_query(graph, q), query),
            _outcome(lambda q: run_store_query(store, q), query))


@pytest.mark.parametrize("name", list(RUNS) + list(REFUSED))
def test_rdflib_and_oxigraph_read_every_spelling_alike(engines, canary, name):
    query = PREFIX + _query(RUNS.get(name) or REFUSED[name], canary)
    by_rdflib, by_oxigraph = _both(engines, query)
    assert by_rdflib == by_oxigraph
    assert by_rdflib[0] == ("ran" if name in RUNS else "refused"), by_rdflib
    if name in RUNS:
        assert by_rdflib[1] == "ASK" or by_rdflib[4], "a spelling that matches nothing proves nothing"
    time.sleep(0.05)
    assert canary.hits == []


PIECES = ["#", " c ", "\r", "\n", "\r\n", "\u2028", "\u0085", " SERVICE <{url}> { ?s ?p ?o } ", " FILTER(1 = 0) ",
          '"', "'", '"""', " <http://ex.org/a#b> ", "\\u0023", "\\u000D", "\\u000A", "\\u0022", "{", "}", "<", ">",
          "\\", " ?o "]


def test_random_spellings_are_read_alike_or_refused(engines, canary):
    """Pieces of comments, line ends, strings, IRIs and escapes in any order: whatever kg's check lets
    through, rdflib and Oxigraph answer alike, and nothing ever reaches the canary."""
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies

    @hypothesis.given(st.lists(st.sampled_from(PIECES), max_size=8))
    def check(pieces):
        query = PREFIX + "SELECT ?s WHERE { ?s ex:q ?o " + _query("".join(pieces), canary) + " }"
        by_rdflib, by_oxigraph = _both(engines, query)
        assert by_rdflib == by_oxigraph, repr(query)

    check()
    time.sleep(0.05)
    assert canary.hits == []


def test_the_engines_are_given_the_checked_text_with_comments_cut_out():
    query = 'ASK { ?s <http://a#b> "c#d" } # SERVICE <http://x/> { }\r\n# and \\u0023 this\n'
    assert canonical(query) == 'ASK { ?s <http://a#b> "c#d" } \n\n'
