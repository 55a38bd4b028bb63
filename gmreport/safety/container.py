"""The file and its zip container, checked before any XML is parsed.

What kind of file this is (a zip such as an .xlsx or an .ods, an old .xls or an encrypted
workbook inside OLE, or something else), whether the zip is complete, and whether its central
directory and members declare sizes, ratios and flags that a reader can afford.
"""

from __future__ import annotations

import codecs
import os
import stat
import struct
import zipfile
from typing import BinaryIO, NoReturn

from ..problems import os_reason
from .limits import (
    MAX_DIRECTORY_BYTES,
    MAX_FILE_BYTES,
    MAX_MEMBER_BYTES,
    MAX_MEMBERS,
    MAX_RATIO,
    MAX_TOTAL_BYTES,
    MB,
    RATIO_MIN_BYTES,
    mb,
)
from .refused import Refused

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_EOCD = struct.Struct("<4s4H2LH")
_EOCD64_LOCATOR = struct.Struct("<4sLQL")
_EOCD64 = struct.Struct("<4sQ2H2L4Q")


def check_file(f: BinaryIO) -> None:
    """Refuse anything but a regular file holding a complete zip of an affordable size."""
    status = os.fstat(f.fileno())
    if not stat.S_ISREG(status.st_mode):
        raise Refused("unreadable", "這不是一般檔案")
    size = status.st_size
    head = f.read(4096)
    if head.startswith(_OLE_MAGIC):
        _refuse_ole(f, size)
    if not head.startswith(_ZIP_MAGIC):
        raise Refused("not-a-workbook", _describe_non_zip(head))
    if size > MAX_FILE_BYTES:
        raise Refused("too-large", f"檔案大小 {mb(size)}，上限 {mb(MAX_FILE_BYTES)}")
    _check_directory(f, size)


def _check_directory(f: BinaryIO, size: int) -> None:
    """Refuse a truncated zip, or one whose central directory is too big to load."""
    tail_len = min(size, _EOCD.size + 0xFFFF)
    f.seek(size - tail_len)
    tail = f.read(tail_len)
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or len(tail) - pos < _EOCD.size:
        raise Refused("corrupt", "找不到壓縮檔結尾的目錄，檔案可能未完整複製")
    entries, directory = _EOCD.unpack_from(tail, pos)[4:6]
    locator = pos - _EOCD64_LOCATOR.size
    if (entries == 0xFFFF or directory == 0xFFFFFFFF) and tail[locator : locator + 4] == (
        b"PK\x06\x07"
    ):
        f.seek(_EOCD64_LOCATOR.unpack_from(tail, locator)[2])
        record = f.read(_EOCD64.size)
        if len(record) < _EOCD64.size or not record.startswith(b"PK\x06\x06"):
            raise Refused("corrupt", "壓縮檔目錄損毀")
        entries, directory = _EOCD64.unpack(record)[7:9]
    if entries > MAX_MEMBERS or directory > MAX_DIRECTORY_BYTES:
        raise Refused("too-large", f"壓縮檔內有 {entries:,} 個項目")


def check_members(z: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """Check every member's declared size; map normalised names to members."""
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in z.infolist():
        key = part_key(info.filename)
        if key in members:
            raise Refused("corrupt", f"壓縮檔內有重複的項目「{info.filename}」")
        members[key] = info
        if info.flag_bits & 0x1:
            raise Refused("encrypted", f"壓縮項目「{info.filename}」設有密碼")
        if info.file_size > MAX_MEMBER_BYTES:
            raise Refused("too-large", f"「{info.filename}」宣告解壓縮後 {mb(info.file_size)}")
        if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * info.compress_size:
            ratio = info.file_size // max(info.compress_size, 1)
            raise Refused("too-large", f"「{info.filename}」壓縮比約 {ratio:,}:1")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise Refused("too-large", f"解壓縮後合計 {mb(total)}，上限 {mb(MAX_TOTAL_BYTES)}")
    return members


def part_key(name: str) -> str:
    """How calamine finds a part: case-insensitively, with either slash."""
    return name.replace("\\", "/").lstrip("/").lower()


def describe_other_package(members: dict[str, zipfile.ZipInfo]) -> str:
    """What a zip with neither xl/workbook.xml nor a mimetype most likely is, for the detail."""
    if "xl/workbook.bin" in members:
        return "Excel 二進位活頁簿（.xlsb）"
    if "word/document.xml" in members:
        return "Word 文件（.docx）"
    if "ppt/presentation.xml" in members:
        return "PowerPoint 簡報（.pptx）"
    if "mimetype" in members:
        return "無法辨識的 OpenDocument 檔案"
    return "一般壓縮檔，不含 Excel 活頁簿內容"


def _describe_non_zip(head: bytes) -> str:
    if not head:
        return "空白檔案（0 位元組）"
    if head.startswith(b"%PDF"):
        return "PDF 文件"
    if _looks_like_text(head):
        text = head.lower()
        if b"<html" in text or b"<table" in text:
            return "網頁（HTML）檔案，常見於系統匯出的 .xls"
        if b"urn:schemas-microsoft-com:office:spreadsheet" in text:
            return "Excel 2003 XML 試算表"
        return "文字檔（例如 CSV）"
    return "無法辨識的檔案格式"


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "cp950"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return True
    return False


_OLE_STREAMS = {  # the first one found decides
    "EncryptedPackage": ("encrypted", "設有開啟密碼的活頁簿"),
    "Workbook": ("legacy-xls", "Excel 97-2003 活頁簿（.xls）"),
    "Book": ("legacy-xls", "Excel 5.0/95 活頁簿（.xls）"),
    "WordDocument": ("not-a-workbook", "舊版 Word 文件（.doc）"),
    "PowerPoint Document": ("not-a-workbook", "舊版 PowerPoint 簡報（.ppt）"),
}


def _refuse_ole(f: BinaryIO, size: int) -> NoReturn:
    """Tell an encrypted .xlsx from an old .xls (or .doc) by the OLE directory's stream names.

    Directory entries are 128 bytes at 128-byte-aligned offsets (sectors of 512 or 4,096 bytes
    follow a 512-byte header); each starts with its UTF-16 name and holds the name's length,
    terminator included, at offset 64. So the file is searched for such entries.
    """
    wanted = {
        name.encode("utf-16-le"): struct.pack("<H", 2 * len(name) + 2) for name in _OLE_STREAMS
    }
    found: set[bytes] = set()
    f.seek(0)
    for _ in range(min(size, MAX_FILE_BYTES) // MB + 1):
        chunk = f.read(MB)
        for name, length in wanted.items():
            at = chunk.find(name)
            while at >= 0 and not (at % 128 == 0 and chunk[at + 64 : at + 66] == length):
                at = chunk.find(name, at + 1)
            if at >= 0:
                found.add(name)
        if "EncryptedPackage".encode("utf-16-le") in found or len(chunk) < MB:
            break
    for stream, verdict in _OLE_STREAMS.items():
        if stream.encode("utf-16-le") in found:
            raise Refused(*verdict)
    raise Refused("legacy-xls", "Office 97-2003 格式的檔案")


# --- messages ---------------------------------------------------------------------------------


def zip_detail(e: Exception) -> str:
    """The corrupt detail for an error that zipfile raised while reading the container."""
    text = str(e)
    if text.startswith("Bad CRC-32"):
        return "壓縮內容的檢查碼不符，檔案可能在複製時損壞"
    if "not a zip file" in text or "Truncated" in text or isinstance(e, EOFError):
        return "壓縮檔不完整，檔案可能未完整複製"
    return "壓縮檔結構錯誤"


def os_detail(e: OSError) -> str:
    """The unreadable detail for an error that the system raised while opening or reading."""
    if isinstance(e, FileNotFoundError):
        return "找不到檔案"
    if isinstance(e, IsADirectoryError):
        return "這是資料夾，不是檔案"
    if isinstance(e, PermissionError):
        return "沒有讀取權限，或檔案正被其他程式（例如 Excel）鎖定"
    return os_reason(e)
