import os

import pytest

from kg.errors import MissingPathError, UnreadableFileError
from kg.read import expand_sources, normalise, read_page, read_pages, source_keys

TEXT = "青岛市总工会开展“三述”活动,累计组织活动226场。\n"


def test_utf8_with_and_without_bom(tmp_path):
    plain = tmp_path / "a.txt"
    plain.write_text(TEXT, encoding="utf-8")
    bom = tmp_path / "b.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    assert read_page(plain).text == read_page(bom).text
    assert read_page(bom).text.startswith("青岛市总工会")


def test_gb18030_and_utf16_are_detected(tmp_path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(TEXT.encode("gb18030"))
    u16 = tmp_path / "u16.txt"
    u16.write_bytes(TEXT.encode("utf-16"))
    assert read_page(gbk).encoding == "gb18030"
    assert read_page(gbk).text == read_page(u16).text
    assert "青岛市总工会" in read_page(u16).text


def test_crlf_and_half_width_punctuation_normalised(tmp_path):
    f = tmp_path / "crlf.txt"
    f.write_bytes("本报讯(记者杨明清)青岛市总工会,今天:开展活动\r\n第二段 10:30 1,000元\r\n".encode("utf-8"))
    text = read_page(f).text
    assert "\r" not in text
    assert text.startswith("本报讯（记者杨明清）青岛市总工会，今天：")
    assert "10:30" in text and "1,000元" in text  # numbers keep their ASCII punctuation


def test_normalise_keeps_offsets():
    for s in ("甲,乙:丙(丁)", "第一段\r\n第二段\r第三段\n"):
        assert len(normalise(s)) == len(s)


@pytest.mark.parametrize("data, why", [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    (b"\x80\xff" * 100, "not UTF-8"),
])
def test_bad_files_get_one_line_reasons(tmp_path, data, why):
    f = tmp_path / "bad.txt"
    f.write_bytes(data)
    with pytest.raises(UnreadableFileError) as e:
        read_page(f)
    msg = str(e.value)
    assert msg.startswith("bad.txt:") and why in msg and "\n" not in msg


def test_huge_file_refused(tmp_path):
    f = tmp_path / "huge.txt"
    f.write_text("工会" * 1000, encoding="utf-8")
    with pytest.raises(UnreadableFileError, match="over the 100-byte limit"):
        read_page(f, max_bytes=100)


def test_missing_path(tmp_path):
    with pytest.raises(MissingPathError, match="no such file or folder"):
        list(expand_sources([tmp_path / "nope"]))


def test_folder_expands_to_sorted_txt_files(tmp_path, seeds):
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    assert [p.name for p in expand_sources([tmp_path, tmp_path / "a.txt"])] == ["a.txt", "b.txt"]
    assert len(expand_sources([seeds])) == 5


def test_unreadable_files_are_skipped_and_listed(tmp_path):
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    skipped: list[str] = []
    pages = list(read_pages([tmp_path], skipped=skipped))
    assert [p.source for p in pages] == ["good.txt"]
    assert skipped == ["empty.txt: file is empty; give a page of text"]
    with pytest.raises(UnreadableFileError):
        list(read_pages([tmp_path], strict=True))


def test_utf16_without_a_bom_is_read(tmp_path):
    for enc in ("utf-16-le", "utf-16-be"):
        f = tmp_path / f"{enc}.txt"
        f.write_bytes(TEXT.encode(enc))
        page = read_page(f)
        assert page.encoding == enc and page.text.startswith("青岛市总工会")


def test_one_damaged_byte_is_read_and_located(tmp_path):
    f = tmp_path / "damaged.txt"
    body = (TEXT * 300).encode("utf-8")
    cut = body.index("226".encode()) + 3 * len(TEXT.encode()) * 10
    f.write_bytes(body[:cut] + b"\xff" + body[cut:])
    notes: list[str] = []
    page = read_page(f, notes=notes)
    assert page.text.count("\ufffd") == 1 and "青岛市总工会" in page.text
    line, column = body[:cut].count(b"\n") + 1, cut - body.rfind(b"\n", 0, cut)
    assert notes == [f"damaged.txt: 1 byte not UTF-8 (the first at line {line}, column {column}) "
                     "read as U+FFFD; re-save the file as UTF-8 to fix it"]
    with pytest.raises(UnreadableFileError, match=f"the first bad byte at line {line}, column"):
        read_page(f)  # no notes: the strict reading refuses it, saying where


def test_many_bad_bytes_say_where_the_first_is(tmp_path):
    f = tmp_path / "latin.txt"
    f.write_bytes("第一行\n".encode() + b"caf\xe9 \xe0 la cr\xe8me \xff\xfe" * 20)
    with pytest.raises(UnreadableFileError, match=r"latin.txt: not UTF-8, UTF-16 or GB18030 text "
                                                  r"\(the first bad byte at line 2, column 4\)"):
        read_page(f, notes=[])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_is_skipped_not_waited_for(tmp_path):
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    os.mkfifo(tmp_path / "x.txt")
    skipped: list[str] = []
    pages = list(read_pages([tmp_path], skipped=skipped))
    assert [p.source for p in pages] == ["good.txt"]
    assert skipped == ["x.txt: is a named pipe (FIFO), not a regular file; give a text file"]
    with pytest.raises(UnreadableFileError, match="named pipe"):
        read_page(tmp_path / "x.txt")  # also when named directly


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_link_to_a_device_is_not_read(tmp_path):
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    with pytest.raises(UnreadableFileError, match="zero.txt: is a character device, not a regular file"):
        read_page(tmp_path / "zero.txt")


def test_symlink_loops_and_dangling_links_are_said_plainly(tmp_path):
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    skipped: list[str] = []
    assert list(read_pages([tmp_path / "a.txt", tmp_path / "gone.txt"], skipped=skipped)) == []
    assert skipped == [f"{tmp_path / 'a.txt'}: a symbolic link loop; point the link at a file",
                       f"{tmp_path / 'gone.txt'}: a symbolic link to {tmp_path / 'nowhere.txt'}, "
                       "which does not exist; fix or remove the link"]


def test_the_limit_holds_while_reading_when_the_size_lies(tmp_path, monkeypatch):
    """A file that grows after it was measured (or reports size 0, as /proc files do) is read to the limit only."""
    import kg.read

    f = tmp_path / "big.txt"
    f.write_text("工会" * 100, encoding="utf-8")
    real = os.fstat
    monkeypatch.setattr(kg.read.os, "fstat", lambda fd: os.stat_result((*real(fd)[:6], 0, *real(fd)[7:])))
    with pytest.raises(UnreadableFileError, match="big.txt: over the 50-byte limit"):
        read_page(f, max_bytes=50)


def test_same_base_name_in_two_folders_stays_apart(tmp_path):
    for day in ("day1", "day2"):
        (tmp_path / day).mkdir()
        (tmp_path / day / "page.txt").write_text(TEXT, encoding="utf-8")
    pages = list(read_pages([tmp_path / "day1", tmp_path / "day2"]))
    assert [(p.source, p.key) for p in pages] == [("page.txt", "day1/page.txt"), ("page.txt", "day2/page.txt")]
    assert source_keys([tmp_path / "day1" / "page.txt"]) == {tmp_path / "day1" / "page.txt": "page.txt"}
