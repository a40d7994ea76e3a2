"""The served explorer (``kg serve --store DIR``, ``/browse``) at size: its first view in headless Chromium and
each API call it makes, on stores of a 1 MB and a 30 MB corpus.

    python benchmarks/bench_browse.py [MB ...] [--work DIR] [--store MB=DIR] [--runs N]

A store of MB megabytes (``bench_scale.make_corpus``, then ``kg build --store``) is made once in --work
(default /tmp/kg-bench-browse), unless ``--store MB=DIR`` names one (it is only read: ``kg serve`` serves a
copy). For each, ``kg serve --store`` runs in its own process and is timed to its ready line; then, on that
server: the first view (page load to the first frame drawn, in Chromium with the network cut) right after
the start and again warm; the table's first page right after that start (it waits for the table, read
in the background once the first frame is answered); typing another name of a union, Enter, and a
double-click on a busy union, in the page; and N runs of each API call over HTTP, each run asking
something else (another name, another union, another filter: nothing answered from a cache), the median
and the spread. Prints Markdown for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALIASES = "SELECT ?a WHERE { ?u a ukg:Union ; skos:altLabel ?a } ORDER BY ?a LIMIT %d"
WORDS = ["慰问", "培训", "帮扶", "竞赛", "疗休养", "送温暖", "安康", "就业", "服务站", "技能"]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))


def prepare(work: Path, mb: float) -> Path:
    """The store of an ``mb`` MB corpus under ``work``, made when missing."""
    from bench_scale import make_corpus

    corpus, store = work / f"C{mb:g}", work / f"S{mb:g}"
    if not corpus.is_dir():
        corpus.mkdir(parents=True)
        make_corpus(corpus, mb)
    if not store.is_dir():
        subprocess.run([sys.executable, "-m", "kg.cli", "build", str(corpus), "--store", str(store), "-q"],
                       check=True, cwd=ROOT)
    return store


def serve(store: Path, port: int) -> tuple[subprocess.Popen, float]:
    """``kg serve --store`` in its own process, and the seconds until it said it was ready."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    for line in proc.stdout:
        if "Ctrl-C stops" in line:
            return proc, time.perf_counter() - t0
    raise SystemExit(f"kg serve --store {store} did not start")


def chromium(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = shutil.which("chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--no-first-run", "--proxy-server=127.0.0.1:9", "--window-size=1400,900", f"--user-data-dir={profile}"):
        opts.add_argument(arg)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)


def until(driver, script: str, seconds: float = 120) -> float:
    t0 = time.perf_counter()
    while not driver.execute_script(script):
        if time.perf_counter() - t0 > seconds:
            raise SystemExit(f"timed out: {script}")
        time.sleep(0.01)
    return time.perf_counter() - t0


def first_view(driver, base: str) -> float:
    """Seconds from asking for the page to its first frame laid out and drawn."""
    t0 = time.perf_counter()
    driver.get(base + "/browse")
    until(driver, "return document.body.getAttribute('data-ready') === '1'")
    return time.perf_counter() - t0


def measure(mb: float, store: Path, runs: int, port: int) -> list[tuple[str, list[float]]]:
    import requests

    def call(name: str, **params) -> tuple[float, dict]:
        t0 = time.perf_counter()
        r = requests.post(f"{base}/browse/api/{name}", json=params)
        took = time.perf_counter() - t0
        if r.status_code != 200:
            raise SystemExit(f"{name} {params}: {r.status_code} {r.text}")
        return took, (r.json() if r.headers["Content-Type"].startswith("application/json") else {})

    proc, started = serve(store, port)
    base = f"http://127.0.0.1:{port}"
    figures: list[tuple[str, list[float]]] = [("`kg serve --store` ready", [started])]
    profile = Path(tempfile.mkdtemp(prefix="kg-bench-browse-"))
    driver = chromium(profile)
    try:
        figures.append(("first view, just after the start", [first_view(driver, base)]))
        figures.append(("search 青岛市总 then, the table still being read (programs asked of Oxigraph)",
                        [call("search", text="青岛市总")[0]]))
        table_first, _ = call("rows")
        figures.append(("table's first page, just after the start (the table read)", [table_first]))
        figures.append(("first view", [first_view(driver, base) for _ in range(runs)]))
        first = call("overview")[1]
        unions = [n["id"] for n in first["nodes"] if n["cls"] == "union"][:runs]
        names = [r["a"]["value"] for r in requests.post(f"{base}/query", data={"query": ALIASES % runs}, headers={
            "Accept": "application/sparql-results+json"}).json()["results"]["bindings"]]
        typed, drawn, expanded = [], [], []
        for i in range(runs):
            first_view(driver, base)
            t0 = time.perf_counter()
            driver.execute_script("var s = document.getElementById('search'); s.value = arguments[0];"
                                  "s.dispatchEvent(new Event('input'));", names[i % len(names)])
            until(driver, "return document.querySelectorAll('#suggest li').length > 0")
            typed.append(time.perf_counter() - t0 - 0.12)  # the page waits 120 ms for the next key
            t0 = time.perf_counter()
            driver.execute_script("document.getElementById('search').dispatchEvent("
                                  "new KeyboardEvent('keydown', {key: 'Enter'}));")
            until(driver, "return !!document.body.getAttribute('data-expanded')")
            drawn.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            driver.execute_script("window.kgExpand(arguments[0]);", unions[i % len(unions)])
            until(driver, f"return document.body.getAttribute('data-expanded') === '{unions[i % len(unions)]}'")
            expanded.append(time.perf_counter() - t0)
        figures += [("in the page: another name typed, suggestions listed (after the 120 ms pause for keys)", typed),
                    ("in the page: Enter, the union and its neighbours drawn", drawn),
                    ("in the page: a busy union expanded (double-click), its neighbours drawn", expanded)]

        page = call("rows", limit=1)[1]
        provinces = [v["value"] for v in page["facets"]["province"]]
        years = [v["value"] for v in page["facets"]["year"]]
        place = call("map")[1]["points"][0]["id"]
        sorts = ["union", "program", "place", "province", "date", "money", "confidence"]

        def each(make):
            return [make(i) for i in range(runs)]

        asks = [
            ("search another name (a different one each time)", "search", each(lambda i: {"text": names[i % len(names)]})),
            ("search a program word (慰问, 培训, …)", "search", each(lambda i: {"text": WORDS[i % len(WORDS)]})),
            ("node: one of the busiest unions, 12 of each kind", "node", each(lambda i: {"id": unions[i], "limit": 12,
                                                                                        "cls": "union"})),
            ("node: the busiest place", "node", each(lambda i: {"id": place, "limit": 12, "cls": "place"})),
            ("show more: a busiest union's programs 12-24", "node", each(lambda i: {
                "id": unions[i], "kind": "runs>", "offset": 12, "limit": 12})),
            ("table page, no filter, sorted by another column", "rows", each(lambda i: {
                "sort": sorts[i % len(sorts)], "desc": bool(i % 2)})),
            ("table page, a province (another each time)", "rows", each(lambda i: {"province": provinces[i % len(provinces)]})),
            ("table page, province + year, by money", "rows", each(lambda i: {
                "province": provinces[i % len(provinces)], "year": years[i % len(years)], "sort": "money", "desc": True})),
            ("table page, a text filter, page 3, by date", "rows", each(lambda i: {
                "text": WORDS[i % len(WORDS)], "offset": 100, "sort": "date"})),
            ("the next page of the same filter", "rows", each(lambda i: {"text": WORDS[i % len(WORDS)], "offset": 150,
                                                                          "sort": "date"})),
            ("download CSV, a province", "download", each(lambda i: {"province": provinces[i % len(provinces)],
                                                                      "format": "csv"})),
            ("map", "map", each(lambda i: {})),
        ]
        for label, name, params in asks:
            figures.append((label, [call(name, **p)[0] for p in params]))
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
        proc.terminate()
        proc.wait(timeout=60)
    return figures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="*", type=float, default=[1, 30], help="corpus sizes in MB")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "kg-bench-browse")
    ap.add_argument("--store", action="append", default=[], metavar="MB=DIR", help="an existing store of that size")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    given = {float(k): Path(v) for k, v in (s.split("=", 1) for s in args.store)}
    from kg.serve import free_port

    args.work.mkdir(parents=True, exist_ok=True)
    print("| corpus | what | median | min – max |")
    print("|---|---|---|---|")
    for mb in args.sizes:
        store = given.get(mb) or prepare(args.work, mb)
        for label, times in measure(mb, store, args.runs, free_port()):
            ms = sorted(t * 1000 for t in times)
            spread = f"{ms[0]:,.0f} – {ms[-1]:,.0f} ms" if len(ms) > 1 else ""
            print(f"| {mb:g} MB | {label} | {statistics.median(ms):,.0f} ms | {spread} |", flush=True)


if __name__ == "__main__":
    main()
