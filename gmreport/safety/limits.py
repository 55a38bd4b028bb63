"""The fixed limits of the inspection, each with the reason for its value.

The gate (`gmreport.safety`) re-exports them all. It reads the element budgets
MAX_XML_ELEMENTS and MAX_SMALL_PART_ELEMENTS from its own namespace when it inspects a file
and hands them down, so setting those two on `gmreport.safety` (as the tests do) takes effect.
"""

from __future__ import annotations

MB = 1 << 20
EXCEL_ROWS = 1_048_576
EXCEL_COLS = 16_384

# A standard workbook of a few thousand rows is well under 5 MB; Excel compresses pasted
# photos on save, so even dozens of them stay below this.
MAX_FILE_BYTES = 100 * MB
# A real package has tens of parts; these bound what zipfile builds from the central directory.
MAX_MEMBERS = 10_000
MAX_DIRECTORY_BYTES = 4 * MB
# Declared uncompressed sizes. A 5,000-row sheet is about 5 MB of XML. A sheet formatted down to
# row 1,048,576 is ~200 MB but claims that range in <dimension>, so it gets the clearer huge-range.
MAX_MEMBER_BYTES = 256 * MB
MAX_TOTAL_BYTES = 512 * MB
# Sheet XML compresses 10–30:1 and a styles part bloated with 64,000 copies of one style about
# 300:1 (but stays under 16 MB); deflate tops out near 1,032:1, which is what bombs use.
MAX_RATIO = 200
RATIO_MIN_BYTES = 16 * MB
# calamine allocates a 32-byte cell for each of rows × cols and pandas copies the grid. Measured
# with pandas 3 / python-calamine 0.9: one 2,000,000-cell sheet peaks 112 MB above baseline and
# each further sheet keeps about 19 bytes a cell, so these keep a whole workbook under ~100 MB.
# A real sheet is a few thousand rows × ~20 columns (~100,000 cells; 12 such sheets pass too).
MAX_SHEET_CELLS = 1_000_000
MAX_WORKBOOK_CELLS = 2_000_000
# An .ods stores a run of equal cells once with a repeat count, and calamine and pandas copy
# the cell's text (and formula) into every cell of the run: 100,000 cells of 1,000 characters
# peaked 785 MB (~8 bytes a character). A real workbook holds well under a million characters.
MAX_TEXT_CHARS = 10_000_000
# calamine reserves 24 bytes for every unique string that sharedStrings.xml declares (#684).
MAX_SHARED_STRINGS = 1_000_000
MAX_MERGED = 10_000
# Each XML element costs ~0.6 µs through expat and Python handlers, so this bounds a scan to
# ~2.5 s. A real workbook has tens of thousands; a 1,000,000-cell sheet needs at most 3 a cell.
MAX_XML_ELEMENTS = 4_000_000
# expat holds a whole tag in memory until it ends, and ~120 bytes for every open element.
MAX_TAG_BYTES = 8 * MB
MAX_DEPTH = 256
# workbook.xml and .rels parts are parsed in memory by defusedxml; real ones are a few KB.
MAX_SMALL_PART_BYTES = 16 * MB
MAX_SMALL_PART_ELEMENTS = 100_000
CHUNK_BYTES = 256 * 1024


def mb(n: int) -> str:
    """A byte count in whole megabytes, for a message."""
    return f"{n / MB:,.0f} MB"


def beyond(rows: int, cols: int) -> bool:
    """Whether a range from A1 to the `rows`th row and `cols`th column is more than a reader
    can afford."""
    return rows * cols > MAX_SHEET_CELLS or rows > EXCEL_ROWS or cols > EXCEL_COLS
