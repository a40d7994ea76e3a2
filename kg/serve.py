"""A read-only SPARQL endpoint over a graph file: Oxigraph's server behind a thin guard.

Oxigraph (the ``oxigraph`` package's server binary) answers the SPARQL 1.1
Protocol and serves its YASGUI query page from local files. In front of it,
a small stdlib HTTP server:

- refuses SPARQL UPDATE and LOAD (403) and federated ``SERVICE`` calls (400),
  which Oxigraph would otherwise try to resolve over the network;
- caps the rows of a result (header ``X-KG-Row-Cap`` and, in JSON, a
  ``kg_warning`` member say when it did);
- stops a query at the time limit (503) and restarts Oxigraph, since a query
  running past its limit is otherwise never stopped;
- serves our own query page: YASGUI (from Oxigraph, local) with the saved
  queries one click away.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

from .errors import ServeError

RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s+\S*\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)


def _strip_literals(query: str) -> str:
    """The query without comments, IRIs and string literals, so keywords can be spotted."""
    query = re.sub(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', '""', query)
    query = re.sub(r"<[^<>\s]*>", "<>", query)
    return re.sub(r"#[^\n]*", "", query)


def check_query(query: str) -> tuple[int, str] | None:
    """``(status, message)`` when the query must be refused, else None."""
    bare = _strip_literals(query)
    if _UPDATE.match(bare):
        return 403, "this endpoint is read-only: SPARQL UPDATE and LOAD are refused"
    if re.search(r"\bSERVICE\b", bare, re.IGNORECASE):
        return 400, "SERVICE (federated query) is refused: this endpoint answers from its own graph only"
    return None


def oxigraph_binary() -> str:
    """The Oxigraph server binary installed with the ``oxigraph`` package."""
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if not found:
        raise ServeError("the Oxigraph server is not installed: pip install 'oxigraph>=0.5,<0.6'")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _cap_rows(body: bytes, ctype: str, max_rows: int) -> tuple[bytes, int | None]:
    """Cut a result to ``max_rows``; return the body and the original row count when cut."""
    if "json" in ctype:
        data = json.loads(body)
        rows = data.get("results", {}).get("bindings")
        if rows is None or len(rows) <= max_rows:
            return body, None
        data["results"]["bindings"] = rows[:max_rows]
        data["kg_warning"] = f"result cut to {max_rows} of {len(rows)} rows (row cap); add LIMIT or raise --max-rows"
        return json.dumps(data, ensure_ascii=False).encode("utf-8"), len(rows)
    if "csv" in ctype or "tab-separated" in ctype:
        lines = body.decode("utf-8").splitlines(keepends=True)
        if len(lines) - 1 <= max_rows:
            return body, None
        return "".join(lines[: max_rows + 1]).encode("utf-8"), len(lines) - 1
    if "xml" in ctype:
        ns = "{http://www.w3.org/2005/sparql-results#}"
        ET.register_namespace("", ns[1:-1])
        root = ET.fromstring(body)
        results = root.find(f"{ns}results")
        if results is None or len(results) <= max_rows:
            return body, None
        total = len(results)
        for extra in list(results)[max_rows:]:
            results.remove(extra)
        return ET.tostring(root, encoding="utf-8", xml_declaration=True), total
    return body, None


@dataclass
class Endpoint:
    """A running endpoint: Oxigraph on a private port and the guard in front of it."""

    graph: Path
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 10.0
    max_rows: int = 10000
    store: Path | None = None
    upstream_port: int = 0
    _proc: subprocess.Popen | None = None
    _httpd: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        """The URL a SPARQL client sends queries to."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/query"

    @property
    def upstream(self) -> str:
        return f"http://127.0.0.1:{self.upstream_port}"

    def start(self) -> Endpoint:
        if not self.graph.is_file():
            raise ServeError(f"{self.graph}: no such graph file; build one with `kg build SRC -o DIR`")
        binary = oxigraph_binary()
        self.store = Path(tempfile.mkdtemp(prefix="kg-oxigraph-"))
        fmt = ["--format", "ttl"] if self.graph.suffix.lower() in (".ttl", ".turtle") else []
        done = subprocess.run([binary, "load", "--location", str(self.store), "--file", str(self.graph), *fmt],
                              capture_output=True, text=True)
        if done.returncode != 0:
            self.close()
            last = (done.stderr.strip().splitlines() or ["unknown error"])[-1]
            raise ServeError(f"{self.graph}: Oxigraph could not load it ({last[:160]})")
        self._start_upstream()
        try:
            self._httpd = ThreadingHTTPServer((self.host, self.port), _handler(self))
        except OSError as e:
            self.close()
            raise ServeError(f"cannot listen on {self.host}:{self.port} ({e.strerror}); pick another --port") from None
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        return self

    def _start_upstream(self) -> None:
        self.upstream_port = free_port()
        self._proc = subprocess.Popen(
            [oxigraph_binary(), "serve-read-only", "--location", str(self.store),
             "--bind", f"127.0.0.1:{self.upstream_port}", "--timeout-s", str(max(1, int(self.timeout)))],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.upstream_port), timeout=0.2):
                    return
            except OSError:
                if self._proc.poll() is not None:
                    break
                time.sleep(0.05)
        raise ServeError("Oxigraph did not start; run `oxigraph serve-read-only --help` to check the install")

    def restart_upstream(self) -> None:
        """Stop a query that ran past the limit: Oxigraph itself would never stop it."""
        with self._lock:
            if self._proc is not None:
                self._proc.kill()
                self._proc.wait()
            self._start_upstream()

    def serve_forever(self) -> None:
        assert self._httpd is not None
        self._httpd.serve_forever(poll_interval=0.2)

    def serve_in_thread(self) -> threading.Thread:
        t = threading.Thread(target=self.serve_forever, daemon=True)
        t.start()
        return t

    def close(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            self._proc = None
        if self.store is not None:
            shutil.rmtree(self.store, ignore_errors=True)
            self.store = None

    def __enter__(self) -> Endpoint:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()


def query_page() -> str:
    """Our query page: Oxigraph's YASGUI plus the saved queries."""
    from .query import saved_queries

    items = "\n".join(
        f'<li><button type="button" data-query="{html.escape(q.text)}" title="{html.escape(q.description)}">'
        f"{html.escape(q.name)}</button> <span>{html.escape(q.description)}</span></li>"
        for q in saved_queries().values())
    template = (resources.files("kg") / "templates" / "sparql.html").read_text(encoding="utf-8")
    return template.replace("<!--SAVED-->", items)


def _handler(ep: Endpoint):
    class Handler(BaseHTTPRequestHandler):
        server_version = "kg-sparql"
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt: str, *args) -> None:
            sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))

        def _send(self, status: int, body: bytes, ctype: str, headers: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _error(self, status: int, message: str) -> None:
            self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

        def do_GET(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            if parts.path in ("/", "/index.html"):
                return self._send(200, query_page().encode("utf-8"), "text/html; charset=utf-8")
            if parts.path in ("/query", "/sparql"):
                params = urllib.parse.parse_qs(parts.query)
                if "query" not in params:
                    return self._error(400, "give the query as ?query=… (SPARQL 1.1 Protocol)")
                return self._query(params["query"][0])
            if parts.path in ("/update", "/store"):
                return self._error(403, "this endpoint is read-only: SPARQL UPDATE and LOAD are refused")
            return self._pass_through()

        do_HEAD = do_GET

        def do_POST(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if parts.path in ("/update", "/store"):
                return self._error(403, "this endpoint is read-only: SPARQL UPDATE and LOAD are refused")
            if parts.path not in ("/query", "/sparql"):
                return self._error(404, f"no such path {parts.path}; send queries to /query")
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            if ctype == "application/sparql-update":
                return self._error(403, "this endpoint is read-only: SPARQL UPDATE and LOAD are refused")
            if ctype == "application/sparql-query":
                return self._query(body.decode("utf-8", "replace"))
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
            if "update" in form:
                return self._error(403, "this endpoint is read-only: SPARQL UPDATE and LOAD are refused")
            if "query" not in form:
                return self._error(400, "give the query as form field query=… or as application/sparql-query")
            return self._query(form["query"][0])

        def do_PUT(self) -> None:
            self._error(403, "this endpoint is read-only: SPARQL UPDATE and LOAD are refused")

        do_DELETE = do_PUT

        def _query(self, query: str) -> None:
            refused = check_query(query)
            if refused:
                return self._error(*refused)
            accept = self.headers.get("Accept") or RESULT_TYPES["json"]
            if "text/html" in accept and "sparql" not in accept:
                accept = RESULT_TYPES["json"]
            req = urllib.request.Request(
                ep.upstream + "/query", data=urllib.parse.urlencode({"query": query}).encode(),
                headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
            try:
                with urllib.request.urlopen(req, timeout=ep.timeout) as r:
                    body, ctype = r.read(), r.headers.get("Content-Type", "")
            except urllib.error.HTTPError as e:
                return self._error(e.code, e.read().decode("utf-8", "replace").strip()[:500])
            except (TimeoutError, socket.timeout, urllib.error.URLError) as e:
                if isinstance(e, urllib.error.URLError) and not isinstance(e.reason, (TimeoutError, socket.timeout)):
                    return self._error(502, f"the SPARQL engine did not answer ({e.reason})")
                ep.restart_upstream()
                return self._error(503, f"query stopped at the {ep.timeout:g} s time limit; "
                                        "narrow it (LIMIT, more specific patterns) or raise --timeout")
            body, total = _cap_rows(body, ctype, ep.max_rows)
            headers = {"X-KG-Row-Cap": f"{ep.max_rows} of {total} rows"} if total is not None else {}
            self._send(200, body, ctype, headers)

        def _pass_through(self) -> None:
            try:
                with urllib.request.urlopen(ep.upstream + self.path, timeout=ep.timeout) as r:
                    self._send(r.status, r.read(), r.headers.get("Content-Type", "application/octet-stream"))
            except urllib.error.HTTPError as e:
                self._error(e.code, f"{self.path}: not found")
            except (OSError, urllib.error.URLError):
                self._error(502, "the SPARQL engine did not answer")

    return Handler


def serve(graph: str | os.PathLike, host: str = "127.0.0.1", port: int = 7878,
          timeout: float = 10.0, max_rows: int = 10000) -> None:
    """Serve ``graph`` until interrupted; the first line printed is the endpoint URL."""
    if timeout <= 0 or max_rows <= 0:
        raise ServeError("--timeout and --max-rows must be greater than 0")
    ep = Endpoint(Path(graph), host, port, timeout, max_rows).start()
    print(f"SPARQL endpoint: {ep.url}", flush=True)
    print(f"query page:      http://{ep.host}:{ep.port}/", flush=True)
    print(f"read-only; time limit {timeout:g} s; row cap {max_rows}. Ctrl-C stops.", flush=True)
    try:
        ep.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        ep.close()
