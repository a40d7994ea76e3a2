import pytest

from kg.errors import MissingPathError, UnreadableFileError
from kg.read import expand_sources, normalise, read_page, read_pages

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
