"""Shared fixtures: the seed pages, one build of them, and small data files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def seeds() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """The seeds built once for the session, outputs written to a temp folder."""
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("build")
    return build([SEEDS], out)


@pytest.fixture(scope="session")
def fixture_graph():
    from kg.export import read_graph

    return read_graph(DATA / "fixture.ttl")


def seed_text(name_prefix: str) -> str:
    path = next(SEEDS.glob(name_prefix + "*.txt"))
    return path.read_text(encoding="utf-8")


os.environ.setdefault("PYTHONHASHSEED", "0")

try:
    from hypothesis import HealthCheck, settings
except ImportError:  # the property tests skip and say so
    pass
else:
    _slow = [HealthCheck.too_slow, HealthCheck.data_too_large]
    settings.register_profile("ci", max_examples=150, deadline=None, derandomize=True, suppress_health_check=_slow)
    settings.register_profile("fuzz", max_examples=5000, deadline=None, suppress_health_check=_slow)
    settings.load_profile("ci")  # `pytest --hypothesis-profile=fuzz` (make fuzz) replaces it
