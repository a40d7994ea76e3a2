"""A read-only SPARQL endpoint: Oxigraph in sandboxed worker processes behind a guard.

Security model (the README says it in five lines):

1. It listens on loopback unless told otherwise, answers only requests whose
   ``Host`` names the address served (no DNS rebinding), refuses a foreign
   ``Origin`` and sends no CORS headers.
2. Every query passes :mod:`kg.guard`, the check of every kg query path:
   rdflib parses its canonical text (``\\u`` escapes decoded, comments cut
   out, spellings parsers read differently refused), which is the text the
   engine is handed; UPDATE and LOAD get 403, ``SERVICE`` or ``FROM``
   anywhere 400.
3. Queries run in worker processes that open the store read-only and cannot
   open an Internet socket (:mod:`kg.sandbox`), so even a query that slipped
   past the parser could not reach the network.
4. A query that runs past the time limit or the memory limit has its worker
   killed and replaced; queries in other workers go on undisturbed. Results
   are cut at the row cap as they stream, so memory is bounded by the cap.
5. Request line, headers, body and the number of connections are bounded;
   malformed requests get a 4xx answer, never a traceback.

The query page is our own (``kg/templates/sparql.html``): one file, no
network, results shown as plain values.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

from .embed import script_json
from .errors import ServeError, one_line
from .guard import READ_ONLY, check_query  # noqa: F401  (check_query: part of kg.serve's API)
from .results import MEDIA_TYPES
from .workers import Pool

MAX_BODY = 1 << 20
"""Largest request body (a query) accepted: 1 MiB."""
MAX_HEADER_BYTES = 16 << 10
MAX_CONNECTIONS = 64
IDLE_SECONDS = 20
"""A connection that sends nothing for this long is closed (slow clients hold no thread)."""
_STORE_PREFIX = "kg-serve-"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def clean_stale_stores(tmp: str | None = None) -> int:
    """Remove temporary stores left by servers that were killed; return how many."""
    removed = 0
    base = Path(tmp or tempfile.gettempdir())
    for d in base.glob(_STORE_PREFIX + "*"):
        try:
            pid = int((d / "owner.pid").read_text())
        except (OSError, ValueError):
            continue
        try:
            os.kill(pid, 0)
            continue  # its server is alive
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        shutil.rmtree(d, ignore_errors=True)
        removed += 1
    return removed


def _load_store(graph: Path) -> Path:
    import pyoxigraph as ox

    d = Path(tempfile.mkdtemp(prefix=_STORE_PREFIX))
    (d / "owner.pid").write_text(str(os.getpid()))
    fmt = {".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS, ".rdf": ox.RdfFormat.RDF_XML,
           ".xml": ox.RdfFormat.RDF_XML, ".jsonld": ox.RdfFormat.JSON_LD}.get(graph.suffix.lower(),
                                                                               ox.RdfFormat.TURTLE)
    try:
        store = ox.Store(str(d / "store"))
        store.bulk_load(path=str(graph), format=fmt)
        store.flush()
        del store
    except (SyntaxError, OSError, ValueError) as e:
        shutil.rmtree(d, ignore_errors=True)
        raise ServeError(f"{graph}: Oxigraph could not load it ({one_line(e)[:160]})") from None
    return d


@dataclass
class Endpoint:
    """A running endpoint: a pool of query workers and the HTTP guard in front of them."""

    graph: Path
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 10.0
    max_rows: int = 10000
    workers: int = 0
    """Query worker processes; 0 means one per core, at least 2."""
    max_memory_mb: int = 1024
    """A query whose worker grows past this is stopped."""
    _tmp: Path | None = None
    _pool: Pool | None = None
    _httpd: ThreadingHTTPServer | None = None
    _store_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        """The URL a SPARQL client sends queries to."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/query"

    @property
    def sandboxed(self) -> bool:
        """True when the query workers cannot open Internet sockets."""
        return bool(self._pool and self._pool.sandboxed)

    def store_dir(self) -> Path:
        assert self._tmp is not None
        return self._tmp / "store"

    def restore_store(self) -> None:
        """Load the graph into a new temporary store when the old one is gone."""
        with self._store_lock:
            if self._tmp is not None and (self._tmp / "store" / "CURRENT").exists():
                return
            old, self._tmp = self._tmp, _load_store(self.graph)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)

    def start(self) -> Endpoint:
        if not self.graph.is_file():
            raise ServeError(f"{self.graph}: no such graph file; build one with `kg build SRC -o DIR`")
        if self.timeout <= 0 or self.max_rows <= 0 or self.max_memory_mb <= 0 or self.workers < 0:
            raise ServeError("--timeout, --max-rows and --max-memory must be greater than 0")
        try:
            import pyoxigraph  # noqa: F401
        except ImportError:
            raise ServeError("kg serve needs pyoxigraph: pip install 'pyoxigraph>=0.5,<0.6'") from None
        clean_stale_stores()
        try:
            self._tmp = _load_store(self.graph)
            self._pool = Pool(self, self.workers or max(2, os.cpu_count() or 2))
            try:
                self._httpd = _Server((self.host, self.port), _handler(self), self)
            except OSError as e:
                raise ServeError(f"cannot listen on {self.host}:{self.port} ({e.strerror}); "
                                 "pick another --port") from None
        except BaseException:
            self.close()
            raise
        self.port = self._httpd.server_address[1]
        return self

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
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self) -> Endpoint:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    def allowed_host(self, header: str | None) -> bool:
        """Whether a ``Host`` header names this server: an IP literal or the name it was started with."""
        if not header:
            return False
        parts = urllib.parse.urlsplit("//" + header)
        try:
            name, port = parts.hostname, parts.port
        except ValueError:
            return False
        if name is None or (port or 80) != self.port:
            return False
        loopback_only = _is_loopback(self.host)
        if name == "localhost" or name == self.host.lower():
            return True
        try:
            ip = ipaddress.ip_address(name)
        except ValueError:
            return False  # a DNS name we were not started with: DNS rebinding, or a mistake
        return ip.is_loopback if loopback_only else True


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Server(ThreadingHTTPServer):
    """Threads per connection, at most :data:`MAX_CONNECTIONS` at once."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # socketserver's 5 resets clients that connect together

    def __init__(self, addr, handler, endpoint: Endpoint):
        self.address_family = socket.AF_INET6 if ":" in addr[0] else socket.AF_INET
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__(addr, handler)

    def process_request(self, request, client_address):
        if not self.slots.acquire(blocking=False):
            try:
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n"
                                b"Connection: close\r\nContent-Length: 38\r\n\r\n"
                                b"too many connections; try again later\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def handle_error(self, request, client_address) -> None:
        """A client that went away is not an error; anything else is logged on one line."""
        e = sys.exc_info()[1]
        if not isinstance(e, (ConnectionError, TimeoutError)):
            sys.stderr.write(f"kg serve: error answering {client_address[0]}: {one_line(e)}\n")

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


def query_page() -> str:
    """Our query page with the saved queries."""
    from .sparql import saved_queries

    saved = [{"name": q.name, "description": q.description, "text": q.for_store()} for q in saved_queries().values()]
    template = (resources.files("kg") / "templates" / "sparql.html").read_text(encoding="utf-8")
    return template.replace("/*__SAVED__*/[]", script_json(saved), 1)


def _handler(ep: Endpoint):
    class Handler(BaseHTTPRequestHandler):
        server_version = "kg-sparql"
        sys_version = ""
        protocol_version = "HTTP/1.1"
        timeout = IDLE_SECONDS

        def log_message(self, fmt: str, *args) -> None:
            sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))

        def _send(self, status: int, body: bytes, ctype: str, headers: dict | None = None,
                  close: bool = False) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Cache-Control", "no-store")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            if close:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _error(self, status: int, message: str, close: bool = False) -> None:
            self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8", close=close)

        def _guard(self) -> bool:
            """Host, Origin and header size; False when the request was answered with an error."""
            if sum(len(k) + len(v) + 4 for k, v in self.headers.items()) > MAX_HEADER_BYTES:
                self._error(431, f"request headers over {MAX_HEADER_BYTES} bytes", close=True)
                return False
            if not ep.allowed_host(self.headers.get("Host")):
                self._error(400, "the Host header must name this server (e.g. 127.0.0.1:PORT): "
                                 "requests for other names are refused (DNS rebinding)", close=True)
                return False
            origin = self.headers.get("Origin")
            if origin and origin != "null" and urllib.parse.urlsplit(origin).netloc != self.headers.get("Host"):
                self._error(403, "cross-origin requests are refused; open the query page on this server")
                return False
            return True

        def do_GET(self) -> None:
            if not self._guard():
                return
            parts = urllib.parse.urlsplit(self.path)
            if parts.path in ("/", "/index.html"):
                return self._send(200, query_page().encode("utf-8"), "text/html; charset=utf-8", {
                    "Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; "
                    "style-src 'unsafe-inline'; connect-src 'self'; img-src data:"})
            if parts.path in ("/query", "/sparql"):
                try:
                    params = urllib.parse.parse_qs(parts.query, strict_parsing=False, max_num_fields=100)
                except ValueError:
                    return self._error(400, "too many query parameters")
                if "update" in params:
                    return self._error(403, READ_ONLY)
                if "query" not in params:
                    return self._error(400, "give the query as ?query=… (SPARQL 1.1 Protocol)")
                return self._query(params["query"][0])
            if parts.path in ("/update", "/store"):
                return self._error(403, READ_ONLY)
            return self._error(404, f"no such path {parts.path}; send queries to /query")

        do_HEAD = do_GET

        def _body(self) -> bytes | None:
            """The request body, or None when it was refused (the answer is sent)."""
            if self.headers.get("Transfer-Encoding"):
                self._error(411, "send the body with a Content-Length (chunked bodies are not accepted)",
                            close=True)
                return None
            raw = self.headers.get("Content-Length")
            if raw is None:
                return b""
            if not raw.strip().isdigit():
                self._error(400, f"Content-Length {raw[:40]!r} is not a number of bytes", close=True)
                return None
            length = int(raw)
            if length > MAX_BODY:
                self._error(413, f"request body over {MAX_BODY} bytes; send a shorter query", close=True)
                return None
            try:
                data = self.rfile.read(length)
            except (OSError, TimeoutError):
                self.close_connection = True
                return None
            if len(data) < length:
                self.close_connection = True
                return None
            return data

        def do_POST(self) -> None:
            if not self._guard():
                return
            body = self._body()
            if body is None:
                return
            parts = urllib.parse.urlsplit(self.path)
            if parts.path in ("/update", "/store"):
                return self._error(403, READ_ONLY)
            if parts.path not in ("/query", "/sparql"):
                return self._error(404, f"no such path {parts.path}; send queries to /query")
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                return self._error(403, READ_ONLY)
            if ctype == "application/sparql-query":
                return self._query(body.decode("utf-8", "replace"))
            try:
                form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), max_num_fields=100)
            except ValueError:
                return self._error(400, "too many form fields")
            if "update" in form:
                return self._error(403, READ_ONLY)
            if "query" not in form:
                return self._error(400, "give the query as form field query=… or as application/sparql-query")
            return self._query(form["query"][0])

        def do_PUT(self) -> None:
            if self._guard():
                self._error(403, READ_ONLY, close=True)

        do_DELETE = do_PATCH = do_PUT

        def do_OPTIONS(self) -> None:
            if self._guard():
                self._error(405, "no CORS here: open the query page on this server", close=True)

        def _query(self, query: str) -> None:
            accept = self.headers.get("Accept") or MEDIA_TYPES["json"]
            if ep._pool is None:
                return self._error(503, "the endpoint is stopping")
            a = ep._pool.run(query, accept)
            self._send(a.status, a.body, a.ctype, a.headers)

    return Handler


def serve(graph: str | os.PathLike, host: str = "127.0.0.1", port: int = 7878, timeout: float = 10.0,
          max_rows: int = 10000, workers: int = 0, max_memory_mb: int = 1024) -> None:
    """Serve ``graph`` until SIGINT, SIGTERM or SIGHUP; the first line printed is the endpoint URL."""

    def stop(signum, frame):
        raise KeyboardInterrupt

    ep = Endpoint(Path(graph), host, port, timeout, max_rows, workers, max_memory_mb)
    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        ep.start()
        print(f"SPARQL endpoint: {ep.url}", flush=True)
        print(f"query page:      {ep.url.rsplit('/query', 1)[0]}/", flush=True)
        print(f"read-only; time limit {timeout:g} s; row cap {max_rows}; "
              f"{ep._pool.size} query workers, network {'denied' if ep.sandboxed else 'NOT sandboxed here'}. "
              "Ctrl-C stops.", flush=True)
        ep.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        ep.close()
        for s, h in previous.items():
            signal.signal(s, h)
