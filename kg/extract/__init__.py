"""The extractors, registered in one place.

Each extractor is a plain function ``(article, found) -> iterable of records``,
where ``found`` maps the names of the extractors run before it to their
records. They run in the order of :data:`EXTRACTORS`, so a later one (programs)
can use what an earlier one (unions, places, amounts) found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from ..errors import UnknownNameError
from ..types import Article, Extraction
from . import amounts, dates, places, programs, unions

Extractor = Callable[[Article, Mapping[str, tuple]], Iterable]

EXTRACTORS: dict[str, Extractor] = {
    "places": places.extract,
    "unions": unions.extract,
    "amounts": amounts.extract,
    "programs": programs.extract,
    "dates": dates.extract,
}
"""Every extractor, by name, in the order they run."""


def get_extractor(name: str) -> Extractor:
    """The extractor called ``name``; the error lists the valid names."""
    try:
        return EXTRACTORS[name]
    except KeyError:
        raise UnknownNameError(
            f"no extractor named {name!r}; choose one of: {', '.join(EXTRACTORS)}"
        ) from None


def extract(article: Article, names: Sequence[str] | None = None) -> Extraction:
    """Run the named extractors (all by default) over one article."""
    chosen = {name: get_extractor(name) for name in (names if names is not None else EXTRACTORS)}
    found: dict[str, tuple] = {}
    for name in EXTRACTORS:
        if name in chosen:
            found[name] = tuple(chosen[name](article, found))
    return Extraction(
        article=article,
        unions=found.get("unions", ()),
        places=found.get("places", ()),
        amounts=found.get("amounts", ()),
        programs=found.get("programs", ()),
        dates=found.get("dates", ()),
    )
