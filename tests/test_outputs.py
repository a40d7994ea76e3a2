"""A build's outputs are one set: checked before work starts, all new or all old after a kill or a full disk."""

import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys

import pytest

from kg.errors import OutputError
from kg.outputs import BUILDS, MANIFEST, OUTPUT_NAMES, POINTER, OutputSet, atomic_write

from conftest import DATA, ROOT

PAGE = DATA / "site_article.txt"


def _hashes(d):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in d.iterdir() if p.is_file()}


def _only_the_current_build(out):
    """Whether the folder holds the current build's folder and nothing else a build leaves."""
    return ([p.name for p in (out / BUILDS).iterdir()] == [os.readlink(out / POINTER).split("/")[-1]]
            and not list(out.glob(".*.tmp")) and not list(out.glob(".kg-staging-*")))


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
    for p in [*(tmp_path / "out" / n for n in (*OUTPUT_NAMES, MANIFEST)), tmp_path / "view.html"]:
        assert p.stat().st_mode & 0o777 == 0o644, p
    for p in (tmp_path / "out" / BUILDS, (tmp_path / "out" / POINTER).resolve()):
        assert p.stat().st_mode & 0o777 == 0o755, p  # a web server serving the folder can read them


@pytest.mark.parametrize("setup, message", [
    ("file", "is a file, not a folder; give -o a folder"),
    ("under-file", "a part of this path is a file, not a folder; choose another -o"),
])
def test_output_in_the_way_is_an_error_before_extraction(tmp_path, capsys, monkeypatch, setup, message):
    import kg.pages

    monkeypatch.setattr(kg.pages, "extract", lambda *a: pytest.fail("extraction ran before the output check"))
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    out = blocker if setup == "file" else blocker / "out"
    assert _build(out) == 1
    err = capsys.readouterr().err
    assert err == f"kg: error: {out}: {message}\n"


def test_unwritable_folder_is_an_error_before_extraction(tmp_path, capsys, monkeypatch):
    import kg.pages
    import kg.outputs

    monkeypatch.setattr(kg.pages, "extract", lambda *a: pytest.fail("extraction ran before the output check"))

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
    assert _only_the_current_build(out)


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
    assert _only_the_current_build(out)


def _seen(out):
    """What a reader opening the folder's files by their names sees: the source of the one build all of
    them belong to (each file's hash is the one its manifest gives), or None for no build at all."""
    try:
        manifest = json.loads((out / MANIFEST).read_bytes())
    except FileNotFoundError:
        assert not [n for n in OUTPUT_NAMES if (out / n).exists()], "files without a manifest"
        return None
    for name in OUTPUT_NAMES:
        if name in manifest["files"]:
            assert hashlib.sha256((out / name).read_bytes()).hexdigest() == manifest["files"][name]["sha256"], \
                f"{name} is not the file of build {manifest['build']}"
        else:
            assert not (out / name).exists(), f"{name} left beside build {manifest['build']}, which has none"
    return manifest["sources"][0]["file"]


def _as_an_older_kg_left_it(out):
    """The outputs as kg wrote them before the pointer: plain files in the folder."""
    for name in (*OUTPUT_NAMES, MANIFEST):
        if (out / name).exists():
            data = (out / name).read_bytes()
            (out / name).unlink()
            (out / name).write_bytes(data)
    (out / POINTER).unlink()
    shutil.rmtree(out / BUILDS)


CHANGES = ("replace", "rename", "symlink", "link", "unlink", "remove", "rmdir", "mkdir")
"""The calls that change which names a folder holds: a reader is asked after each."""


@pytest.mark.parametrize("before", ["none", "a build", "files of an older kg", "a build with a view"])
def test_a_reader_sees_all_old_or_all_new_after_every_step(tmp_path, monkeypatch, before):
    out = tmp_path / "out"
    new_args = ["--no-html"] if before == "a build with a view" else []
    if before != "none":
        assert _build(out) == 0
    if before == "files of an older kg":
        _as_an_older_kg_left_it(out)
    old = _seen(out)
    seen = []

    def traced(name, real):
        def call(*a, **k):
            done = real(*a, **k)
            seen.append(_seen(out))
            return done
        return call

    for name in CHANGES:
        monkeypatch.setattr(os, name, traced(name, getattr(os, name)))
    from kg.cli import main

    assert main(["build", str(DATA / "signed_article.txt"), "-o", str(out), "-q", *new_args]) == 0
    monkeypatch.undo()
    assert len(seen) > 10
    assert [s for i, s in enumerate(seen) if i == 0 or s != seen[i - 1]] == [old, "signed_article.txt"]
    assert _only_the_current_build(out)
    assert (out / POINTER).resolve().name == json.loads((out / MANIFEST).read_bytes())["build"]


KILLED_AT_EVERY_STEP = """
import os, shutil, signal, sys
from kg.cli import main
template, page, work = sys.argv[1:]
real = {name: getattr(os, name) for name in %r}
steps = [0, 0]

def traced(name):
    def call(*a, **k):
        done = real[name](*a, **k)
        steps[0] += 1
        if steps[0] == steps[1]:
            os.kill(os.getpid(), signal.SIGKILL)
        return done
    return call

def build(out, kill_at):
    shutil.copytree(template, out, symlinks=True)
    steps[:] = [0, kill_at]
    for name in real:
        setattr(os, name, traced(name))
    assert main(["build", page, "-o", out, "-q", "--jobs", "1"]) == 0
    for name in real:
        setattr(os, name, real[name])
    return steps[0]

build(os.path.join(work, "warm"), 0)  # loads the dictionaries (jieba writes its cache) once for every child
total = build(os.path.join(work, "0"), 0)  # counts the steps
for k in range(1, total + 1):
    pid = os.fork()
    if pid == 0:
        build(os.path.join(work, str(k)), k)
        os._exit(3)  # never reached: the child kills itself at step k
    _, status = os.waitpid(pid, 0)
    print(k, status, flush=True)
""" % (CHANGES,)


def test_a_kill_at_every_step_leaves_all_old_or_all_new_and_the_next_build_clears_up(tmp_path):
    """A real SIGKILL after each step of a build that replaces a whole set: at each, a reader sees one
    build's files, the old one's until the switch and the new one's after; the next build into the
    folder removes what the killed one left without changing what readers see."""
    template = tmp_path / "template"
    assert _build(template) == 0
    work = tmp_path / "work"
    work.mkdir()
    done = subprocess.run([sys.executable, "-c", KILLED_AT_EVERY_STEP, str(template),
                           str(DATA / "signed_article.txt"), str(work)],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    runs = [tuple(map(int, line.split())) for line in done.stdout.split("\n") if line]
    assert len(runs) > 10 and all(os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
                                  for _, status in runs)
    seen = []
    for k, _ in runs:
        out = work / str(k)
        seen.append(_seen(out))
        with OutputSet(out):  # what the next build does first
            pass
        assert _seen(out) == seen[-1]
        assert _only_the_current_build(out)
    switch = seen.index("signed_article.txt")
    assert 0 < switch and seen == ["site_article.txt"] * switch + ["signed_article.txt"] * (len(seen) - switch)


def test_files_an_older_kg_left_cut_off_while_renaming_are_finished(tmp_path):
    """An older kg renamed files into place from a staging folder: one cut off there is finished first."""
    out = tmp_path / "out"
    assert _build(out, "--no-html") == 0
    _as_an_older_kg_left_it(out)
    staged = out / ".kg-staging-123-abcd"
    staged.mkdir()
    assert _build(staged) == 0
    _as_an_older_kg_left_it(staged)
    os.replace(staged / "graph.ttl", out / "graph.ttl")  # the first rename done, then the kill
    with OutputSet(out):
        pass
    assert _seen(out) == "site_article.txt" and (out / "graph.html").is_file()
    assert not list(out.glob(".kg-staging-*"))


def test_unfinished_builds_and_stale_temp_files_are_removed(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".kg-staging-999-dead").mkdir()
    (out / ".kg-staging-999-dead" / "graph.ttl").write_text("half")
    (out / BUILDS / "20240101T000000-dead").mkdir(parents=True)
    (out / BUILDS / "20240101T000000-dead" / "graph.ttl").write_text("half")
    (out / ".graph.html.1a2b3c4d.tmp").write_text("half")
    assert _build(out) == 0
    assert sorted(p.name for p in out.iterdir()) == [".kg-builds", "current", "graph.html", "graph.ttl",
                                                     "kg-build.json", "ontology.ttl"]
    assert len(list((out / BUILDS).iterdir())) == 1


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


def test_the_folder_served_by_a_web_server_gives_the_build(tmp_path):
    """The names of the folder work for any reader that follows links: here Python's http.server."""
    import threading
    import urllib.request
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    out = tmp_path / "out"
    assert _build(out) == 0
    manifest = json.loads((out / MANIFEST).read_bytes())
    handler = partial(SimpleHTTPRequestHandler, directory=str(out))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            for name, entry in manifest["files"].items():
                with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/{name}") as r:
                    assert hashlib.sha256(r.read()).hexdigest() == entry["sha256"], name
        finally:
            server.shutdown()
