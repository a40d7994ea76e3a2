"""Namespaces of the graph. ``UKG`` is closed: a misspelt term raises at import time of the caller.

The terms and their meaning are the public contract (``CONTRACT.md``);
``kg/ontology.ttl`` declares each one with labels and alignments.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

__all__ = ["UKG", "KGR", "PROV", "RDF", "RDFS", "SKOS", "XSD", "PREFIXES"]


class UKG(DefinedNamespace):
    """The ukg ontology: https://w3id.org/ukg/ontology#"""

    _NS = Namespace("https://w3id.org/ukg/ontology#")
    _fail = True

    Article: URIRef
    Union: URIRef
    Program: URIRef
    Place: URIRef
    Amount: URIRef
    Correction: URIRef

    sourceFile: URIRef
    mentionedIn: URIRef
    runs: URIRef
    inPlace: URIRef
    partOf: URIRef
    locatedIn: URIRef
    amount: URIRef
    value: URIRef
    unit: URIRef
    text: URIRef
    qualifier: URIRef
    amountRole: URIRef
    per: URIRef
    evidence: URIRef
    span: URIRef
    kind: URIRef
    sourcePath: URIRef
    date: URIRef
    dateText: URIRef
    adcode: URIRef
    confidence: URIRef
    runnerConfidence: URIRef
    action: URIRef
    correctsFile: URIRef
    adds: URIRef
    removes: URIRef


KGR = Namespace("https://w3id.org/ukg/id/")
"""Where resource IRIs live; minted only by :mod:`kg.graph`."""

PREFIXES = {
    "ukg": str(UKG._NS),
    "kgr": str(KGR),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "prov": str(PROV),
    "xsd": str(XSD),
    "rdf": str(RDF),
}
