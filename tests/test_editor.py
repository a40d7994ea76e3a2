"""kg serve --corrections over HTTP: corrections from the explorer's page only, nothing from other sites,
nothing at all without the flag."""

import re
import subprocess
import sys

import pytest

requests = pytest.importorskip("requests")
pytest.importorskip("pyoxigraph", reason="pyoxigraph is not installed (pip install -e .)")

from kg.editor import Explorer  # noqa: E402
from kg.serve import Endpoint, free_port  # noqa: E402

from conftest import DATA  # noqa: E402

BASE_PROGRAMS = "PREFIX ukg: <https://w3id.org/ukg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> " \
    "SELECT ?l WHERE { ?p a ukg:Program ; rdfs:label ?l }"
REJECT = {"action": "reject", "what": "program", "file": "000_9ba6a6a8fcca6d91.txt", "label": "“述理论、述政策、述典型”活动"}


def base(ep) -> str:
    return ep.url.rsplit("/query", 1)[0]


def token(ep) -> str:
    page = requests.get(base(ep) + "/explorer").text
    return re.search(r'"token": "([^"]+)"', page).group(1)


def programs(ep) -> set[str]:
    r = requests.post(ep.url, data={"query": BASE_PROGRAMS}, headers={"Accept": "application/sparql-results+json"})
    return {b["l"]["value"] for b in r.json()["results"]["bindings"]}


def post(ep, path, data, headers):
    return requests.post(base(ep) + path, json=data, headers=headers)


@pytest.mark.parametrize("headers", [
    {},                                                      # a form or fetch of another site: no token
    {"X-KG-Token": "guessed"},
    {"X-KG-Token": "TOKEN", "Origin": "http://evil.example"},
    {"X-KG-Token": "TOKEN", "Sec-Fetch-Site": "cross-site"},
], ids=["no token", "wrong token", "foreign origin", "cross-site fetch"])
def test_a_correction_without_the_pages_token_or_from_another_site_is_refused(editing_server, headers):
    ep = editing_server
    fix = ep.pages.path
    headers = {k: token(ep) if v == "TOKEN" else v for k, v in headers.items()}
    r = post(ep, "/corrections", REJECT, headers)
    assert r.status_code == 403
    assert not fix.exists()
    assert "“述理论、述政策、述典型”活动" in programs(ep)


def test_a_form_post_with_the_token_is_refused(editing_server):
    ep = editing_server
    r = requests.post(base(ep) + "/corrections", data=REJECT, headers={"X-KG-Token": token(ep)})
    assert r.status_code == 415 and not ep.pages.path.exists()


def test_the_explorer_page_cannot_be_framed_or_read_by_other_sites(editing_server):
    ep = editing_server
    r = requests.get(base(ep) + "/explorer")
    assert r.status_code == 200 and "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    assert "Access-Control-Allow-Origin" not in r.headers
    assert requests.get(base(ep) + "/explorer", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403


def test_a_correction_with_the_token_is_written_and_served_at_once_and_undone(editing_server):
    ep = editing_server
    t = {"X-KG-Token": token(ep)}
    r = post(ep, "/corrections", REJECT, t)
    assert r.status_code == 200, r.text
    assert r.json()["message"] == "correction 1: reject program “述理论、述政策、述典型”活动 in 000_9ba6a6a8fcca6d91.txt"
    lines = ep.pages.path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("action,what,file") and lines[1].startswith("reject,program,000_9ba6a6a8fcca6d91.txt,“述理论")
    assert "“述理论、述政策、述典型”活动" not in programs(ep)
    # a correction whose target is not in the graph is refused with the reason, and the file kept as it was
    r = post(ep, "/corrections", {**REJECT, "label": "没有这个项目"}, t)
    assert r.status_code == 409 and "no program 没有这个项目" in r.text
    assert len(ep.pages.path.read_text(encoding="utf-8").splitlines()) == 2
    ident = ep.pages.book.items[0].id
    r = post(ep, "/corrections/undo", {"id": ident}, t)
    assert r.status_code == 200 and r.json()["message"].startswith("undone: reject program")
    assert ep.pages.path.read_text(encoding="utf-8").splitlines() == lines[:1]
    assert "“述理论、述政策、述典型”活动" in programs(ep)
    assert [p.name for p in ep.pages.path.parent.iterdir() if p.name.startswith(".")] == []  # no temporary left


def test_without_corrections_the_server_stays_read_only():
    with Endpoint(DATA / "fixture.ttl", port=free_port(), workers=1, pages=Explorer()) as ep:
        ep.serve_in_thread()
        page = requests.get(base(ep) + "/explorer")
        assert page.status_code == 200 and "X-KG-Token" not in page.text
        for path in ("/corrections", "/corrections/undo"):
            r = post(ep, path, REJECT, {"X-KG-Token": "anything"})
            assert r.status_code == 403 and "read-only" in r.text


@pytest.mark.parametrize("args, message", [
    ([str(DATA / "fixture.ttl"), "--corrections", "x.csv"], "kg serve --corrections needs --store DIR"),
    (["--store", "nowhere", "--corrections", "x.csv", "--host", "0.0.0.0"], "listens on loopback only"),
])
def test_serve_corrections_refusals_are_one_line(tmp_path, args, message):
    done = subprocess.run([sys.executable, "-m", "kg.cli", "serve", *args], capture_output=True, text=True,
                          cwd=tmp_path, timeout=60)
    assert done.returncode == 1 and message in done.stderr and len(done.stderr.splitlines()) == 1
    assert not (tmp_path / "x.csv").exists()
