"""The SPARQL endpoint, queried over HTTP by a real client on a free loopback port."""

import subprocess
import sys
import time

import pytest

requests = pytest.importorskip("requests")

from kg.serve import Endpoint, check_query, free_port  # noqa: E402

from conftest import DATA, ROOT  # noqa: E402

UNIONS = "PREFIX ukg: <https://w3id.org/ukg/ontology#> SELECT ?u WHERE { ?u a ukg:Union } ORDER BY ?u"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@pytest.fixture(scope="module")
def endpoint():
    ep = Endpoint(DATA / "fixture.ttl", port=free_port(), timeout=1.5, max_rows=50).start()
    ep.serve_in_thread()
    yield ep
    ep.close()


def test_json_results(endpoint):
    r = requests.get(endpoint.url, params={"query": UNIONS}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200
    values = [b["u"]["value"] for b in r.json()["results"]["bindings"]]
    assert len(values) == 3 and all(v.startswith("https://w3id.org/ukg/id/union/") for v in values)


@pytest.mark.parametrize("accept, check", [
    ("application/sparql-results+xml", lambda t: "<sparql" in t and t.count("<result>") == 3),
    ("text/csv", lambda t: t.splitlines()[0] == "u" and len(t.splitlines()) == 4),
    ("text/tab-separated-values", lambda t: t.splitlines()[0] == "?u" and len(t.splitlines()) == 4),
])
def test_other_result_formats(endpoint, accept, check):
    r = requests.post(endpoint.url, data={"query": UNIONS}, headers={"Accept": accept})
    assert r.status_code == 200 and accept in r.headers["Content-Type"]
    assert check(r.text)


def test_post_sparql_query_body(endpoint):
    r = requests.post(endpoint.url, data=UNIONS.encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 3


@pytest.mark.parametrize("how", ["update-endpoint", "update-as-query", "load"])
def test_updates_are_refused(endpoint, how):
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    if how == "update-endpoint":
        r = requests.post(endpoint.url.replace("/query", "/update"), data={"update": update})
    elif how == "update-as-query":
        r = requests.post(endpoint.url, data={"query": update})
    else:
        r = requests.post(endpoint.url, data={"query": "LOAD <http://example.org/x.ttl>"})
    assert r.status_code == 403
    assert r.text.strip() == "this endpoint is read-only: SPARQL UPDATE and LOAD are refused"
    count = requests.get(endpoint.url, params={"query": "ASK { <urn:a> ?p ?o }"},
                         headers={"Accept": "application/sparql-results+json"}).json()
    assert count["boolean"] is False


def test_service_is_refused(endpoint):
    query = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    r = requests.get(endpoint.url, params={"query": query})
    assert r.status_code == 400 and "SERVICE" in r.text


def test_keywords_inside_strings_are_not_refused():
    assert check_query('SELECT * WHERE { ?s ?p "SERVICE and INSERT" }') is None
    assert check_query("PREFIX x: <http://x/> INSERT DATA { x:a x:b x:c }")[0] == 403


def test_row_cap(endpoint):
    r = requests.get(endpoint.url, params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                     headers={"Accept": "application/sparql-results+json"})
    body = r.json()
    assert len(body["results"]["bindings"]) == 50
    assert r.headers["X-KG-Row-Cap"].startswith("50 of ")
    assert "row cap" in body["kg_warning"]


def test_timeout_then_recovers(endpoint):
    t0 = time.monotonic()
    r = requests.get(endpoint.url, params={"query": SLOW}, timeout=30)
    assert r.status_code == 503 and "time limit" in r.text
    assert time.monotonic() - t0 < 15
    r = requests.get(endpoint.url, params={"query": UNIONS}, headers={"Accept": "text/csv"})
    assert r.status_code == 200 and len(r.text.splitlines()) == 4


def test_query_page_is_local_and_lists_saved_queries(endpoint):
    page = requests.get(endpoint.url.replace("/query", "/")).text
    assert 'src="./yasgui.min.js"' in page and "money-by-union" in page and "https://" not in page.split("<body>")[0]
    js = requests.get(endpoint.url.replace("/query", "/yasgui.min.js"))
    assert js.status_code == 200 and len(js.content) > 100_000


def test_cli_prints_the_endpoint_url_first(tmp_path):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(DATA / "fixture.ttl"), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        first = proc.stdout.readline().strip()
        assert first == f"SPARQL endpoint: http://127.0.0.1:{port}/query"
        url = first.split(": ", 1)[1]
        r = requests.get(url, params={"query": "ASK { ?s ?p ?o }"},
                         headers={"Accept": "application/sparql-results+json"})
        assert r.json()["boolean"] is True
    finally:
        proc.terminate()
        proc.wait(timeout=10)
