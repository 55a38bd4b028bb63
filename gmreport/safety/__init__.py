"""The gate: may a reader open this file?

calamine builds a dense grid of rows × columns for every sheet, and reserves memory from
counts the file declares; when such an allocation fails it aborts the whole process
(python-calamine #130, calamine #684 and #693). Zip bombs and XML entity bombs hurt any
reader. So the container is inspected here first, streaming and against fixed limits, and a
file that is unsafe or unreadable is refused with a code of the error catalogue.

`inspect_workbook` checks the zip, then hands it to the inspection of its kind, found by
content the way calamine finds it (an .xlsx or .xlsm, else an .ods), whatever the name says:

- `container`: the file itself and its zip container (file type, OLE, central directory,
  members' declared sizes, ratios and encryption);
- `xmlparts`: every XML part streamed with DTDs refused and tags, depth and elements bounded;
  the small parts that locate the worksheets parsed in memory;
- `worksheet`: each worksheet of an .xlsx scanned for its used range, merged ranges and error
  cells, which `SheetInfo` hands on to the reader;
- `opendocument`: an .ods package, and its content.xml scanned once for the same
  `SheetInfo`s, counting repeated rows and cells as calamine expands them.

The limits live in `limits`; those the tests set or read are re-exported here.
"""

from __future__ import annotations

import errno
import struct
import zipfile
import zlib
from pathlib import Path

from .container import (
    check_file,
    check_members,
    describe_other_package,
    os_detail,
    part_key,
    zip_detail,
)
from .limits import (
    MAX_FILE_BYTES,
    MAX_MEMBERS,
    MAX_MERGED,
    MAX_SMALL_PART_ELEMENTS,
    MAX_TAG_BYTES,
    MAX_WORKBOOK_CELLS,
    MAX_XML_ELEMENTS,
)
from .opendocument import (
    ODS_MIMETYPE,
    OTHER_READERS,
    describe_mimetype,
    inspect_opendocument,
    read_mimetype,
)
from .refused import Refused
from .worksheet import SheetInfo, SheetScan
from .xmlparts import (
    READ_RELS,
    WORKBOOK,
    WORKBOOK_RELS,
    XML_SUFFIXES,
    Budget,
    XmlPart,
    workbook_parts,
)

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_MEMBERS",
    "MAX_MERGED",
    "MAX_SMALL_PART_ELEMENTS",
    "MAX_TAG_BYTES",
    "MAX_XML_ELEMENTS",
    "Refused",
    "SheetInfo",
    "inspect_workbook",
]


def inspect_workbook(path: Path) -> tuple[SheetInfo, ...]:
    """Check that `path` is a safe, readable workbook (.xlsx, .xlsm or .ods) and describe its
    sheets; raise Refused if not.

    Reads the file as a stream with bounded memory: the zip directory first, then each XML
    part once. Nothing is handed to a spreadsheet library.
    """
    try:
        with open(path, "rb") as f:
            check_file(f)
            try:
                with zipfile.ZipFile(f) as z:
                    return _inspect_package(z)
            except (
                zipfile.BadZipFile,
                zlib.error,
                EOFError,
                struct.error,
                UnicodeDecodeError,
            ) as e:
                raise Refused("corrupt", zip_detail(e)) from None
            except NotImplementedError:
                raise Refused("corrupt", "使用了不支援的壓縮方式") from None
    except OSError as e:
        if e.errno == errno.EINVAL:
            raise Refused("corrupt", "壓縮檔結構錯誤") from None
        raise Refused("unreadable", os_detail(e)) from None


def _inspect_package(z: zipfile.ZipFile) -> tuple[SheetInfo, ...]:
    # The element budgets are read from this module when a file is inspected, not bound in
    # the stages, so one place sets them (and tests may lower them on gmreport.safety).
    members = check_members(z)
    mimetype = read_mimetype(z, members)
    # calamine tries its readers in turn (.xlsx, .xlsb, then .ods), whatever the file is
    # called. A zip that two of them could open is refused (neither Excel nor LibreOffice
    # saves one), so that the parts inspected are the parts read.
    ods = mimetype is not None and mimetype.startswith(ODS_MIMETYPE)
    budget = Budget(MAX_XML_ELEMENTS)
    if ods and any(name in members for name in OTHER_READERS):
        raise Refused("corrupt", "同時含有 Excel 活頁簿與 OpenDocument 試算表的內容")
    if mimetype == ODS_MIMETYPE:
        result = inspect_opendocument(z, members, budget, MAX_SMALL_PART_ELEMENTS)
    elif "xl/workbook.xml" in members and not ods:
        if "xl/workbook.bin" in members:
            raise Refused("corrupt", "同時含有 .xlsx 與 .xlsb 活頁簿的內容")
        result = _inspect_xlsx(z, members, budget)
    elif mimetype is not None:
        raise Refused("not-a-workbook", describe_mimetype(mimetype))
    else:
        raise Refused("not-a-workbook", describe_other_package(members))
    total = sum(s.rows * s.cols for s in result)
    if total > MAX_WORKBOOK_CELLS:
        raise Refused(
            "too-large", f"各工作表資料範圍合計 {total:,} 格，上限 {MAX_WORKBOOK_CELLS:,} 格"
        )
    return result


def _inspect_xlsx(
    z: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], budget: Budget
) -> tuple[SheetInfo, ...]:
    found = workbook_parts(z, members, MAX_SMALL_PART_ELEMENTS)
    sheets = found.worksheets

    done = {"_rels/.rels", WORKBOOK, WORKBOOK_RELS}
    done.update(part_key(info.filename) for _, info in sheets)
    # calamine reads these whole, so they are checked whole; other parts only up to their root.
    read = {"xl/sharedstrings.xml", "xl/styles.xml", "[content_types].xml"}
    read.update(part_key(info.filename) for kind in READ_RELS for info in found.read_parts(kind))
    for key, info in members.items():
        if key.endswith(XML_SUFFIXES) and key not in done:
            XmlPart(info.filename, budget, prolog_only=key not in read).feed(z, info)
    return tuple(SheetScan(name, budget).scan(z, info) for name, info in sheets)
