"""Load on the endpoint: 20 clients sending the saved queries for 60 s, with and without one runaway client.

Everything stays on loopback and is bounded in time. The server is ``kg serve``
over the seeds' graph, started and stopped here. Well-behaved clients send the
saved queries in turn (with a union or place bound where a query asks for one);
in the second run one more client sends cross joins that run into the time
limit, one after another. Reported per run: requests/s, p50 and p99 latency and
errors of the well-behaved clients, and what the runaway client got.

    python benchmarks/bench_load.py [--clients 20] [--seconds 60] [--graph output/graph.ttl]
"""

from __future__ import annotations

import argparse
import http.client
import signal
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


def client(port: int, texts: list[str], stop: threading.Event, out: list, errors: list) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
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
        except (OSError, http.client.HTTPException) as e:
            status = type(e).__name__
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        dt = time.perf_counter() - t0
        if status == 200:
            out.append(dt)
        else:
            errors.append(status)
    conn.close()


def run(port: int, clients: int, seconds: float, runaway: bool) -> dict:
    stop = threading.Event()
    lat: list[list[float]] = [[] for _ in range(clients)]
    errs: list[list] = [[] for _ in range(clients)]
    texts = queries()
    threads = [threading.Thread(target=client, args=(port, texts[i % len(texts):] + texts[:i % len(texts)],
                                                     stop, lat[i], errs[i])) for i in range(clients)]
    bad_lat: list[float] = []
    bad_errs: list = []
    if runaway:
        threads.append(threading.Thread(target=client, args=(port, [RUNAWAY], stop, bad_lat, bad_errs)))
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
            "errors": len(all_errs), "error_kinds": sorted(set(map(str, all_errs))), "runaway": (len(bad_lat), sorted(set(map(str, bad_errs))), len(bad_errs))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--graph", default=None, help="graph to serve (default: the seeds, built here)")
    ap.add_argument("--timeout", type=float, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        graph = args.graph
        if graph is None:
            subprocess.run([sys.executable, "-m", "kg.cli", "build", str(ROOT / "seeds"), "-o", tmp, "-q",
                            "--no-html"], check=True, cwd=ROOT)
            graph = str(Path(tmp) / "graph.ttl")
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", graph, "--port", str(port),
                                   "--timeout", str(args.timeout)], cwd=ROOT, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True)
        try:
            server.stdout.readline()
            line3 = [server.stdout.readline() for _ in range(2)][-1].strip()
            print(f"server: {line3}")
            print("| run | clients | seconds | requests | requests/s | p50 ms | p99 ms | errors | runaway client |")
            print("|---|---|---|---|---|---|---|---|---|")
            for runaway in (False, True):
                r = run(port, args.clients, args.seconds, runaway)
                extra = "—"
                if runaway:
                    ok, kinds, n = r["runaway"]
                    extra = f"{n} refused ({', '.join(kinds)}), {ok} answered"
                print(f"| {'with runaway' if runaway else 'saved queries'} | {args.clients} | {args.seconds:g} | "
                      f"{r['requests']:,} | {r['rps']:,.0f} | {r['p50'] * 1000:.1f} | {r['p99'] * 1000:.1f} | "
                      f"{r['errors']}{' (' + ', '.join(r['error_kinds']) + ')' if r['errors'] else ''} | {extra} |", flush=True)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)


if __name__ == "__main__":
    main()
