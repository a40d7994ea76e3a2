"""Corrections: facts a user fixed once, applied on every build so that they stay fixed.

A corrections file is CSV (``docs/corrections.md``): one correction per line, keyed by what
survives a rebuild by a newer kg — the source file, the labels, and the evidence text — never by an
IRI. The stage runs after resolution, on one file's records at a time (:func:`correct_file`): the
in-memory build, the streamed build and the store all make a file's triples through it, so they
give the same graph. Each correction applied adds a ``ukg:Correction`` node with the triples it
added to and removed from its file's graph as ``rdf:Statement`` nodes (:func:`kg.graph.correction_triples`).

A correction whose target is gone (or that now fits several things) is not applied and is
reported, one line each; it stays in the file.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import InputError
from .types import Amount, Extraction, PlaceMention, Program, UnionMention

FIELDS = ("action", "what", "file", "label", "other", "place", "amount", "evidence", "by", "at", "note")
"""The columns of a corrections file, in the order kg writes them."""

KINDS = {
    "reject": ("program", "runs", "place", "amount", "union"),
    "merge": ("union", "program"),
    "rename": ("union", "program", "place"),
    "add": ("program",),
}
"""What each action may concern."""

APPLIED, MISSING, AMBIGUOUS = "applied", "missing", "ambiguous"
SEP = "|"
"""Between several places or amounts of one ``add``."""
DEFAULT_NAME = "corrections.csv"


@dataclass(frozen=True)
class Correction:
    """One fix, as a line of the corrections file says it.

    ``label`` names the target (a program, a union, a place); ``other`` the second thing the action
    needs: the union of a ``runs`` link, the place of a place link, the amount's text, the node merged
    into ``label``, the new label, or the union that runs an added program."""

    action: str
    what: str
    file: str = ""
    label: str = ""
    other: str = ""
    place: str = ""
    amount: str = ""
    evidence: str = ""
    by: str = ""
    at: str = ""
    note: str = ""

    @property
    def id(self) -> str:
        """A hash of what the correction says (its note left out): the same line, the same graph nodes."""
        key = "\0".join(getattr(self, f) for f in FIELDS if f != "note")
        return hashlib.sha256(key.encode()).hexdigest()[:16]

    @property
    def when(self) -> str:
        """``at`` as the canonical ``xsd:dateTime`` (UTC, ``Z``; to the second), the form a store keeps."""
        if not self.at:
            return ""
        t = datetime.datetime.fromisoformat(self.at.replace("Z", "+00:00"))
        if t.tzinfo is None:
            return t.strftime("%Y-%m-%dT%H:%M:%S")
        return t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def places(self) -> list[str]:
        return [p.strip() for p in self.place.split(SEP) if p.strip()]

    @property
    def amounts(self) -> list[str]:
        return [a.strip() for a in self.amount.split(SEP) if a.strip()]

    def describe(self) -> str:
        """One line: ``reject runs 安吉县总工会 → X in 003_x.txt``."""
        a, w = self.action, self.what
        if a == "reject" and w == "program":
            text = f"reject program {self.label}"
        elif a == "reject" and w == "union":
            text = f"reject union {self.label}"
        elif a == "reject" and w == "runs":
            text = f"reject runs {self.other} → {self.label}"
        elif a == "reject":
            text = f"reject {w} {self.other} of {self.label}"
        elif a == "merge":
            text = f"merge {w} {self.other} into {self.label}"
        elif a == "rename":
            text = f"rename {w} {self.label} → {self.other}"
        else:
            extra = "".join(f" in {p}" for p in self.places) + "".join(f" with {m}" for m in self.amounts)
            text = f"add {self.other} runs {self.label}{extra}"
        return text + (f" in {self.file}" if self.file else "")

    def check(self, where: str = "") -> Correction:
        """The correction if it is complete and well formed; else a one-line error naming ``where``."""
        at = f"{where}: " if where else ""
        if self.action not in KINDS:
            raise InputError(f"{at}action {self.action!r}: give one of {', '.join(KINDS)}")
        if self.what not in KINDS[self.action]:
            raise InputError(f"{at}{self.action} {self.what!r}: give one of {', '.join(KINDS[self.action])}")
        if not self.label:
            raise InputError(f"{at}{self.action} {self.what}: the label of its target is missing")
        needs_other = not (self.action == "reject" and self.what in ("program", "union"))
        if needs_other and not self.other:
            raise InputError(f"{at}{self.action} {self.what} {self.label}: the second label is missing")
        global_ok = self.what in ("union", "place") and self.action in ("merge", "rename")
        if not self.file and not global_ok:
            raise InputError(f"{at}{self.action} {self.what} {self.label}: give the file it is in")
        if self.action == "add" and not self.evidence:
            raise InputError(f"{at}add {self.label}: give the evidence text it is read from")
        if self.action in ("merge", "rename") and self.label == self.other:
            raise InputError(f"{at}{self.action} {self.what} {self.label}: the two labels are the same")
        if self.at:
            try:
                datetime.datetime.fromisoformat(self.at.replace("Z", "+00:00"))
            except ValueError:
                raise InputError(f"{at}at {self.at!r}: give a time as 2024-05-01T10:00:00+00:00") from None
        return self


@dataclass(frozen=True)
class Corrections:
    """The corrections of one file, in its order (the order they are applied in)."""

    items: tuple[Correction, ...] = ()
    path: str = ""

    def for_file(self, key: str) -> list[Correction]:
        """The corrections a file's graph depends on: those keyed to it, and those of no file."""
        return [c for c in self.items if c.file in ("", key)]

    def digest(self, key: str) -> str:
        """A hash of :meth:`for_file`: a store rewrites a file's graph when it changes."""
        ids = [c.id for c in self.for_file(key)]
        return hashlib.sha256(" ".join(ids).encode()).hexdigest()[:16] if ids else ""

    def __len__(self) -> int:
        return len(self.items)


def now() -> str:
    """The current time, to the second, in UTC: what a new correction's ``at`` says."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def user() -> str:
    """Who makes a correction by default: the login name."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a container
        return os.environ.get("USER", "")


def read_corrections(path: str | os.PathLike) -> Corrections:
    """Read a corrections file; a missing file is no corrections, a malformed line a one-line error."""
    p = Path(path)
    if not p.exists():
        return Corrections((), str(p))
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{p}: cannot read the corrections ({' '.join(str(e).split())[:120]})") from None
    return parse_corrections(text, str(p))


def parse_corrections(text: str, where: str = "corrections") -> Corrections:
    rows = csv.reader(io.StringIO(text))
    header = next(rows, None)
    if header is None:
        return Corrections((), where)
    header = [h.strip() for h in header]
    unknown = [h for h in header if h not in FIELDS]
    if unknown or "action" not in header:
        raise InputError(f"{where}: line 1 must name the columns ({','.join(FIELDS)}); "
                         f"{'unknown: ' + ', '.join(unknown) if unknown else 'no action column'}")
    items = []
    for n, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise InputError(f"{where}:{n}: {len(row)} fields for {len(header)} columns; quote a value with a comma")
        values = {h: v.strip() for h, v in zip(header, row)}
        items.append(Correction(**values).check(f"{where}:{n}"))
    return Corrections(tuple(items), where)


def corrections_text(corrections: Iterable[Correction]) -> str:
    """The corrections as a file: a header line, then one line each."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(FIELDS)
    for c in corrections:
        w.writerow([getattr(c, f) for f in FIELDS])
    return out.getvalue()


def write_corrections(path: str | os.PathLike, corrections: Iterable[Correction]) -> None:
    from .outputs import replace_file

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, corrections_text(corrections))


# applying ---------------------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")
_WIDE = str.maketrans({",": "，", ":": "：", "(": "（", ")": "）", ";": "；"})


def _squash(text: str) -> str:
    """Text without spaces, half-width punctuation read as full-width (as kg reads pages): how evidence
    copied from the page or from the graph is compared."""
    return _SPACE.sub("", text).translate(_WIDE)


def _contains(haystack: str, needle: str) -> bool:
    return not needle or _squash(needle) in _squash(haystack)


def file_key(x: Extraction) -> str:
    """The file a record comes from, as corrections name it (its key in the build)."""
    return x.article.source_key or x.article.source


def _node(p: Program) -> tuple[str, str]:
    """One program node: the article that reported it first, and its label (what its IRI is made of)."""
    return (p.node or p.article, p.label)


def program_nodes(xs: list[Extraction], label: str, evidence: str = "") -> list[tuple[str, str]]:
    """The program nodes of a file labelled ``label`` (one of whose reports has ``evidence``), in order."""
    return list(dict.fromkeys(_node(p) for x in xs for p in x.programs
                              if p.label == label and _contains(p.evidence, evidence)))


def _map_programs(xs: list[Extraction], node: tuple[str, str], fn) -> list[Extraction]:
    out = []
    for x in xs:
        programs = tuple(q for q in (fn(p) if _node(p) == node else p for p in x.programs) if q is not None)
        out.append(replace(x, programs=programs) if programs != x.programs else x)
    return out


def _keeps_locality(u: UnionMention, name: str) -> UnionMention:
    """A union mention given another name keeps its locality only when the new name starts with it."""
    if u.locality and name.startswith(u.locality):
        return replace(u, name=name)
    return replace(u, name=name, locality="", locality_parents=())


def _rename_union(xs: list[Extraction], old: str, new: str) -> tuple[list[Extraction], bool]:
    found = False
    out = []
    for x in xs:
        if not any(u.name == old for u in x.unions) and not any(old in p.runners for p in x.programs):
            out.append(x)
            continue
        found = True
        unions = tuple(_keeps_locality(u, new) if u.name == old else u for u in x.unions)
        programs = tuple(replace(p, runners=tuple(dict.fromkeys(new if r == old else r for r in p.runners)))
                         for p in x.programs)
        out.append(replace(x, unions=unions, programs=programs))
    return out, found


def _rename_place(xs: list[Extraction], old: str, new: str) -> tuple[list[Extraction], bool]:
    found = False

    def place(pm: PlaceMention) -> PlaceMention:
        nonlocal found
        if pm.name != old and old not in pm.parents:
            return pm
        found = True
        return replace(pm, name=new if pm.name == old else pm.name,
                       parents=tuple(new if q == old else q for q in pm.parents))

    out = []
    for x in xs:
        unions = tuple(replace(u, locality=new if u.locality == old else u.locality,
                               locality_parents=tuple(new if q == old else q for q in u.locality_parents))
                       for u in x.unions)
        found = found or any(u.locality == old for u in x.unions)
        places = tuple(place(pm) for pm in x.places)
        programs = tuple(replace(p, places=tuple(place(pm) for pm in p.places)) for p in x.programs)
        out.append(replace(x, unions=unions, places=places, programs=programs))
    return out, found


def _one(nodes: list) -> tuple[tuple[str, str] | None, str]:
    if not nodes:
        return None, MISSING
    if len(nodes) > 1:
        return None, AMBIGUOUS
    return nodes[0], APPLIED


def _new_place(x: Extraction, name: str, at: int) -> PlaceMention:
    """A place an added fact names: as the article found it, else from the gazetteer, else as written."""
    seen = next((pm for pm in x.places if pm.name == name), None)
    if seen is not None:
        return seen
    from .gazetteer import gazetteer

    g = gazetteer()
    cands = g.candidates(name, free_text=False)
    if len(cands) == 1:
        return PlaceMention(cands[0].name, name, at, cands[0].level, tuple(p.name for p in g.parents(cands[0])))
    return PlaceMention(name, name, at, "venue")


def _new_amount(x: Extraction, text: str, at: int) -> Amount | None:
    """An amount an added fact names: as the article found it, else read from the text given."""
    text_start = x.article.full_text.find(text, max(0, at))
    seen = [a for a in x.amounts if a.text == text]
    if seen:
        return min(seen, key=lambda a: abs(a.start - text_start) if text_start >= 0 else a.start)
    from .extract.amounts import extract
    from .types import Article

    found = next(iter(extract(Article("amount", "", text, text, (0, len(text))))), None)
    if found is None:
        return None
    return replace(found, start=text_start if text_start >= 0 else at)


def _add(c: Correction, xs: list[Extraction]) -> tuple[list[Extraction], str]:
    """Add ``c.other`` runs ``c.label`` (with its places and amounts) to the file: to the program of that
    label, or to a new one in the article whose text holds the evidence."""
    nodes = program_nodes(xs, c.label)
    if len(nodes) > 1:
        nodes = program_nodes(xs, c.label, c.evidence)
    node, status = _one(nodes)
    if status == AMBIGUOUS:
        return xs, status
    if node is not None:
        idx = next(i for i, x in enumerate(xs) if any(_node(p) == node for p in x.programs))
    else:
        idx = next((i for i, x in enumerate(xs) if _contains(x.article.full_text, c.evidence)), None)
        if idx is None:
            return xs, MISSING
    x = xs[idx]
    at = _squash_find(x.article.full_text, c.evidence)
    places = tuple(_new_place(x, name, at) for name in c.places)
    amounts = []
    for text in c.amounts:
        a = _new_amount(x, text, at)
        if a is None:
            return xs, MISSING
        amounts.append(a)
    unions = x.unions
    if not any(u.name == c.other for u in unions):
        known = next((u for y in xs for u in y.unions if u.name == c.other), None)
        start = x.article.full_text.find(c.other)
        mention = (replace(known, start=start) if known is not None
                   else UnionMention(c.other, c.other, max(start, 0)))
        unions = (*unions, mention)
    if node is not None:
        def extend(p: Program) -> Program:
            return replace(p, runners=tuple(dict.fromkeys((*p.runners, c.other))),
                           places=(*p.places, *(pm for pm in places if pm.name not in {q.name for q in p.places})),
                           amounts=(*p.amounts, *(a for a in amounts if a not in p.amounts)))
        xs = _map_programs(xs, node, extend)
        x = xs[idx]
        xs[idx] = replace(x, unions=unions)
        return xs, APPLIED
    sentence = (at, at + len(c.evidence)) if at >= 0 else None
    program = Program(c.label, x.article.id, c.evidence, (c.other,), places, tuple(amounts), x.date, "", 1.0,
                      sentence)
    xs = list(xs)
    xs[idx] = replace(x, unions=unions, programs=(*x.programs, program))
    return xs, APPLIED


def _squash_find(text: str, needle: str) -> int:
    """Where ``needle`` starts in ``text``, spaces aside; -1 when it is not there."""
    at = text.find(needle)
    if at >= 0 or not needle:
        return at
    squashed = _squash(needle)
    for i, ch in enumerate(text):
        if ch == squashed[0] and _squash(text[i : i + len(needle) * 2]).startswith(squashed):
            return i
    return -1


def apply_one(c: Correction, xs: list[Extraction]) -> tuple[list[Extraction], str, list]:
    """One correction on one file's records: the records after it, whether it applied (``applied``,
    ``missing``, ``ambiguous``), and the other labels it keeps (:func:`kg.graph.alt_label_triples`)."""
    a, w = c.action, c.what
    if a == "add":
        out, status = _add(c, xs)
        return out, status, []
    if w in ("union", "place") and a in ("merge", "rename"):
        rename = _rename_union if w == "union" else _rename_place
        out, found = rename(xs, c.label if a == "rename" else c.other, c.other if a == "rename" else c.label)
        if not found:
            return xs, MISSING, []
        old, new = (c.label, c.other) if a == "rename" else (c.other, c.label)
        return out, APPLIED, [(w, new, old)]
    if a == "reject" and w == "union":
        found = any(u.name == c.label for x in xs for u in x.unions)
        if not found:
            return xs, MISSING, []
        out = [replace(x, unions=tuple(u for u in x.unions if u.name != c.label),
                       programs=tuple(replace(p, runners=tuple(r for r in p.runners if r != c.label))
                                      for p in x.programs)) for x in xs]
        return out, APPLIED, []
    node, status = _one(program_nodes(xs, c.label, c.evidence))
    if node is None:
        return xs, status, []
    if a == "reject" and w == "program":
        return _map_programs(xs, node, lambda p: None), APPLIED, []
    reports = [p for x in xs for p in x.programs if _node(p) == node]
    if a == "reject":
        if w == "runs":
            hit = any(c.other in p.runners for p in reports)
            fn = lambda p: replace(p, runners=tuple(r for r in p.runners if r != c.other))  # noqa: E731
        elif w == "place":
            hit = any(pm.name == c.other for p in reports for pm in p.places)
            fn = lambda p: replace(p, places=tuple(pm for pm in p.places if pm.name != c.other))  # noqa: E731
        else:
            hit = any(am.text == c.other for p in reports for am in p.amounts)
            fn = lambda p: replace(p, amounts=tuple(am for am in p.amounts if am.text != c.other))  # noqa: E731
        return (_map_programs(xs, node, fn), APPLIED, []) if hit else (xs, MISSING, [])
    if a == "rename":
        out = _map_programs(xs, node, lambda p: replace(p, label=c.other))
        first = next(p for x in out for p in x.programs if _node(p) == (node[0], c.other))
        return out, APPLIED, [("program", first, c.label)]
    other, status = _one(program_nodes(xs, c.other))  # merge program: c.other into c.label
    if other is None:
        return xs, status, []
    keep_article, keep_label = node
    out = _map_programs(xs, other, lambda p: replace(p, label=keep_label, node=keep_article))
    first = next(p for x in out for p in x.programs if _node(p) == node)
    return out, APPLIED, [("program", first, c.other)]


@dataclass
class FileCorrected:
    """One file's triples with its corrections applied, and what became of each correction."""

    triples: list
    outcomes: dict[str, str] = field(default_factory=dict)
    """Each correction's id → ``applied``, ``missing`` or ``ambiguous`` in this file."""


def correct_file(records: list[Extraction], corrections: Corrections | None) -> FileCorrected:
    """The triples of one file's resolved records with its corrections applied, and the provenance of
    each (the triples it added and removed): the one stage every kind of build passes through."""
    from .graph import alt_label_triples, correction_triples, graph_triples

    triples = graph_triples(records)
    if not records or corrections is None:
        return FileCorrected(triples)
    relevant = corrections.for_file(file_key(records[0]))
    if not relevant:
        return FileCorrected(triples)
    outcomes: dict[str, str] = {}
    before, alts, provenance = set(triples), [], []

    def graph_of(xs: list[Extraction]) -> list:
        made = graph_triples(xs)
        subjects = {t.subject for t in made}
        return made + [t for t in alt_label_triples(alts) if t.subject in subjects]

    xs = list(records)
    for c in relevant:
        if outcomes.get(c.id) == APPLIED:
            continue  # the same line twice
        after_records, status, alt = apply_one(c, xs)
        outcomes[c.id] = status
        if status != APPLIED:
            continue
        xs = after_records
        alts += alt
        after = graph_of(xs)
        now_set = set(after)
        provenance += correction_triples(c.id, c.action, c.describe(), c.file, c.by, c.when, c.note,
                                         sorted(now_set - before, key=str), sorted(before - now_set, key=str))
        before = now_set
    if not provenance:
        return FileCorrected(triples, outcomes)
    return FileCorrected(list(dict.fromkeys(graph_of(xs) + provenance)), outcomes)


def file_groups(records: list[Extraction]) -> list[list[Extraction]]:
    """Records grouped by file, files in order of first appearance."""
    groups: dict[str, list[Extraction]] = {}
    for x in records:
        groups.setdefault(file_key(x), []).append(x)
    return list(groups.values())


@dataclass
class CorrectionsReport:
    """What became of each correction in a build: applied, or why not (one line each)."""

    path: str = ""
    applied: list[Correction] = field(default_factory=list)
    unapplied: list[tuple[int, Correction, str]] = field(default_factory=list)
    """The correction's number (as ``kg correct list`` shows it), the correction, and why it was not applied."""

    def lines(self) -> list[str]:
        """One line per correction not applied, naming it and the fix."""
        return [f"{self.path}: correction {n} not applied: {c.describe()}: {why}" for n, c, why in self.unapplied]


def report(corrections: Corrections, outcomes: Iterable[dict[str, str]], files: Iterable[str]) -> CorrectionsReport:
    """Each correction's fate in a build, from the outcomes of every file it was tried on."""
    merged: dict[str, set[str]] = {}
    for o in outcomes:
        for cid, status in o.items():
            merged.setdefault(cid, set()).add(status)
    files = set(files)
    out = CorrectionsReport(corrections.path)
    for n, c in enumerate(corrections.items, start=1):
        seen = merged.get(c.id, set())
        if APPLIED in seen:
            out.applied.append(c)
        elif c.file and c.file not in files:
            out.unapplied.append((n, c, f"{c.file} is not in this build"))
        elif AMBIGUOUS in seen:
            out.unapplied.append((n, c, "it fits several things now; give its evidence to tell which, or undo it"))
        else:
            out.unapplied.append((n, c, "its target is no longer in the graph; fix or undo it (kg correct list)"))
    return out


# checking against a graph -----------------------------------------------------------------------

_FACTS_QUERY = """
SELECT ?file ?p ?label ?evidence ?union ?place ?amount WHERE {
  ?p a ukg:Program ; rdfs:label ?label ; prov:wasDerivedFrom ?a .
  { ?a ukg:sourceFile ?file } UNION { ?a ukg:sourcePath ?file }
  OPTIONAL { ?p ukg:evidence ?evidence }
  OPTIONAL { ?u ukg:runs ?p ; rdfs:label ?union }
  OPTIONAL { ?p ukg:inPlace/rdfs:label ?place }
  OPTIONAL { ?p ukg:amount/ukg:text ?amount } }
"""
_NAMES_QUERY = """
SELECT ?file ?kind ?label WHERE {
  { ?n a ukg:Union BIND("union" AS ?kind) } UNION { ?n a ukg:Place BIND("place" AS ?kind) }
  ?n rdfs:label ?label ; ukg:mentionedIn ?a .
  { ?a ukg:sourceFile ?file } UNION { ?a ukg:sourcePath ?file } }
"""


@dataclass
class _Program:
    label: str
    evidence: set[str] = field(default_factory=set)
    runs: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    amounts: set[str] = field(default_factory=set)


class GraphFacts:
    """What a graph says, by file, in the terms a correction is keyed by: labels and evidence."""

    def __init__(self, graph):
        from .vocab import PREFIXES

        ns = dict(PREFIXES)
        self.programs: dict[str, dict[str, _Program]] = {}
        self.names: dict[str, dict[str, set[str]]] = {}
        for r in graph.query(_FACTS_QUERY, initNs=ns):
            p = self.programs.setdefault(str(r.file), {}).setdefault(str(r.p), _Program(str(r.label)))
            for attr, value in (("evidence", r.evidence), ("runs", r.union), ("places", r.place),
                                ("amounts", r.amount)):
                if value is not None:
                    getattr(p, attr).add(str(value))
        for r in graph.query(_NAMES_QUERY, initNs=ns):
            self.names.setdefault(str(r.file), {}).setdefault(str(r.kind), set()).add(str(r.label))

    @property
    def files(self) -> set[str]:
        return set(self.programs) | set(self.names)

    def find(self, file: str, label: str, evidence: str = "") -> list[_Program]:
        """The programs of ``file`` labelled ``label`` (with ``evidence`` in one of their sentences)."""
        return [p for p in self.programs.get(file, {}).values()
                if p.label == label and any(_contains(e, evidence) for e in p.evidence or {""})]

    def labels(self, kind: str, file: str = "") -> set[str]:
        if kind == "program":
            return {p.label for f, ps in self.programs.items() if f == file or not file for p in ps.values()}
        return {n for f, kinds in self.names.items() if f == file or not file for n in kinds.get(kind, ())}

    def has(self, c: Correction) -> list[tuple[bool, str]]:
        """The facts ``c`` asserts, each with whether this graph agrees: a rejected fact should be absent,
        an added or kept one present."""
        a, w = c.action, c.what
        if a == "add":
            progs = [p for p in self.find(c.file, c.label) if c.other in p.runs]
            facts = [(bool(progs), f"{c.other} runs {c.label}")]
            facts += [(any(pl in p.places for p in progs), f"{c.label} in {pl}") for pl in c.places]
            facts += [(any(am in p.amounts for p in progs), f"{c.label} with {am}") for am in c.amounts]
            return facts
        if a == "reject" and w == "union":
            return [(c.label not in self.labels("union", c.file), f"no union {c.label}")]
        if a in ("merge", "rename"):
            old, new = (c.label, c.other) if a == "rename" else (c.other, c.label)
            return [(old not in self.labels(w, c.file), f"no {w} {old}"), (new in self.labels(w, c.file), f"{w} {new}")]
        progs = self.find(c.file, c.label, c.evidence)
        if w == "program":
            return [(not progs, f"no program {c.label}")]
        attr = {"runs": "runs", "place": "places", "amount": "amounts"}[w]
        return [(not any(c.other in getattr(p, attr) for p in progs), f"no {w} {c.other} of {c.label}")]

    def check(self, c: Correction) -> None:
        """Refuse a new correction whose target this graph does not have, or has several of (listing them)."""
        a, w = c.action, c.what
        if c.file and c.file not in self.files:
            near = sorted(f for f in self.files if c.file in f)[:5] or sorted(self.files)[:5]
            raise InputError(f"{c.file}: no such file in the graph; it has {', '.join(near)}")
        if a == "add":
            if len(self.find(c.file, c.label)) > 1 and len(self.find(c.file, c.label, c.evidence)) != 1:
                raise InputError(self._several(c.file, c.label, c.evidence))
            return
        if w in ("union", "place"):
            have = self.labels(w, c.file)
            for label in ((c.label, c.other) if a == "merge" else (c.label,)):
                if label not in have:
                    raise InputError(self._missing(w, label, have, c.file))
            return
        for label, evidence in ((c.label, c.evidence), *(((c.other, ""),) if a == "merge" else ())):
            progs = self.find(c.file, label, evidence)
            if not progs:
                raise InputError(self._missing("program", label, self.labels("program", c.file), c.file))
            if len(progs) > 1:
                raise InputError(self._several(c.file, label, evidence))
        if a == "reject" and w in ("runs", "place", "amount"):
            attr = {"runs": "runs", "place": "places", "amount": "amounts"}[w]
            have = getattr(self.find(c.file, c.label, c.evidence)[0], attr)
            if c.other not in have:
                raise InputError(f"{c.label} in {c.file} has no {w} {c.other}; it has "
                                 f"{', '.join(sorted(have)) or 'none'}")

    def _missing(self, kind: str, label: str, have: set[str], file: str) -> str:
        near = sorted(h for h in have if label in h or h in label)[:8]
        where = f" in {file}" if file else ""
        return (f"no {kind} {label}{where}" + (f"; did you mean: {', '.join(near)}" if near else "")
                + (f" (run kg build again if the graph is older than its corrections)"))

    def _several(self, file: str, label: str, evidence: str) -> str:
        found = self.find(file, label, evidence)
        listed = "; ".join(f"«{min(p.evidence, default='')[:60]}»" for p in found)
        return (f"{len(found)} programs {label} in {file}: {listed}; "
                "give --evidence with words of the one you mean")


def agreement(graph, corrections: Corrections) -> list[tuple[Correction, bool, str]]:
    """Each fact the corrections assert, and whether ``graph`` agrees: a graph built with
    ``--no-corrections`` scored against them measures the extractor on what users fixed."""
    facts = GraphFacts(graph)
    return [(c, ok, fact) for c in corrections.items for ok, fact in facts.has(c)]


# editing the file ----------------------------------------------------------------------------------

def add_correction(path: str | os.PathLike, c: Correction, graph=None) -> int:
    """Append ``c`` to the corrections file at ``path`` (made if need be), once checked against ``graph``
    when one is given; return its number (the line it is on, less the header)."""
    c = replace(c, by=c.by or user(), at=c.at or now()).check()
    if graph is not None:
        GraphFacts(graph).check(c)
    book = read_corrections(path)
    same = next((n for n, old in enumerate(book.items, start=1) if replace(old, by="", at="", note="") ==
                 replace(c, by="", at="", note="")), None)
    if same is not None:
        raise InputError(f"{path}: correction {same} already says this ({book.items[same - 1].describe()})")
    write_corrections(path, (*book.items, c))
    return len(book) + 1


def remove_correction(path: str | os.PathLike, number: int) -> Correction:
    """Take correction ``number`` (as :func:`read_corrections` lists them, from 1) out of the file."""
    book = read_corrections(path)
    if not 1 <= number <= len(book):
        raise InputError(f"{path}: no correction {number}; it holds {len(book)} (kg correct list)")
    items = list(book.items)
    gone = items.pop(number - 1)
    write_corrections(path, items)
    return gone
