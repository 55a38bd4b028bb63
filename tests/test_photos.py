"""佐證照片 (SPEC §8 ◆): found in the input folder's 佐證照片/, checked, re-encoded and placed
under their work items in the report; every file refused is a warning naming it."""

from __future__ import annotations

import io
import re
import shutil
import struct
import zipfile
import zlib
from pathlib import Path
from typing import NamedTuple

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from PIL import ExifTags, Image, ImageDraw

from gmreport.config import Config
from gmreport.photos import MAX_PIXELS, MAX_SIDE_PX, NUMERALS, parse_name, read_photos
from gmreport.pipeline import REPORT_NAME, Outcome, build
from gmreport.problems import Severity
from gmreport.read import PHOTOS_FOLDER
from gmreport.schema import WORK_ITEM_LIST

from .conftest import SAMPLES, SamplesBuild, once

PHOTO_CODES = {"photo-misnamed", "photo-not-image", "photo-too-large", "photo-elsewhere"}


def png_declaring(width: int, height: int) -> bytes:
    """A PNG of a few dozen bytes whose header declares `width` × `height` pixels: what a
    decompression bomb shows Pillow before any pixel is decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def photo(path: Path, size: tuple[int, int] = (400, 300), *, seed: int = 0, **save: object) -> Path:
    """A small photo with something drawn on it (different for each `seed`)."""
    image = Image.new("RGB", size, (40 + seed * 20 % 200, 90, 160))
    ImageDraw.Draw(image).rectangle((10 + seed, 10, size[0] // 2, size[1] // 2), fill="white")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, **save)
    return path


def with_gps(path: Path) -> Path:
    """A landscape JPEG (300 × 200 stored) that a phone held upright took: EXIF orientation
    6 (turn 90°), a camera and a GPS position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (22.0, 36.0, 50.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (120.0, 16.0, 30.0)
    return photo(path, (300, 200), exif=exif)


ACCEPTED = {  # file name → (work item's index in the plan, caption)
    "一-性平小組會議合影.jpg": (0, "性平小組會議合影"),
    "二-課程10.jpg": (1, "課程10"),
    "二-課程2.png": (1, "課程2"),
    "二 － 講師授課.JPEG": (1, "講師授課"),
    "五-社區宣導.jpg": (4, "社區宣導"),
}
"""The photos of the shared build; 二's three sort 「二 － …」, 「二-課程2」, 「二-課程10」
(a space before a hyphen; numbers as numbers)."""
REFUSED = {  # file (from the input folder) → the warning's code
    f"{PHOTOS_FOLDER}/三-假照片.jpg": "photo-not-image",
    f"{PHOTOS_FOLDER}/四-炸彈.png": "photo-too-large",
    f"{PHOTOS_FOLDER}/六-沒有這一項.jpg": "photo-misnamed",
    f"{PHOTOS_FOLDER}/活動照片.jpg": "photo-misnamed",
    f"{PHOTOS_FOLDER}/1-數字序號.jpg": "photo-misnamed",
    f"{PHOTOS_FOLDER}/二-動畫.gif": "photo-not-image",
    f"{PHOTOS_FOLDER}/三-截斷.jpg": "photo-not-image",
    f"{PHOTOS_FOLDER}/舊照片/一-子資料夾.jpg": "photo-elsewhere",
    f"附件/{PHOTOS_FOLDER}/一-別處.jpg": "photo-elsewhere",
}


class PhotosBuild(NamedTuple):
    outcome: Outcome
    report: Path
    folder: Path  # the input folder


@pytest.fixture(scope="module")
def photos_build(tmp_path_factory: pytest.TempPathFactory) -> PhotosBuild:
    """input_samples' 113 with a 佐證照片 folder of ACCEPTED and REFUSED files, built once
    for all workers."""
    return once(tmp_path_factory, "photos", _photos_build)


def _photos_build(root: Path) -> PhotosBuild:
    folder = root / "in"
    shutil.copytree(SAMPLES, folder)
    photos = folder / PHOTOS_FOLDER
    for seed, name in enumerate(ACCEPTED):
        photo(photos / name, seed=seed, format="PNG" if name.endswith(".png") else "JPEG")
    with_gps(photos / "五-社區宣導.jpg")
    transparent = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    transparent.save(photos / "二-課程2.png")
    (photos / "三-假照片.jpg").write_text("這是會議紀錄，不是照片", encoding="utf-8")
    (photos / "四-炸彈.png").write_bytes(png_declaring(100_000, 100_000))
    photo(photos / "六-沒有這一項.jpg")
    photo(photos / "活動照片.jpg")
    photo(photos / "1-數字序號.jpg")
    photo(photos / "二-動畫.gif", format="GIF")
    whole = photo(photos / "三-截斷.jpg", (600, 400)).read_bytes()
    (photos / "三-截斷.jpg").write_bytes(whole[: len(whole) // 2])
    photo(photos / "舊照片" / "一-子資料夾.jpg")
    photo(folder / "附件" / PHOTOS_FOLDER / "一-別處.jpg")
    outcome = build(folder, root / "out", Config())
    return PhotosBuild(outcome, root / "out" / REPORT_NAME.format(year=outcome.year), folder)


def blocks(doc: DocumentObject) -> list[Paragraph | Table]:
    return list(doc.iter_inner_content())


def chapters(doc: DocumentObject) -> list[list[Paragraph | Table]]:
    """The blocks of each work item's chapter: from its heading (a heading 2 under 辦理情形)
    to the next item's, or to the next heading 1."""
    found: list[list[Paragraph | Table]] = []
    inside = False
    for block in blocks(doc):
        style = block.style.style_id if isinstance(block, Paragraph) and block.style else ""
        if style == "Heading1":
            inside = block.text == "辦理情形"
            if not inside and found:
                break
        elif inside and style == "Heading2":
            found.append([block])
        elif inside and found:
            found[-1].append(block)
    return found


def photo_tables(chapter: list[Paragraph | Table]) -> list[Table]:
    """The tables after the chapter's 「佐證照片」 heading."""
    at = [
        i
        for i, b in enumerate(chapter)
        if isinstance(b, Paragraph) and b.style.style_id == "Heading3" and b.text == "佐證照片"
    ]
    assert len(at) <= 1
    return [b for b in chapter[at[0] + 1 :] if isinstance(b, Table)][:1] if at else []


def cell_image(doc: DocumentObject, cell) -> bytes | None:
    embeds = cell._tc.xpath(".//a:blip/@r:embed")
    assert len(embeds) <= 1
    return doc.part.related_parts[embeds[0]].blob if embeds else None


def shown_photos(doc: DocumentObject) -> list[list[tuple[str, bytes | None]]]:
    """Each work item's photo cells in reading order: caption and image, blanks left out."""
    shown = []
    for chapter in chapters(doc):
        cells = []
        for table in photo_tables(chapter):
            for row in table.rows:
                for cell in row.cells:
                    captions = [p.text for p in cell.paragraphs if p.text]
                    image = cell_image(doc, cell)
                    if captions or image:
                        assert len(captions) == 1 and image is not None
                        # the caption is below its photo, in the same cell
                        assert cell.paragraphs[-1].text == captions[0]
                        cells.append((captions[0], image))
        shown.append(cells)
    return shown


def test_photos_are_under_their_items_with_captions_in_file_name_order(photos_build):
    doc = Document(str(photos_build.report))
    assert len(chapters(doc)) == len(WORK_ITEM_LIST)
    expected: list[list[str]] = [[] for _ in WORK_ITEM_LIST]
    for name in sorted(ACCEPTED, key=lambda n: re.sub(r"\d+", lambda m: m[0].zfill(4), n)):
        index, caption = ACCEPTED[name]
        expected[index].append(caption)
    shown = shown_photos(doc)
    assert [[caption for caption, _ in item] for item in shown] == expected
    for chapter, captions in zip(chapters(doc), expected, strict=True):
        tables = photo_tables(chapter)
        assert bool(tables) == bool(captions)  # no heading, no table for an item without
        for table in tables:
            assert len(table.columns) == 2 and len(table.rows) == (len(captions) + 1) // 2
            borders = table._tbl.tblPr.find(qn("w:tblBorders"))
            assert borders is not None
            assert {b.get(qn("w:val")) for b in borders} == {"nil"}


def test_the_attachment_list_names_each_photo_by_item(photos_build):
    doc = Document(str(photos_build.report))
    texts = [p.text for p in doc.paragraphs]
    start = next(i for i, t in enumerate(texts) if t.startswith("附件："))
    assert f"佐證照片 {len(ACCEPTED)} 張" in texts[start]
    lines = texts[start + 1 : start + 4]
    for index, captions in ((0, ["性平小組會議合影"]), (1, ["講師授課", "課程2", "課程10"])):
        item = WORK_ITEM_LIST[index]
        line = next(t for t in lines if t.startswith(f"{NUMERALS[index]}、{item.name}"))
        assert f"（{len(captions)} 張）：{'、'.join(captions)}" in line
    assert (
        texts.index(next(t for t in texts if t.startswith("以上為本所"))) > start
    )  # before the closing sentence and the sign-off


def test_refused_and_misnamed_files_are_warnings_naming_them(photos_build):
    problems = photos_build.outcome.problems
    by_file = {Path(p.file).as_posix(): p for p in problems if p.code in PHOTO_CODES}
    assert {f: p.code for f, p in by_file.items()} == REFUSED
    for p in by_file.values():
        assert p.severity is Severity.WARNING and p.hint
    # nothing dropped silently: each file under a 佐證照片 folder is shown or warned of
    under = {
        f.relative_to(photos_build.folder).as_posix()
        for f in photos_build.folder.rglob("*")
        if f.is_file() and PHOTOS_FOLDER in f.parts
    }
    assert under == set(REFUSED) | {f"{PHOTOS_FOLDER}/{n}" for n in ACCEPTED}
    # the workbooks' listing does not read the photos as workbooks
    assert not [p for p in problems if p.code not in PHOTO_CODES and PHOTOS_FOLDER in p.file]
    assert "1-數字序號" in by_file[f"{PHOTOS_FOLDER}/1-數字序號.jpg"].file
    assert "國字" in by_file[f"{PHOTOS_FOLDER}/1-數字序號.jpg"].message
    report_text = "\n".join(p.text for p in Document(str(photos_build.report)).paragraphs)
    for caption in ("假照片", "炸彈", "沒有這一項", "動畫", "截斷", "子資料夾", "別處"):
        assert caption not in report_text


def test_photos_add_only_their_warnings_to_the_figures(photos_build, samples_build: SamplesBuild):
    with_photos, without = photos_build.outcome.figures, samples_build.outcome.figures
    assert with_photos is not None and without is not None
    ignored = {"built_at", "issues"}
    assert {k: v for k, v in with_photos.items() if k not in ignored} == {
        k: v for k, v in without.items() if k not in ignored
    }
    assert with_photos["issues"] == {
        "errors": without["issues"]["errors"],
        "warnings": without["issues"]["warnings"] + len(REFUSED),
    }


def test_no_metadata_reaches_the_report_and_photos_are_upright(photos_build):
    with Image.open(photos_build.folder / PHOTOS_FOLDER / "五-社區宣導.jpg") as source:
        assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test's own premise
        stored = source.size
    assert stored[0] > stored[1]
    doc = Document(str(photos_build.report))
    shown = dict(item for items in shown_photos(doc) for item in items)
    with Image.open(io.BytesIO(shown["社區宣導"])) as image:
        assert image.format == "JPEG"
        assert not image.getexif() and "exif" not in image.info
        assert image.size == stored[::-1]  # turned as its orientation says
    with zipfile.ZipFile(photos_build.report) as docx:
        media = [n for n in docx.namelist() if n.startswith("word/media/")]
        assert len(media) >= len(ACCEPTED)
        for name in media:
            data = docx.read(name)
            assert b"Exif" not in data and b"PhoneMaker" not in data, name
    with Image.open(io.BytesIO(shown["課程2"])) as image:  # a transparent PNG, on white
        assert image.mode == "RGB" and image.getpixel((5, 5)) == (255, 255, 255)


@pytest.mark.parametrize("size", [(8_000, 8_000), (10_000, 10_000), (100_000, 100_000)])
def test_a_decompression_bomb_is_refused_without_decoding(tmp_path, size):
    """Over our limit but under Pillow's, between Pillow's warning and its error, and over
    both: each refused as too large, and Pillow's own limit left as it was."""
    assert size[0] * size[1] > MAX_PIXELS
    limit = Image.MAX_IMAGE_PIXELS
    bomb = tmp_path / PHOTOS_FOLDER / "二-炸彈.png"
    bomb.parent.mkdir()
    bomb.write_bytes(png_declaring(*size))
    assert bomb.stat().st_size < 200
    photos, problems = read_photos(tmp_path)
    assert photos == []
    assert [(p.code, p.file) for p in problems] == [
        ("photo-too-large", f"{PHOTOS_FOLDER}/二-炸彈.png")
    ]
    assert limit == Image.MAX_IMAGE_PIXELS  # Pillow's limit left as it was


@pytest.mark.parametrize(
    ("stem", "index", "caption"),
    [
        ("二-性別意識培力課程", 1, "性別意識培力課程"),
        ("二 － 課程", 1, "課程"),
        ("五－CEDAW 宣導", 4, "CEDAW 宣導"),
        (" 一 -  會議-第2次 ", 0, "會議-第2次"),
        ("六-課程", None, "本計畫只有"),
        ("2-課程", None, "國字"),
        ("課程", None, "序號"),
        ("二-", None, "說明"),
        ("甲-課程", None, "不是工作項目序號"),
    ],
)
def test_a_photos_name_gives_its_item_and_caption(stem, index, caption):
    item, said = parse_name(stem)
    if index is None:
        assert item is None and caption in said
    else:
        assert item == WORK_ITEM_LIST[index] and said == caption


REPORT_MB_LIMIT = 2.5
"""A report with ten 3000 × 2000 photos of noise (JPEG's worst case; 61 MB as taken)
measured 1.7 MB, of which the photos about 1.5 MB."""


def test_ten_large_photos_keep_the_report_small(tmp_path, make_workbook, valid_rows):
    folder = tmp_path / "in"
    make_workbook(valid_rows, folder=folder)
    noise = Image.merge("RGB", [Image.effect_noise((3000, 2000), 60) for _ in range(3)])
    originals = 0
    for i in range(10):
        image = noise.copy()
        ImageDraw.Draw(image).rectangle((i * 200, 0, i * 200 + 400, 800), fill=(200, 40, 40))
        path = folder / PHOTOS_FOLDER / f"{NUMERALS[i % 5]}-活動照片{i}.jpg"
        path.parent.mkdir(exist_ok=True)
        image.save(path, quality=95)
        originals += path.stat().st_size
    outcome = build(folder, tmp_path / "out", Config())
    report = tmp_path / "out" / REPORT_NAME.format(year=outcome.year)
    size = report.stat().st_size
    assert size < REPORT_MB_LIMIT * 1024 * 1024 < originals
    doc = Document(str(report))
    shown = [image for items in shown_photos(doc) for _, image in items]
    assert len(shown) == 10
    for blob in shown:
        assert blob is not None
        with Image.open(io.BytesIO(blob)) as image:
            assert max(image.size) == MAX_SIDE_PX and image.format == "JPEG"
