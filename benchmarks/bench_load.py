"""Load on the endpoint: well-behaved clients sending the saved queries, alone and beside abusive ones.

Everything stays on loopback and is bounded in time and count. The server is
``kg serve`` over the seeds' graph, started and stopped here. Well-behaved
clients (on 127.0.0.1) send the saved queries in turn (with a union or place
bound where a query asks for one), one at a time on a kept-alive connection.
Each run adds one kind of abuse, from other loopback addresses (127.0.0.2, …:
all loopback on Linux), as a second host would:

- ``slowloris``: 64 connections each sending one header byte every 10 s, and
  reconnecting when cut;
- ``runaways``: as many clients as workers, each sending cross joins that run
  into the time limit, one after another;
- ``erring``: one client repeating a query that fails (an unknown function).

Reported per run: requests/s, p50 and p99 latency and errors of the
well-behaved clients, and what the abusive clients got.

    python benchmarks/bench_load.py [--clients 20] [--seconds 60] [--workers 2] [--runs baseline,slowloris,...]
"""

from __future__ import annotations

import argparse
import collections
import http.client
import select
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.sparql import saved_queries  # noqa: E402
from kg.serve import free_port  # noqa: E402

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ERRING = "SELECT * WHERE { BIND(<http://example.org/f>(1) AS ?x) }"
RUNS = ("baseline", "slowloris", "runaways", "erring")
SLOW_CONNECTIONS = 64
SLOW_INTERVAL = 10.0
BINDINGS = {"union": "福建省总工会", "place": "河池市", "program": "土豆良种培育试点项目"}


def queries() -> list[str]:
    out = []
    for q in saved_queries().values():
        text = q.text
        for var, value in BINDINGS.items():
            if f"bind ?{var}" in q.description:
                text = text.replace("WHERE {", f'WHERE {{\n  VALUES ?{var} {{ "{value}" }}', 1)
        out.append(text)
    return out


def client(port: int, texts: list[str], stop: threading.Event, out: list, errors: list,
           source: str = "127.0.0.1") -> None:
    """Send ``texts`` in turn on one kept-alive connection: latencies of answers in ``out``, other statuses in ``errors``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(source, 0))
    i = 0
    while not stop.is_set():
        body = urllib.parse.urlencode({"query": texts[i % len(texts)]})
        i += 1
        t0 = time.perf_counter()
        try:
            conn.request("POST", "/query", body=body, headers={
                "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
            r = conn.getresponse()
            r.read()
            status = r.status
            if r.getheader("Connection") == "close":
                conn.close()
        except (OSError, http.client.HTTPException) as e:
            status = type(e).__name__
            conn.close()
        dt = time.perf_counter() - t0
        if status == 200:
            out.append(dt)
        else:
            errors.append(status)
    conn.close()


def slowloris(port: int, source: str, stop: threading.Event, ends: list) -> None:
    """Send a request's headers one byte every SLOW_INTERVAL s; reconnect a second after the server ends it."""
    header = f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow: {'a' * 1000}".encode()
    while not stop.is_set():
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))
        except OSError as e:
            ends.append(type(e).__name__)
            stop.wait(1)
            continue
        with s:
            end = "still open at the end"
            for byte in header:
                try:
                    s.sendall(bytes([byte]))
                except OSError as e:
                    end = type(e).__name__
                    break
                until = time.monotonic() + SLOW_INTERVAL
                answered = False
                while not stop.is_set() and time.monotonic() < until:
                    if select.select([s], [], [], 0.5)[0]:
                        answered = True
                        break
                if stop.is_set():
                    break
                if answered:
                    try:
                        data = s.recv(200)
                    except OSError as e:
                        end = type(e).__name__
                    else:
                        end = data.split(b" ", 2)[1].decode() if data else "closed"
                    break
            ends.append(end)
        stop.wait(1)  # reconnect paced, as the attack is described: it holds connections, it does not flood


def run(port: int, clients: int, seconds: float, kind: str, workers: int) -> dict:
    stop = threading.Event()
    lat: list[list[float]] = [[] for _ in range(clients)]
    errs: list[list] = [[] for _ in range(clients)]
    texts = queries()
    threads = [threading.Thread(target=client, args=(port, texts[i % len(texts):] + texts[:i % len(texts)],
                                                     stop, lat[i], errs[i])) for i in range(clients)]
    bad_ok: list[float] = []
    bad: list = []
    if kind == "slowloris":
        threads += [threading.Thread(target=slowloris, args=(port, "127.0.0.2", stop, bad))
                    for _ in range(SLOW_CONNECTIONS)]
    elif kind == "runaways":
        threads += [threading.Thread(target=client, args=(port, [RUNAWAY], stop, bad_ok, bad, f"127.0.0.{i + 2}"))
                    for i in range(workers)]
    elif kind == "erring":
        threads.append(threading.Thread(target=client, args=(port, [ERRING], stop, bad_ok, bad, "127.0.0.2")))
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    all_lat = sorted(x for xs in lat for x in xs)
    all_errs = [e for es in errs for e in es]
    q = statistics.quantiles(all_lat, n=100) if len(all_lat) >= 100 else [0.0] * 99
    return {"requests": len(all_lat) + len(all_errs), "rps": len(all_lat) / elapsed, "p50": q[49], "p99": q[98],
            "max": all_lat[-1] if all_lat else 0.0, "errors": len(all_errs),
            "error_kinds": sorted(set(map(str, all_errs))),
            "abuse": collections.Counter([200] * len(bad_ok) + [str(b) for b in bad])}


def abuse_summary(kind: str, counts: collections.Counter, workers: int) -> str:
    if kind == "baseline":
        return "—"
    who = {"slowloris": f"{SLOW_CONNECTIONS} slow connections", "runaways": f"{workers} runaway clients",
           "erring": "1 erring client"}[kind]
    return f"{who}: " + ", ".join(f"{n:,}× {k}" for k, n in sorted(counts.items(), key=lambda kv: -kv[1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--graph", default=None, help="graph to serve (default: the seeds, built here)")
    ap.add_argument("--timeout", type=float, default=5)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--runs", default=",".join(RUNS), help="which runs, comma-separated: " + ", ".join(RUNS))
    args = ap.parse_args()
    kinds = [k for k in args.runs.split(",") if k]
    if not set(kinds) <= set(RUNS):
        ap.error(f"--runs: choose from {', '.join(RUNS)}")
    with tempfile.TemporaryDirectory() as tmp:
        graph = args.graph
        if graph is None:
            subprocess.run([sys.executable, "-m", "kg.cli", "build", str(ROOT / "seeds"), "-o", tmp, "-q",
                            "--no-html"], check=True, cwd=ROOT)
            graph = str(Path(tmp) / "graph.ttl")
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", graph, "--port", str(port),
                                   "--timeout", str(args.timeout), "--workers", str(args.workers)], cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            server.stdout.readline()
            line3 = [server.stdout.readline() for _ in range(2)][-1].strip()
            print(f"server: {line3}")
            print("| run | clients | seconds | requests | requests/s | p50 ms | p99 ms | max ms | errors | abusive clients got |")
            print("|---|---|---|---|---|---|---|---|---|---|")
            for kind in kinds:
                r = run(port, args.clients, args.seconds, kind, args.workers)
                errors = f"{r['errors']}{' (' + ', '.join(r['error_kinds']) + ')' if r['errors'] else ''}"
                print(f"| {kind} | {args.clients} | {args.seconds:g} | {r['requests']:,} | {r['rps']:,.0f} | "
                      f"{r['p50'] * 1000:.1f} | {r['p99'] * 1000:.1f} | {r['max'] * 1000:.0f} | {errors} | "
                      f"{abuse_summary(kind, r['abuse'], args.workers)} |", flush=True)
                time.sleep(args.timeout + 1)  # the abusers' last queries end before the next run
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


if __name__ == "__main__":
    main()
