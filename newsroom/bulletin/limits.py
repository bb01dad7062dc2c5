"""How much one imported file may hold, checked before it is parsed.

A small file can claim to be huge: an XLSX is a ZIP, and 430 KB of it can unpack into
three million rows; a JSON file can nest ten thousand lists deep. Every reader asks
here first, so one file can never keep a worker busy for minutes or fill its memory.

Settings (all optional):

- ``BULLETIN_MAX_FILE_BYTES``: one file as sent, or one file inside a bundle (20 MB);
- ``BULLETIN_MAX_BUNDLE_BYTES``: a bundle, sent and unpacked (300 MB);
- ``BULLETIN_MAX_UNPACKED_BYTES``: an XLSX, unpacked (100 MB);
- ``BULLETIN_MAX_ROWS``: the rows of one table, the header counted (100,000);
- ``BULLETIN_MAX_JSON_DEPTH``: how deep a JSON table may nest (20).
"""

from django.conf import settings

from .textfile import BulletinFileError

# Our tables have fewer than twenty columns; cells past this are never read.
MAX_COLUMNS = 200


def max_file_bytes():
    return getattr(settings, "BULLETIN_MAX_FILE_BYTES", 20 * 1024 * 1024)


def max_bundle_bytes():
    return getattr(settings, "BULLETIN_MAX_BUNDLE_BYTES", 300 * 1024 * 1024)


def max_unpacked_bytes():
    return getattr(settings, "BULLETIN_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)


def max_rows():
    return getattr(settings, "BULLETIN_MAX_ROWS", 100_000)


def max_json_depth():
    return getattr(settings, "BULLETIN_MAX_JSON_DEPTH", 20)


def check_bytes(source, size, *, limit=None, unpacked=False):
    limit = max_file_bytes() if limit is None else limit
    if size > limit:
        what = "解压后有" if unpacked else "有"
        raise BulletinFileError(source, f"文件“{source}”{what} {size} 字节，超过上限 {limit} 字节，未读取。")


def check_rows(source, count, *, known=True):
    """``count`` rows are too many? ``known``: the file says how many; else reading stopped past the limit."""
    limit = max_rows()
    if count > limit:
        if known:
            raise BulletinFileError(source, f"文件“{source}”有 {count} 行，超过上限 {limit} 行，未读取。")
        raise BulletinFileError(source, f"文件“{source}”超过上限 {limit} 行，未读取。")


def too_deep(source):
    return BulletinFileError(source, f"文件“{source}”嵌套超过 {max_json_depth()} 层，未读取。")
