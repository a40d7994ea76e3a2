"""The records that flow between stages: read → split → extract → graph.

All are frozen dataclasses, so a stage can never change what an earlier one
produced, and all are plain data, so tests can build them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Page:
    """One input file, decoded and normalised."""

    source: str
    """The file's base name, e.g. ``001_69aa9dea666dac39.txt``."""
    text: str
    """The whole text, one character per decoded character of the file (``\\r\\n`` read as space + ``\\n``)."""
    path: str = ""
    """The path the file was read from."""
    encoding: str = "utf-8"
    """The encoding the text was decoded from."""
    key: str = ""
    """The name that tells the file apart in its build: the base name, or, where two files
    share one, as many trailing folders as make it unique (``day1/page.txt``)."""
    sha256: str = ""
    """The hash of the file's bytes."""
    date: str = ""
    """The page's date (``2023-12-25``): from a date in the file name, else ``kg build --date``."""


@dataclass(frozen=True)
class Article:
    """One article cut out of a page."""

    id: str
    """Stable id within the build: ``<source stem>#<n>``."""
    source: str
    """The base name of the file it came from."""
    title: str
    """Its headline (or the first words when it has none)."""
    text: str
    """Body text, paragraphs joined by ``\\n``; headline, byline and captions left out."""
    span: tuple[int, int]
    """Start and end character offsets of the article in the source text."""
    paragraphs: tuple[str, ...] = ()
    """The body paragraphs, in order."""
    kind: str = "article"
    """``article``, ``photo`` (a captioned picture), ``box``, ``fragment`` (text without a
    headline) or ``headline`` (headlines printed away from their body)."""
    headlines: tuple[str, ...] = ()
    """Every headline-like line above the body: kicker, main headline, subtitle."""
    byline: str = ""
    """The byline or dateline as printed, if any."""
    source_key: str = ""
    """The page's :attr:`Page.key` when it differs from ``source`` (two inputs with one base name)."""
    page_date: str = ""
    """The date of the page it was cut from (:attr:`Page.date`), if known."""

    @property
    def full_text(self) -> str:
        """Headlines and body together: what extractors read."""
        return "\n".join((*self.headlines, self.text))


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article with its position."""

    text: str
    """The sentence as written."""
    index: int
    """Its order in the article's full text (headlines first)."""
    paragraph: int
    """Index of the paragraph it belongs to (headlines are paragraph -1)."""
    start: int
    """Offset of the sentence in ``Article.full_text``."""


@dataclass(frozen=True)
class PlaceMention:
    """A named place found in an article."""

    name: str
    """The canonical name (gazetteer full name where known, else as written)."""
    surface: str
    """The string as written."""
    start: int
    """Offset in ``Article.full_text``."""
    level: str
    """``province``, ``city``, ``county``, ``town``, ``village`` or ``venue``."""
    parents: tuple[str, ...] = ()
    """Enclosing places, outermost first, from the text or the gazetteer."""
    how: str = field(default="", compare=False)
    """As a program's place: how it was tied to the program (:data:`kg.extract.programs.links.PLACE_HOWS`)."""
    confidence: float = field(default=1.0, compare=False)
    """As a program's place: the measured precision of that way on annotated news (0-1)."""


@dataclass(frozen=True)
class UnionMention:
    """A trade-union mention, resolved to one canonical full name."""

    name: str
    """Canonical full name, e.g. ``青岛市总工会``."""
    surface: str
    """The string as written, e.g. ``青岛市总``."""
    start: int
    """Offset in ``Article.full_text``."""
    locality: str = ""
    """The union's own place (``青岛市``), when known."""
    locality_parents: tuple[str, ...] = ()
    """Places enclosing the locality, outermost first."""
    from_context: bool = False
    """True when the text gave only a level (``市总``) and the name came from the article's locality."""
    level: str = ""
    """Set while the name is still bare (``市总工会``: the article did not say which city): the level
    (``市``) that the rest of the file may settle."""


@dataclass(frozen=True)
class Amount:
    """A quantity stated in the text."""

    text: str
    """The surface string, e.g. ``超过180万元``."""
    value: Decimal
    """The value in base units (yuan for money)."""
    unit: str
    """``CNY`` for money, else the measure word as written (``名``, ``人次`` …)."""
    start: int
    """Offset in ``Article.full_text``."""
    qualifier: str = ""
    """``approx``, ``atLeast``, ``atMost`` or empty."""
    role: str = ""
    """What kind of sum of money it is (:data:`kg.extract.roles.ROLES`): ``total`` (the program's money),
    ``perUnit``, ``rangeLow``, ``rangeHigh``, ``cumulative``, ``target``, ``received`` or ``part``; empty
    for a count, whose kind is its measure word."""
    per: str = ""
    """What a standard or a range is per (``人``, ``户``, ``个``), where the text says."""
    how: str = field(default="", compare=False)
    """As a program's amount: how it was tied to the program (:data:`kg.extract.programs.links.AMOUNT_HOWS`)."""
    confidence: float = field(default=1.0, compare=False)
    """As a program's amount: the measured precision of that way on annotated news (0-1)."""


@dataclass(frozen=True)
class Program:
    """Something one or more unions run, read from one sentence of one article."""

    label: str
    """How a person would name it, e.g. ``“三述”活动``."""
    article: str
    """The id of the article it was read from."""
    evidence: str
    """The sentence it was read from, as the page writes it (in its script, with what a converter left)."""
    runners: tuple[str, ...] = ()
    """Canonical names of the unions that run it."""
    places: tuple[PlaceMention, ...] = ()
    """Where it happens."""
    amounts: tuple[Amount, ...] = ()
    """Quantities stated for it."""
    date: DateMention | None = None
    """When: the date its sentence gives, else its article's (set by :mod:`kg.resolve`)."""
    node: str = ""
    """The article whose program this is, when an earlier article of the file reported it first
    (set by :mod:`kg.resolve`): both are one program node."""
    confidence: float = 1.0
    """The probability that a careful reader counts it as a program (:mod:`kg.extract.programs.judge`)."""
    sentence: tuple[int, int] | None = None
    """Start and end of its sentence in ``Article.full_text``, where its date is looked for: the
    evidence need not be a piece of the article's text, which is read in simplified script."""
    runner_how: str = ""
    """How its runners were found (:data:`kg.extract.programs.links.RUNNER_HOWS`)."""
    runner_confidence: float = 1.0
    """The measured precision of that way on annotated news (0-1): how sure kg is that they run it."""


@dataclass(frozen=True)
class Extraction:
    """Everything the extractors found in one article."""

    article: Article
    unions: tuple[UnionMention, ...] = ()
    places: tuple[PlaceMention, ...] = ()
    amounts: tuple[Amount, ...] = ()
    programs: tuple[Program, ...] = ()
    dates: tuple[DateMention, ...] = ()
    date: DateMention | None = None
    """The article's date: its dateline or lead, else its page's (set by :mod:`kg.resolve`)."""


@dataclass(frozen=True)
class DateMention:
    """A date as the text writes it, as complete as the text makes it."""

    text: str
    """The surface string, e.g. ``12月22日``."""
    start: int
    """Offset in ``Article.full_text`` (-1: in the byline)."""
    year: int | None = None
    month: int | None = None
    day: int | None = None
    end_of_period: bool = False
    """Written as the end of a period (``到2020年``, ``截至2023年底``): not when a thing happened."""

    @property
    def datatype(self) -> str:
        """``date``, ``gYearMonth`` or ``gYear`` (the XSD type); empty while the year is unknown."""
        if self.year is None:
            return ""
        return "date" if self.day else "gYearMonth" if self.month else "gYear"

    @property
    def lexical(self) -> str:
        """The XSD lexical form: ``2023-12-22``, ``2023-12``, ``2023``; empty while the year is unknown."""
        if self.year is None:
            return ""
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")
        return text
