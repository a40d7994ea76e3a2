"""Shared fixtures: the seed pages, one build of them, and small data files."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
needs_chromium = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="Debian's chromium and chromium-driver are not installed (make browser-deps installs them as root)")
"""The mark of a test that drives Chromium (the :func:`browser` fixture)."""


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Debian's Chromium with its own driver, headless, the network cut by a dead proxy; what it downloads
    goes to ``browser.downloads``."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path_factory.mktemp("downloads")
    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-quic",
                "--proxy-server=127.0.0.1:9", "--window-size=1400,900",
                f"--user-data-dir={tmp_path_factory.mktemp('chrome-profile')}"):
        opts.add_argument(arg)
    opts.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                           "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=opts)
    driver.downloads = downloads
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def seeds() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """The seeds built once for the session, outputs written to a temp folder."""
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("build")
    return build([SEEDS], out)


@pytest.fixture(scope="session")
def fixture_graph():
    from kg.export import read_graph

    return read_graph(DATA / "fixture.ttl")


@pytest.fixture(scope="module")
def editing_server(tmp_path_factory):
    """``kg serve --corrections`` as the library runs it: a store of the seeds, an empty corrections file
    to be, and the endpoint with its explorer, serving in a thread; stopped at the end of the module."""
    from kg.editor import editor_of_store
    from kg.pipeline import build_store
    from kg.serve import Endpoint, free_port

    folder = tmp_path_factory.mktemp("editing")
    build_store([SEEDS], folder / "store")
    editor = editor_of_store(folder / "store", folder / "corrections.csv", folder)
    ep = Endpoint(editor.graph_file, port=free_port(), workers=1, pages=editor).start()
    ep.serve_in_thread()
    yield ep
    ep.close()


class Canary:
    """A listener on loopback that records every connection made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits: list[bytes] = []
        self.stop = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            conn.settimeout(0.5)
            try:
                self.hits.append(conn.recv(2000))
            except OSError:
                self.hits.append(b"")
            conn.close()

    def close(self):
        self.stop = True
        self.thread.join()
        self.sock.close()


@pytest.fixture(scope="module")
def canary():
    c = Canary()
    yield c
    c.close()


@pytest.fixture(scope="session")
def fixture_store(tmp_path_factory) -> Path:
    """A kg store folder whose graph is the fixture graph (loaded straight in: no build, no jieba)."""
    import pyoxigraph as ox

    from kg.store import GraphStore

    folder = tmp_path_factory.mktemp("store") / "fixture"
    with GraphStore(folder) as st:
        st.ox.bulk_load(path=str(DATA / "fixture.ttl"), format=ox.RdfFormat.TURTLE)
        st.ox.flush()
    return folder


HTML_PAYLOADS = [
    "“<!--<script>”系列活动", "</script><script>window.pwned = 1</script>", "<!--", "<script>window.pwned = 2</script>",
    "<!--<script>window.pwned = 3</script>-->", '<img src=x onerror="window.pwned = 4">', "甲\u2028乙\u2029丙", "]]>",
    "\"'`\\", "/*__VIS_JS__*/", "/*__KG_DATA__*/", "&lt;script&gt;", "<svg/onload=window.pwned=5>",
]
"""Labels that would end, bend or run inside a page's script if written unescaped; any that runs sets ``window.pwned``."""


@pytest.fixture(scope="session")
def payload_graph(fixture_graph):
    """The fixture graph with a union, program, place and article labelled with each of :data:`HTML_PAYLOADS`."""
    from rdflib import Graph, Literal, URIRef

    from kg.vocab import PROV, RDF, RDFS, UKG

    g = Graph()
    for t in fixture_graph:
        g.add(t)
    base = "https://w3id.org/ukg/id/"
    for i, text in enumerate(HTML_PAYLOADS):
        union, program = URIRef(f"{base}union/u{i}"), URIRef(f"{base}program/x-{i}/p")
        place, article = URIRef(f"{base}place/p{i}"), URIRef(f"{base}article/x-{i}")
        for node, cls, label in ((union, UKG.Union, text + "工会"), (program, UKG.Program, text),
                                 (place, UKG.Place, text), (article, UKG.Article, text)):
            g.add((node, RDF.type, cls))
            g.add((node, RDFS.label, Literal(label)))
        g.add((union, UKG.runs, program))
        g.add((program, UKG.inPlace, place))
        g.add((program, UKG.evidence, Literal(text + "，发放慰问金10万元。")))
        g.add((program, PROV.wasDerivedFrom, article))
        g.add((article, UKG.sourceFile, Literal(f"x{i}.txt")))
    return g


def seed_text(name_prefix: str) -> str:
    path = next(SEEDS.glob(name_prefix + "*.txt"))
    return path.read_text(encoding="utf-8")


os.environ.setdefault("PYTHONHASHSEED", "0")

try:
    from hypothesis import HealthCheck, settings
except ImportError:  # the property tests skip and say so
    pass
else:
    _slow = [HealthCheck.too_slow, HealthCheck.data_too_large]
    settings.register_profile("ci", max_examples=150, deadline=None, derandomize=True, suppress_health_check=_slow)
    settings.register_profile("fuzz", max_examples=5000, deadline=None, suppress_health_check=_slow)
    settings.load_profile("ci")  # `pytest --hypothesis-profile=fuzz` (make fuzz) replaces it


def descendants(pid: int) -> dict[int, str]:
    """Live processes descended from ``pid`` (Linux /proc), with their command lines."""
    parents: dict[int, list[int]] = {}
    for d in Path("/proc").glob("[0-9]*"):
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z":
            parents.setdefault(int(fields[1]), []).append(int(d.name))
    found: dict[int, str] = {}
    todo = list(parents.get(pid, []))
    while todo:
        child = todo.pop()
        try:
            found[child] = (Path("/proc") / str(child) / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:200]
        except OSError:
            continue
        todo.extend(parents.get(child, []))
    return found


def pytest_sessionfinish(session, exitstatus):
    """Fail the run when a process the tests started is still alive at the end, and stop it.

    A server or worker left behind would outlive pytest (PPID 1) and hold its
    port and temporary store; every test must stop what it starts.
    """
    if not Path("/proc/self/stat").exists():
        return
    # multiprocessing's resource tracker reads a pipe from this process: it ends with pytest
    left = {pid: cmd for pid, cmd in descendants(os.getpid()).items() if "multiprocessing.resource_tracker" not in cmd}
    if not left:
        return
    sys.stderr.write("\nprocesses started by the tests are still running:\n")
    for pid, cmd in sorted(left.items()):
        sys.stderr.write(f"  {pid}: {cmd}\n")
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
