import codecs

import pytest

from newsroom.bulletin.textfile import BulletinFileError, decode_text

PAGE = "岷县政协\n\n召开常委会会议\n\n本报岷县讯 近日，岷县政协召开常委会会议。\n"


def test_reads_utf8():
    assert decode_text(PAGE.encode(), source="p.txt") == PAGE


def test_drops_the_utf8_byte_order_mark():
    assert decode_text(codecs.BOM_UTF8 + PAGE.encode(), source="p.txt") == PAGE


def test_reads_gb18030():
    assert decode_text(PAGE.encode("gb18030"), source="p.txt") == PAGE


def test_reads_gbk():
    assert decode_text(PAGE.encode("gbk"), source="p.txt") == PAGE


def test_reads_utf16_with_byte_order_mark():
    assert decode_text(PAGE.encode("utf-16"), source="p.txt") == PAGE


def test_normalises_windows_and_old_mac_line_endings():
    data = "张掖市政协\r\n\r\n召开主席会议\r本报张掖讯 近日。\r\n".encode()
    assert decode_text(data, source="p.txt") == "张掖市政协\n\n召开主席会议\n本报张掖讯 近日。\n"


def test_utf8_that_gb18030_could_also_decode_is_read_as_utf8():
    # GB18030 decodes these UTF-8 bytes too, into other characters.
    data = "临夏".encode()
    data.decode("gb18030")
    assert decode_text(data, source="p.txt") == "临夏"


def test_refuses_an_empty_file():
    with pytest.raises(BulletinFileError, match="文件为空"):
        decode_text(b"", source="p.txt")


def test_refuses_a_file_of_blank_lines():
    with pytest.raises(BulletinFileError, match="文件为空"):
        decode_text(b"\r\n  \n\n", source="p.txt")


def test_refuses_a_file_with_nul_bytes():
    with pytest.raises(BulletinFileError, match="二进制"):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", source="photo.png")


def test_refuses_a_file_mostly_of_control_characters():
    with pytest.raises(BulletinFileError, match="二进制"):
        decode_text(bytes(range(1, 9)) * 20 + "政协".encode(), source="p.bin")


def test_refuses_bytes_that_are_neither_utf8_nor_gb18030():
    with pytest.raises(BulletinFileError, match="无法识别的文本编码"):
        decode_text(b"caf\xe9 \xff\xfe\xfd", source="p.txt")


def test_refuses_utf16_that_decodes_to_gibberish():
    with pytest.raises(BulletinFileError, match="无法识别的文本编码"):
        decode_text(codecs.BOM_UTF16_LE + bytes(range(0xA0, 0xFE)), source="p.txt")


def test_refuses_text_in_another_encoding_rather_than_reading_gibberish():
    # Korean encoded as GB18030 decodes cleanly, but into no Chinese at all.
    data = ("안녕하세요 " * 20).encode("gb18030")
    with pytest.raises(BulletinFileError, match="无法识别的文本编码"):
        decode_text(data, source="p.txt")


def test_error_names_the_file():
    with pytest.raises(BulletinFileError) as raised:
        decode_text(b"", source="issue-12/page-3.txt")
    assert raised.value.source == "issue-12/page-3.txt"
    assert "issue-12/page-3.txt" in str(raised.value)
    assert isinstance(raised.value, ValueError)
