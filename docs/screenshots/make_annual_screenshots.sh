#!/usr/bin/env bash
# Screenshots of the annual assessment report, as a planner sees it: the Word draft converted
# to PDF by LibreOffice, the HTML page printed to PDF (A4) by Chromium, the first two pages of
# each as PNG (docs/screenshots/annual-*.png). Not part of CI.
#
# Needs (Debian/Ubuntu):
#   apt-get install -y libreoffice-writer-nogui chromium poppler-utils \
#       fonts-wqy-microhei fonts-noto-cjk
#   pip install -e ".[reports]"
# Usage: bash docs/screenshots/make_annual_screenshots.sh   (from the repository root)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
profile="$(mktemp -d)"
trap 'rm -rf "$work" "$profile"' EXIT
indicators="${INDICATORS:-indicators}"
command -v "$indicators" >/dev/null || indicators="$root/.venv/bin/indicators"

cd "$root"
"$indicators" assess --plan hengshui-2021-2025 \
    sample_data/hengshui-2021-2025-census-2021.xlsx \
    sample_data/hengshui-2021-2025-census-2022.xlsx \
    sample_data/hengshui-2021-2025-census-2023.xlsx \
    --out "$work/annual-report.docx" --out "$work/annual-report.html" --quiet
"$indicators" check sample_data/hengshui-2021-2025-census-2023.xlsx --plan hengshui-2021-2025 \
    --year 2023 --out "$work/gap-report.html" --quiet || true

soffice --headless --convert-to pdf --outdir "$work" "$work/annual-report.docx" >/dev/null
for page in annual-report gap-report; do
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --no-pdf-header-footer \
        --print-to-pdf="$work/$page-html.pdf" "file://$work/$page.html" >/dev/null 2>&1
done

shot() {  # shot PDF PAGE NAME: one page as docs/screenshots/NAME.png
    pdftoppm -r 80 -png -f "$2" -l "$2" -singlefile "$1" "$here/$3"
}
shot "$work/annual-report.pdf" 1 annual-docx-page1
shot "$work/annual-report.pdf" 2 annual-docx-page2
shot "$work/annual-report-html.pdf" 1 annual-html-page1
shot "$work/annual-report-html.pdf" 2 annual-html-page2
shot "$work/gap-report-html.pdf" 1 annual-check-html-page1
echo "pages: docx $(pdfinfo "$work/annual-report.pdf" | awk '/^Pages/ {print $2}')," \
     "html $(pdfinfo "$work/annual-report-html.pdf" | awk '/^Pages/ {print $2}')"
ls -1 "$here"/annual-*.png
