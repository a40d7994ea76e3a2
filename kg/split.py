"""Cut a :class:`~kg.types.Page` into :class:`~kg.types.Article` records.

A newspaper page is a run of paragraphs (one per line) in which several
articles, photos with captions and boxes are interleaved, and where a column
break may cut a word in two. The splitter works in three passes:

1. **paragraphs**: non-blank lines with their character spans; verbatim
   repeats of an earlier paragraph (a scanner artefact) are dropped.
2. **classify**: each paragraph is a headline, a byline, a photo credit, a
   box label (``阅读提示``) or body text.
3. **group**: headlines open an article, bylines and body fill it, credits
   close a photo. Body text that lacks its final punctuation *dangles*: the
   next body paragraph that completes a word across the break (``青`` /
   ``岛市总``), checked with jieba, is joined to it, even when other articles
   stand in between.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .gazetteer import divisions_in, gazetteer
from .nlp import word_across
from .types import Article, Page, Sentence

_FINAL = "。！？…；!?"
_CLOSERS = "”’」』）)"

BYLINE = re.compile(
    r"^(本报讯|[\u4e00-\u9fff]{1,10}讯(?=\s*（)|本报[^\s（]{1,12}电|"
    r"[\u4e00-\u9fff]{2,10}\d{1,2}月\d{1,2}日电|新华社[^\s（]{0,12}电|据[^\s（]{1,8}报道)"
    r"\s*(（[^）]{0,40}）)?\s*"
)
"""A byline that opens a paragraph: ``本报讯（记者… 通讯员…）``, ``本报福州10月25日电（…）``,
``新华网南京3月5日电（…）``."""

BYLINE_LINE = re.compile(
    r"^((本报|新华社|特约|实习)?(记者|通讯员|实习生|评论员)[\s\u4e00-\u9fff·]{1,30}){1,4}$"
)
"""A byline on a line of its own: ``本报记者 刘建林 本报通讯员 贺芳芳``."""

CREDIT = re.compile(
    r"((本报|新华社|特约|记者|通讯员|摄影)[\s\u4e00-\u9fff·]{0,24}\s*(摄|报|供图)"
    r"|\s[\u4e00-\u9fff·]{2,4}\s*/\s*摄|/\s*[\u4e00-\u9fff·]{2,4}\s*(摄|供图))$"
)
"""A photo credit at the end of a caption: ``本报通讯员 胡小龙 摄``, ``/ 李明 摄``, ``/ 梧桐 供图``."""

SIGNATURE = re.compile(r"[（(][\u4e00-\u9fff·]{2,4}(\s+[\u4e00-\u9fff·]{2,4}){0,3}[)）]$")
"""A signature closing an article: ``（张葳）``."""

BOX_LABELS = ("阅读提示", "核心提示", "编者按", "链接")

META = re.compile(
    r"^(?:(?:作者|来源|编辑|责任编辑|责编|审核|审校|校对|日期|时间|发布时间|发布日期|图片|图|文字|文|摄影|摄像|制作|"
    r"出品|监制|策划|记者|通讯员)\s*[:：/]|[（(]?(?:据|转自|来自|本文来源)?《[^》]{2,12}》[（(]?\d{4}|"
    r"[（(](?:记者|通讯员)[^）)]{1,30}[）)]$|[^。，！？]{2,30}(?:摄影报道|报道|供稿)$|"
    r"[^。！？]{0,40}?(?:来源|稿源)\s*[:：]|[^。！？]{0,40}?\s(?:www\.|https?://)|"
    r"(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*(?:\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?\s*)$)"
)
"""A credit or trailer line of a web article: ``作者：张华``, ``来源：临江新闻网 2022-01-25``,
``《工人日报》（2020年03月16日 02版）``, ``文/临江日报记者 李明``, ``（记者 张华）``, a site's line
naming its source or address after its name (``X网 www.x.cn 2019年03月05日 来源：Y报``), a date and time
alone (``2024-05-10 08:30:00``). It stays
with its article (its place names can settle a bare ``市总工会``) and is neither headline nor body."""


@dataclass
class _Para:
    text: str
    start: int
    end: int
    kind: str = "body"


@dataclass
class _Draft:
    heads: list[_Para] = field(default_factory=list)
    body: list[_Para] = field(default_factory=list)
    byline: str = ""
    kind: str = "article"
    closed: bool = False
    resumed: bool = False
    """Taken up again after other stories (a column break's second half): a headline after it starts another."""

    @property
    def dangling(self) -> bool:
        return bool(self.body) and not ends_sentence(self.body[-1].text)


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends with sentence-final punctuation (closing quotes aside)."""
    t = text.rstrip().rstrip(_CLOSERS)
    return bool(t) and t[-1] in _FINAL


def paragraphs(text: str) -> list[_Para]:
    """Non-blank lines of ``text`` with spans; verbatim repeats dropped."""
    out: list[_Para] = []
    seen: set[str] = set()
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        if len(stripped) >= 8 and stripped in seen:
            continue
        seen.add(stripped)
        lead = len(line) - len(line.lstrip())
        out.append(_Para(stripped, start + lead, start + lead + len(stripped)))
    return out


_DATELINE = re.compile(r"^[^，。]{0,12}?(\d{1,2}月\d{1,2}日|本报|记者|通讯员|近日|日前|近期|据悉)")
"""How a news story's first paragraph opens: a date, a byline, 近日."""


_CREDITS = re.compile(r"^[\u4e00-\u9fff]{1,5}\s*[:：]\s*[^\s:：]{1,20}(\s+[\u4e00-\u9fff]{1,5}\s*[:：]\s*[^\s:：]{1,20}){1,4}$")
"""A line of credits, each a role and a name (``撰稿：某某   审核：某某   来源：某区总工会``): who wrote
and checked the article, whatever the roles are called."""


SPEAKER = re.compile(r"^[\u4e00-\u9fff（）()]{2,24}[\s·]+[\u4e00-\u9fff·]{2,5}[:：]$")
"""A speaker line before a quotation (``某公司员工 张三：``): part of its article's body, not a headline."""


def _classify(p: _Para) -> str:
    t = p.text
    if t in BOX_LABELS:
        return "box"
    if len(t) <= 60 and (META.match(t) or _CREDITS.match(t)) and "。" not in t:
        return "meta"
    if SPEAKER.match(t):
        return "body"
    if SIGNATURE.fullmatch(t):
        return "signature"
    if t.startswith("#"):
        return "head"
    if CREDIT.search(t):
        return "credit" if len(t) <= 30 else "caption"
    if BYLINE_LINE.match(t) and len(t) <= 40:
        return "byline"
    if BYLINE.match(t) or "。" in t:
        return "body"
    if not ends_sentence(t) and (len(t) <= 40 or t.endswith("——")):
        return "head"
    return "body"


def classify(paras: list[_Para]) -> None:
    """Set each paragraph's kind, looking one paragraph ahead where the line alone is ambiguous.

    A line without final punctuation is a headline when a byline follows it, and
    body text cut by a column break when the next line completes a word across
    the break or opens with the last word or two of its sentence (``来。``).
    """
    for p in paras:
        p.kind = _classify(p)
    for k, p in enumerate(paras):
        # a web title may end in ！: a short line with no 。, first or after a non-body line
        if (p.kind == "body" and len(p.text) <= 40 and p.text.rstrip("”’").endswith(("！", "!"))
                and "。" not in p.text and (k == 0 or paras[k - 1].kind != "body")):
            p.kind = "head"
    for k, (p, nxt) in enumerate(zip(paras, paras[1:])):
        if p.kind not in ("head", "body") or ends_sentence(p.text) or p.text.startswith("#"):
            continue
        if nxt.kind == "byline" or BYLINE.match(nxt.text):
            p.kind = "head"
        elif p.kind == "head" and nxt.kind == "body" and (
                word_across(p.text, nxt.text)
                or re.match(r"^[\u4e00-\u9fff]{1,3}[。，！？]", nxt.text) and not _DATELINE.match(nxt.text)):
            p.kind = "body"  # the next line finishes this one's sentence: 项目中 / 来。
        elif p.kind == "head" and nxt.kind == "body" and "，" in p.text and _continues_earlier(paras, k, nxt):
            p.kind = "body"  # what follows goes on with another story (…一起，感 / 受到…): no headline of its own


_LOOK_BACK = 40
"""How many paragraphs back a line cut by a column break is looked for."""


def _continues_earlier(paras: list[_Para], k: int, nxt: _Para) -> bool:
    """Whether ``nxt`` finishes a word an earlier body paragraph (before ``paras[k]``) leaves cut."""
    return any(q.kind == "body" and not ends_sentence(q.text) and word_across(q.text, nxt.text)
               for q in paras[max(0, k - _LOOK_BACK) : k])


_SUBHEAD_MAX = 16
_ALONE_MAX = 24


def _is_subhead(cur: _Draft, paras: list[_Para], i: int, alone: bool = False) -> bool:
    """A short headline inside a bylined article (or inside the only story so far, ``alone``: a web
    article's section titles and uncredited photo captions, up to 24 characters), followed by body text
    that is not a photo caption nor a new story's lead (a dateline, or a place the story has not named)."""
    if not (cur.byline or alone) or len(paras[i].text) > (_ALONE_MAX if alone else _SUBHEAD_MAX):
        return False
    following = paras[i + 1 : i + 5]
    if not following or following[0].kind != "body" or BYLINE.match(following[0].text):
        return False
    if not cur.byline and (_DATELINE.match(following[0].text) or _new_places(cur, paras[i].text + following[0].text)):
        return False
    for q in following:
        if q.kind in ("credit", "caption"):
            return False
        if q.kind != "body":
            break
    return True


def _new_places(cur: _Draft, text: str) -> bool:
    """Whether ``text`` names a place the draft so far does not: another story's, not a section of this one."""
    named, _ = _named_and_enclosing(text)
    if not named:
        return False
    had, enclosing = _named_and_enclosing("".join(p.text for p in cur.heads + cur.body))
    return bool(named - had - enclosing)


def _join(a: _Para, b: _Para) -> _Para:
    return _Para(a.text + b.text, a.start, b.end, a.kind)


_REACH = 64
"""How many drafts back a column break may be continued: a page prints a story's next
column a few articles later, not a hundred. The bound keeps splitting linear in page size."""
_REACH_DANGLING = 8


def _attach_fragment(drafts: list[_Draft], p: _Para) -> _Draft | None:
    """The recent draft whose dangling last paragraph ``p`` completes, if any."""
    tried = 0
    for d in reversed(drafts[-_REACH:]):
        if d.dangling:
            if word_across(d.body[-1].text, p.text):
                return d
            tried += 1
            if tried == _REACH_DANGLING:
                break
    return None


class _Splitter:
    """The grouping pass: one method per paragraph kind, over the drafts made so far."""

    def __init__(self, paras: list[_Para]):
        self.paras = paras
        self.drafts: list[_Draft] = []
        self.cur: _Draft | None = None
        self.in_box = False

    def _start(self, kind: str = "article", force: bool = False) -> _Draft:
        """The current draft if it still waits for its body, else a new one."""
        cur = self.cur
        if force or cur is None or cur.body or cur.closed:
            if cur is not None:
                cur.closed = True
            cur = _Draft(kind=kind)
            self.drafts.append(cur)
            self.cur = cur
        return cur

    def run(self) -> list[_Draft]:
        for i, p in enumerate(self.paras):
            if p.kind == "box":
                self.box(p)
            elif self.in_box and p.kind in ("body", "head") and self.cur is not None:
                self.box_text(p)
            else:
                self.in_box = False
                getattr(self, p.kind)(p, i)
        return self.drafts

    def box(self, p: _Para) -> None:
        self.in_box = True
        self._start("box").heads.append(p)

    def box_text(self, p: _Para) -> None:
        self.in_box = False
        self.cur.body.append(p)
        if self.cur.kind == "box":
            self.cur.closed = True

    def head(self, p: _Para, i: int) -> None:
        cur = self.cur
        if cur is not None and cur.dangling and word_across(cur.body[-1].text, p.text):
            cur.body[-1] = _join(cur.body[-1], p)  # a column break cut a body paragraph
        elif (cur is not None and cur.body and not cur.closed and not cur.resumed
              and _is_subhead(cur, self.paras, i, alone=len(self.drafts) == 1)):
            cur.body.append(_Para(p.text + "。", p.start, p.end, "subhead"))
        else:
            self._start().heads.append(p)

    def byline(self, p: _Para, i: int) -> None:
        cur = self.cur
        nxt = self.paras[i + 1] if i + 1 < len(self.paras) else None
        if cur is not None and cur.body and (nxt is None or nxt.kind in ("head", "byline", "meta")):
            cur.byline = (cur.byline + " " + p.text).strip()  # a trailer: 通讯员 蒋文友 刘欣
            cur.closed = True
            return
        if cur is None or cur.body or cur.closed:
            # a byline without headlines belongs to a headed article still waiting for one
            waiting = next((d for d in reversed(self.drafts)
                            if d.heads and not d.byline and d.kind == "article"), None)
            if waiting is None:
                cur = self._start(force=True)
            else:
                if self.cur is not None:
                    self.cur.closed = True
                cur, self.cur, waiting.closed = waiting, waiting, False
        cur.byline = (cur.byline + " " + p.text).strip()

    def meta(self, p: _Para, i: int) -> None:
        cur = self.cur if self.cur is not None else self._start()
        cur.byline = (cur.byline + " " + p.text).strip()

    def signature(self, p: _Para, i: int) -> None:
        if self.cur is not None:
            self.cur.closed = True

    def credit(self, p: _Para, i: int) -> None:
        cur = self.cur
        if cur is not None:
            if cur.body and len(cur.body) <= 2 and not cur.byline:
                cur.kind = "photo"
            cur.closed = True

    def caption(self, p: _Para, i: int) -> None:
        cur = self._start("photo")
        cur.kind = "photo"
        cur.body.append(_Para(CREDIT.sub("", p.text).rstrip(), p.start, p.end))
        cur.closed = True

    def body(self, p: _Para, i: int) -> None:
        cur = self.cur
        awaiting_body = cur is not None and not cur.closed and not cur.body
        owner = None if awaiting_body else _attach_fragment(self.drafts, p)
        if owner is not None:
            owner.body[-1] = _join(owner.body[-1], p)
            if cur is not None and cur is not owner:
                cur.closed = owner.resumed = True
            self.cur, owner.closed = owner, False
            return
        if cur is not None and cur.dangling and not cur.closed:
            cur.body[-1] = _join(cur.body[-1], p)
            return
        if cur is None or cur.closed:
            cur = self._start("fragment", force=True)
        m = BYLINE.match(p.text)
        if m and not cur.body:
            cur.byline = (cur.byline + " " + m.group(0)).strip()
        cur.body.append(p)
        if SIGNATURE.search(p.text):
            cur.closed = True


def _named_and_enclosing(text: str) -> tuple[set[str], set[str]]:
    """Names of the divisions ``text`` names, and of the divisions enclosing them."""
    g = gazetteer()
    found = [d for _i, _surface, d in divisions_in(text)]
    return {d.name for d in found}, {p.name for d in found for p in g.parents(d)}


def _places_of(text: str) -> set[str]:
    """Names of the divisions ``text`` names, with the divisions enclosing them."""
    named, enclosing = _named_and_enclosing(text)
    return named | enclosing


def _split_stray_headlines(drafts: list[_Draft]) -> list[_Draft]:
    """Give headlines of another article their own draft.

    A page may print one article's headlines right above another's (its body
    is elsewhere). When an earlier headline names places the body never names,
    and a later headline names the body's places, the earlier ones are split off.
    """
    out: list[_Draft] = []
    for d in drafts:
        if len(d.heads) >= 2 and d.body:
            body = _places_of("".join(p.text for p in d.body[:2]))
            heads = [_places_of(h.text) for h in d.heads]
            stray = next((i for i, h in enumerate(heads) if h and not h & body), None)
            anchor = next((i for i, h in enumerate(heads) if h & body and stray is not None and i > stray), None)
            if anchor is not None:
                out.append(_Draft(heads=d.heads[:anchor], kind="headline", closed=True))
                d.heads = d.heads[anchor:]
        out.append(d)
    return out


_BODY_REACH = 6
"""How many stories after a lone headline its body is looked for in (a page prints it nearby)."""
_MID_SENTENCE = re.compile(r"[\u4e00-\u9fff]{1,4}[，,、]")
"""A paragraph that opens mid-sentence (况，县总工会…): it goes on from the one before it."""


def _join_stray_bodies(drafts: list[_Draft]) -> list[_Draft]:
    """Give a headline printed apart from its body that body back.

    A page may print a headline in one place and its story's body under another
    story's. When the headline names places, and a later story's paragraphs from
    some point on name them and never again that story's own places, those
    paragraphs are the headline's body."""
    places: dict[int, set[str]] = {}

    def of(p: _Para) -> set[str]:
        if id(p) not in places:
            places[id(p)] = _places_of(p.text)
        return places[id(p)]

    for n, h in enumerate(drafts):
        if h.kind != "headline" or h.body:
            continue
        want = _specific(" ".join(p.text for p in h.heads))
        for e in drafts[n + 1 : n + 1 + _BODY_REACH] if want else ():
            if e.kind not in ("article", "fragment") or len(e.body) < 2:
                continue
            own = _specific(" ".join(p.text for p in e.heads[-2:] + e.body[:1])) - want
            if not own:
                continue
            last_own = max((k for k, p in enumerate(e.body) if of(p) & own), default=0)
            cut = next((j for j in range(last_own + 1, len(e.body)) if of(e.body[j]) & want), None)
            while cut is not None and cut - 1 > last_own and _MID_SENTENCE.match(e.body[cut - 1].text) \
                    and ends_sentence(e.body[cut - 2].text):
                cut -= 1  # 况，县总工会出台…: it opens mid-sentence, so it goes on from no paragraph of this story
            if cut is not None:
                h.body, e.body, h.kind = e.body[cut:], e.body[:cut], "article"
                break
    return drafts


def _specific(text: str) -> set[str]:
    """The divisions ``text`` names, less those that enclose another it names."""
    named, enclosing = _named_and_enclosing(text)
    return named - enclosing


def split(page: Page) -> list[Article]:
    """Cut ``page`` into articles, in page order."""
    paras = paragraphs(page.text)
    classify(paras)
    drafts = _join_stray_bodies(_split_stray_headlines(_Splitter(paras).run()))
    return [a for n, d in enumerate(drafts) if (a := _finish(page, d, n)) is not None]


def _title(heads: list[str]) -> str:
    heads = [h.lstrip("#").strip() for h in heads if h not in BOX_LABELS]
    if not heads:
        return ""
    if len(heads) >= 3 and not heads[1].endswith("——"):
        return heads[1]
    plain = [h for h in heads if not h.endswith("——")]
    return plain[0] if plain else heads[0]


def _finish(page: Page, d: _Draft, n: int) -> Article | None:
    body = [p.text for p in d.body]
    if body:
        m = BYLINE.match(body[0])
        if m:
            body[0] = body[0][m.end():]
        body[-1] = SIGNATURE.sub("", body[-1]).rstrip()
        body = [b for b in body if b]
    heads = tuple(h.text.lstrip("#").strip() for h in d.heads if h.text not in BOX_LABELS)
    if not body and not heads:
        return None
    kind = d.kind
    if kind == "article" and not heads:
        kind = "fragment"
    spans = [p.start for p in d.heads + d.body] + [p.end for p in d.heads + d.body]
    title = _title(list(heads)) or (body[0][:24] + "…" if body else "")
    key = page.key or page.source
    stem = key.rsplit(".", 1)[0]
    return Article(
        id=f"{stem}#{n + 1}",
        source=page.source,
        title=title,
        text="\n".join(body),
        span=(min(spans), max(spans)),
        paragraphs=tuple(body),
        kind=kind,
        headlines=heads,
        byline=d.byline,
        source_key=key if key != page.source else "",
        page_date=page.date,
    )


_SENT_END = re.compile(r"[。！？!?；]+[”’」』]?|\n")


def sentences(article: Article) -> list[Sentence]:
    """Sentences of the article's full text (headlines first), with offsets."""
    text = article.full_text
    out: list[Sentence] = []
    para = -len(article.headlines)
    start = 0
    for m in _SENT_END.finditer(text + "\n"):
        end = m.end() if m.group(0) != "\n" else m.start()
        s = text[start:end]
        if s.strip():
            lead = len(s) - len(s.lstrip())
            out.append(Sentence(s.strip(), len(out), max(para, -1), start + lead))
        if m.group(0) == "\n" or end >= len(text):
            para += 1 if m.group(0) == "\n" else 0
        start = m.end()
    return out
