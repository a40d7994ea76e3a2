"""The SPARQL endpoint, asked over HTTP by real clients on loopback, and attacked the ways users' browsers could be."""

import http.client
import os
import platform
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

requests = pytest.importorskip("requests")
pytest.importorskip("pyoxigraph", reason="pyoxigraph is not installed (pip install -e .)")

from kg.serve import Endpoint, check_query, clean_stale_stores, free_port  # noqa: E402

from conftest import DATA, ROOT, descendants  # noqa: E402

UNIONS = "PREFIX ukg: <https://w3id.org/ukg/ontology#> SELECT ?u WHERE { ?u a ukg:Union } ORDER BY ?u"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
ENDLESS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
JSON = {"Accept": "application/sparql-results+json"}
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def get(url, params, headers=None, **kw):
    """A SPARQL protocol GET as a script sends it: with the header a page of another site cannot send."""
    return requests.get(url, params=params, headers={"X-Requested-With": "kg-test", **(headers or {})}, **kw)


@pytest.fixture(scope="module")
def endpoint():
    ep = Endpoint(DATA / "fixture.ttl", port=free_port(), timeout=2.0, max_rows=50, workers=2).start()
    ep.serve_in_thread()
    yield ep
    ep.close()


def test_json_results(endpoint):
    r = get(endpoint.url, params={"query": UNIONS}, headers=JSON)
    assert r.status_code == 200
    values = [b["u"]["value"] for b in r.json()["results"]["bindings"]]
    assert len(values) == 3 and all(v.startswith("https://w3id.org/ukg/id/union/") for v in values)


def test_select_runs_a_query_as_the_endpoint_does_with_its_own_row_cap(endpoint):
    """kg's own pages ask through Endpoint.select: the guard, a sandboxed worker, the row cap unless they give one."""
    from kg.errors import QueryError

    rows = endpoint.select("SELECT ?s ?o WHERE { ?s ?p ?o }")
    assert len(rows) == endpoint.max_rows and all(isinstance(r["s"], str) for r in rows)
    assert len(endpoint.select("SELECT ?s WHERE { ?s ?p ?o }", max_rows=500)) > endpoint.max_rows
    assert len(endpoint.select(UNIONS)) == 3
    for refused, said in (("INSERT DATA { <a:b> <a:c> <a:d> }", "403"),
                          ("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }", "SERVICE")):
        with pytest.raises(QueryError, match=said):
            endpoint.select(refused)


@pytest.mark.parametrize("accept, check", [
    ("application/sparql-results+xml", lambda t: "<sparql" in t and t.count("<result>") == 3),
    ("text/csv", lambda t: t.splitlines()[0] == "u" and len(t.splitlines()) == 4),
    ("text/tab-separated-values", lambda t: t.splitlines()[0] == "?u" and len(t.splitlines()) == 4),
])
def test_other_result_formats(endpoint, accept, check):
    r = requests.post(endpoint.url, data={"query": UNIONS}, headers={"Accept": accept})
    assert r.status_code == 200 and accept in r.headers["Content-Type"]
    assert check(r.text)


def test_post_sparql_query_body_and_construct(endpoint):
    r = requests.post(endpoint.url, data=UNIONS.encode(), headers={
        "Content-Type": "application/sparql-query", **JSON})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 3
    r = requests.post(endpoint.url, data={"query": "CONSTRUCT WHERE { ?s a <https://w3id.org/ukg/ontology#Union> }"},
                      headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and r.text.count(" .\n") == 3


def test_literals_keep_their_datatype_and_language(endpoint):
    q = "SELECT ?v WHERE { ?a <https://w3id.org/ukg/ontology#value> ?v } ORDER BY ?v LIMIT 1"
    b = get(endpoint.url, params={"query": q}, headers=JSON).json()["results"]["bindings"][0]["v"]
    assert b["type"] == "literal" and b["datatype"] == "http://www.w3.org/2001/XMLSchema#decimal"


@pytest.mark.parametrize("how", ["update-endpoint", "update-as-query", "load", "update-form-field",
                                 "sparql-update-body"])
def test_updates_are_refused(endpoint, how):
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    if how == "update-endpoint":
        r = requests.post(endpoint.url.replace("/query", "/update"), data={"update": update})
    elif how == "update-as-query":
        r = requests.post(endpoint.url, data={"query": update})
    elif how == "update-form-field":
        r = requests.post(endpoint.url, data={"update": update})
    elif how == "sparql-update-body":
        r = requests.post(endpoint.url, data=update.encode(), headers={"Content-Type": "application/sparql-update"})
    else:
        r = requests.post(endpoint.url, data={"query": "LOAD <http://example.org/x.ttl>"})
    assert r.status_code == 403
    assert r.text.strip() == "this endpoint is read-only: SPARQL UPDATE and LOAD are refused"
    ask = get(endpoint.url, params={"query": "ASK { <urn:a> ?p ?o }"}, headers=JSON).json()
    assert ask["boolean"] is False


BYPASSES = [
    "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <{url}> { ?s ?p ?o } }",
    "select * where { service <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { SeRvIcE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { VALUES ?q { <urn:p'> } SERVICE <{url}'> { ?s ?p ?o } }",
    'SELECT * WHERE { VALUES ?q { <urn:p"> } SERVICE <{url}"> { ?s ?p ?o } }',
    "SELECT * WHERE { \\u0053ERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { \\U00000053\\U00000045RVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE \\u003C{url}\\u003E { ?s ?p ?o } }",
    "SELECT * WHERE { # a comment \\u000A SERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { # \\u005Cu000A SERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE#comment\n<{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { # a comment Oxigraph ends at a lone CR\r SERVICE <{url}> { ?s ?p ?o } \n}",
    "SELECT * WHERE { # \\u000D SERVICE <{url}> { ?s ?p ?o } \n}",
    "SELECT * FROM <{url}> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <{url}> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT * WHERE { { SELECT * WHERE { { SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } } } } } }",
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <{url}> { ?s ?p ?o } } }",
    "SELECT * WHERE { ?s ?p ?o FILTER NOT EXISTS { SERVICE SILENT <{url}> { ?x ?y ?z } } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <{url}> { ?s ?p ?o } } }",
    "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <{url}> { ?s ?p ?o } } }",
    "SELECT * WHERE { VALUES ?e { <{url}> } SERVICE ?e { ?s ?p ?o } }",
    "ASK { SERVICE <{url}> { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "DESCRIBE ?s WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "PREFIX c: <http://127.0.0.1:{port}/> SELECT * WHERE { SERVICE c:x { ?s ?p ?o } }",
    "BASE <http://127.0.0.1:{port}/> SELECT * WHERE { SERVICE <x> { ?s ?p ?o } }",
    "LOAD <{url}>",
    "SELECT * WHERE { ?s ?p ?o } ; LOAD <{url}>",
]


@pytest.mark.parametrize("template", BYPASSES)
@pytest.mark.parametrize("method", ["get", "form", "body"])
def test_no_spelling_of_service_reaches_the_network(endpoint, canary, template, method):
    query = template.replace("{url}", f"http://127.0.0.1:{canary.port}/x").replace("{port}", str(canary.port))
    if method == "get":
        r = get(endpoint.url, params={"query": query}, headers=JSON)
    elif method == "form":
        r = requests.post(endpoint.url, data={"query": query}, headers=JSON)
    else:
        r = requests.post(endpoint.url, data=query.encode(), headers={"Content-Type": "application/sparql-query", **JSON})
    assert r.status_code in (400, 403), r.text
    time.sleep(0.05)
    assert canary.hits == []


def test_keywords_inside_strings_and_iris_are_not_refused(endpoint):
    assert check_query('SELECT * WHERE { ?s ?p "SERVICE and INSERT" }') is None
    assert check_query("SELECT * WHERE { ?s <urn:SERVICE> ?o }") is None
    assert check_query("PREFIX x: <http://x/> INSERT DATA { x:a x:b x:c }")[0] == 403
    r = get(endpoint.url, params={"query": 'SELECT * WHERE { ?s ?p "SERVICE" }'}, headers=JSON)
    assert r.status_code == 200


@pytest.mark.skipif(not sys.platform.startswith("linux") or platform.machine() not in ("x86_64", "aarch64"),
                    reason="the seccomp sandbox is for Linux on x86-64 and AArch64")
def test_workers_cannot_reach_the_network_even_past_the_check(canary, endpoint):
    """Oxigraph itself, asked for SERVICE and LOAD inside the sandbox, cannot connect."""
    assert endpoint.sandboxed
    code = (
        "from kg.sandbox import deny_network; import pyoxigraph as ox, socket\n"
        "assert deny_network()\n"
        "st = ox.Store()\n"
        f"for q in ('SELECT * WHERE {{ SERVICE <http://127.0.0.1:{canary.port}/x> {{ ?s ?p ?o }} }}',):\n"
        "    try: list(st.query(q)); print('ran')\n"
        "    except OSError as e: print('refused', type(e).__name__)\n"
        f"try: st.update('LOAD <http://127.0.0.1:{canary.port}/x.ttl>'); print('ran')\n"
        "except OSError as e: print('refused', type(e).__name__)\n"
        f"try: socket.create_connection(('127.0.0.1', {canary.port})); print('ran')\n"
        "except OSError as e: print('refused', type(e).__name__)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.stdout.split() == ["refused", "PermissionError"] * 3, done.stderr
    time.sleep(0.1)
    assert canary.hits == []


def raw(endpoint, request: bytes) -> tuple[int, bytes]:
    """Send bytes as they are; return the status and the body."""
    with socket.create_connection(("127.0.0.1", endpoint.port), timeout=10) as s:
        s.sendall(request)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
            if b"\r\n\r\n" in data:
                head, body = data.split(b"\r\n\r\n", 1)
                length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                               if line.lower().startswith(b"content-length:")), None)
                if length is not None and len(body) >= length:
                    break
    return int(data.split(b" ", 2)[1]), data.split(b"\r\n\r\n", 1)[1]


@pytest.mark.parametrize("length, status", [("abc", 400), ("-1", 400), ("1" + "0" * 15, 413), ("1e3", 400)])
def test_malformed_content_length_is_answered(endpoint, length, status):
    req = (f"POST /query HTTP/1.1\r\nHost: 127.0.0.1:{endpoint.port}\r\nContent-Length: {length}\r\n"
           "Content-Type: application/sparql-query\r\n\r\nASK {}").encode()
    code, body = raw(endpoint, req)
    assert code == status and (b"Content-Length" in body or b"body" in body)


def test_body_and_header_limits(endpoint):
    r = requests.post(endpoint.url, data=b"#" * (2 << 20), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413 and "body" in r.text
    r = get(endpoint.url, params={"query": "ASK {}"}, headers={"X-Big": "x" * 30000})
    assert r.status_code == 431
    req = (f"POST /query HTTP/1.1\r\nHost: 127.0.0.1:{endpoint.port}\r\nTransfer-Encoding: chunked\r\n\r\n"
           "5\r\nASK{}\r\n0\r\n\r\n").encode()
    assert raw(endpoint, req)[0] == 411


@pytest.mark.parametrize("host, ok", [
    ("127.0.0.1:{port}", True), ("localhost:{port}", True), ("evil.example:{port}", False),
    ("127.0.0.1:1", False), ("attacker.127.0.0.1.nip.io:{port}", False), ("", False),
])
def test_host_header_must_name_this_server(endpoint, host, ok):
    conn = http.client.HTTPConnection("127.0.0.1", endpoint.port, timeout=10)
    conn.putrequest("GET", "/query?query=ASK%20%7B%7D", skip_host=True)
    if host:
        conn.putheader("Host", host.replace("{port}", str(endpoint.port)))
    conn.putheader("Accept", JSON["Accept"])
    conn.putheader("X-Requested-With", "kg-test")
    conn.endheaders()
    r = conn.getresponse()
    body = r.read().decode()
    conn.close()
    assert (r.status == 200) is ok, body
    if not ok:
        assert "Host" in body


def test_no_cors_and_foreign_origins_refused(endpoint):
    r = get(endpoint.url, params={"query": "ASK {}"}, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403 and "Access-Control-Allow-Origin" not in r.headers
    r = requests.options(endpoint.url, headers={"Origin": "http://evil.example",
                                                "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in r.headers and r.status_code in (403, 405)
    same = f"http://127.0.0.1:{endpoint.port}"
    r = requests.post(endpoint.url, data={"query": "ASK {}"}, headers={"Origin": same, **JSON})
    assert r.status_code == 200 and "Access-Control-Allow-Origin" not in r.headers


def statuses(endpoint, request: bytes, seconds: float = 10) -> list[int]:
    """Every status line the server sends back on one connection until it closes it (bounded wait)."""
    data = b""
    with socket.create_connection(("127.0.0.1", endpoint.port), timeout=seconds) as s:
        s.sendall(request)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            data += chunk
    return [int(line.split()[1]) for line in data.replace(b"\r", b"").split(b"\n") if line.startswith(b"HTTP/1.")]


@pytest.mark.parametrize("framing", ["content-length", "no-length", "chunked"])
def test_the_body_of_a_refused_request_is_never_read_as_a_request(endpoint, framing):
    """A cross-site POST whose body is a whole GET: once answered 403 and then 200 on the same connection."""
    inner = (f"GET /query?query=ASK%20%7B%7D HTTP/1.1\r\nHost: 127.0.0.1:{endpoint.port}\r\n"
             "X-Requested-With: x\r\nAccept: application/sparql-results+json\r\n\r\n")
    head = f"POST /query HTTP/1.1\r\nHost: 127.0.0.1:{endpoint.port}\r\nOrigin: http://evil.example\r\n"
    head += {"content-length": f"Content-Length: {len(inner)}\r\n", "no-length": "",
             "chunked": "Transfer-Encoding: chunked\r\n"}[framing]
    assert statuses(endpoint, (head + "Content-Type: text/plain\r\n\r\n" + inner).encode()) == [403]


def test_a_get_with_a_body_is_refused_and_its_body_not_read(endpoint):
    inner = f"GET /query?query=ASK%20%7B%7D HTTP/1.1\r\nHost: 127.0.0.1:{endpoint.port}\r\nX-Requested-With: x\r\n\r\n"
    req = (f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{endpoint.port}\r\nContent-Length: {len(inner)}\r\n\r\n" + inner)
    assert statuses(endpoint, req.encode()) == [400]


@pytest.mark.parametrize("origin", ["null", "file://", "chrome-extension://abcdef", "http://evil.example",
                                    "http://127.0.0.1:1"])
def test_null_and_foreign_origins_run_no_query_but_may_load_the_page(endpoint, origin):
    """A sandboxed iframe sends Origin: null; its POST once ran."""
    r = requests.post(endpoint.url, data={"query": "ASK {}"}, headers={"Origin": origin, **JSON})
    assert r.status_code == 403 and "cross-origin" in r.text
    assert requests.get(endpoint.url.replace("/query", "/"), headers={"Origin": origin}).status_code == 200


def test_a_query_by_get_needs_a_header_no_page_can_send(endpoint):
    """What <img src=http://127.0.0.1:PORT/query?query=…> on any page sends: the query is not run."""
    img = {"Accept": "image/avif,image/webp,*/*", "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors",
           "Sec-Fetch-Dest": "image"}
    r = requests.get(endpoint.url, params={"query": SLOW}, headers=img, timeout=10)
    assert r.status_code == 403 and "other sites" in r.text
    r = requests.get(endpoint.url, params={"query": "ASK {}"}, headers=JSON)  # an older browser: no Sec-Fetch-*
    assert r.status_code == 403 and "X-Requested-With" in r.text and "POST" in r.text
    assert get(endpoint.url, params={"query": "ASK {}"}, headers=JSON).json()["boolean"] is True
    same = {"Origin": f"http://127.0.0.1:{endpoint.port}", "Sec-Fetch-Site": "same-origin", **JSON}
    assert requests.post(endpoint.url, data={"query": "ASK {}"}, headers=same).json()["boolean"] is True


def test_row_cap_holds_for_a_result_that_streams_without_end(endpoint):
    t0 = time.monotonic()
    r = get(endpoint.url, params={"query": ENDLESS}, headers=JSON, timeout=30)
    assert r.status_code == 200 and time.monotonic() - t0 < 5
    body = r.json()
    assert len(body["results"]["bindings"]) == 50
    assert r.headers["X-KG-Row-Cap"] == "cut at 50 rows" and "row cap" in body["kg_warning"]
    r = get(endpoint.url, params={"query": ENDLESS}, headers={"Accept": "text/csv"}, timeout=30)
    assert r.status_code == 200 and len(r.text.splitlines()) == 51


def test_time_limit_stops_one_query_and_not_the_others(endpoint):
    """The others come from another address: the slow query's own address is heavy after it (its light
    queries wait behind others' and, past the time limit, get 429: that is the fairness rule, not this)."""
    failures, done = [], threading.Event()
    path = "/query?" + urllib.parse.urlencode({"query": UNIONS})

    def others():
        while not done.is_set():
            conn = http.client.HTTPConnection("127.0.0.1", endpoint.port, timeout=30, source_address=("127.0.0.2", 0))
            try:
                conn.request("GET", path, headers={"Accept": "text/csv", "X-Requested-With": "kg-test"})
                r = conn.getresponse()
                text = r.read().decode("utf-8")
            finally:
                conn.close()
            if r.status != 200 or len(text.splitlines()) != 4:
                failures.append(r.status)

    t = threading.Thread(target=others)
    t.start()
    try:
        t0 = time.monotonic()
        r = get(endpoint.url, params={"query": SLOW}, timeout=30)
        assert r.status_code == 503 and "time limit" in r.text
        assert time.monotonic() - t0 < 6
        r = get(endpoint.url, params={"query": SLOW}, timeout=30)
        assert r.status_code == 503
    finally:
        done.set()
        t.join()
    assert failures == []
    r = get(endpoint.url, params={"query": UNIONS}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and len(r.text.splitlines()) == 4


def test_a_query_waits_for_a_worker_being_replaced_rather_than_being_refused(monkeypatch):
    """A worker stopped at the time limit is replaced; on a loaded machine its start-up may outlast the
    limit, and a query waiting for it was refused (503) for a delay it did not cause."""
    from kg import workers

    start = workers.Pool._new_worker
    started = []

    def slow_start(pool):
        if started:
            time.sleep(1.5)  # a replacement: longer than the time limit below
        started.append(1)
        return start(pool)

    monkeypatch.setattr(workers.Pool, "_new_worker", slow_start)
    ep = Endpoint(DATA / "fixture.ttl", port=free_port(), timeout=1.0, workers=1).start()
    ep.serve_in_thread()
    try:
        assert get(ep.url, params={"query": SLOW}, timeout=30).status_code == 503  # its worker is replaced
        r = get(ep.url, params={"query": UNIONS}, headers={"Accept": "text/csv"}, timeout=30)
        assert r.status_code == 200 and len(r.text.splitlines()) == 4
    finally:
        ep.close()


def test_syntax_errors_are_one_line(endpoint):
    r = get(endpoint.url, params={"query": "SELEC ?x WHERE { ?x ?y ?z }"})
    assert r.status_code == 400 and r.text.startswith("SPARQL syntax error") and r.text.count("\n") == 1


def test_the_contract_prefixes_need_no_prefix_lines_and_an_unknown_one_is_said_in_one_line(endpoint):
    r = get(endpoint.url, params={"query": "SELECT ?l WHERE { ?u a ukg:Union ; skos:altLabel ?l }"}, headers=JSON)
    assert r.status_code == 200 and [b["l"]["value"] for b in r.json()["results"]["bindings"]] == ["甲市总"]
    r = get(endpoint.url, params={"query": "SELECT ?x WHERE { ?x zzz:p ?y }"})
    assert r.status_code == 400 and r.text.startswith("unknown prefix zzz:") and r.text.count("\n") == 1


def test_bind_takes_another_name_and_says_when_a_name_names_nothing(endpoint):
    from kg.sparql import saved_queries

    q = saved_queries()["programs-of-union"].for_store()
    r = requests.post(endpoint.url, data={"query": q, "bind": "union=甲市总"}, headers=JSON)
    rows = r.json()["results"]["bindings"]
    assert r.status_code == 200 and len(rows) == 2 and {b["union"]["value"] for b in rows} == {"甲市总工会"}
    assert r.json()["kg_notes"] == ["union=甲市总 is another name of 甲市总工会; bound ?union to 甲市总工会"]
    r = get(endpoint.url, params={"query": q, "bind": "union=甲市工会"}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and len(r.text.splitlines()) == 1
    assert "the closest: 甲市总工会" in urllib.parse.unquote(r.headers["X-KG-Notes"])
    r = get(endpoint.url, params={"query": q, "bind": "unoin=甲市总"})
    assert r.status_code == 400 and "no variable ?unoin" in r.text and r.text.count("\n") == 1


def test_query_page_is_local_and_lists_saved_queries(endpoint):
    r = requests.get(endpoint.url.replace("/query", "/"))
    page = r.text
    assert r.status_code == 200 and "money-by-union" in page and "# Money by union" in page
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://cdn" not in page
    assert "default-src 'none'" in r.headers["Content-Security-Policy"]


def test_query_page_carries_query_texts_as_data(monkeypatch):
    """A saved query's text with ``</script>`` or ``<!--<script>`` stays inside the page's data."""
    import json
    import re

    import kg.sparql
    from kg.serve import query_page
    from kg.sparql import SavedQuery

    text = "# <!--<script> </script><script>window.pwned = 1</script>\u2028\nSELECT * WHERE { ?s ?p ?o }"
    monkeypatch.setattr(kg.sparql, "saved_queries", lambda: {"x": SavedQuery("x", "x", text)})
    page = query_page()
    data = re.search(r"var SAVED = (.*?);\n", page).group(1)
    assert json.loads(data)[0]["text"] == text
    assert page.count("<script") == 1 and "<!--" not in page and "\u2028" not in page


def test_a_store_removed_under_the_server_is_loaded_again(tmp_path):
    with Endpoint(DATA / "fixture.ttl", port=free_port(), timeout=1.0, workers=1) as ep:
        ep.serve_in_thread()
        import shutil

        shutil.rmtree(ep._tmp)
        assert get(ep.url, params={"query": SLOW}, timeout=30).status_code == 503  # recycles the worker
        r = get(ep.url, params={"query": UNIONS}, headers={"Accept": "text/csv"}, timeout=90)
        assert r.status_code == 200 and len(r.text.splitlines()) == 4


# ------------------------------------------------------------- the process, started and stopped as users do

def _children(pid: int) -> set[int]:
    out = set()
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if int((d / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.add(int(d.name))
            except (OSError, IndexError, ValueError):
                pass
    return out


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _all_gone(pids: set[int], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not any(_alive(p) for p in pids)


def _ignore_sigint():
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start_cli(tmp_path, port, sigint_ignored=False):
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(DATA / "fixture.ttl"), "--port", str(port),
                             "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, env=env, preexec_fn=_ignore_sigint if sigint_ignored else None)
    first = proc.stdout.readline().strip()
    return proc, first


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to list child processes")
@pytest.mark.parametrize("sig, sigint_ignored", [(signal.SIGINT, False), (signal.SIGTERM, False),
                                                 (signal.SIGHUP, False), (signal.SIGINT, True)])
def test_signals_stop_the_server_and_leave_nothing(tmp_path, sig, sigint_ignored):
    """Also a server started from a background job, which inherits SIGINT ignored (nohup, `&`)."""
    port = free_port()
    proc, first = _start_cli(tmp_path, port, sigint_ignored)
    try:
        assert first == f"SPARQL endpoint: http://127.0.0.1:{port}/query"
        r = get(first.split(": ", 1)[1], params={"query": "ASK { ?s ?p ?o }"}, headers=JSON)
        assert r.json()["boolean"] is True
        children = _children(proc.pid)
        assert len(children) == 2 and list(tmp_path.glob("kg-serve-*"))
        assert {proc.pid, *children} <= set(descendants(os.getpid()))  # what the end-of-run check looks for
        proc.send_signal(sig)
        assert proc.wait(timeout=30) in (0, 130, -sig)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert _all_gone(children)
    assert list(tmp_path.glob("kg-serve-*")) == []
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers die with the server through PR_SET_PDEATHSIG")
def test_a_killed_server_takes_its_workers_and_the_next_one_cleans_its_store(tmp_path):
    proc, first = _start_cli(tmp_path, free_port())
    children = _children(proc.pid)
    proc.kill()
    proc.wait()
    assert _all_gone(children)
    assert len(list(tmp_path.glob("kg-serve-*"))) == 1  # a SIGKILL leaves the store …
    proc, first = _start_cli(tmp_path, free_port())
    try:
        assert first.startswith("SPARQL endpoint:")
        assert len(list(tmp_path.glob("kg-serve-*"))) == 1  # … and the next server removes it
        proc.send_signal(signal.SIGTERM)  # at once: a signal before the server loop began once hung it
        assert proc.wait(timeout=30) in (0, -signal.SIGTERM)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert list(tmp_path.glob("kg-serve-*")) == []


def test_a_port_out_of_range_is_one_line():
    done = subprocess.run([sys.executable, "-m", "kg.cli", "serve", str(DATA / "fixture.ttl"), "--port", "99999"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
    assert "--port 99999" in done.stderr and "Traceback" not in done.stderr


def test_stores_of_dead_servers_are_cleaned_even_without_owner_pid(tmp_path):
    """A server killed between making its folder and writing owner.pid left a folder nothing removed."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    dead = tmp_path / f"kg-serve-{gone.pid}-abc123"
    live = tmp_path / f"kg-serve-{os.getpid()}-def456"
    old_style_old, old_style_new = tmp_path / "kg-serve-ghi789", tmp_path / "kg-serve-jkl012"
    for d in (dead, live, old_style_old, old_style_new):
        (d / "store").mkdir(parents=True)
    os.utime(old_style_old, (time.time() - 7200, time.time() - 7200))
    assert clean_stale_stores(str(tmp_path)) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, old_style_new.name])


# ------------------------------------------------------------- a kg store, served as it is

def _copy_store(fixture_store, tmp_path) -> Path:
    import shutil

    shutil.copytree(fixture_store, tmp_path / "store")
    return tmp_path / "store"


def _unions(url) -> list[str]:
    r = get(url, params={"query": UNIONS}, headers={"Accept": "text/csv"}, timeout=30)
    assert r.status_code == 200, r.text
    return r.text.splitlines()[1:]


def test_a_store_is_served_from_a_snapshot_while_a_build_writes_it(fixture_store, tmp_path):
    """Nothing is converted: the workers read a hard-linked snapshot inside the store, so a build may write
    the store meanwhile; the server answers from the store as it was when it started until it is restarted."""
    import pyoxigraph as ox

    from kg.store import GraphStore
    from kg.vocab import UKG

    from kg.editor import Explorer

    store = _copy_store(fixture_store, tmp_path)
    with Endpoint(store, port=free_port(), workers=2, pages=Explorer()) as ep:
        ep.serve_in_thread()
        assert len(_unions(ep.url)) == 3
        snapshot = ep.store_dir()
        assert snapshot.parent.parent == store / ".kg-serve"
        sst = next(snapshot.glob("*.sst"))
        assert sst.stat().st_nlink > 1 and (store / "oxigraph" / sst.name).samefile(sst)
        with GraphStore(store) as st:  # a build: it gets the store's lock and writes it while it is served
            st.ox.extend([ox.Quad(ox.NamedNode(f"https://w3id.org/ukg/id/union/丙{i}"), ox.NamedNode(str(RDF_TYPE)),
                                  ox.NamedNode(str(UKG.Union))) for i in range(2)])
            st.ox.flush()
        assert len(_unions(ep.url)) == 3
        page = requests.get(ep.url.rsplit("/query", 1)[0] + "/explorer", timeout=60)
        assert page.status_code == 200 and "甲市总工会开展送清凉" in page.text
    assert not list((store / ".kg-serve").iterdir())
    with Endpoint(store, port=free_port(), workers=1) as ep:
        ep.serve_in_thread()
        assert len(_unions(ep.url)) == 5


def test_a_store_a_build_is_writing_is_not_served_and_says_why(fixture_store, tmp_path):
    from kg.errors import KgError
    from kg.store import GraphStore

    store = _copy_store(fixture_store, tmp_path)
    with GraphStore(store):
        with pytest.raises(KgError, match="another kg build is writing this store"):
            Endpoint(store, port=free_port(), workers=1).start()
    assert not list((store / ".kg-serve").iterdir())
    with pytest.raises(KgError, match="no kg store here"):
        Endpoint(tmp_path, port=free_port(), workers=1).start()
    assert not (tmp_path / ".kg-serve").exists()


def test_a_store_a_killed_build_left_stale_is_repaired_before_it_is_served(tmp_path):
    """Killed while it changed the merged graph by difference: the marker says so, and the server merges
    the file graphs again before it takes its snapshot, as the next build would."""
    import pyoxigraph as ox

    from conftest import SEEDS
    from kg.pipeline import build_store
    from kg.store import open_store

    store = tmp_path / "store"
    build_store([sorted(SEEDS.glob("*.txt"))[0]], store)
    with open_store(store) as st:
        expected = sum(1 for _ in st.ox.quads_for_pattern(None, ox.NamedNode(str(RDF_TYPE)), None, ox.DefaultGraph()))
    stray = ox.NamedNode("https://w3id.org/ukg/id/union/丁")
    s = ox.Store(str(store / "oxigraph"))  # what a killed run left: a triple no file graph states any more
    s.add(ox.Quad(stray, ox.NamedNode(str(RDF_TYPE)), ox.NamedNode("https://w3id.org/ukg/ontology#Union")))
    s.flush()
    del s
    (store / "merged-graph.stale").touch()
    with Endpoint(store, port=free_port(), workers=1) as ep:
        ep.serve_in_thread()
        r = get(ep.url, params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }"}, headers={"Accept": "text/csv"})
        assert r.text.split() == ["n", str(expected)]
        assert stray.value not in "".join(_unions(ep.url))
    assert not (store / "merged-graph.stale").exists()


def test_kg_serve_store_and_a_killed_servers_snapshot(fixture_store, tmp_path):
    """`kg serve --store DIR` answers at once; a server killed with SIGKILL leaves its snapshot in the store,
    which the next server on it removes; one stopped by a signal leaves nothing."""
    store = _copy_store(fixture_store, tmp_path)

    def start():
        proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port",
                                 str(free_port()), "--workers", "2"], stdout=subprocess.PIPE, text=True, cwd=ROOT)
        return proc, proc.stdout.readline().strip().split(": ", 1)[1]

    proc, url = start()
    try:
        assert len(_unions(url)) == 3
        children = _children(proc.pid)
        proc.kill()
        proc.wait()
        assert _all_gone(children)
        assert len(list((store / ".kg-serve").iterdir())) == 1
        proc, url = start()
        assert len(_unions(url)) == 3 and len(list((store / ".kg-serve").iterdir())) == 1
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) in (0, -signal.SIGTERM)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert not list((store / ".kg-serve").iterdir())


# ------------------------------------------------------------- fair service: slow senders, runaways, errors

ERRING = "SELECT * WHERE { BIND(<http://example.org/f>(1) AS ?x) }"


@pytest.fixture(scope="module")
def fair():
    """Short limits, so that each abuse shows in a second or two; abusers come from other loopback addresses."""
    ep = Endpoint(DATA / "fixture.ttl", port=free_port(), timeout=3.0, workers=2, request_seconds=1.0,
                  idle_seconds=2.0, max_connections=8, max_per_address=4, slow_seconds=0.3).start()
    ep.serve_in_thread()
    yield ep
    ep.close()


def well_behaved(ep, n: int) -> list[int]:
    """Statuses of ``n`` queries sent one after another from 127.0.0.1, each on a new connection."""
    out = []
    for _ in range(n):
        r = requests.post(ep.url, data={"query": UNIONS}, headers={"Accept": "text/csv"}, timeout=30)
        out.append(r.status_code if len(r.text.splitlines()) == 4 else -r.status_code)
    return out


def trickle(ep, source: str, stop: threading.Event, outcome: list) -> None:
    """Slowloris: send a request's headers one byte at a time and record how the server ended it."""
    try:
        s = socket.create_connection(("127.0.0.1", ep.port), timeout=10, source_address=(source, 0))
    except OSError as e:
        outcome.append(type(e).__name__)
        return
    with s:
        for byte in f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{ep.port}\r\nX-Slow: {'a' * 10000}".encode():
            if stop.is_set():
                outcome.append("still open")
                return
            try:
                s.sendall(bytes([byte]))
                s.settimeout(0.1)
                answer = s.recv(200)
            except TimeoutError:
                continue
            except OSError as e:
                outcome.append(type(e).__name__)
                return
            outcome.append(answer.split(b" ", 2)[1].decode() if answer else "closed")
            return


def test_slow_senders_are_cut_and_cannot_take_every_connection(fair):
    """Eight connections trickling header bytes: before, every other client got 503 while they lasted."""
    stop, outcomes = threading.Event(), [[] for _ in range(8)]
    threads = [threading.Thread(target=trickle, args=(fair, "127.0.0.2", stop, o)) for o in outcomes]
    for t in threads:
        t.start()
    try:
        time.sleep(0.3)
        assert well_behaved(fair, 10) == [200] * 10
        deadline = time.monotonic() + 10  # bounded: the server must end them well before this
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()))
    finally:
        stop.set()
        for t in threads:
            t.join()
    ends = sorted(o[0] for o in outcomes)
    assert ends == ["408"] * 4 + ["429"] * 4, ends  # four cut at the deadline, four over the address's share


def test_a_client_asking_one_query_after_another_is_never_refused():
    """Each query on a new connection, closed once answered: the threads that served the last ones end a
    moment later, and counted until then they made the server refuse the client (429) about one time in 15."""
    ep = Endpoint(DATA / "fixture.ttl", port=free_port(), timeout=3.0, workers=2, max_per_address=2).start()
    ep.serve_in_thread()
    try:
        assert well_behaved(ep, 300) == [200] * 300
    finally:
        ep.close()


def test_queries_left_running_by_a_client_that_hung_up_still_count_against_it(fair):
    """Send a slow query, close the connection, again: each still holds a thread until its query ends."""
    for _ in range(fair.max_per_address):
        with socket.create_connection(("127.0.0.1", fair.port), source_address=("127.0.0.5", 0)) as s:
            body = SLOW.encode()
            s.sendall(f"POST /query HTTP/1.1\r\nHost: 127.0.0.1:{fair.port}\r\n"
                      f"Content-Type: application/sparql-query\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                      + body)
    time.sleep(0.2)
    with socket.create_connection(("127.0.0.1", fair.port), source_address=("127.0.0.5", 0), timeout=10) as s:
        assert s.recv(100).split(b" ")[1] == b"429"
    time.sleep(fair.timeout + 1)  # the abandoned queries reach the time limit; the next test starts clean


def runaway(ep, source: str, query: str, stop: threading.Event, statuses: list) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", ep.port, timeout=30, source_address=(source, 0))
    try:
        while not stop.is_set():
            conn.request("POST", "/query", body=query.encode(), headers={"Content-Type": "application/sparql-query"})
            r = conn.getresponse()
            r.read()
            statuses.append(r.status)
            if r.getheader("Connection") == "close":
                conn.close()
    finally:
        conn.close()


def test_as_many_runaway_clients_as_workers_leave_a_worker_to_the_others(fair):
    """Two cross joins again and again, from two addresses: before, most other queries got 503 after 10 s."""
    stop, got = threading.Event(), [[], []]
    threads = [threading.Thread(target=runaway, args=(fair, f"127.0.0.{i + 2}", SLOW, stop, got[i]))
               for i in range(2)]
    for t in threads:
        t.start()
    try:
        time.sleep(0.5)  # both runaways hold a worker by now
        assert well_behaved(fair, 15) == [200] * 15
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert set(got[0] + got[1]) <= {429, 503}  # a runaway is stopped or waits; it never gets an answer


def _workers_of(ep) -> set[int]:
    return {pid for pid, cmd in descendants(os.getpid()).items() if str(ep.store_dir()) in cmd}


def test_a_query_error_is_a_400_and_keeps_its_worker(fair):
    """A query that fails cost a worker restart each time, and starved the well-behaved clients."""
    before = _workers_of(fair)
    stop, got = threading.Event(), []
    t = threading.Thread(target=runaway, args=(fair, "127.0.0.2", ERRING, stop, got))
    t.start()
    try:
        assert well_behaved(fair, 15) == [200] * 15
        deadline = time.monotonic() + 10
        while len(got) < 20 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        t.join()
    assert len(got) >= 20 and set(got) == {400}
    assert _workers_of(fair) == before and len(before) == 2
    r = requests.post(fair.url, data={"query": ERRING})
    assert r.status_code == 400 and "custom function" in r.text and r.text.count("\n") == 1
