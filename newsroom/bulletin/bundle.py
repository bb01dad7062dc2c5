"""Issue bundles: one ZIP with a manifest, tables and/or page texts, and the photos they name.

manifest.json   {"issue": 1187, "date": "2026-11-13",
                 "pages": [{"number": 1, "name": "要闻", "pdf": "pages/page-1.pdf",
                            "zones": [{"reference": "1187-1-1", "x": 0.05, "y": 0.1, "w": 0.6, "h": 0.2}]}, …],
                 "tables": ["stories.csv", "photos.csv"], "page_texts": ["page-1.txt", …]}
stories.csv     one row per story (see tables.py for the columns)
photos.csv      reference, file, caption, alt, photographer, photographer_title
photos/…        the images
page-1.txt …    the pages as the paper prints them (read only when no stories table is given)
pages/page-1.pdf …  each printed page's PDF, one page each; a page's zones are where its stories stand on it
"""

import io
import json
import zipfile
from dataclasses import dataclass, field

from .limits import check_bytes
from .textfile import BulletinFileError

MAX_MEMBERS = 5000
MANIFEST = "manifest.json"


@dataclass
class Bundle:
    issue: int
    date: str
    pages: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    page_texts: list = field(default_factory=list)
    files: dict = field(default_factory=dict)  # name -> bytes


def read_bundle(data: bytes, *, source: str, max_bytes: int) -> Bundle:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise BulletinFileError(source, "不是有效的 ZIP 文件") from error
    members = [info for info in archive.infolist() if not info.is_dir()]
    if len(members) > MAX_MEMBERS:
        raise BulletinFileError(source, f"ZIP 中文件太多（{len(members)} 个，最多 {MAX_MEMBERS} 个）")
    # Sizes as declared, before reading anything: a small ZIP that unpacks to gigabytes is refused.
    total = sum(info.file_size for info in members)
    if total > max_bytes:
        raise BulletinFileError(source, f"ZIP 解压后共 {total} 字节，超过上限 {max_bytes} 字节")
    files = {}
    for info in members:
        name = info.filename
        if name.startswith("/") or ".." in name.split("/") or "\\" in name:
            raise BulletinFileError(source, f"ZIP 中的文件名“{name}”不安全")
        # Each file as if sent alone: the readers' own limits hold inside a bundle too.
        check_bytes(f"{source}:{name}", info.file_size, unpacked=True)
        try:
            content = archive.read(info)
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise BulletinFileError(f"{source}:{name}", f"无法解压（{error}）") from error
        if len(content) != info.file_size:
            raise BulletinFileError(f"{source}:{name}", "解压后的大小与 ZIP 记录不符")
        files[name] = content
    if MANIFEST not in files:
        raise BulletinFileError(source, "ZIP 中没有 manifest.json")
    try:
        manifest = json.loads(files.pop(MANIFEST).decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BulletinFileError(f"{source}:{MANIFEST}", f"manifest.json 不是有效的 JSON（{error}）") from error
    if not isinstance(manifest, dict):
        raise BulletinFileError(f"{source}:{MANIFEST}", "manifest.json 应是一个对象")
    issue = manifest.get("issue")
    if not isinstance(issue, int) or issue < 1:
        raise BulletinFileError(f"{source}:{MANIFEST}", "issue 应是正整数（期号）")
    date = manifest.get("date")
    if not isinstance(date, str):
        raise BulletinFileError(f"{source}:{MANIFEST}", "date 应写成 2026-11-20")
    for key in ("tables", "page_texts"):
        for name in manifest.get(key) or []:
            if name not in files:
                raise BulletinFileError(f"{source}:{MANIFEST}", f"{key} 中列出的“{name}”不在 ZIP 里")
    return Bundle(
        issue=issue,
        date=date,
        pages=manifest.get("pages") or [],
        tables=list(manifest.get("tables") or []),
        page_texts=list(manifest.get("page_texts") or []),
        files=files,
    )


def write_bundle(
    *, issue: int, date: str, pages, tables: dict, page_texts: dict, images: dict, files: dict | None = None
) -> bytes:
    """The ZIP for an issue: ``tables`` and ``page_texts`` map names to text; ``images``, ``files`` to bytes."""
    manifest = {
        "issue": issue,
        "date": date,
        "pages": pages,
        "tables": list(tables),
        "page_texts": list(page_texts),
    }
    # Every entry dated with the issue, not the clock: the same issue always makes the same bundle.
    stamp = (*(int(part) for part in date.split("-")), 6, 0, 0)

    def entry(name, compression):
        info = zipfile.ZipInfo(name, date_time=stamp)
        info.compress_type = compression
        info.external_attr = 0o644 << 16
        return info

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(entry(MANIFEST, zipfile.ZIP_DEFLATED), json.dumps(manifest, ensure_ascii=False, indent=1))
        for name, text in {**tables, **page_texts}.items():
            archive.writestr(entry(name, zipfile.ZIP_DEFLATED), text.encode("utf-8"))
        for name, content in images.items():
            archive.writestr(entry(name, zipfile.ZIP_STORED), content)
        for name, content in (files or {}).items():
            archive.writestr(entry(name, zipfile.ZIP_DEFLATED), content)
    return buffer.getvalue()
