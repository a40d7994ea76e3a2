"""The whole job: sources kept apart, a page that breaks kg skipped and named, the run summarised."""

import pytest

from kg.pipeline import extract_sources
from kg.errors import ExtractionError
from kg.vocab import UKG

from conftest import DATA, SEEDS

ARTICLE = (DATA / "site_article.txt").read_text(encoding="utf-8")


def test_same_base_name_in_two_folders_gives_two_article_sets(tmp_path):
    for day in ("day1", "day2"):
        (tmp_path / day).mkdir()
        (tmp_path / day / "page.txt").write_text(ARTICLE, encoding="utf-8")
    g = extract_sources([tmp_path / "day1", tmp_path / "day2"]).graph
    articles = sorted(g.subjects(UKG.sourceFile, None))
    one = extract_sources([tmp_path / "day1"]).graph
    assert len(articles) == 2 * len(list(one.subjects(UKG.sourceFile, None)))
    assert {str(o) for o in g.objects(None, UKG.sourceFile)} == {"page.txt"}  # the contract's base name
    assert {str(o) for o in g.objects(None, UKG.sourcePath)} == {"day1/page.txt", "day2/page.txt"}
    assert any("day1%2Fpage-1" in str(a) for a in articles) and any("day2%2Fpage-1" in str(a) for a in articles)
    assert not list(one.objects(None, UKG.sourcePath))  # no path where the base name is unique


def test_a_page_that_breaks_extraction_is_skipped_and_named(tmp_path, monkeypatch):
    import kg.pages

    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "bad.txt").write_text("某市总工会开展活动。", encoding="utf-8")
    real = kg.pages.extract

    def fragile(article):
        if article.source == "bad.txt":
            raise ValueError("boom")
        return real(article)

    monkeypatch.setattr(kg.pages, "extract", fragile)
    result = extract_sources([tmp_path])
    assert result.files == ["good.txt"]
    assert result.skipped == ["bad.txt: kg failed on this page (ValueError: boom); please report it with the file"]
    with pytest.raises(ExtractionError, match="^bad.txt: kg failed on this page"):
        extract_sources([tmp_path], strict=True)


def test_jobs_give_byte_identical_turtle(monkeypatch):
    import kg.pages
    import kg.pipeline
    from kg.export import to_turtle

    one = kg.pipeline.extract_sources([SEEDS], jobs=1)
    monkeypatch.setattr(kg.pages, "PARALLEL_FROM", 0)  # use the workers even for five pages
    used = []
    real = kg.pipeline.pages_done
    monkeypatch.setattr(kg.pipeline, "pages_done", lambda work, jobs, *a: used.append(jobs) or real(work, jobs))
    two = kg.pipeline.extract_sources([SEEDS], jobs=2)
    assert used == [2]
    assert to_turtle(one.graph) == to_turtle(two.graph)
    assert one.files == two.files and one.sources == two.sources


CORPUS = SEEDS.parent.parent / "shared" / "corpus"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the repository")
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_streamed_build_writes_the_in_memory_turtle(tmp_path, monkeypatch, jobs):
    """kg build spills records and sorted runs to disk; the Turtle is the bytes of the graph held
    whole, for one worker or two, with runs small enough that each holds a few files' triples."""
    import kg.export
    import kg.pages
    import kg.pipeline
    from kg.export import turtle_of

    whole = extract_sources([SEEDS, CORPUS], jobs=1)
    monkeypatch.setattr(kg.pages, "PARALLEL_FROM", 0)
    monkeypatch.setattr(kg.export.SortedTriples.__init__, "__defaults__", (200, "run"))
    monkeypatch.setattr(kg.export.SortedTriples, "MERGE_AT_ONCE", 4)  # and longer runs merged from them
    streamed = kg.pipeline.build([SEEDS, CORPUS], tmp_path / "out", html=False, jobs=jobs)
    assert streamed.sorted.merged > 10
    assert (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8") == turtle_of(whole.triples)
    assert streamed.summary() == whole.summary()
    assert streamed.files == whole.files and streamed.sources == whole.sources
    build_folder = streamed.outputs["turtle"].resolve().parent  # no work files left beside it
    assert [p.name for p in (tmp_path / "out" / ".kg-builds").iterdir()] == [build_folder.name]


def test_jobs_below_one_is_an_error():
    import pytest

    from kg.errors import InputError
    from kg.pipeline import extract_sources

    with pytest.raises(InputError, match="--jobs 0: give 1 or more"):
        extract_sources([SEEDS], jobs=0)


def test_a_dask_cluster_gives_the_same_graph_and_store(tmp_path):
    import pytest

    pytest.importorskip("distributed", reason="dask's distributed is not installed (pip install -e '.[test]')")
    from distributed import LocalCluster

    from kg.export import to_turtle, turtle_of
    from kg.pipeline import build, build_store, extract_sources
    from kg.store import open_store

    local = to_turtle(extract_sources([SEEDS]).graph)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as cluster:
        remote = extract_sources([SEEDS], scheduler=cluster.scheduler_address)
        build_store([SEEDS], tmp_path / "store", scheduler=cluster.scheduler_address)
        streamed = build([SEEDS], tmp_path / "out", html=False, scheduler=cluster.scheduler_address)
    assert to_turtle(remote.graph) == local
    assert (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8") == local
    assert streamed.files == remote.files
    with open_store(tmp_path / "store") as st:
        assert turtle_of(st.triples()) == local


def test_a_scheduler_that_does_not_answer_is_a_one_line_error():
    import pytest

    pytest.importorskip("distributed", reason="dask's distributed is not installed (pip install -e '.[test]')")
    from kg.errors import InputError
    from kg.pipeline import extract_sources

    with pytest.raises(InputError, match="no Dask scheduler answers there"):
        extract_sources([SEEDS], scheduler="tcp://127.0.0.1:9")


def test_a_large_page_is_made_apart_to_the_same_bytes(tmp_path, monkeypatch):
    """A page over VIEW_HERE nodes is made in a fresh process (so that the build's own tables do not add to
    its memory): the same page as one made in the build's process."""
    import kg.pipeline

    here = kg.pipeline.build([SEEDS], tmp_path / "here", jobs=1).outputs["html"].read_bytes()
    monkeypatch.setattr(kg.pipeline, "VIEW_HERE", 10)
    apart = kg.pipeline.build([SEEDS], tmp_path / "apart", jobs=1).outputs["html"].read_bytes()
    assert apart == here and b"firstFrame" in apart
