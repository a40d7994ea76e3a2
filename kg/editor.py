"""The explorer as ``kg serve`` serves it, and with ``--corrections FILE`` the corrections it takes.

``GET /explorer`` is the explorer page (:func:`kg.explorer.render_view`) of the graph served. With a
corrections file (:class:`Editor`), a node's details panel also rejects, merges, renames and adds:
each ``POST /corrections`` (``/corrections/undo`` takes one out) edits the file as ``kg correct``
does — checked against the graph, written through a temporary file and a rename, nothing else
written — then applies the corrections again to the records of the files whose corrections changed
(:func:`kg.corrections.correct_file`, the stage every build passes through) and serves the result
at once: the page and the SPARQL endpoint both.

Against other sites (the README's security model): the server listens on loopback only; the
explorer is refused to cross-site requests (:mod:`kg.serve`'s guard) and to frames; every POST needs
the token made when the server started, sent in :data:`TOKEN_HEADER`, which only the page holds and
which a form or a page of another site cannot send; a foreign ``Origin`` is refused before that.
Without a corrections file every POST here is refused: the server stays read-only.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import secrets
import threading
from collections.abc import Iterable
from dataclasses import fields
from importlib import resources
from pathlib import Path

from .corrections import (Correction, add_correction, correct_file, file_key, read_corrections,
                          remove_correction, report)
from .errors import KgError, ServeError, one_line
from .types import Extraction

EXPLORER_PATH = "/explorer"
CORRECTIONS_PATH = "/corrections"
UNDO_PATH = "/corrections/undo"
TOKEN_HEADER = "X-KG-Token"
"""The header a correction is posted with: the server's token, which only its explorer page holds."""
PAGE_POLICY = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
               "connect-src 'self'; img-src data:; frame-ancestors 'none'")
EDITABLE = ("action", "what", "file", "label", "other", "place", "amount", "evidence", "note")
"""The fields of a correction a page may post; ``by`` and ``at`` are the server's user and clock."""
READ_ONLY_POST = "read-only: start kg serve with --corrections FILE to make corrections from the explorer"


def _text(status: int, message: str) -> tuple:
    return status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8", {}


def _json(status: int, data: dict) -> tuple:
    return status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8", {}


def check_loopback(host: str) -> str:
    """``host`` when it is a loopback address: a server that writes corrections listens on no other."""
    try:
        ok = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = False
    if not ok:
        raise ServeError(f"--host {host}: kg serve --corrections listens on loopback only (127.0.0.1, ::1)")
    return host


class Explorer:
    """The explorer page of the graph served, read-only: a correction posted is refused."""

    editing = False

    def __init__(self):
        self.lock = threading.Lock()
        self._page: tuple[object, str] | None = None

    def lines(self, base: str) -> list[str]:
        """What ``kg serve`` prints about these pages."""
        return [f"explorer:        {base}{EXPLORER_PATH}"]

    def rdf(self, ep):
        """The graph served, as rdflib reads it (a store's from the snapshot the workers read)."""
        from .export import read_graph
        from .store import snapshot_graph

        return snapshot_graph(ep.store_dir()) if ep.graph.is_dir() else read_graph(ep.graph)

    def page(self, ep) -> str:
        """The explorer of the graph served, made once for each graph."""
        with self.lock:
            if self._page is None or self._page[0] != self._version(ep):
                self._page = (self._version(ep), self._render(ep))
            return self._page[1]

    def _version(self, ep) -> object:
        return ep.graph

    def _render(self, ep) -> str:
        from .explorer import render_view

        return render_view(self.rdf(ep)).html

    def get(self, ep, path: str) -> tuple | None:
        if path != EXPLORER_PATH:
            return None
        return 200, self.page(ep).encode("utf-8"), "text/html; charset=utf-8", {
            "Content-Security-Policy": PAGE_POLICY, "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"}

    def post(self, ep, path: str, headers, body: bytes) -> tuple | None:
        if path != CORRECTIONS_PATH and not path.startswith(CORRECTIONS_PATH + "/"):
            return None
        return _text(403, READ_ONLY_POST)


class Editor(Explorer):
    """The explorer with corrections: the records of every file served, the corrections file, the
    token a correction must carry, and the graph made from them, written as N-Triples into ``folder``
    (a temporary folder of the server) for the SPARQL endpoint."""

    editing = True

    def __init__(self, groups: Iterable[list[Extraction]], path: str | Path, folder: str | Path):
        super().__init__()
        self.path = Path(path)
        self.folder = Path(folder)
        self.token = secrets.token_urlsafe(32)
        self.groups = {file_key(g[0]): g for g in groups if g}
        self.made: dict[str, tuple[str, list, dict]] = {}
        self.version = 0
        self.graph_file = self.rebuild()

    def lines(self, base: str) -> list[str]:
        return [*super().lines(base), f"corrections:     {self.path} (the explorer's controls write it; "
                                      "nothing else is written)"]

    def rebuild(self) -> Path:
        """Apply the corrections file to each file whose corrections changed; write the graph served."""
        from .export import ntriples_of, rdflib_graph

        book = read_corrections(self.path)
        triples: dict = {}
        for key, records in self.groups.items():
            digest = book.digest(key)
            if key not in self.made or self.made[key][0] != digest:
                done = correct_file(records, book)
                self.made[key] = (digest, done.triples, done.outcomes)
            triples.update(dict.fromkeys(self.made[key][1]))
        self.book = book
        self.report = report(book, (m[2] for m in self.made.values()), self.groups)
        self.graph = rdflib_graph(triples)
        self.version += 1
        out = self.folder / f"graph-{self.version}.nt"
        out.write_text(ntriples_of(triples), encoding="utf-8")
        if self.version > 1:
            (self.folder / f"graph-{self.version - 1}.nt").unlink(missing_ok=True)
        return out

    def rdf(self, ep):
        return self.graph

    def _version(self, ep) -> object:
        return self.version

    def _render(self, ep) -> str:
        """The explorer with the corrections controls, the token and the corrections listed."""
        from .explorer import render_view

        data = {"token": self.token, "header": TOKEN_HEADER, "add": CORRECTIONS_PATH, "undo": UNDO_PATH,
                "file": str(self.path), "notApplied": self.report.lines(),
                "items": [{"n": n, "id": c.id, "text": c.describe(), "by": c.by, "at": c.at}
                          for n, c in enumerate(self.book.items, start=1)]}
        script = (resources.files("kg") / "templates" / "edit.js").read_text(encoding="utf-8")
        script = script.replace("/*__KG_EDIT__*/null", json.dumps(data, ensure_ascii=False))
        return render_view(self.graph, script=script).html

    def post(self, ep, path: str, headers, body: bytes) -> tuple | None:
        if path not in (CORRECTIONS_PATH, UNDO_PATH):
            reply = super().post(ep, path, headers, body)
            return reply and _text(404, f"no such path {path}; post corrections to {CORRECTIONS_PATH}")
        sent = (headers.get(TOKEN_HEADER) or "").encode("utf-8", "replace")
        if not hmac.compare_digest(sent, self.token.encode()):
            return _text(403, f"a correction needs the {TOKEN_HEADER} of this server's explorer page "
                              f"(open {EXPLORER_PATH} on this server); requests from other sites are refused")
        if (headers.get("Content-Type") or "").split(";")[0].strip().lower() != "application/json":
            return _text(415, "send the correction as application/json")
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return _text(400, "the correction is not JSON")
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            return _text(400, "send the correction as a JSON object of strings")
        with self.lock:
            try:
                message = self._undo(data) if path == UNDO_PATH else self._add(data)
            except KgError as e:
                return _text(409, str(e))
            except OSError as e:
                return _text(500, f"{self.path}: cannot write the corrections ({one_line(e)[:160]})")
            try:
                ep.reload(self.rebuild())
            except (KgError, OSError) as e:
                return _text(500, f"{message}, but the graph could not be made again ({one_line(e)[:160]}); "
                                  "restart kg serve")
            return _json(200, {"message": message, "notApplied": self.report.lines()})

    def _add(self, data: dict) -> str:
        unknown = sorted(set(data) - set(EDITABLE))
        if unknown:
            raise KgError(f"unknown field(s) {', '.join(unknown)}; a correction has {', '.join(EDITABLE)}")
        c = Correction(**{f.name: data.get(f.name, "").strip() for f in fields(Correction) if f.name in EDITABLE})
        n = add_correction(self.path, c, self.graph)
        return f"correction {n}: {c.describe()}"

    def _undo(self, data: dict) -> str:
        book = read_corrections(self.path)
        n = next((n for n, c in enumerate(book.items, start=1) if c.id == data.get("id")), None)
        if n is None:
            raise KgError(f"{self.path} no longer holds that correction; reload {EXPLORER_PATH}")
        gone = remove_correction(self.path, n)
        return f"undone: {gone.describe()}"


def editor_of_store(store: str | Path, path: str | Path, folder: str | Path) -> Editor:
    """An editor of the corrections ``path`` for the records of the store at ``store`` (opened read-only)."""
    from .store import open_store

    with open_store(store) as st:
        return Editor(st.file_records(), path, folder)
