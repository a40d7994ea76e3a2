"""Errors raised by kg. Every one derives from :class:`KgError`.

    KgError                      base class; the CLI prints its message and exits 1
    ├── InputError               a source path or file that cannot be used
    │   ├── MissingPathError     the path does not exist
    │   └── UnreadableFileError  binary, empty, too large or undecodable
    ├── ExtractionError          kg failed on a page (with --strict; otherwise the page is skipped)
    ├── UnknownNameError         a registry lookup (extractor, saved query, format) failed
    ├── QueryError               a SPARQL query that does not parse or run
    │   └── QueryRefusedError    an update, or a query that would reach outside the graph (SERVICE, FROM)
    ├── GraphFileError           a graph file that cannot be parsed
    ├── GoldFileError            an annotation file that is not ukg-gold/1
    ├── OutputError              an output folder or file that cannot be written
    ├── ServeError               the SPARQL service could not start
    └── BrowseError              a request the served explorer's API cannot answer

Messages are one line, name the file or value at fault and say what to do.
"""

from __future__ import annotations


class KgError(Exception):
    """Base class of every error kg raises on purpose."""


class InputError(KgError):
    """A source path or file that cannot be used."""


class MissingPathError(InputError):
    """A path given on the command line does not exist."""


class UnreadableFileError(InputError):
    """A file that exists but cannot be read as text."""


class ExtractionError(KgError):
    """Splitting or extraction raised on a page: a bug in kg, reported with the page's name."""


class UnknownNameError(KgError):
    """A name looked up in a registry does not exist; the message lists the valid ones."""


class QueryError(KgError):
    """A SPARQL query that does not parse or fails to run."""


class QueryRefusedError(QueryError):
    """A query kg will not run: an update, or one that would make the engine fetch (SERVICE, FROM).

    ``status`` is the HTTP status ``kg serve`` answers it with (403 for an update, else 400).
    """

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status
        self.message = message


class GraphFileError(KgError):
    """A graph file that cannot be read."""


class GoldFileError(KgError):
    """An annotation file that does not follow ukg-gold/1."""


class OutputError(KgError):
    """An output folder or file that cannot be written (permissions, a file in the way, a full disk)."""


class ServeError(KgError):
    """The SPARQL service could not be started or stopped."""


class BrowseError(KgError):
    """A request the served explorer's API (:mod:`kg.browse`) cannot answer: a parameter it does not take
    or out of range (``status`` 400), a node the graph does not have (404), a table still being read (503)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def one_line(e: BaseException, limit: int = 300) -> str:
    """An exception's message on one line, cut at ``limit`` characters (its type when it has none)."""
    return " ".join(str(e).split())[:limit] or type(e).__name__


def engine_message(e: BaseException, limit: int = 200) -> str:
    """A SPARQL engine's error in one readable line: Oxigraph's parser lists every character class it
    expected (``expected one of ['%'], ['-' | '0' ..= '9' | …``); those are cut, and an unknown prefix
    is said as such."""
    text = one_line(e, 100_000)
    where, found, expected = text.partition(": expected one of ")
    if not found:
        return text[:limit]
    if "Prefix not found" in expected:
        return f"{where}: a prefix no PREFIX line declares; add PREFIX p: <iri>"[:limit]
    words = [w.strip() for w in expected.split("[", 1)[0].split(",") if w.strip()]
    more = ", …" if "[" in expected else ""
    return (f"{where}: expected one of {', '.join(words)}{more}" if words else f"{where}: unexpected input")[:limit]
