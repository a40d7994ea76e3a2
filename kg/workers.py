"""Query workers: processes that run one query at a time, without network, over a read-only store.

A worker reads jobs on stdin and writes answers on stdout (length-prefixed
frames). The :class:`Pool` hands each query to an idle worker and waits for the
answer until the time limit, watching the worker's memory; a worker past either
limit is killed and a new one started, so other queries never notice.
"""

from __future__ import annotations

import json
import os
import queue
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import QueryError, QueryRefusedError, ServeError, one_line
from .guard import inspect_query
from .results import GRAPH_MEDIA_TYPES, MEDIA_TYPES

if TYPE_CHECKING:
    from .serve import Endpoint


def _frame(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def _read_exact(f, n: int) -> bytes | None:
    buf = b""
    while len(buf) < n:
        chunk = f.read(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def _answer(store, job: dict) -> tuple[int, str, dict, bytes]:
    """Run one job in the worker: ``(status, content type, headers, body)``."""
    import pyoxigraph as ox

    from .results import write_boolean, write_solutions

    try:
        checked = inspect_query(job["query"])
    except QueryError as e:
        status = e.status if isinstance(e, QueryRefusedError) else 400
        return status, "text/plain; charset=utf-8", {}, f"{one_line(e)}\n".encode()
    accept = job.get("accept") or ""
    try:
        result = store.query(checked.text)
        if checked.form in ("SELECT", "ASK"):
            fmt = negotiate(accept, MEDIA_TYPES, "json")
            if isinstance(result, ox.QueryBoolean):
                return 200, MEDIA_TYPES[fmt], {}, write_boolean(bool(result), fmt)
            variables = [v.value for v in result.variables]
            rows = ([sol[v] for v in variables] for sol in result)
            body, cut = write_solutions(variables, rows, fmt, job["max_rows"])
            headers = {"X-KG-Row-Cap": f"cut at {job['max_rows']} rows"} if cut else {}
            return 200, MEDIA_TYPES[fmt] + ("; charset=utf-8" if fmt in ("csv", "tsv") else ""), headers, body
        fmt = negotiate(accept, GRAPH_MEDIA_TYPES, "turtle")
        triples, cut = [], False
        for t in result:
            if len(triples) == job["max_rows"]:
                cut = True
                break
            triples.append(t)
        rdf_format = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                      "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
        body = ox.serialize(triples, format=rdf_format) or b""
        headers = {"X-KG-Row-Cap": f"cut at {job['max_rows']} triples"} if cut else {}
        return 200, GRAPH_MEDIA_TYPES[fmt], headers, body
    except SyntaxError as e:
        return 400, "text/plain; charset=utf-8", {}, f"SPARQL syntax error: {one_line(e)}\n".encode()
    except Exception as e:  # evaluation errors: type errors, the store gone
        return 500, "text/plain; charset=utf-8", {"X-KG-Recycle": "1"}, \
            f"the query failed: {one_line(e)}\n".encode()


def negotiate(accept: str, types: dict[str, str], default: str) -> str:
    """The format whose media type ``accept`` prefers (``q`` values honoured), else ``default``."""
    best, best_q = default, -1.0
    for i, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        for fmt, mt in types.items():
            if media.lower() == mt and q > best_q:
                best, best_q = fmt, q
    return best


def worker_main(store_path: str, parent: int) -> None:
    """A query worker: no network, the store read-only, jobs on stdin, answers on stdout."""
    from .sandbox import deny_network

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the server stops us
    _die_with_parent(parent)
    sandboxed = deny_network()
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print must not corrupt the protocol
    inp = sys.stdin.buffer
    try:
        import pyoxigraph as ox

        store = ox.Store.read_only(store_path)
    except Exception as e:
        out.write(_frame(json.dumps({"ready": False, "error": one_line(e)}).encode()))
        out.flush()
        return
    inspect_query("ASK {}")  # load the parser now, not in the first query's time
    out.write(_frame(json.dumps({"ready": True, "sandboxed": sandboxed}).encode()))
    out.flush()
    while True:
        size = _read_exact(inp, 4)
        if size is None:
            return
        job = json.loads(_read_exact(inp, struct.unpack(">I", size)[0]) or b"{}")
        status, ctype, headers, body = _answer(store, job)
        head = json.dumps({"status": status, "ctype": ctype, "headers": headers, "length": len(body)}).encode()
        out.write(_frame(head) + body)
        out.flush()


def _die_with_parent(parent: int) -> None:
    """Ask the kernel to kill this process when the server dies (even by SIGKILL)."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(0)


class _Overrun(Exception):
    """A worker ran past a limit or died; it must be killed."""


@dataclass
class Answer:
    status: int
    ctype: str
    body: bytes
    headers: dict = field(default_factory=dict)


def _text(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


class _Worker:
    """One worker process and its pipes."""

    def __init__(self, store: Path):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "import sys; from kg.workers import worker_main; "
             "worker_main(sys.argv[1], int(sys.argv[2]))", str(store), str(os.getpid())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True)
        self.sandboxed = False
        ready = self._read_message(time.monotonic() + 60)
        info = json.loads(ready)
        if not info.get("ready"):
            self.kill()
            raise ServeError(f"a query worker could not open the store ({info.get('error', 'unknown error')})")
        self.sandboxed = bool(info.get("sandboxed"))

    def _read(self, n: int, deadline: float, max_rss: int | None) -> bytes:
        fd = self.proc.stdout.fileno()
        buf = bytearray()
        while len(buf) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                raise _Overrun("time")
            ready, _, _ = select.select([fd], [], [], min(left, 0.05))
            if not ready:
                if max_rss is not None and self.rss() > max_rss:
                    raise _Overrun("memory")
                continue
            chunk = os.read(fd, min(n - len(buf), 1 << 20))
            if not chunk:
                raise _Overrun("died")
            buf += chunk
        return bytes(buf)

    def _read_message(self, deadline: float, max_rss: int | None = None) -> bytes:
        size = struct.unpack(">I", self._read(4, deadline, max_rss))[0]
        return self._read(size, deadline, max_rss)

    def run(self, job: dict, deadline: float, max_rss: int) -> Answer:
        try:
            self.proc.stdin.write(_frame(json.dumps(job).encode()))
            self.proc.stdin.flush()
        except OSError:
            raise _Overrun("died") from None
        head = json.loads(self._read_message(deadline, max_rss))
        body = self._read(head["length"], deadline, max_rss) if head["length"] else b""
        return Answer(head["status"], head["ctype"], body, head["headers"])

    def rss(self) -> int:
        try:
            with open(f"/proc/{self.proc.pid}/statm") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            return 0

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass


class Pool:
    """Idle workers in a queue; a worker that overruns is killed and replaced by the spawner thread."""

    def __init__(self, endpoint: Endpoint, size: int):
        self.ep = endpoint
        self.size = size
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.all: set[_Worker] = set()
        self.lock = threading.Lock()
        self.requests: queue.Queue[int | None] = queue.Queue()
        self.closed = False
        self.sandboxed = False
        self.started = threading.Event()
        self.error: Exception | None = None
        # Workers die with the thread that started them (PR_SET_PDEATHSIG), so one
        # long-lived thread starts them all.
        self.spawner = threading.Thread(target=self._spawn_loop, name="kg-worker-spawner", daemon=True)
        self.spawner.start()
        for _ in range(size):
            self.requests.put(1)
        self.requests.put(0)  # marker: the first batch is done
        self.started.wait()
        if self.error is not None:
            raise self.error

    def _spawn_loop(self) -> None:
        while True:
            item = self.requests.get()
            if item is None or self.closed:
                return
            if item == 0:
                self.started.set()
                continue
            try:
                w = self._new_worker()
            except Exception as e:
                self.error = e
                self.started.set()
                continue
            with self.lock:
                if self.closed:
                    w.kill()
                    return
                self.all.add(w)
                self.sandboxed = w.sandboxed
            self.idle.put(w)

    def _new_worker(self) -> _Worker:
        try:
            return _Worker(self.ep.store_dir())
        except ServeError:
            self.ep.restore_store()  # the temporary store was removed under us: load it again
            return _Worker(self.ep.store_dir())

    def _retire(self, w: _Worker) -> None:
        w.kill()
        with self.lock:
            self.all.discard(w)
        if not self.closed:
            self.requests.put(1)

    def run(self, query: str, accept: str) -> Answer:
        ep = self.ep
        try:
            w = self.idle.get(timeout=ep.timeout)
        except queue.Empty:
            return _text(503, f"all {self.size} query workers are busy; try again shortly")
        job = {"query": query, "accept": accept, "max_rows": ep.max_rows}
        try:
            answer = w.run(job, time.monotonic() + ep.timeout, ep.max_memory_mb << 20)
        except _Overrun as e:
            self._retire(w)
            if str(e) == "memory":
                return _text(503, f"query stopped at the {ep.max_memory_mb} MB memory limit; "
                                  "narrow it (LIMIT, more specific patterns) or raise --max-memory")
            if str(e) == "died":
                return _text(500, "the query worker died; try again")
            return _text(503, f"query stopped at the {ep.timeout:g} s time limit; "
                              "narrow it (LIMIT, more specific patterns) or raise --timeout")
        if answer.headers.pop("X-KG-Recycle", None):
            self._retire(w)
        else:
            self.idle.put(w)
        return answer

    def close(self) -> None:
        with self.lock:
            self.closed = True
            workers = list(self.all)
            self.all.clear()
        self.requests.put(None)
        for w in workers:
            w.kill()
        self.spawner.join(timeout=70)
