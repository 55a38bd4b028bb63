"""佐證照片: the photos 人事室 puts in the input folder's `佐證照片/` subfolder (SPEC §8 ◆).

A photo is named `{一|二|三|四|五}-{說明}.jpg`: the number of its work item in the plan's
order, then its caption. Each is opened with Pillow, checked by its content (a JPEG or PNG,
not too large to decode safely, decodable to the end) and made into the JPEG the report
holds: turned upright by its EXIF orientation, scaled to fit the report's photo box, and
re-encoded without any metadata (no GPS position, camera or date goes into the report).
The untrusted file is decoded once, here; the report gets only the JPEG made from it.

Every file in the photo folder that does not become a photo is a warning naming it, and so
is a file in a `佐證照片` folder that is not the input folder's own.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from .problems import Problem, os_reason, problem
from .read import PHOTOS_FOLDER, display_name
from .schema import WORK_ITEM_LIST, WorkItem

SUFFIXES = (".jpg", ".jpeg", ".png")
FORMATS = ("JPEG", "PNG")
"""What a photo may be, by its content; a JPEG with several pictures (a phone's MPO) too."""
MAX_PIXELS = 50_000_000
"""The most pixels a photo may have: a phone's 48-megapixel photo passes; more is refused
before it is decoded (a small file can declare a huge image and take all memory)."""
MAX_FILE_BYTES = 60 * 1024 * 1024
MAX_SIDE_PX = 1000
"""The longest side of a photo in the report: about 8 cm at 320 dpi, sharp in print."""
JPEG_QUALITY = 80
NUMERALS = "一二三四五六七八九十"
NAME = re.compile(r"^\s*(?P<numeral>[^\s\-－]+)\s*[-－]\s*(?P<caption>.*?)\s*$")
"""「二-性別意識培力課程」, 「二 － 課程」: the numeral, an ASCII or full-width hyphen, the caption."""


@dataclass(frozen=True)
class Photo:
    """A photo accepted for the report: its work item, caption and the JPEG to show."""

    item: WorkItem
    caption: str
    file: str  # as messages name it: 佐證照片/二-課程.jpg
    jpeg: bytes
    size: tuple[int, int]  # of `jpeg`, in pixels, upright


def read_photos(folder: Path, skip: tuple[Path, ...] = ()) -> tuple[list[Photo], list[Problem]]:
    """The photos of `folder`'s `佐證照片/` subfolder, in the plan's order of work items and
    by file name within each, and a warning for every file there or in any other
    `佐證照片` folder under `folder` (folders in `skip` left out) not made a photo."""
    photos: list[Photo] = []
    problems: list[Problem] = []
    own = folder / PHOTOS_FOLDER
    for path, shown in _photo_folder_files(folder, skip):
        if path.parent != own:
            problems.append(problem("photo-elsewhere", file=shown, expected=PHOTOS_FOLDER))
            continue
        found = _read_photo(path, shown)
        if isinstance(found, Photo):
            photos.append(found)
        else:
            problems.append(found)
    order = {w.key: i for i, w in enumerate(WORK_ITEM_LIST)}
    photos.sort(key=lambda p: (order[p.item.key], _natural(Path(p.file).name)))
    return photos, problems


def _photo_folder_files(folder: Path, skip: tuple[Path, ...]) -> list[tuple[Path, str]]:
    """Every file inside a folder named 佐證照片 under `folder` (not following links), with
    its path from `folder` as a person reads it, sorted by that path."""
    avoid = {s.resolve() for s in skip}
    found: list[tuple[tuple[str, ...], Path]] = []
    for top, dirs, names in os.walk(folder, followlinks=False):
        here = Path(top)
        dirs[:] = sorted(d for d in dirs if (here / d).resolve() not in avoid)
        parts = here.relative_to(folder).parts
        if PHOTOS_FOLDER in parts:
            found += [((*parts, n), here / n) for n in names]
    found.sort(key=lambda item: item[0])
    return [(path, os.sep.join(display_name(Path(p)) for p in parts)) for parts, path in found]


def _read_photo(path: Path, shown: str) -> Photo | Problem:
    """The photo at `path` made ready for the report, or the warning that says why not."""
    name = display_name(path)
    stem, suffix = os.path.splitext(name)
    if suffix.lower() not in SUFFIXES:
        what = f"副檔名為「{suffix}」" if suffix else "沒有副檔名"
        return problem("photo-not-image", file=shown, detail=f"{what}，不是 .jpg 或 .png 照片")
    item, caption = parse_name(stem)
    if item is None:
        return problem("photo-misnamed", file=shown, detail=caption, choices=_choices())
    if not path.is_file():
        return problem(
            "photo-not-image", file=shown, detail="不是一般檔案（可能是失效的捷徑或連結）"
        )
    made = shrink(path, shown)
    return made if isinstance(made, Problem) else Photo(item, caption, shown, *made)


def parse_name(stem: str) -> tuple[WorkItem | None, str]:
    """The work item and caption a photo's name (less its extension) gives; or None and what
    is wrong with the name, as the warning says it."""
    stem = unicodedata.normalize("NFC", stem)  # a Mac writes names decomposed
    found = NAME.match(stem)
    if found is None:
        return None, "檔名開頭沒有工作項目序號及「-」"
    numeral, caption = found["numeral"], found["caption"]
    if numeral not in NUMERALS:
        if numeral.isdigit():
            return (
                None,
                f"工作項目序號「{numeral}」請以國字「一」至「{NUMERALS[len(WORK_ITEM_LIST) - 1]}」書寫",
            )
        return None, f"「{numeral}」不是工作項目序號"
    number = NUMERALS.index(numeral)
    if number >= len(WORK_ITEM_LIST):
        return None, f"本計畫只有 {len(WORK_ITEM_LIST)} 個工作項目，沒有第「{numeral}」項"
    if not caption:
        return None, "「-」後沒有照片說明"
    return WORK_ITEM_LIST[number], caption


def _choices() -> str:
    return "、".join(f"{NUMERALS[i]}（{w.name}）" for i, w in enumerate(WORK_ITEM_LIST))


def shrink(path: Path, shown: str) -> tuple[bytes, tuple[int, int]] | Problem:
    """The photo at `path` as the report's JPEG: upright, its longest side at most
    MAX_SIDE_PX, no metadata; and its size. Or the warning, naming the file `shown`, that
    says why it cannot be: too large to decode safely, not a JPEG or PNG, not decodable."""

    def refused(code: str, detail: str) -> Problem:
        return problem(code, file=shown, detail=detail)

    if path.stat().st_size > MAX_FILE_BYTES:
        return refused("photo-too-large", f"檔案超過 {MAX_FILE_BYTES // 1024 // 1024} MB")
    try:
        stream = open(path, "rb")  # noqa: SIM115 (closed by Pillow's image below)
    except OSError as e:
        return refused("photo-not-image", f"無法開啟檔案（{os_reason(e)}）")
    width = height = 0
    with warnings.catch_warnings():
        # Pillow warns of, then refuses, images over its own limit (set for the whole
        # process); ours is lower and checked on the declared size before decoding.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with stream, Image.open(stream, formats=FORMATS) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return refused("photo-too-large", _megapixels(width, height))
                image.draft("RGB", (MAX_SIDE_PX, MAX_SIDE_PX))  # a JPEG decodes smaller
                image.load()
                upright = ImageOps.exif_transpose(image)
                upright.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX), Image.Resampling.LANCZOS)
                picture = _on_white(upright)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            return refused("photo-too-large", _megapixels(width, height))
        except UnidentifiedImageError:
            return refused(
                "photo-not-image", "檔案內容不是 JPEG 或 PNG 圖片，可能是改了副檔名的其他檔案"
            )
        except Exception:  # a decoder fed a damaged or hostile file may raise anything
            return refused("photo-not-image", "圖片已損毀或不完整，無法解碼")
    buffer = io.BytesIO()
    picture.info.clear()  # nothing of the original's metadata is written
    picture.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue(), picture.size


def _on_white(image: Image.Image) -> Image.Image:
    """The photo in RGB; a transparent PNG on white paper, as it prints."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        paper = Image.new("RGB", rgba.size, "white")
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    if image.mode.startswith("I"):  # a 16-bit grey PNG: to 8 bits, not clipped at 255
        return image.convert("I").point(lambda v: v / 256).convert("RGB")
    return image.convert("RGB")


def _megapixels(width: int, height: int) -> str:
    if not width:
        return f"圖檔宣告的尺寸超過 {MAX_PIXELS // 1_000_000:,} 百萬像素的上限"
    return f"{width:,} × {height:,} 像素，約 {width * height / 1e6:,.0f} 百萬像素，上限為 {MAX_PIXELS // 1_000_000:,} 百萬像素"


def _natural(name: str) -> tuple[tuple[int, int | str], ...]:
    """A file name's sort key as a file manager shows names: 「照片2」 before 「照片10」."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part)
        for part in re.split(r"(\d+)", unicodedata.normalize("NFC", name))
        if part
    )
