"""Score a graph against ``ukg-gold/1`` annotations, as ``shared/gold/README.md`` defines.

Four metrics, each micro-averaged over the annotated files: **unions**,
**runs** (union, program) pairs, **places** of the matched programs, and
**money** (union, yuan) pairs. Optional gold items are neither rewarded nor
penalised. Pairs are matched one to one (a maximum bipartite matching), so a
second prediction of the same gold item counts as a false positive.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rdflib import Graph

from .errors import GoldFileError

UNIONS_QUERY = """
PREFIX ukg: <https://w3id.org/ukg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?file ?union WHERE {
  ?u a ukg:Union ; rdfs:label ?union ; ukg:mentionedIn/ukg:sourceFile ?file }
"""

RUNS_QUERY = """
PREFIX ukg: <https://w3id.org/ukg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?file ?union ?program ?place ?yuan WHERE {
  ?u a ukg:Union ; rdfs:label ?union ; ukg:runs ?p .
  ?p rdfs:label ?program ; prov:wasDerivedFrom/ukg:sourceFile ?file .
  OPTIONAL { ?p ukg:inPlace/rdfs:label ?place }
  OPTIONAL { ?p ukg:amount ?a . ?a ukg:unit "CNY" ; ukg:value ?yuan } }
"""
EVIDENCE_QUERY = """
PREFIX ukg: <https://w3id.org/ukg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?file ?union ?program ?evidence WHERE {
  ?u a ukg:Union ; rdfs:label ?union ; ukg:runs ?p .
  ?p rdfs:label ?program ; prov:wasDerivedFrom/ukg:sourceFile ?file ; ukg:evidence ?evidence }
"""
"""The sentences programs were read from, for ``--explain`` (the scores use the contract's query alone)."""

METRICS = ("unions", "runs", "places", "money")


@dataclass
class Score:
    """True positives, false positives and false negatives of one metric."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass(frozen=True)
class Mistake:
    """One false positive or false negative, with what it concerns and the evidence sentence."""

    file: str
    metric: str
    kind: str
    """``fp`` (predicted, not in the gold) or ``fn`` (in the gold, not predicted)."""
    item: str
    """The predicted or gold item, written out: ``青岛市总工会 → “三述”活动``."""
    evidence: str = ""
    """The sentence the program involved was read from (predictions only)."""


@dataclass
class Report:
    """Scores per metric, overall and per file, and every mistake."""

    scores: dict[str, Score] = field(default_factory=lambda: {m: Score() for m in METRICS})
    per_file: dict[str, dict[str, Score]] = field(default_factory=dict)
    mistakes: list[Mistake] = field(default_factory=list)
    corrections: Score | None = None
    """The facts of corrections files (:func:`kg.corrections.agreement`): an added fact the graph has is a
    true positive, one it lacks a false negative, a rejected fact it still has a false positive. Kept out
    of the mean: it scores what users fixed, not a sample."""
    corrected_files: list[str] = field(default_factory=list)
    """The files the corrections touch."""
    corrections_facts: int = 0
    corrections_agree: int = 0

    @property
    def mean_f1(self) -> float:
        return sum(s.f1 for s in self.scores.values()) / len(self.scores)

    def as_dict(self) -> dict:
        def d(s: Score) -> dict:
            return {"tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4), "f1": round(s.f1, 4)}

        out = {
            "metrics": {m: d(s) for m, s in self.scores.items()},
            "mean_f1": round(self.mean_f1, 4),
            "files": {f: {m: d(s) for m, s in ms.items()} for f, ms in sorted(self.per_file.items())},
        }
        if self.corrections is not None:
            out["corrections"] = {**d(self.corrections), "facts": self.corrections_facts,
                                  "agree": self.corrections_agree, "files": self.corrected_files}
        return out

    def explain_dict(self) -> dict:
        """The scores and, per file and metric, every mistake."""
        files: dict[str, dict[str, list]] = {}
        for m in self.mistakes:
            files.setdefault(m.file, {}).setdefault(m.metric, []).append(
                {"kind": m.kind, "item": m.item, **({"evidence": m.evidence} if m.evidence else {})})
        return {**self.as_dict(), "mistakes": files}


def _match(preds: list, golds: list, ok) -> dict[int, int]:
    """Maximum one-to-one matching ``{pred index: gold index}`` where ``ok(pred, gold)``."""
    adj = [[j for j, g in enumerate(golds) if ok(p, g)] for p in preds]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in adj[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(preds)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


@dataclass
class _Outcome:
    score: Score
    matched: dict[int, int]
    """Predicted index → index in the gold list, for matches to required gold items."""
    false_pos: list[int]
    false_neg: list[int]
    """Indexes of required gold items nothing matched."""


def _score(preds: list, golds: list[dict], ok) -> _Outcome:
    """Score predictions against gold items with ``optional`` flags."""
    required = [i for i, g in enumerate(golds) if not g.get("optional")]
    optional = [g for g in golds if g.get("optional")]
    matched = _match(preds, [golds[i] for i in required], ok)
    fps = [i for i, p in enumerate(preds) if i not in matched and not any(ok(p, g) for g in optional)]
    hit = set(matched.values())
    fns = [required[j] for j in range(len(required)) if j not in hit]
    s = Score(tp=len(matched), fp=len(fps), fn=len(fns))
    return _Outcome(s, {i: required[j] for i, j in matched.items()}, fps, fns)


def own_locality(place: str, union: str) -> bool:
    """Whether ``place`` names the union's own locality (less a trailing 省/市/县/区, it is part of the union's name)."""
    stem = place[:-1] if place.endswith(("省", "市", "县", "区")) and len(place) > 2 else place
    return stem in union


def load_gold(path: str | Path) -> dict:
    """Read and check a ``ukg-gold/1`` file."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GoldFileError(f"{p}: no such file; give the path of a ukg-gold/1 JSON file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise GoldFileError(f"{p}: not valid JSON ({e}); give a ukg-gold/1 file") from None
    if not isinstance(data, dict) or data.get("format") != "ukg-gold/1" or not isinstance(
        data.get("files"), dict
    ):
        raise GoldFileError(f"{p}: not a ukg-gold/1 file (needs \"format\": \"ukg-gold/1\" and \"files\")")
    return data


def _place_ok(place: str, g: dict) -> bool:
    return any(place in n or n in place for n in g["names"])


class _File:
    """One annotated file's gold items, and the predictions read from the graph for it."""

    def __init__(self, name: str, ann: dict, unions: set[str], pairs: dict[tuple[str, str], dict]):
        self.name = name
        self.gunions = ann.get("unions", [])
        self.gprograms = ann.get("programs", [])
        self.gmoney = ann.get("money", [])
        self.unions = sorted(unions)
        self.pairs = pairs
        self.pair_list = sorted(pairs)
        self._names = {gu["names"][0]: gu["names"] for gu in self.gunions}
        self.mistakes: list[Mistake] = []

    def _mistake(self, metric: str, kind: str, item: str, evidence: str = "") -> None:
        self.mistakes.append(Mistake(self.name, metric, kind, item, evidence))

    def _evidence(self, pair: tuple[str, str]) -> str:
        return self.pairs[pair].get("evidence", "")

    def names(self, union: str) -> list[str]:
        """Every label of the gold union a gold program or money item refers to."""
        return self._names.get(union, next((g["names"] for g in self.gunions if union in g["names"]), [union]))

    def score_unions(self) -> Score:
        """A label matching a gold union already matched by another label is a split: a false positive."""
        s, hit = Score(), set()
        canonical = {g["names"][0] for g in self.gunions}
        for label in sorted(self.unions, key=lambda u: (u not in canonical, u)):  # the canonical label is the hit
            j = next((k for k, g in enumerate(self.gunions) if label in g["names"]), None)
            if j is not None and self.gunions[j].get("optional"):
                continue
            if j is None or j in hit:
                s.fp += 1
                self._mistake("unions", "fp", label if j is None else
                              f"{label} (a second label of {self.gunions[j]['names'][0]})")
            else:
                hit.add(j)
                s.tp += 1
        for k, g in enumerate(self.gunions):
            if not g.get("optional") and k not in hit:
                s.fn += 1
                self._mistake("unions", "fn", " / ".join(g["names"]))
        return s

    def score_runs(self) -> _Outcome:
        def ok(pair: tuple[str, str], g: dict) -> bool:
            return pair[0] in self.names(g["union"]) and any(k in pair[1] for k in g["keys"])

        out = _score(self.pair_list, self.gprograms, ok)
        for i in out.false_pos:
            pair = self.pair_list[i]
            dup = next((self.gprograms[j] for j in out.matched.values() if ok(pair, self.gprograms[j])), None)
            note = f" (a second program for gold {'/'.join(dup['keys'])})" if dup else ""
            self._mistake("runs", "fp", f"{pair[0]} → {pair[1]}{note}", self._evidence(pair))
        for j in out.false_neg:
            g = self.gprograms[j]
            self._mistake("runs", "fn", f"{g['union']} → {' | '.join(g['keys'])}")
        return out

    def score_places(self, matched: dict[int, int]) -> Score:
        """Places of the matched programs; a second granularity and the union's own locality are neutral."""
        s = Score()
        for i, j in matched.items():
            pair = self.pair_list[i]
            gplaces = self.gprograms[j].get("places", [])
            preds = sorted(self.pairs[pair]["places"])
            required = [g for g in gplaces if not g.get("optional")]
            m = _match(preds, required, _place_ok)
            s.tp += len(m)
            for k, g in enumerate(required):
                if k not in m.values():
                    s.fn += 1
                    self._mistake("places", "fn", f"{' / '.join(g['names'])} (for {pair[0]} → {pair[1]})",
                                  self._evidence(pair))
            for k, place in enumerate(preds):
                if k not in m and not any(_place_ok(place, g) for g in gplaces) and not own_locality(place, pair[0]):
                    s.fp += 1
                    self._mistake("places", "fp", f"{place} (for {pair[0]} → {pair[1]})", self._evidence(pair))
        return s

    def score_money(self) -> Score:
        money = sorted({(u, y) for (u, _label), e in self.pairs.items() for y in e["yuan"]})

        def ok(pred: tuple[str, Decimal], g: dict) -> bool:
            v = Decimal(str(g["value"]))
            return pred[0] in self.names(g["union"]) and abs(pred[1] - v) <= abs(v) * Decimal("0.005")

        out = _score(money, self.gmoney, ok)
        for i in out.false_pos:
            union, yuan = money[i]
            pair = next(p for p, e in sorted(self.pairs.items()) if p[0] == union and yuan in e["yuan"])
            self._mistake("money", "fp", f"{union} {_yuan(yuan)} (for {pair[1]})", self._evidence(pair))
        for j in out.false_neg:
            g = self.gmoney[j]
            self._mistake("money", "fn", f"{g['union']} {_yuan(Decimal(str(g['value'])))}")
        return out.score


def _yuan(v: Decimal) -> str:
    return f"{format(v.normalize(), 'f')}元"


def evaluate(graph: Graph, gold: dict, corrections: list | None = None) -> Report:
    """Score ``graph`` against parsed gold annotations, and against the facts of ``corrections``
    (:class:`kg.corrections.Corrections`), which users fixed, where given."""
    unions_by_file: dict[str, set[str]] = defaultdict(set)
    for row in graph.query(UNIONS_QUERY):
        unions_by_file[str(row.file)].add(str(row.union))
    pairs_by_file: dict[str, dict[tuple[str, str], dict]] = defaultdict(dict)
    for row in graph.query(RUNS_QUERY):
        pair = (str(row.union), str(row.program))
        e = pairs_by_file[str(row.file)].setdefault(pair, {"places": set(), "yuan": set()})
        if row.place is not None:
            e["places"].add(str(row.place))
        if row.yuan is not None:
            e["yuan"].add(Decimal(str(row.yuan)))
    for row in graph.query(EVIDENCE_QUERY):
        e = pairs_by_file.get(str(row.file), {}).get((str(row.union), str(row.program)))
        if e is not None:
            e.setdefault("evidence", str(row.evidence))

    report = Report()
    for fname, ann in sorted(gold["files"].items()):
        f = _File(fname, ann, unions_by_file.get(fname, set()), pairs_by_file.get(fname, {}))
        runs = f.score_runs()
        fs = {"unions": f.score_unions(), "runs": runs.score, "places": f.score_places(runs.matched),
              "money": f.score_money()}
        report.per_file[fname] = fs
        report.mistakes.extend(f.mistakes)
        for metric, sc in fs.items():
            report.scores[metric].add(sc)
    if corrections:
        from .corrections import agreement

        report.corrections = Score()
        files = set()
        for book in corrections:
            for c, ok, fact in agreement(graph, book):
                files.add(c.file or "(every file)")
                rejected = fact.startswith("no ")
                report.corrections_facts += 1
                report.corrections_agree += ok
                if ok:
                    report.corrections.tp += not rejected
                else:
                    report.corrections.fp += rejected
                    report.corrections.fn += not rejected
                    report.mistakes.append(Mistake(c.file or "(every file)", "corrections", "fp" if rejected else "fn",
                                                   f"{fact[3:] if rejected else fact} ({c.describe()})"))
        report.corrected_files = sorted(files)
    return report


def merge_gold(golds: list[dict], paths: list[str]) -> dict:
    """Several gold files as one; a file annotated in two of them is an error."""
    files: dict[str, dict] = {}
    where: dict[str, str] = {}
    for g, path in zip(golds, paths):
        for name, ann in g["files"].items():
            if name in files:
                raise GoldFileError(f"{path}: {name} is annotated in {where[name]} too; give each file once")
            files[name], where[name] = ann, path
    return {"format": "ukg-gold/1", "files": files}


def format_report(report: Report, explain: bool = False) -> str:
    """A plain-text table: one line per metric and the mean; with ``explain``, every mistake first."""
    lines = []
    if explain:
        current = None
        order = (*METRICS, "corrections")
        for m in sorted(report.mistakes, key=lambda m: (m.file, order.index(m.metric), m.kind)):
            if m.file != current:
                current = m.file
                lines.append(f"== {m.file}")
            lines.append(f"  {m.metric:<7} {m.kind.upper()}  {m.item}")
            if m.evidence:
                lines.append(f"                 « {m.evidence} »")
        lines.append("")
    if report.per_file or report.corrections is None:  # corrections alone: no gold to score
        lines.append(f"{'metric':<8} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn")
        for m, s in report.scores.items():
            lines.append(f"{m:<8} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}  {s.tp:3d} {s.fp:3d} {s.fn:3d}")
        lines.append(f"{'mean F1':<8} {'':>6} {'':>6} {report.mean_f1:6.3f}")
    s = report.corrections
    if s is not None:
        lines.append(f"corrections: {report.corrections_agree} of {report.corrections_facts} facts as users "
                     f"corrected them ({s.fp} rejected still there, {s.fn} added missing) in "
                     f"{len(report.corrected_files)} file(s); not in the mean")
    return "\n".join(lines)
