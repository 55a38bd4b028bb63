"""Office files written the same, byte for byte, each time a tool runs (so git stays clean).

A zip records each member's time, and Office's docProps/core.xml when the file was made and
saved; both are fixed here.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_STAMPS = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def write_reproducibly(package: bytes | Path, out: Path, *, stamp: str | None = None) -> None:
    """Write the Office package `package` (bytes, or a file) to `out` with fixed zip times;
    given `stamp` (e.g. "2024-12-31T00:00:00Z"), also as its creation and save time."""
    data = package.read_bytes() if isinstance(package, Path) else package
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            content = src.read(info.filename)
            if stamp and info.filename == "docProps/core.xml":
                content = _STAMPS.sub(rb"\g<1>" + stamp.encode() + rb"\g<3>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, content)
