"""Render the gap workbook's Summary and Scorecard and two assessment chart pages to PNG,
as LibreOffice prints them, for docs/screenshots/ (referenced from the README).

Needs LibreOffice (Debian: `apt-get install libreoffice-calc-nogui fonts-wqy-microhei`) and
poppler (`poppler-utils`); it is not part of CI. Run from the project folder:

    .venv/bin/python docs/screenshots/make_screenshots.py

Pages are found by their text (pdftotext), so the script keeps working when sheets grow.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
SAMPLE = ROOT / "sample_data"
PLAN = "hengshui-2021-2025"
DPI = 100

# PNG name -> text that identifies its page (the first page that has every piece)
GAP_PAGES = {
    "summary.png": ["指标差距报告"],
    "scorecard.png": ["指标记分卡"],
}
ASSESS_PAGES = {
    "assessment-charts-baseline.png": ["每百户居民拥有社区综合服务设施面积：", "基期值存疑"],
    "assessment-charts-overdue.png": ["志愿服务站点覆盖率：", "已逾期"],
}


def run(*args: str | Path) -> None:
    subprocess.run([str(a) for a in args], check=True, stdout=subprocess.DEVNULL)


def indicators(*args: str | Path) -> None:
    run(sys.executable, "-m", "indicators", *args)


def to_pdf(book: Path, folder: Path) -> Path:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        sys.exit("LibreOffice (soffice) not found: apt-get install libreoffice-calc-nogui")
    run(office, "--headless", "--convert-to", "pdf", "--outdir", folder, book)
    return folder / (book.stem + ".pdf")


def page_texts(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])
    texts = []
    for p in range(1, pages + 1):
        out = subprocess.run(
            ["pdftotext", "-f", str(p), "-l", str(p), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        )
        texts.append(out.stdout)
    return texts


def render(pdf: Path, wanted: dict[str, list[str]]) -> None:
    texts = page_texts(pdf)
    for name, pieces in wanted.items():
        page = next((i + 1 for i, text in enumerate(texts) if all(p in text for p in pieces)), None)
        if page is None:
            sys.exit(f"no page of {pdf.name} has {pieces}")
        target = OUT / name
        run("pdftoppm", "-png", "-r", DPI, "-f", page, "-l", page, "-singlefile", pdf,
            target.with_suffix(""))  # fmt: skip
        print(f"{target.relative_to(ROOT)}  <- {pdf.name} page {page}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        gaps = folder / "gaps.xlsx"
        indicators("check", SAMPLE / f"{PLAN}.xlsx", "--plan", PLAN, "--out", gaps, "-q")
        render(to_pdf(gaps, folder), GAP_PAGES)
        assessment = folder / "assessment.xlsx"
        censuses = [SAMPLE / f"{PLAN}-census-{y}.xlsx" for y in (2021, 2022, 2023)]
        indicators("assess", "--plan", PLAN, *censuses, "--out", assessment, "-q")
        render(to_pdf(assessment, folder), ASSESS_PAGES)


if __name__ == "__main__":
    main()
