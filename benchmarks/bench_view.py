"""How long the view of a 5,000-node graph takes to open and answer in headless Chromium.

Generates a graph that follows the contract (unions, programs, places, amounts,
articles), writes it with `kg view`'s renderer, opens it from file:// with the
network off, and times: page load to its first frame drawn (the page sets data-ready),
a search + draw + focus + details round trip, and drawing a union's next 12 neighbours.
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.explorer import render_view  # noqa: E402
from kg.outputs import atomic_write  # noqa: E402
from kg.graph import build_graph  # noqa: E402
from kg.types import Amount, Article, Extraction, PlaceMention, Program, UnionMention  # noqa: E402


def synthetic(n_nodes: int = 5000, seed: int = 7):
    rnd = random.Random(seed)
    places = [f"地点{i}村" for i in range(900)]
    unions = [f"测试{i}市总工会" for i in range(400)]
    extractions = []
    n_articles = 190
    per_article = 10
    for a in range(n_articles):
        art = Article(f"bench#{a}", f"bench_{a // 20}.txt", f"文章{a}", "正文", (0, 2))
        us = rnd.sample(unions, 2)
        progs, amounts_all = [], []
        for k in range(per_article):
            amts = tuple(Amount(f"{rnd.randint(1, 900)}万元", Decimal(rnd.randint(1, 900) * 10000), "CNY", k * 10 + j)
                         for j in range(rnd.randint(0, 2)))
            amounts_all += amts
            progs.append(Program(f"项目{a}-{k}", art.id, "证据句。", (rnd.choice(us),),
                                 (PlaceMention(rnd.choice(places), "", 0, "village"),), amts))
        extractions.append(Extraction(art, tuple(UnionMention(u, u, 0) for u in us), (), tuple(amounts_all),
                                      tuple(progs)))
    return build_graph(extractions)


def main() -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    g = synthetic()
    t0 = time.perf_counter()
    view = render_view(g, max_nodes=10000)
    tmp = Path(tempfile.mkdtemp())
    page = atomic_write(tmp / "big.html", view.html)
    written = time.perf_counter() - t0
    opts = Options()
    opts.binary_location = shutil.which("chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--no-first-run", "--proxy-server=127.0.0.1:9", "--window-size=1400,900",
                f"--user-data-dir={tmp / 'profile'}"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=opts)
    try:
        t0 = time.perf_counter()
        driver.get(page.as_uri())
        while driver.execute_script("return document.body.getAttribute('data-ready')") != "1":
            time.sleep(0.1)
            if time.perf_counter() - t0 > 300:
                raise SystemExit("layout did not finish within 300 s")
        ready = time.perf_counter() - t0
        t0 = time.perf_counter()
        driver.execute_script("""
            var s = document.getElementById('search'); s.value = '测试12市总';
            s.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'}));""")
        while "测试12市总工会" not in driver.find_element("id", "details").text:
            time.sleep(0.02)
        interact = time.perf_counter() - t0
        t0 = time.perf_counter()
        drawn = driver.execute_script("var u = kgInfo.findIndex(function (x) { return x.c === 'union'; });"
                                      "return kgExpand(u).length")
        expand = time.perf_counter() - t0
    finally:
        driver.quit()
        shutil.rmtree(tmp, ignore_errors=True)
    print("| nodes | edges | HTML written | opened, first frame drawn | search + draw + focus + details |"
          " double click: 12 more drawn |")
    print("|---|---|---|---|---|---|")
    print(f"| {view.nodes:,} | {view.edges:,} | {written:.1f} s | {ready:.1f} s | {interact:.2f} s |"
          f" {expand:.2f} s ({drawn}) |")


if __name__ == "__main__":
    main()
