"""A program's and a union's money: totals that add only ``total`` amounts, each once.

Every place kg shows money (the explorer's table, details and map, the CSV tables,
``kg stats``, :func:`kg.to_networkx`) reads it here, so they agree with each other and
with the saved queries: a program's money is the sum of its ``ukg:amountRole "total"``
amounts in yuan, empty when it has none; a union's is the sum over its programs, an
amount two programs share counted once. Standards, range ends, sums over years,
targets, money received and shares of a total are shown as what they are
(``每人500元``, ``800–7000元``, ``累计超过180万元``), never added.

An amount is a mapping with ``iri``, ``text``, ``value`` (lexical), ``unit``, ``role``
and ``per``, as :func:`kg.network.to_networkx` gives a program's amounts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

STANDARD_ROLES = ("perUnit", "rangeLow", "rangeHigh")
"""Roles shown as a standard: what one person, household or workshop gets."""
OTHER_ROLES = ("cumulative", "target", "received", "part")
"""Roles shown beside the money: not spent on the program by its union, or not only."""
_PREFIX = {"cumulative": "累计", "target": "计划", "received": "收到", "part": "其中"}


def _value(amount: Mapping) -> Decimal | None:
    try:
        return Decimal(str(amount.get("value", "")))
    except InvalidOperation:
        return None


def _yuan(amounts: Iterable[Mapping], roles: tuple[str, ...]) -> list[Mapping]:
    """The CNY amounts with one of ``roles``, each statement once (by IRI), in a stable order."""
    seen: dict[str, Mapping] = {}
    for a in amounts:
        if a.get("unit") == "CNY" and a.get("role") in roles and _value(a) is not None:
            seen.setdefault(a.get("iri") or f"{a.get('text')}|{a.get('value')}", a)
    return [seen[k] for k in sorted(seen)]


def total(amounts: Iterable[Mapping]) -> Decimal | None:
    """The sum of the ``total`` amounts in yuan, each statement once; None when there is none."""
    chosen = _yuan(amounts, ("total",))
    return sum((_value(a) for a in chosen), Decimal(0)) if chosen else None


def _written(a: Mapping) -> str:
    text = str(a.get("text", ""))
    return text if "元" in text else text + "元"


def standards(amounts: Iterable[Mapping]) -> list[str]:
    """Standards as written: ``每人500元``, ``800–7000元/户`` (a range's ends paired in order of value)."""
    chosen = _yuan(amounts, STANDARD_ROLES)
    out = []
    for a in chosen:
        if a["role"] == "perUnit":
            per = a.get("per", "")
            out.append(f"每{per}{_written(a)}" if per else f"{_written(a)}（标准）")
    lows = sorted((a for a in chosen if a["role"] == "rangeLow"), key=_value)
    highs = sorted((a for a in chosen if a["role"] == "rangeHigh"), key=_value)
    for i in range(max(len(lows), len(highs))):
        low, high = (lows[i] if i < len(lows) else None), (highs[i] if i < len(highs) else None)
        per = (low or {}).get("per") or (high or {}).get("per") or ""
        ends = "–".join(_written(x).removesuffix("元") for x in (low, high) if x is not None)
        out.append(f"{ends}元" + (f"/{per}" if per else ""))
    return out


def others(amounts: Iterable[Mapping]) -> list[str]:
    """Money that is no part of the program's total, said as what it is: ``累计超过180万元``, ``计划…``."""
    chosen = _yuan(amounts, OTHER_ROLES)
    order = {r: i for i, r in enumerate(OTHER_ROLES)}
    return [_PREFIX[a["role"]] + _written(a) for a in sorted(chosen, key=lambda a: order[a["role"]])]


def programs_total(programs: Iterable[Iterable[Mapping]]) -> Decimal | None:
    """The money of several programs (a union's, a place's): their ``total`` amounts, an amount two of them
    share counted once."""
    return total(a for amounts in programs for a in amounts)


def as_float(value: Decimal | None) -> float | None:
    """A total for JSON and CSV: a float, or None when there is none."""
    return None if value is None else float(value)


__all__ = ["STANDARD_ROLES", "OTHER_ROLES", "total", "standards", "others", "programs_total", "as_float"]
