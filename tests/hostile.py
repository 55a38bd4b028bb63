"""Builders for broken and hostile workbook files, shared by tests and tools/bench_hostile.py."""

from __future__ import annotations

import functools
import struct
import zipfile
import zlib
from pathlib import Path

MB = 1 << 20
GB = 1 << 30

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>'
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
)


def sheet_xml(rows: str = "", *, dimension: str | None = None, after: str = "") -> str:
    """A worksheet part with `rows` inside <sheetData> and `after` following it."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}">{dim}'
        f"<sheetData>{rows}</sheetData>{after}</worksheet>"
    )


def write_package(
    path: Path,
    sheets: dict[str, str | bytes],
    *,
    shared_strings: str | None = None,
    extra: dict[str, str | bytes] | None = None,
) -> Path:
    """A minimal but complete .xlsx made of the given worksheet XML, in order."""
    entries = "".join(
        f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(sheets, start=1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    if shared_strings is not None:
        rels += (
            f'<Relationship Id="rId{len(sheets) + 1}" Type="{REL_NS}/sharedStrings" '
            'Target="sharedStrings.xml"/>'
        )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" '
            f'xmlns:r="{REL_NS}"><sheets>{entries}</sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL_NS}">'
            f"{rels}</Relationships>",
        )
        for i, xml in enumerate(sheets.values(), start=1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", xml)
        if shared_strings is not None:
            z.writestr("xl/sharedStrings.xml", shared_strings)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


def write_raw_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> Path:
    """A zip of deflated members given as (name, raw deflate data, CRC-32, declared size).

    The declared uncompressed size is written as given (with a Zip64 field past 4 GB), so a
    file can claim any size whatever its data inflates to.
    """
    central = []
    with open(path, "wb") as f:
        for name, data, crc, size in members:
            encoded = name.encode()
            offset = f.tell()
            zip64 = size >= 0xFFFFFFFF or len(data) >= 0xFFFFFFFF
            extra = struct.pack("<HHQQ", 1, 16, size, len(data)) if zip64 else b""
            usize, csize = (0xFFFFFFFF, 0xFFFFFFFF) if zip64 else (size, len(data))
            version = 45 if zip64 else 20
            header = (version, 0, 8, 0, 0x21, crc, csize, usize, len(encoded), len(extra))
            f.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", *header) + encoded + extra)
            f.write(data)
            central.append(
                struct.pack("<4s6H3L5H2L", b"PK\x01\x02", version, *header, 0, 0, 0, 0, offset)
                + encoded
                + extra
            )
        directory = b"".join(central)
        start = f.tell()
        f.write(directory)
        count = len(members)
        f.write(
            struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), start, 0)
        )
    return path


@functools.cache
@functools.cache  # the CRC-32 of gigabytes takes a second: each size once per process
def deflated_zeros(size: int) -> tuple[bytes, int]:
    """Raw deflate data inflating to `size` zero bytes (a multiple of 1 MB), and its CRC-32."""
    block = bytes(MB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    # After a full flush the compressor starts afresh, so every 1 MB block compresses alike.
    unit = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    big = bytes(64 * MB)
    left = size
    while left >= len(big):
        crc = zlib.crc32(big, crc)
        left -= len(big)
    crc = zlib.crc32(bytes(left), crc)
    return unit * (size // MB) + b"\x03\x00", crc


def zip_bomb(path: Path, size: int = 5 * GB) -> Path:
    """A workbook whose only sheet is `size` bytes of zeros (about 1 KB per MB on disk)."""
    small = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>'
            '<sheet name="工作表1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
            f'Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
    }
    members = []
    for name, text in small.items():
        raw = text.encode()
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        members.append(
            (name, compressor.compress(raw) + compressor.flush(), zlib.crc32(raw), len(raw))
        )
    data, crc = deflated_zeros(size)
    members.append(("xl/worksheets/sheet1.xml", data, crc, size))
    return write_raw_zip(path, members)


def dimension_bomb(path: Path) -> Path:
    """Two real cells under a <dimension> that claims the whole grid."""
    rows = '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row>'
    return write_package(path, {"人員名冊": sheet_xml(rows, dimension="A1:XFD1048576")})


def far_cell(path: Path) -> Path:
    """A value in A1 and another in XFD1048576, with an honest-looking dimension."""
    rows = (
        '<row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
    )
    return write_package(path, {"人員名冊": sheet_xml(rows, dimension="A1")})


def write_cfb(path: Path, streams: dict[str, bytes]) -> Path:
    """A minimal OLE compound file (version 3, 512-byte sectors) holding the given streams.

    Each stream must be at least 4,096 bytes, so that it lives in regular sectors.
    """
    path.write_bytes(write_cfb_bytes(streams))
    return path


def write_cfb_bytes(streams: dict[str, bytes]) -> bytes:
    """The bytes of write_cfb's compound file."""
    sector = 512
    free, end_of_chain, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    fat = [fat_sector, end_of_chain]  # sector 0 holds the FAT, sector 1 the directory
    starts = []
    for data in streams.values():
        assert len(data) >= 4096 and len(streams) <= 3
        count = -(-len(data) // sector)
        first = len(fat)
        starts.append(first)
        fat += [*range(first + 1, first + count), end_of_chain]
    assert len(fat) <= sector // 4
    fat += [free] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB3L", len(encoded), kind, 1, free, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<LQ", start, size)
        )

    directory = entry("Root Entry", 5, 1 if streams else free, free, end_of_chain, 0)
    names = list(streams)
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else free
        directory += entry(name, 2, free, right, starts[i], len(streams[name]))
    directory = directory.ljust(sector, b"\x00")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack("<5H", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<9L", 0, 1, 1, 0, 4096, end_of_chain, 0, end_of_chain, 0)
        + struct.pack("<109L", 0, *[free] * 108)
    )
    body = b"".join(
        data.ljust(-(-len(data) // sector) * sector, b"\x00") for data in streams.values()
    )
    return header + struct.pack(f"<{sector // 4}L", *fat) + directory + body


def column_letters(n: int) -> str:
    """Excel's name of the 1-based column `n` (1 → A, 16384 → XFD)."""
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def laughs_in_shared_strings(path: Path) -> Path:
    """The billion laughs entity bomb as sharedStrings.xml, used by the only cell."""
    sst = BILLION_LAUGHS + "<sst><si><t>&lol9;</t></si></sst>"
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    return write_package(path, {"工作表1": sheet_xml(rows)}, shared_strings=sst)


def lying_size(path: Path, actual: int = 64 * MB) -> Path:
    """A workbook whose sharedStrings.xml declares 1 KB but inflates to `actual` bytes."""
    write_package(path, {"工作表1": sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')})
    members = []
    with zipfile.ZipFile(path) as z:
        for item in z.infolist():
            raw = z.read(item)
            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            members.append(
                (item.filename, packer.compress(raw) + packer.flush(), item.CRC, len(raw))
            )
    data, crc = deflated_zeros(actual)
    members.append(("xl/sharedStrings.xml", data, crc, 1024))
    return write_raw_zip(path, members)


def dense(path: Path, rows: int, cols: int) -> Path:
    """A sheet with a number in every cell of rows × cols."""
    letters = [column_letters(c) for c in range(1, cols + 1)]
    body = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>{r}</v></c>' for c in letters) + "</row>"
        for r in range(1, rows + 1)
    )
    return write_package(path, {"工作表1": sheet_xml(body, dimension=f"A1:{letters[-1]}{rows}")})


def styled_to_bottom(path: Path, cols: int = 9, *, dimension: bool = True) -> Path:
    """One value, then empty cells formatted down to row 1,048,576, as after a careless Ctrl+A."""
    letters = [column_letters(c) for c in range(1, cols + 1)]
    body = '<row r="1"><c r="A1"><v>1</v></c></row>' + "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}" s="1"/>' for c in letters) + "</row>"
        for r in range(2, 1_048_577)
    )
    claimed = f"A1:{letters[-1]}1048576" if dimension else None
    return write_package(path, {"工作表1": sheet_xml(body, dimension=claimed)})


def deep_nesting(path: Path, levels: int) -> Path:
    """A cell whose extension list nests `levels` elements deep."""
    body = (
        '<row r="1"><c r="A1"><extLst>'
        + "<ext>" * levels
        + "</ext>" * levels
        + "</extLst></c></row>"
    )
    return write_package(path, {"工作表1": sheet_xml(body)})


# --- OpenDocument spreadsheets (.ods) ------------------------------------------------------

ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
)
MANIFEST_NS = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"


def ods_manifest(entries: str = "") -> str:
    """META-INF/manifest.xml listing the package's parts, with `entries` added inside."""
    parts = "".join(
        f'<manifest:file-entry manifest:full-path="{name}" manifest:media-type="text/xml"/>'
        for name in ("content.xml", "styles.xml", "meta.xml", "settings.xml")
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="{MANIFEST_NS}"'
        ' manifest:version="1.3"><manifest:file-entry manifest:full-path="/" '
        f'manifest:media-type="{ODS_MIMETYPE}"/>{parts}{entries}</manifest:manifest>'
    )


def ods_content(tables: str) -> str:
    """content.xml holding `tables` (table:table elements) as its spreadsheet."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} '
        'office:version="1.3"><office:automatic-styles/><office:body><office:spreadsheet>'
        f"{tables}</office:spreadsheet></office:body></office:document-content>"
    )


def ods_table(name: str, rows: str = "") -> str:
    return f'<table:table table:name="{name}">{rows}</table:table>'


def ods_row(cells: str = "", repeat: int | str | None = None) -> str:
    times = f' table:number-rows-repeated="{repeat}"' if repeat is not None else ""
    return f"<table:table-row{times}>{cells}</table:table-row>"


def ods_cell(value: float | str | None = None, repeat: int | None = None, attrs: str = "") -> str:
    """A number or text cell as LibreOffice writes it; None for an empty one."""
    times = f' table:number-columns-repeated="{repeat}"' if repeat is not None else ""
    if value is None:
        return f"<table:table-cell{times}{attrs}/>"
    if isinstance(value, str):
        return (
            f'<table:table-cell{times}{attrs} office:value-type="string" '
            f'calcext:value-type="string"><text:p>{value}</text:p></table:table-cell>'
        )
    return (
        f'<table:table-cell{times}{attrs} office:value-type="float" office:value="{value}" '
        f'calcext:value-type="float"><text:p>{value}</text:p></table:table-cell>'
    )


def write_ods(
    path: Path,
    sheets: dict[str, str] | None = None,
    *,
    content: str | bytes | None = None,
    extra: dict[str, str | bytes] | None = None,
    mimetype: str = ODS_MIMETYPE,
    manifest: str | bytes | None = None,
) -> Path:
    """A minimal .ods of the given tables ({name: rows}), or of `content` as content.xml.

    Parts in `extra` replace or add to the package's parts (styles.xml, meta.xml…).
    """
    tables = "".join(ods_table(name, rows) for name, rows in (sheets or {}).items())
    parts: dict[str, str | bytes] = {
        "content.xml": ods_content(tables) if content is None else content,
        "styles.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {ODS_NS} '
            'office:version="1.3"><office:styles/></office:document-styles>'
        ),
        "meta.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><office:document-meta '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'office:version="1.3"><office:meta/></office:document-meta>'
        ),
        "settings.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><office:document-settings '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'office:version="1.3"/>'
        ),
        "META-INF/manifest.xml": ods_manifest() if manifest is None else manifest,
        **(extra or {}),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        # As ODF requires: the mimetype first, stored uncompressed.
        z.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def ods_grid_bomb(path: Path, rows: int = 1_000_000, cols: int = 16_384) -> Path:
    """One value cell repeated `cols` times in a row repeated `rows` times: a few hundred bytes."""
    return write_ods(path, {"人員名冊": ods_row(ods_cell(1, repeat=cols), repeat=rows)})


def ods_text_bomb(path: Path, chars: int = 1000, rows: int = 1000, cols: int = 100) -> Path:
    """A text cell of `chars` characters repeated over rows × cols cells (within the cell limit)."""
    cell = ods_cell(
        None, repeat=cols, attrs=f' office:value-type="string" office:string-value="{"字" * chars}"'
    )
    return write_ods(path, {"人員名冊": ods_row(cell, repeat=rows)})


def ods_stored_empties(path: Path, rows: int = 200) -> Path:
    """Rows of 16,384 empty cells that calamine stores, though no cell holds a value."""
    row = ods_row(ods_cell(None, repeat=16_383) + ods_cell(None))
    return write_ods(path, {"人員名冊": ods_row(ods_cell(1)) + row * rows})


def ods_zip_bomb(path: Path, size: int = 5 * GB) -> Path:
    """An .ods whose content.xml is `size` bytes of zeros (about 1 KB per MB on disk)."""
    small = {
        "mimetype": ODS_MIMETYPE,
        "META-INF/manifest.xml": ods_manifest(),
        "styles.xml": "<office:document-styles/>",
    }
    members = []
    for name, text in small.items():
        raw = text.encode()
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
        members.append(
            (name, compressor.compress(raw) + compressor.flush(), zlib.crc32(raw), len(raw))
        )
    data, crc = deflated_zeros(size)
    members.append(("content.xml", data, crc, size))
    return write_raw_zip(path, members)
