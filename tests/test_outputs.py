"""A build's outputs are one set: checked before work starts, all new or all old after a kill or a full disk."""

import errno
import hashlib
import json
import os
import signal
import subprocess
import sys

import pytest

from kg.errors import OutputError
from kg.outputs import MANIFEST, OutputSet, atomic_write

from conftest import DATA, ROOT

PAGE = DATA / "site_article.txt"


def _hashes(d):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in d.iterdir() if p.is_file()}


def _build(out, *extra):
    from kg.cli import main

    return main(["build", str(PAGE), "-o", str(out), "-q", *map(str, extra)])


def test_manifest_records_every_file_and_source(tmp_path):
    assert _build(tmp_path / "out") == 0
    out = tmp_path / "out"
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["format"] == "kg-build/1"
    assert set(manifest["files"]) == {"graph.ttl", "ontology.ttl", "graph.html"}
    for name, entry in manifest["files"].items():
        assert entry["sha256"] == hashlib.sha256((out / name).read_bytes()).hexdigest()
    assert manifest["sources"] == [{"file": "site_article.txt",
                                    "sha256": hashlib.sha256(PAGE.read_bytes()).hexdigest()}]


def test_files_get_ordinary_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        _build(tmp_path / "out")
        atomic_write(tmp_path / "view.html", "<html></html>")
    finally:
        os.umask(old)
    for p in [*(tmp_path / "out").iterdir(), tmp_path / "view.html"]:
        assert p.stat().st_mode & 0o777 == 0o644, p


@pytest.mark.parametrize("setup, message", [
    ("file", "is a file, not a folder; give -o a folder"),
    ("under-file", "a part of this path is a file, not a folder; choose another -o"),
])
def test_output_in_the_way_is_an_error_before_extraction(tmp_path, capsys, monkeypatch, setup, message):
    import kg.pipeline

    monkeypatch.setattr(kg.pipeline, "extract", lambda *a: pytest.fail("extraction ran before the output check"))
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    out = blocker if setup == "file" else blocker / "out"
    assert _build(out) == 1
    err = capsys.readouterr().err
    assert err == f"kg: error: {out}: {message}\n"


def test_unwritable_folder_is_an_error_before_extraction(tmp_path, capsys, monkeypatch):
    import kg.pipeline
    import kg.outputs

    monkeypatch.setattr(kg.pipeline, "extract", lambda *a: pytest.fail("extraction ran before the output check"))

    def refuse(path, data):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(kg.outputs, "_write_new", refuse)  # root ignores chmod, so refuse at the write
    assert _build(tmp_path / "out") == 1
    assert capsys.readouterr().err == (f"kg: error: {tmp_path / 'out'}: cannot write it (permission denied); "
                                       "choose another -o or fix its permissions\n")


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root writes anywhere")
def test_read_only_folder_really_refused(tmp_path, capsys):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        assert _build(ro) == 1
        assert "permission denied" in capsys.readouterr().err
    finally:
        ro.chmod(0o700)


def test_full_disk_leaves_the_old_set_untouched(tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    assert _build(out) == 0
    before = _hashes(out)
    import kg.outputs

    real = os.write
    calls = {"n": 0}

    def full(fd, data):
        calls["n"] += 1
        if calls["n"] > 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, data)

    monkeypatch.setattr(kg.outputs.os, "write", full)
    (tmp_path / "other.txt").write_text("山西省总工会开展“送温暖”活动，下拨资金300万元。", encoding="utf-8")
    from kg.cli import main

    assert main(["build", str(tmp_path / "other.txt"), "-o", str(out), "-q"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"kg: error: {out}/") and "no space left on the device" in err and err.count("\n") == 1
    assert _hashes(out) == before
    assert not list(out.glob(".kg-staging-*"))


@pytest.mark.parametrize("stage", ["runs", "graph.ttl"])
def test_full_disk_in_the_graph_writer_is_one_line(tmp_path, capsys, monkeypatch, stage):
    """pyoxigraph writes the sorted runs and the Turtle itself; its OSError carries the error number
    only in its message, and must still read as a full disk."""
    out = tmp_path / "out"
    assert _build(out, "--no-html") == 0
    before = _hashes(out)
    import kg.export

    def full(*a, **k):
        raise OSError("No space left on device (os error 28)")

    monkeypatch.setattr(kg.export.SortedTriples, "write_turtle" if stage == "graph.ttl" else "_spill", full)
    monkeypatch.setattr(kg.export.SortedTriples.__init__, "__defaults__", (1, "run"))  # a run per file
    assert _build(out, "--no-html") == 1
    err = capsys.readouterr().err
    where = f"{out}/graph.ttl" if stage == "graph.ttl" else f"{out}"
    assert err == f"kg: error: {where}: no space left on the device; free some and run again " \
                  "(the previous outputs are untouched)\n"
    assert _hashes(out) == before
    assert not list(out.glob(".kg-staging-*"))


def test_a_kill_between_renames_is_rolled_forward(tmp_path):
    """A real SIGKILL after the first rename: the next build finishes the set, nothing mixed survives."""
    out = tmp_path / "out"
    assert _build(out, "--no-html") == 0
    code = (
        "import os, signal, sys\n"
        "import kg.outputs\n"
        "real = os.replace\n"
        "def replace(a, b):\n"
        "    real(a, b)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "kg.outputs.os.replace = replace\n"
        "from kg.cli import main\n"
        f"main(['build', {str(DATA / 'signed_article.txt')!r}, '-o', {str(out)!r}, '-q'])\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True)
    assert done.returncode == -signal.SIGKILL
    staged = list(out.glob(".kg-staging-*"))
    assert len(staged) == 1 and (staged[0] / MANIFEST).is_file()  # cut off while renaming

    with OutputSet(out) as o:  # the next build into the folder completes the cut-off one first
        assert o.staging is not None
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["sources"][0]["file"] == "signed_article.txt"
    for name, entry in manifest["files"].items():
        assert entry["sha256"] == hashlib.sha256((out / name).read_bytes()).hexdigest(), name
    assert "graph.html" in manifest["files"] and (out / "graph.html").is_file()
    assert not list(out.glob(".kg-staging-*"))


def test_unfinished_staging_and_stale_temp_files_are_removed(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".kg-staging-999-dead").mkdir()
    (out / ".kg-staging-999-dead" / "graph.ttl").write_text("half")
    (out / ".graph.html.1a2b3c4d.tmp").write_text("half")
    assert _build(out) == 0
    assert sorted(p.name for p in out.iterdir()) == ["graph.html", "graph.ttl", "kg-build.json", "ontology.ttl"]


def test_a_build_without_html_removes_the_old_view(tmp_path):
    out = tmp_path / "out"
    assert _build(out) == 0 and (out / "graph.html").exists()
    assert _build(out, "--no-html") == 0
    assert not (out / "graph.html").exists()  # an old view never stands beside a new graph


def test_two_builds_into_one_folder_do_not_mix(tmp_path):
    out = tmp_path / "out"
    with OutputSet(out):
        with pytest.raises(OutputError, match="another kg build is writing here"):
            OutputSet(out).prepare()


def test_view_output_naming_a_folder_is_an_error(tmp_path, capsys):
    from kg.cli import main

    assert main(["view", str(DATA / "fixture.ttl"), "-o", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (f"kg: error: {tmp_path}: is a folder; give a file name "
                                       f"(e.g. {tmp_path / 'view.html'})\n")
