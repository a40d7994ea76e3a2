"""The explorer ``kg serve`` serves at ``/browse``: graph, table and map, loaded on demand at any size.

The page (``kg/templates/browse.html``) holds no graph: it asks the API under ``/browse/api/`` for what it
shows (:mod:`kg.browse`), by POST with a JSON body, so that every request passes :mod:`kg.serve`'s guard
for POSTs (a browser sends ``Origin`` with each; a foreign one is refused) and every query the API makes
passes :mod:`kg.guard` and runs in the endpoint's sandboxed read-only workers
(:meth:`kg.serve.Endpoint.select`). Answers are capped (:mod:`kg.browse`), errors are one line.

:class:`Browser` wraps the pages it is given (:class:`kg.editor.Explorer`, or with ``--corrections`` the
:class:`kg.editor.Editor`): ``/explorer`` and the corrections stay theirs. What it keeps per graph served
(the first frame, the table's rows) is made when first asked for, the table in the background as soon as
the first frame is answered, and made again when the graph served changes (a correction).
"""

from __future__ import annotations

import json
import math
import threading
import time
from functools import lru_cache
from importlib import resources

from .browse import Filters, ProgramNames, Table, node, overview, search
from .embed import script_json
from .errors import BrowseError, KgError, QueryError, one_line

BROWSE_PATH = "/browse"
API_PATH = "/browse/api/"
PAGE_POLICY = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
               "connect-src 'self'; img-src data:; frame-ancestors 'none'")
TABLE_WAIT = 15.0
"""How long a table request waits for the table being read before it is told to come back (503)."""
MAX_FIELDS = 20
_COS = math.cos(math.radians(36))


def project(lon: float, lat: float) -> tuple[float, float]:
    """Where the map draws a longitude and latitude: an equirectangular projection true at 36°N, 10 units a degree."""
    return round((lon - 73) * _COS * 10, 1), round((54 - lat) * 10, 1)


def outlines() -> dict:
    """The provinces' outlines as SVG paths in :func:`project`'s units, and the box that holds China."""
    data = json.loads((resources.files("kg") / "data" / "provinces.json").read_text(encoding="utf-8"))
    out = []
    for prov in data["provinces"]:
        d = []
        for ring in prov["rings"]:
            points = [project(ring[i] / 100, ring[i + 1] / 100) for i in range(0, len(ring) - 1, 2)]
            d.append("M" + "L".join(f"{x} {y}" for x, y in points) + "Z")
        out.append({"code": prov["code"], "name": prov["name"], "d": "".join(d)})
    (x0, y0), (x1, y1) = project(73, 54), project(136, 17)
    return {"provinces": out, "viewBox": f"{x0} {y0} {x1 - x0} {y1 - y0}"}


def _reply(status: int, data) -> tuple:
    return status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8", {}


def _text(status: int, message: str, headers: dict | None = None) -> tuple:
    return status, (one_line(message) + "\n").encode("utf-8"), "text/plain; charset=utf-8", headers or {}


class _Job:
    """Work for one graph, done once in a thread: its result, or its error."""

    def __init__(self, key, work):
        self.key, self.done, self.result, self.error = key, threading.Event(), None, None
        self.started = time.monotonic()
        threading.Thread(target=self._run, args=(work,), name="kg-browse", daemon=True).start()

    def _run(self, work) -> None:
        try:
            self.result = work()
        except (KgError, OSError) as e:
            self.error = e
        finally:
            self.done.set()


class Browser:
    """The pages of ``kg serve``: ``/browse`` and its API, then those of ``inner`` (the explorer)."""

    def __init__(self, inner=None):
        self.inner = inner
        self.lock = threading.Lock()
        self._table: _Job | None = None
        self._names: _Job | None = None
        self._first: _Job | None = None
        self._map: tuple | None = None
        threading.Thread(target=page, name="kg-browse-page", daemon=True).start()  # ready before it is asked for

    def lines(self, base: str) -> list[str]:
        """What ``kg serve`` prints about these pages."""
        inner = self.inner.lines(base) if self.inner is not None else []
        return [*inner, f"browse:          {base}{BROWSE_PATH}  (graph, table and map, loaded on demand)"]

    def get(self, ep, path: str) -> tuple | None:
        if path == BROWSE_PATH:
            self.first_job(ep)  # the first frame's data is made while the page loads
            return 200, page().encode("utf-8"), "text/html; charset=utf-8", {
                "Content-Security-Policy": PAGE_POLICY, "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"}
        if path.startswith(API_PATH):
            return _text(405, f"{path}: the explorer's API takes POST with a JSON body")
        return self.inner.get(ep, path) if self.inner is not None else None

    def post(self, ep, path: str, headers, body: bytes) -> tuple | None:
        if not path.startswith(API_PATH):
            return self.inner.post(ep, path, headers, body) if self.inner is not None else None
        if (headers.get("Content-Type") or "").split(";")[0].strip().lower() != "application/json":
            return _text(415, "send the request as application/json")
        try:
            params = json.loads(body.decode("utf-8") or "{}")
        except (UnicodeDecodeError, ValueError):
            return _text(400, "the request is not JSON")
        if not isinstance(params, dict) or len(params) > MAX_FIELDS or not all(
                isinstance(v, (str, int, float, bool)) or v is None for v in params.values()):
            return _text(400, f"send a JSON object of at most {MAX_FIELDS} plain values")
        try:
            return self.answer(ep, path[len(API_PATH):], params)
        except BrowseError as e:
            return _text(e.status, str(e), {"Retry-After": "1"} if e.status == 503 else None)
        except QueryError as e:
            return _text(503, f"the graph could not be asked: {e}", {"Retry-After": "1"})
        except (KgError, ValueError, TypeError) as e:
            return _text(400, str(e))

    def answer(self, ep, name: str, params: dict) -> tuple:
        """The answer to the API call ``name`` with ``params``."""

        def select(text: str, max_rows: int | None = None) -> list[dict[str, str]]:
            return ep.select(text, client="explorer", max_rows=max_rows)

        if name == "overview":
            job = self.first_job(ep)
            if not job.done.wait(TABLE_WAIT) or job.error is not None:
                raise BrowseError(f"the first frame could not be made: {one_line(job.error or 'not in time')}", 503)
            self.table_job(ep)  # the programs' names, then the table: read once the first frame is answered
            return _reply(200, job.result)
        ready = self.table_job(ep).result if name in ("search", "node") else None  # the table, if read already
        if name == "search":
            names = ready if ready is not None else self.names_job(ep).result  # the programs' names, if read
            return _reply(200, search(select, params.get("text") or "", int(params.get("limit") or 12), names))
        if name == "node":
            return _reply(200, node(select, params.get("id"), params.get("kind") or None, int(params.get("offset") or 0),
                                    int(params.get("limit") or 20), ready, params.get("cls") or None))
        if name in ("rows", "download", "map"):
            table = self.table(ep)
            if name == "map":
                return _reply(200, self._cached(ep, "_map", lambda: _projected(table.map())))
            filters, sort, descending = Filters.of(params), str(params.get("sort") or "union"), bool(params.get("desc"))
            if name == "rows":
                return _reply(200, table.page(filters, sort, descending, int(params.get("offset") or 0),
                                              int(params.get("limit") or 50)))
            fmt = str(params.get("format") or "csv")
            text, cut = table.download(filters, sort, descending, fmt)
            headers = {"Content-Disposition": f'attachment; filename="kg-table.{fmt}"'}
            if cut:
                headers["X-KG-Row-Cap"] = "cut at the download's row cap"
            ctype = "text/csv; charset=utf-8" if fmt == "csv" else "application/json; charset=utf-8"
            return 200, text.encode("utf-8"), ctype, headers
        raise BrowseError(f"no API call {name[:40]!r}; the explorer asks overview, search, node, rows, download, map",
                          404)

    def _cached(self, ep, slot: str, make):
        """What ``make`` gives for the graph served, made once for it."""
        with self.lock:
            held = getattr(self, slot)
            if held is not None and held[0] == ep.graph:
                return held[1]
        value = make()
        with self.lock:
            setattr(self, slot, (ep.graph, value))
        return value

    def _job(self, ep, slot: str, work) -> _Job:
        """The work of ``slot`` for the graph served: begun now unless it is under way or done for it."""
        with self.lock:
            job = getattr(self, slot)
            if job is None or job.key != ep.graph or job.error is not None:
                job = _Job(ep.graph, work)
                setattr(self, slot, job)
            return job

    def first_job(self, ep) -> _Job:
        """The making of the first frame's data (:func:`kg.browse.overview`)."""
        return self._job(ep, "_first", lambda: overview(
            lambda text, max_rows=None: ep.select(text, client="explorer", max_rows=max_rows)))

    def names_job(self, ep) -> _Job:
        """The reading of the programs' names, for searches before the table is read (:class:`ProgramNames`)."""
        return self._job(ep, "_names", lambda: ProgramNames.read(
            lambda text, max_rows=None: ep.select(text, client="explorer-table", max_rows=max_rows)))

    def table_job(self, ep) -> _Job:
        """The reading of the graph's table, after the programs' names: one query of the two at a time, so
        that a worker stays free for what the user asks meanwhile."""
        names = self.names_job(ep)

        def read() -> Table:
            names.done.wait()
            return Table.read(lambda text, max_rows=None: ep.select(text, client="explorer-table", max_rows=max_rows))

        return self._job(ep, "_table", read)

    def table(self, ep) -> Table:
        """The graph's table, once read; a :class:`BrowseError` (503) while it still is after :data:`TABLE_WAIT`."""
        job = self.table_job(ep)
        if not job.done.wait(TABLE_WAIT):
            raise BrowseError(f"the table is still being read ({time.monotonic() - job.started:.0f} s so far); "
                              "the page asks again", 503)
        if job.error is not None:
            raise BrowseError(f"the table could not be read: {one_line(job.error)}", 503)
        return job.result


def _projected(data: dict) -> dict:
    for p in data["points"]:
        p["x"], p["y"] = project(p["lon"], p["lat"])
    return data


@lru_cache(maxsize=1)
def page() -> str:
    """The explorer's page: the template with vis-network's script and stylesheet (shipped in the pyvis
    package) and the province outlines inlined; no graph data."""
    lib = resources.files("pyvis") / "templates" / "lib" / "vis-9.1.2"
    from .explorer import CLASS_STYLE, EDGE_STYLE, ROLE_NAMES

    data = {"api": API_PATH, "map": outlines(), "roles": ROLE_NAMES,
            "classes": {c: {k: s[k] for k in ("color", "shape", "zh")} for c, s in CLASS_STYLE.items()},
            "edges": {p: {"color": s["color"], "zh": s["zh"], "dashes": bool(s["dashes"])} for p, s in EDGE_STYLE.items()}}
    text = (resources.files("kg") / "templates" / "browse.html").read_text(encoding="utf-8")
    for marker, value in (("/*__VIS_CSS__*/", (lib / "vis-network.css").read_text(encoding="utf-8")),
                          ("/*__VIS_JS__*/", (lib / "vis-network.min.js").read_text(encoding="utf-8")),
                          ("/*__KG_BROWSE__*/", script_json(data))):
        text = text.replace(marker, value, 1)
    return text
