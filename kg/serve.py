"""A read-only SPARQL endpoint: Oxigraph in sandboxed worker processes behind a guard.

Security model (the README's Serving SPARQL says it for users):

1. It listens on loopback unless told otherwise, answers only requests whose
   ``Host`` names the address served (no DNS rebinding) and sends no CORS
   headers. Only the query page may be loaded from another site: a foreign,
   ``null`` or non-http(s) ``Origin`` or a cross-site ``Sec-Fetch-Site`` runs
   nothing, and a query by GET needs :data:`QUERY_HEADER`, which no cross-site
   ``<img>`` or form can send. A refused request closes its connection, so
   nothing after it is read as a request.
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
6. Service is fair: a request must arrive whole within a deadline, one
   address holds a bounded number of connections, and workers are shared
   between addresses so that runaway clients wait, not everyone else.

The query page is our own (``kg/templates/sparql.html``): one file, no
network, results shown as plain values. The explorer (``/explorer``), and with
``--corrections`` the corrections it posts, are :mod:`kg.editor`'s (:attr:`Endpoint.pages`).
"""

from __future__ import annotations

import io
import ipaddress
import json
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

from .embed import script_json
from .errors import QueryError, ServeError, one_line
from .guard import READ_ONLY, check_query  # noqa: F401  (check_query: part of kg.serve's API)
from .results import MEDIA_TYPES
from .workers import Pool

MAX_BODY = 1 << 20
"""Largest request body (a query) accepted: 1 MiB."""
MAX_HEADER_BYTES = 16 << 10
PAGE_PATHS = ("/", "/index.html")
QUERY_HEADER = "X-Requested-With"
"""A query sent by GET needs this header: a page of another site cannot add it without asking (CORS)."""
_STORE_PREFIX = "kg-serve-"
SNAPSHOTS = ".kg-serve"
"""The folder in a kg store where servers keep their snapshots of it while they serve it."""
_ORPHAN_SECONDS = 3600


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def clean_stale_stores(tmp: str | None = None) -> int:
    """Remove temporary stores left by servers that were killed; return how many.

    A store's folder is named after its server's process id (``kg-serve-PID-…``),
    so a server killed before it wrote anything still leaves a folder whose owner
    is known. Folders of the older naming without ``owner.pid`` are removed once
    an hour old (a server is never that slow to write the file).
    """
    removed = 0
    base = Path(tmp or tempfile.gettempdir())
    for d in base.glob(_STORE_PREFIX + "*"):
        pid = _owner(d)
        if pid is None:
            try:
                if time.time() - d.stat().st_mtime < _ORPHAN_SECONDS:
                    continue
            except OSError:
                continue
        elif _running(pid):
            continue
        shutil.rmtree(d, ignore_errors=True)
        removed += 1
    return removed


def _owner(folder: Path) -> int | None:
    """The process id of the server a store folder belongs to, from its name or its ``owner.pid``."""
    head = folder.name[len(_STORE_PREFIX):].split("-", 1)[0]
    if head.isdigit():
        return int(head)
    try:
        return int((folder / "owner.pid").read_text())
    except (OSError, ValueError):
        return None


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _load_store(graph: Path) -> Path:
    """A folder of this server's holding ``store``, the Oxigraph store its workers open read-only: the graph
    file bulk-loaded, or a store folder's snapshot (:func:`_snapshot`)."""
    import pyoxigraph as ox

    if graph.is_dir():
        return _snapshot(graph)
    d = Path(tempfile.mkdtemp(prefix=f"{_STORE_PREFIX}{os.getpid()}-"))
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


def _snapshot(folder: Path) -> Path:
    """A snapshot of the kg store in ``folder`` (:func:`kg.store.snapshot`), nothing converted: in the
    store's ``.kg-serve/``, where it is hard links to the store's files, or in the temporary folder when
    the store's folder cannot be written. Snapshots there of servers that were killed are removed."""
    from .store import snapshot, store_meta

    store_meta(folder)
    base = folder / SNAPSHOTS
    try:
        base.mkdir(exist_ok=True)
        clean_stale_stores(str(base))
    except OSError:
        base = Path(tempfile.gettempdir())
    d = Path(tempfile.mkdtemp(prefix=f"{_STORE_PREFIX}{os.getpid()}-", dir=base))
    try:
        snapshot(folder, d / "store")
    except OSError as e:
        shutil.rmtree(d, ignore_errors=True)
        raise ServeError(f"{folder}: cannot take a snapshot of the store to serve ({one_line(e)[:160]})") from None
    except BaseException:
        shutil.rmtree(d, ignore_errors=True)
        raise
    return d


@dataclass
class Endpoint:
    """A running endpoint: a pool of query workers and the HTTP guard in front of them."""

    graph: Path
    """A graph file, or a kg store folder (served from a snapshot taken at start, :func:`_snapshot`)."""
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 10.0
    max_rows: int = 10000
    workers: int = 0
    """Query worker processes; 0 means one per core, at least 2."""
    max_memory_mb: int = 1024
    """A query whose worker grows past this is stopped."""
    request_seconds: float = 10.0
    """A request's line, headers and body must all arrive within this many seconds of its first byte."""
    idle_seconds: float = 20.0
    """A connection that starts no request for this long is closed; also the limit for sending an answer."""
    max_connections: int = 128
    max_per_address: int = 32
    """Connections open at once from one client address; more are refused (429) so one host cannot take all.
    One its client closed once answered is not counted, though its thread may not have ended yet."""
    slow_seconds: float = 1.0
    """A query running longer makes its address heavy: its queries wait behind others' (see :class:`Pool`)."""
    pages: object | None = None
    """More pages (the explorer, :class:`kg.editor.Explorer`): ``get(endpoint, path)`` and
    ``post(endpoint, path, headers, body)`` answer ``(status, body, content type, headers)``, or None for a
    path not theirs; ``lines(base URL)`` is what :func:`serve` prints about them."""
    _tmp: Path | None = None
    _pool: Pool | None = None
    _httpd: ThreadingHTTPServer | None = None
    _serving: threading.Thread | None = None
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

    def select(self, query: str, client: str = "kg", max_rows: int | None = None) -> list[dict[str, str]]:
        """Rows of a SELECT run as a query sent to ``/query`` runs (:mod:`kg.guard`'s check, a sandboxed
        read-only worker, the time and memory limits), each a dict of its bound variables' values as text;
        at most ``max_rows`` rows (default the row cap). :class:`QueryError` when it fails or is refused."""
        if self._pool is None:
            raise ServeError("the endpoint is stopping")
        answer = self._pool.run(query, MEDIA_TYPES["json"], client, max_rows=max_rows)
        if answer.status != 200:
            raise QueryError(f"{answer.status}: {answer.body.decode('utf-8', 'replace').strip()}")
        bindings = json.loads(answer.body)["results"]["bindings"]
        return [{k: v["value"] for k, v in b.items()} for b in bindings]

    def restore_store(self) -> None:
        """Load the graph into a new temporary store when the old one is gone."""
        with self._store_lock:
            if self._tmp is not None and (self._tmp / "store" / "CURRENT").exists():
                return
            old, self._tmp = self._tmp, _load_store(self.graph)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)

    def reload(self, graph: Path) -> None:
        """Serve ``graph`` from now on: a new store and new workers; queries still running on the old
        ones are stopped."""
        tmp = _load_store(graph)
        with self._store_lock:
            old, self._tmp, self.graph = self._tmp, tmp, graph
        pool, self._pool = self._pool, Pool(self, self._pool.size if self._pool else 2)
        if pool is not None:
            pool.close()
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def start(self) -> Endpoint:
        if not self.graph.is_file() and not self.graph.is_dir():
            raise ServeError(f"{self.graph}: no such graph file; build one with `kg build SRC -o DIR`")
        if self.timeout <= 0 or self.max_rows <= 0 or self.max_memory_mb <= 0 or self.workers < 0:
            raise ServeError("--timeout, --max-rows and --max-memory must be greater than 0")
        if min(self.request_seconds, self.idle_seconds, self.slow_seconds) <= 0 or \
                min(self.max_connections, self.max_per_address) <= 0:
            raise ServeError("connection limits and deadlines must be greater than 0")
        if not 0 <= self.port <= 65535:
            raise ServeError(f"--port {self.port}: give a port from 1 to 65535 (0 picks a free one)")
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
            except (OSError, OverflowError) as e:
                raise ServeError(f"cannot listen on {self.host}:{self.port} "
                                 f"({getattr(e, 'strerror', None) or one_line(e)}); pick another --port") from None
        except BaseException:
            self.close()
            raise
        self.port = self._httpd.server_address[1]
        return self

    def serve_forever(self) -> None:
        assert self._httpd is not None
        self._serving = self._serving or threading.current_thread()
        self._httpd.serve_forever(poll_interval=0.2)

    def serve_in_thread(self) -> threading.Thread:
        t = threading.Thread(target=self.serve_forever, daemon=True)
        self._serving = t
        t.start()
        return t

    def close(self) -> None:
        if self._httpd is not None:
            # shutdown() waits for a serve_forever loop: only another thread's (a signal in
            # this thread has already left ours, or came before it began)
            if self._serving is not None and self._serving is not threading.current_thread():
                self._httpd.shutdown()
            self._serving = None
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


_TCP_ESTABLISHED = 1
"""Linux's TCP state of a connection both ends still hold open (include/net/tcp_states.h)."""


def _both_ends_open(sock: socket.socket) -> bool:
    """False once either end has closed the connection; True where the system cannot tell (not Linux)."""
    if sock.fileno() == -1:
        return False
    if not sys.platform.startswith("linux"):
        return True
    try:
        return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 1)[0] == _TCP_ESTABLISHED
    except OSError:  # closed by its thread since the test above
        return False


class _Server(ThreadingHTTPServer):
    """Threads per connection: at most ``max_connections`` at once, ``max_per_address`` from one address."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # socketserver's 5 resets clients that connect together

    def __init__(self, addr, handler, endpoint: Endpoint):
        self.address_family = socket.AF_INET6 if ":" in addr[0] else socket.AF_INET
        self.endpoint = endpoint
        self.count_lock = threading.Lock()
        self.open: dict[str, dict[socket.socket, bool]] = {}
        """Per client address, its connections, each True while between requests (answered, or none yet)."""
        super().__init__(addr, handler)

    def between_requests(self, address: str, sock: socket.socket, idle: bool) -> None:
        """The handler tells when a request begins (False) and when its answer is sent (True)."""
        with self.count_lock:
            self.open[address][sock] = idle

    def _held(self, conns: dict[socket.socket, bool]) -> int:
        """Connections their client still holds: not those it closed after its answer.

        A client that sends its queries one after another, each on a new
        connection, closes each once answered; the thread serving it ends a
        moment later, later still under load, and counted until then it made
        the server refuse that client with 429. A connection closed while its
        request is still being read or run still counts.
        """
        return sum(1 for sock, idle in conns.items() if not idle or _both_ends_open(sock))

    def process_request(self, request, client_address):
        ep, address = self.endpoint, client_address[0]
        with self.count_lock:
            mine = self.open.get(address, {})
            if sum(map(len, self.open.values())) >= ep.max_connections and \
                    sum(map(self._held, self.open.values())) >= ep.max_connections:
                refusal = (503, "too many connections; try again later")
            elif len(mine) >= ep.max_per_address and self._held(mine) >= ep.max_per_address:
                refusal = (429, f"over {ep.max_per_address} connections from your address; close some first")
            else:
                refusal = None
                self.open.setdefault(address, {})[request] = True
        if refusal is None:
            return super().process_request(request, client_address)
        status, message = refusal
        body = (message + "\n").encode()
        try:
            request.settimeout(1)
            request.sendall(f"HTTP/1.1 {status} {'Too Many Requests' if status == 429 else 'Service Unavailable'}\r\n"
                            f"Content-Type: text/plain\r\nConnection: close\r\nRetry-After: 1\r\n"
                            f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        except OSError:
            pass
        self.shutdown_request(request)

    def handle_error(self, request, client_address) -> None:
        """A client that went away is not an error; anything else is logged on one line."""
        e = sys.exc_info()[1]
        if not isinstance(e, (ConnectionError, TimeoutError)):
            sys.stderr.write(f"kg serve: error answering {client_address[0]}: {one_line(e)}\n")

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self.count_lock:
                conns = self.open[client_address[0]]
                del conns[request]
                if not conns:
                    del self.open[client_address[0]]


class _DeadlineReader(io.RawIOBase):
    """A socket read under two limits: idle until a request's first byte, then the whole request by a deadline.

    A client sending one byte now and then (slowloris) kept a connection, and
    its thread, for ever under a plain idle timeout; here it is cut when the
    request is not complete ``request_seconds`` after it began.
    """

    def __init__(self, sock: socket.socket, idle: float, whole: float, on_begin=lambda: None):
        self.sock, self.idle, self.whole, self.on_begin = sock, idle, whole, on_begin
        self.next_request()

    def next_request(self) -> None:
        self.until = time.monotonic() + self.idle
        self.begun = False
        self.expired = False

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        left = self.until - time.monotonic()
        if left <= 0:
            self.expired = True
            raise TimeoutError("request deadline passed")
        self.sock.settimeout(left)
        try:
            n = self.sock.recv_into(b)
        except TimeoutError:
            self.expired = True
            raise
        if n and not self.begun:
            self.begun, self.until = True, time.monotonic() + self.whole
            self.on_begin()
        return n


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

        def setup(self) -> None:
            super().setup()
            self.reader = _DeadlineReader(self.connection, ep.idle_seconds, ep.request_seconds,
                                          lambda: self._between_requests(False))
            self.rfile = io.BufferedReader(self.reader, 1 << 16)

        def _between_requests(self, idle: bool) -> None:
            self.server.between_requests(self.client_address[0], self.connection, idle)

        def handle_one_request(self) -> None:
            self.reader.next_request()
            self.answered = False
            self.command, self.request_version, self.requestline = None, "HTTP/1.1", ""
            super().handle_one_request()
            if self.reader.expired:
                self.close_connection = True
                if self.reader.begun and not self.answered:
                    self._late()

        def _late(self) -> None:
            """Answer 408 to a request that did not arrive in time (best effort: the client may be gone)."""
            try:
                self._error(408, f"the request did not arrive within {ep.request_seconds:g} s")
            except OSError:
                pass

        def log_message(self, fmt: str, *args) -> None:
            sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))

        def _send(self, status: int, body: bytes, ctype: str, headers: dict | None = None,
                  close: bool = False) -> None:
            self.answered = True
            self._between_requests(True)  # before the client can have the answer
            self.connection.settimeout(ep.idle_seconds)
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

        def _error(self, status: int, message: str) -> None:
            """Refuse the request and close the connection: nothing after it is read as a request."""
            self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8", close=True)

        def _guard(self) -> bool:
            """Size, Host, framing, Origin and fetch site; False when the request was refused."""
            if sum(len(k) + len(v) + 4 for k, v in self.headers.items()) > MAX_HEADER_BYTES:
                self._error(431, f"request headers over {MAX_HEADER_BYTES} bytes")
                return False
            host = self.headers.get("Host")
            if not ep.allowed_host(host):
                self._error(400, "the Host header must name this server (e.g. 127.0.0.1:PORT): "
                                 "requests for other names are refused (DNS rebinding)")
                return False
            lengths = self.headers.get_all("Content-Length") or []
            if len(lengths) > 1 or (self.command != "POST" and (self.headers.get("Transfer-Encoding") or any(
                    v.strip() not in ("", "0") for v in lengths))):
                self._error(400, "a request body must be one POST body with one Content-Length")
                return False
            page = self.command in ("GET", "HEAD") and urllib.parse.urlsplit(self.path).path in PAGE_PATHS
            if page:
                return True  # the page is the same for everyone and runs nothing
            origin = self.headers.get("Origin")
            if origin is not None:
                parts = urllib.parse.urlsplit(origin)
                if parts.scheme not in ("http", "https") or parts.netloc != host:
                    self._error(403, f"cross-origin requests are refused (Origin {origin[:80]}); "
                                     "open the query page on this server")
                    return False
            if self.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
                self._error(403, "requests made by pages of other sites are refused; "
                                 "open the query page on this server")
                return False
            return True

        def do_GET(self) -> None:
            if not self._guard():
                return
            parts = urllib.parse.urlsplit(self.path)
            if parts.path in PAGE_PATHS:
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
                if QUERY_HEADER not in self.headers:
                    return self._error(403, f"a query by GET needs the header {QUERY_HEADER} (any value), "
                                            "which a page of another site cannot send; or send it by POST")
                return self._query(params["query"][0], params.get("bind"))
            if parts.path in ("/update", "/store"):
                return self._error(403, READ_ONLY)
            if ep.pages is not None and (reply := ep.pages.get(ep, parts.path)) is not None:
                return self._send(*reply)
            return self._error(404, f"no such path {parts.path}; send queries to /query")

        do_HEAD = do_GET

        def _body(self) -> bytes | None:
            """The request body, or None when it was refused (the answer is sent)."""
            if self.headers.get("Transfer-Encoding"):
                self._error(411, "send the body with a Content-Length (chunked bodies are not accepted)")
                return None
            raw = self.headers.get("Content-Length")
            if raw is None:
                return b""
            if not raw.strip().isdigit():
                self._error(400, f"Content-Length {raw[:40]!r} is not a number of bytes")
                return None
            length = int(raw)
            if length > MAX_BODY:
                self._error(413, f"request body over {MAX_BODY} bytes; send a shorter query")
                return None
            try:
                data = self.rfile.read(length)
            except OSError:
                self.close_connection = True
                if self.reader.expired:
                    self._late()
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
            if ep.pages is not None and (reply := ep.pages.post(ep, parts.path, self.headers, body)) is not None:
                return self._send(*reply, close=reply[0] >= 400)
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
            return self._query(form["query"][0], form.get("bind"))

        def do_PUT(self) -> None:
            if self._guard():
                self._error(403, READ_ONLY)

        do_DELETE = do_PATCH = do_PUT

        def do_OPTIONS(self) -> None:
            if self._guard():
                self._error(405, "no CORS here: open the query page on this server")

        def _query(self, query: str, bind: list[str] | None = None) -> None:
            accept = self.headers.get("Accept") or MEDIA_TYPES["json"]
            if ep._pool is None:
                return self._error(503, "the endpoint is stopping")
            a = ep._pool.run(query, accept, self.client_address[0], bind)
            self._send(a.status, a.body, a.ctype, a.headers)

    return Handler


def serve(graph: str | os.PathLike, host: str = "127.0.0.1", port: int = 7878, timeout: float = 10.0,
          max_rows: int = 10000, workers: int = 0, max_memory_mb: int = 1024, pages: object | None = None) -> None:
    """Serve ``graph`` until SIGINT, SIGTERM or SIGHUP; the first line printed is the endpoint URL.
    ``pages`` serves more (:attr:`Endpoint.pages`)."""

    def stop(signum, frame):
        raise KeyboardInterrupt

    ep = Endpoint(Path(graph), host, port, timeout, max_rows, workers, max_memory_mb, pages=pages)
    # SIGINT too, explicitly: a server started from a background job inherits it ignored
    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        ep.start()
        print(f"SPARQL endpoint: {ep.url}", flush=True)
        print(f"query page:      {ep.url.rsplit('/query', 1)[0]}/", flush=True)
        for line in pages.lines(ep.url.rsplit("/query", 1)[0]) if pages is not None else ():
            print(line, flush=True)
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
