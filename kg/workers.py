"""Query workers: processes that run one query at a time, without network, over a read-only store.

A worker reads jobs on stdin and writes answers on stdout (length-prefixed
frames). The :class:`Pool` hands each query to a worker, fairly between client
addresses, and waits for the answer until the time limit, watching the worker's
memory; a worker past either limit is killed and a new one started, so other
queries never notice.
"""

from __future__ import annotations

import itertools
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
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import QueryError, QueryRefusedError, ServeError, engine_message, one_line
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
    """Run one job in the worker: ``(status, content type, headers, body)``. The contract's prefixes need
    no PREFIX lines; ``bind`` (``NAME=VALUE``, as ``kg query --bind``) binds a variable, another name of a
    node to its label, and the notes saying so travel in ``X-KG-Notes`` and JSON's ``kg_notes``."""
    import pyoxigraph as ox

    from .results import write_boolean, write_solutions
    from .sparql import Names, bind_names, check_bindings, parse_binding, unknown_notes
    from .vocab import PREFIXES

    notes: list[str] = []
    try:
        checked = inspect_query(job["query"])
        names, unknown, subs = Names(store=store), {}, {}
        if job.get("bind"):
            bindings = dict(parse_binding(b) for b in job["bind"])
            check_bindings(checked, bindings)
            bindings, unknown = bind_names(names, bindings, notes)
            subs = {ox.Variable(k): ox.NamedNode(str(v)) if type(v).__name__ == "URIRef" else ox.Literal(str(v))
                    for k, v in bindings.items()}
    except QueryError as e:
        status = e.status if isinstance(e, QueryRefusedError) else 400
        return status, "text/plain; charset=utf-8", {}, f"{one_line(e)}\n".encode()
    accept = job.get("accept") or ""
    try:
        result = store.query(checked.text, prefixes=PREFIXES, substitutions=subs or None)
        if checked.form in ("SELECT", "ASK"):
            fmt = negotiate(accept, MEDIA_TYPES, "json")
            if isinstance(result, ox.QueryBoolean):
                return 200, MEDIA_TYPES[fmt], {}, write_boolean(bool(result), fmt)
            variables = [v.value for v in result.variables]
            rows = ([sol[v] for v in variables] for sol in result)
            first = next(rows, None)
            if first is None:
                notes += unknown_notes(names, unknown)
            rows = itertools.chain([] if first is None else [first], rows)
            body, cut = write_solutions(variables, rows, fmt, job["max_rows"], notes)
            headers = {"X-KG-Row-Cap": f"cut at {job['max_rows']} rows"} if cut else {}
            if notes:
                headers["X-KG-Notes"] = urllib.parse.quote(" | ".join(notes))
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
        return 400, "text/plain; charset=utf-8", {}, f"SPARQL syntax error: {engine_message(e)}\n".encode()
    except (RuntimeError, ValueError, TypeError) as e:  # the query's own fault: the worker is fine
        return 400, "text/plain; charset=utf-8", {}, f"the query failed: {engine_message(e)}\n".encode()
    except Exception as e:  # the store gone or unreadable: a new worker opens it again
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


LONG_NICE = 10
"""A query running long runs at this nice value, so that short queries get the processor first."""


def _set_nice(w: _Worker, value: int) -> bool:
    try:
        os.setpriority(os.PRIO_PROCESS, w.proc.pid, value)
    except OSError:
        return False
    return True


def _busy(status: int, message: str) -> Answer:
    answer = _text(status, message)
    answer.headers["Retry-After"] = "1"
    return answer


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


@dataclass(eq=False)
class _Ticket:
    """One query: waiting for a worker, then running on it."""

    client: str
    seq: int
    since: float
    suspect: bool = False
    worker: _Worker | None = None
    started: float = 0.0
    long: bool = False
    stopped: bool = False
    niced: bool = False


class Pool:
    """Workers shared fairly between client addresses; a worker past a limit is killed and replaced.

    Queries wait in one queue, bounded by the endpoint's connection caps. A free
    worker goes to the waiting query whose address has the fewest queries
    running (first come first served between equals), so one address cannot
    crowd out the others. An address whose query ran longer than
    ``slow_seconds`` is *heavy* for a while: heavy queries wait behind light
    ones and, while another address has sent light queries lately, hold at most
    ``size - 1`` workers together, so any number of runaway clients leave a
    worker to everyone else (one address alone may use them all); a heavy query that waits
    out the time limit gets 429. While a worker is being started (one stopped at a limit is
    replaced), a query may wait up to twice the limit for it: a replacement's start-up is no
    reason to refuse it. When every worker runs a long query and a light
    one waits, the longest heavy query is stopped (503) to free a worker. A
    long query's worker runs at a lower processor priority, so that a
    runaway's cross join does not slow the short queries beside it.
    A query that fails on its own (a type error, an unknown function) keeps its
    worker; only limits, deaths and store errors replace one.
    """

    def __init__(self, endpoint: Endpoint, size: int):
        self.ep = endpoint
        self.size = size
        self.lane = max(1, size - 1)
        self.remember = max(30.0, 3 * endpoint.timeout)
        self.cond = threading.Condition()
        self.idle: list[_Worker] = []
        self.running: dict[_Worker, _Ticket] = {}
        self.waiting: list[_Ticket] = []
        self.heavy_since: dict[str, float] = {}
        self.light_seen: dict[str, float] = {}
        self.spawning = size
        self.stopping = 0
        self.seq = itertools.count()
        self.all: set[_Worker] = set()
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
        self.watchdog = threading.Thread(target=self._watch, name="kg-worker-watchdog", daemon=True)
        self.watchdog.start()

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
                with self.cond:
                    self.spawning -= 1
                self.started.set()
                continue
            with self.cond:
                self.spawning -= 1
                if self.closed:
                    w.kill()
                    return
                self.all.add(w)
                self.sandboxed = w.sandboxed
                self.idle.append(w)
                self._dispatch()

    def _new_worker(self) -> _Worker:
        try:
            return _Worker(self.ep.store_dir())
        except ServeError:
            self.ep.restore_store()  # the temporary store was removed under us: load it again
            return _Worker(self.ep.store_dir())

    def _heavy(self, client: str, now: float) -> bool:
        return now - self.heavy_since.get(client, -self.remember) < self.remember

    def _others_light(self, client: str, now: float) -> bool:
        """Whether another address sent a light query lately: then one worker is kept for light queries."""
        return any(c != client and now - seen < self.remember for c, seen in self.light_seen.items())

    def _dispatch(self) -> None:
        """Give idle workers to waiting queries, fairly; the caller holds the lock."""
        now = time.monotonic()
        while self.idle and self.waiting:
            heavy = sum(1 for t in self.running.values() if t.suspect or t.long)
            per_client: dict[str, int] = {}
            for t in self.running.values():
                per_client[t.client] = per_client.get(t.client, 0) + 1
            best, best_key = None, None
            for t in self.waiting:
                t.suspect = self._heavy(t.client, now)
                if t.suspect and heavy >= self.lane and self._others_light(t.client, now):
                    continue
                key = (t.suspect, per_client.get(t.client, 0), t.seq)
                if best_key is None or key < best_key:
                    best, best_key = t, key
            if best is None:
                break
            self.waiting.remove(best)
            best.worker, best.started = self.idle.pop(), now
            self.running[best.worker] = best
        self.cond.notify_all()

    def _watch(self) -> None:
        """Mark long queries' addresses heavy; stop a heavy query when only long ones hold the workers."""
        while not self.closed:
            time.sleep(0.05)
            with self.cond:
                now = time.monotonic()
                for seen in (self.light_seen, self.heavy_since):
                    for c in [c for c, at in seen.items() if now - at > self.remember]:
                        del seen[c]
                for t in self.running.values():
                    if not t.long and now - t.started > self.ep.slow_seconds:
                        t.long = True
                        self.heavy_since[t.client] = now
                        t.niced = _set_nice(t.worker, LONG_NICE)
                if (self.idle or self.spawning or self.stopping or not self.running
                        or not all(t.long for t in self.running.values())
                        or not any(not self._heavy(t.client, now) for t in self.waiting)):
                    continue
                victim = min(self.running.values(), key=lambda t: (not t.suspect, t.started))
                victim.stopped = True
                self.stopping += 1
                victim.worker.proc.kill()

    def run(self, query: str, accept: str, client: str = "", bind: list[str] | None = None,
            max_rows: int | None = None) -> Answer:
        """Run one query for ``client`` (its address) when a worker is free for it, with ``bind``
        (``NAME=VALUE``) binding its variables, its answer cut at ``max_rows`` (default the endpoint's row cap)."""
        ep = self.ep
        t = _Ticket(client, next(self.seq), time.monotonic())
        with self.cond:
            if self.closed:
                return _text(503, "the endpoint is stopping")
            if not self._heavy(client, t.since):
                self.light_seen[client] = t.since
            self.waiting.append(t)
            self._dispatch()
            while t.worker is None:
                now = time.monotonic()
                left = t.since + ep.timeout - now
                if left <= 0 and self.spawning and not self.closed and now < t.since + 2 * ep.timeout:
                    # a worker is being started (one stopped at a limit is being replaced): wait for it, up to
                    # a second time limit, rather than refuse the query for a start-up it did not cause
                    self.cond.wait(t.since + 2 * ep.timeout - now)
                    continue
                if left <= 0 or self.closed:
                    self.waiting.remove(t)
                    if t.suspect:
                        return _busy(429, f"your address's queries ran long, so they wait behind others' "
                                          f"and share {self.lane} of the {self.size} workers; try again later")
                    return _busy(503, f"all {self.size} query workers are busy; try again shortly")
                self.cond.wait(left)
        w = t.worker
        job = {"query": query, "accept": accept, "max_rows": max_rows or ep.max_rows, "bind": bind or []}
        retire = False
        try:
            answer = w.run(job, t.started + ep.timeout, ep.max_memory_mb << 20)
            retire = bool(answer.headers.pop("X-KG-Recycle", None))
        except _Overrun as e:
            retire = True
            answer = self._overrun(str(e), t)
        finally:
            self._done(t, retire)
        return answer

    def _overrun(self, why: str, t: _Ticket) -> Answer:
        ep = self.ep
        if t.stopped:
            return _busy(503, f"query stopped after {time.monotonic() - t.started:.1f} s: every worker was busy "
                              "with a long query while other clients waited; narrow it or try again later")
        if why == "memory":
            return _text(503, f"query stopped at the {ep.max_memory_mb} MB memory limit; "
                              "narrow it (LIMIT, more specific patterns) or raise --max-memory")
        if why == "died":
            return _text(500, "the query worker died; try again")
        return _text(503, f"query stopped at the {ep.timeout:g} s time limit; "
                          "narrow it (LIMIT, more specific patterns) or raise --timeout")

    def _done(self, t: _Ticket, retire: bool) -> None:
        w = t.worker
        if t.niced and not (retire or t.stopped) and not _set_nice(w, 0):
            retire = True  # raising a priority again needs privileges: a fresh worker instead
        with self.cond:
            self.running.pop(w, None)
            now = time.monotonic()
            if now - t.started > self.ep.slow_seconds:
                self.heavy_since[t.client] = now
            if t.stopped:
                self.stopping -= 1
            if retire or t.stopped:
                self.all.discard(w)
                if not self.closed:
                    self.spawning += 1
                    self.requests.put(1)
            elif not self.closed:
                self.idle.append(w)
            self._dispatch()
        if retire or t.stopped or self.closed:
            w.kill()

    def close(self) -> None:
        with self.cond:
            self.closed = True
            workers = list(self.all)
            self.all.clear()
            self.idle.clear()
            self.cond.notify_all()
        self.requests.put(None)
        for w in workers:
            w.kill()
        self.spawner.join(timeout=70)
