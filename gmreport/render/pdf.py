"""PDF of the Word report through LibreOffice (`soffice --headless --convert-to pdf`).

On Linux and macOS the report's 標楷體 is not installed; a private fontconfig file maps it
to a Kai (楷書) font that is, so the PDF keeps the look of the Word document.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..atomic import atomic_path
from ..problems import OutputError, os_reason
from ..processes import PROCESS_NOTE, run_side_process

TIMEOUT_S = 180

KAI_NAMES = ("標楷體", "DFKai-SB", "BiauKai", "標楷體-繁")
# Kai fonts to use for them, best first (fonts-arphic-ukai ships the first).
KAI_SUBSTITUTES = ("AR PL UKai TW", "AR PL UKai HK", "AR PL UKai CN", "TW-Kai", "Kaiti TC")

_WINDOWS_PLACES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
_MAC_PLACE = "/Applications/LibreOffice.app/Contents/MacOS/soffice"


def soffice_path() -> str | None:
    """Where LibreOffice's `soffice` is, or None when it is not installed."""
    places = _WINDOWS_PLACES if sys.platform == "win32" else (_MAC_PLACE,)
    found = shutil.which("soffice") or shutil.which("libreoffice")
    return found or next((p for p in places if Path(p).is_file()), None)


LATIN_SUBSTITUTES = ("Liberation Serif", "Tinos")
"""Fonts with the metrics of Times New Roman, which the report's Latin text is set in."""


def missing_fonts() -> list[str]:
    """What the PDF will lack on this machine, as a person can install it: a Kai font for
    標楷體 and a Times-metric font for Latin text. Empty where this cannot be told (Windows,
    no fontconfig), since Word's own fonts are there."""
    fc_list = shutil.which("fc-list")
    if sys.platform == "win32" or fc_list is None:
        return []
    try:
        listed = subprocess.run(
            [fc_list, ":", "family"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    families = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    missing = []
    if not families & {*KAI_NAMES, *KAI_SUBSTITUTES}:
        missing.append("楷書字型（例如 fonts-arphic-ukai），否則中文將改以其他字型顯示")
    if not families & {"Times New Roman", *LATIN_SUBSTITUTES}:
        missing.append(
            "與 Times New Roman 等寬的英數字型（例如 fonts-liberation 的 Liberation Serif），"
            "否則數字與日期可能被拆行"
        )
    return missing


def _fontconfig_file(folder: Path) -> Path | None:
    """A fonts.conf that includes the system's and maps 標楷體 to an installed Kai font."""
    if sys.platform == "win32":
        return None
    system = os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    aliases: list[tuple[str, tuple[str, ...]]] = [(name, KAI_SUBSTITUTES) for name in KAI_NAMES]
    aliases.append(("Times New Roman", LATIN_SUBSTITUTES))
    mapped = "".join(
        f'<alias binding="same"><family>{name}</family><prefer>'
        + "".join(f"<family>{p}</family>" for p in prefer)
        + "</prefer></alias>"
        for name, prefer in aliases
    )
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f'<fontconfig><include ignore_missing="yes">{system}</include>{mapped}'
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


def convert_to_pdf(docx: Path, out_dir: Path, *, work: Path | None = None) -> Path:
    """Convert `docx` to `out_dir/<same name>.pdf` and return that path.

    `work`: the folder of this run's temporary files in the output folder it holds
    (`atomic.output_lock`). LibreOffice's files (its profile, a copy of the report) are made
    there and its process is noted there, so that if the run is killed while converting,
    the next run into that folder stops LibreOffice and removes them (`processes`). Without
    it, and on Windows (where LibreOffice is given plain short paths), they are made in
    the system's temporary folder. LibreOffice never outlives an interrupted run.

    Raises OutputError with a message a person can act on when LibreOffice is missing,
    fails or takes longer than a few minutes.
    """
    soffice = soffice_path()
    if soffice is None:
        raise OutputError(
            "找不到 LibreOffice（soffice），無法轉出 PDF。"
            "請安裝 LibreOffice 後再試，或以 Word 開啟報告後「另存為 PDF」。"
        )
    if not docx.is_file():
        raise OutputError(f"找不到要轉成 PDF 的檔案「{docx}」。")
    target = out_dir / f"{docx.stem}.pdf"
    here = work if work is not None and sys.platform != "win32" else None
    with tempfile.TemporaryDirectory(prefix="gmreport-pdf-", dir=here) as tmp:
        # absolute, as a file:// address needs; not resolve(), which on Windows would turn
        # the short (8.3) temporary folder into its long, possibly Chinese, name
        folder = Path(os.path.abspath(tmp))
        source = folder / "report.docx"  # an ASCII name: soffice mangles some paths on Windows
        shutil.copyfile(docx, source)
        env = dict(os.environ)
        conf = _fontconfig_file(folder)
        if conf is not None:
            env["FONTCONFIG_FILE"] = str(conf)
        env.setdefault("LANG", "C.UTF-8")
        profile = f"-env:UserInstallation={(folder / 'profile').as_uri()}"
        command = [
            soffice,
            profile,
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        note = here / PROCESS_NOTE if here is not None else None
        try:
            done = run_side_process(command, env=env, timeout=TIMEOUT_S, mark=profile, note=note)
        except subprocess.TimeoutExpired:
            raise OutputError(
                f"LibreOffice 轉換 PDF 超過 {TIMEOUT_S} 秒仍未完成，已中止。"
                "請關閉其他 LibreOffice 視窗後再試。"
            ) from None
        except OSError as e:
            raise OutputError(f"無法執行 LibreOffice（{soffice}）：{os_reason(e)}。") from None
        produced = folder / "out" / "report.pdf"
        if done.returncode != 0 or not produced.is_file():
            raise OutputError(
                f"LibreOffice 無法將「{docx.name}」轉成 PDF（結束代碼 {done.returncode}）。"
                "請以 Word 開啟報告後「另存為 PDF」。"
            )
        with atomic_path(target) as out:
            shutil.copyfile(produced, out)
    return target
