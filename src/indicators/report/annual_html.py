"""A report draft (report/annual.py) as one self-contained HTML page: inline CSS and SVG, no
script, no external reference; prints to A4 (the scorecard on a landscape page).

Plain string building: every piece of text goes through `esc` (html.escape, quotes included,
characters XML forbids removed), so names from a submitted sheet stay text. A template
engine would add a dependency for a page with five kinds of block.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from indicators.files import write_text_atomic
from indicators.report.chart import ACTUAL, TARGET, TRAJECTORY, to_svg
from indicators.report.draft import Draft, Entry, Figure, Section, Table, is_number_cell

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")

CSS = """
:root { --ink:#222; --muted:#666; --line:#d0d0d0; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.7 "Microsoft YaHei",
  "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Source Han Sans SC", sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 28px 32px 48px; }
h1 { font-size: 26px; line-height: 1.35; text-align: center; margin: 8px 0 4px; }
.subtitle { text-align: center; color: var(--muted); margin: 0 0 24px; font-size: 13px; }
h2 { font-size: 20px; border-bottom: 2px solid var(--ink); padding-bottom: 4px; margin: 32px 0 12px; }
h3 { font-size: 17px; margin: 22px 0 8px; }
h4 { font-size: 15px; margin: 0 0 6px; }
p { margin: 6px 0; }
:lang(zh) p { text-align: justify; }
.indicator { border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; margin: 12px 0;
  break-inside: avoid; page-break-inside: avoid; }
.badges { margin: 0 0 6px; }
.badge { display: inline-block; border-radius: 10px; padding: 0 10px; font-size: 12px; line-height: 20px;
  margin-right: 6px; color: #fff; }
.s-achieved, .s-on_track { background: #2e7d32; }
.s-acceleration_needed { background: #b7791f; }
.s-limited_progress { background: #d35400; }
.s-deterioration { background: #b71c1c; }
.s-not_enough_data { background: #757575; }
.b-binding { background: #fff; color: #b71c1c; border: 1px solid #b71c1c; }
.b-overdue { background: #fff; color: #6a1b9a; border: 1px solid #6a1b9a; }
.row { display: flex; gap: 18px; align-items: flex-start; }
.row .text { flex: 1 1 50%; min-width: 0; }
.row figure { flex: 0 0 46%; margin: 0; }
figure svg { width: 100%; height: auto; display: block; }
@media (max-width: 720px) { .row { display: block; } }
figcaption, caption { font-size: 12px; color: var(--muted); text-align: left; padding: 4px 0; }
.legend span { display: inline-block; margin-right: 14px; font-size: 12px; color: var(--muted); }
.legend i { display: inline-block; width: 22px; height: 0; vertical-align: middle; margin-right: 4px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 14px; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 3px 6px; vertical-align: top; }
th { background: #f2f2f2; font-weight: 600; }
td.short, th.short { white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.met { background: #e8f5e9; }
td.not_met { background: #fdecea; }
.wide table { font-size: 11px; }
.wide td:first-child { min-width: 12em; }
td.hash { font-family: monospace; font-size: 11px; word-break: break-all; }
@page { size: A4; margin: 16mm 15mm; }
@page wide { size: A4 landscape; margin: 12mm 12mm; }
@media print {
  body { font-size: 10.5pt; }
  .indicator { padding: 8px 12px; margin: 8px 0; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3, h4 { break-after: avoid; page-break-after: avoid; }
  .wide { page: wide; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
}
"""


def esc(text: object) -> str:
    """Text as HTML text or attribute value: markup characters and quotes escaped."""
    return escape(_CONTROL.sub("", str(text)), quote=True)


def _legend(lang: str) -> str:
    from indicators.model.i18n import t

    items = [
        (ACTUAL, "solid", t("annual.legend.actual", lang)),
        (TRAJECTORY, "dashed", t("annual.legend.trajectory", lang)),
        (TARGET, "dashed", t("annual.legend.target", lang)),
    ]
    spans = "".join(
        f'<span><i style="border-top:2px {style} {color}"></i>{esc(label)}</span>'
        for color, style, label in items
    )
    return f'<div class="legend">{spans}</div>'


def _table(tb: Table) -> str:
    out = [f'<div class="{"wide" if tb.wide else "table"}"><table>']
    out.append(f"<caption>{esc(tb.caption)}</caption><thead><tr>")
    out += [f"<th{' class=short' if len(h) <= 4 else ''}>{esc(h)}</th>" for h in tb.header]
    out.append("</tr></thead><tbody>")
    for i, row in enumerate(tb.rows):
        marks = tb.marks[i] if i < len(tb.marks) else []
        out.append("<tr>")
        for j, cell in enumerate(row):
            classes = []
            if j > 0 and is_number_cell(cell):
                classes.append("num")
            if j < len(marks) and marks[j]:
                classes.append(marks[j])
            if len(cell) <= 4:
                classes.append("short")
            if len(cell) == 64 and re.fullmatch(r"[0-9a-f]{64}", cell):
                classes.append("hash")
            cls = f' class="{" ".join(classes)}"' if classes else ""
            out.append(f"<td{cls}>{esc(cell)}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def _figure(fig: Figure, lang: str) -> str:
    return f"<figure>{to_svg(fig.chart)}{_legend(lang)}<figcaption>{esc(fig.caption)}</figcaption></figure>"


def _entry(e: Entry, lang: str) -> str:
    from indicators.model.i18n import t

    badges = [f'<span class="badge s-{esc(e.status)}">{esc(e.status_label)}</span>']
    if e.binding:
        badges.append(
            f'<span class="badge b-binding">{esc(t("annual.badge.binding", lang))}</span>'
        )
    if e.overdue:
        badges.append(
            f'<span class="badge b-overdue">{esc(t("annual.badge.overdue", lang))}</span>'
        )
    body = "".join(f"<p>{esc(p)}</p>" for p in e.paragraphs)
    return (
        f'<article class="indicator" id="ind-{esc(e.id)}" data-status="{esc(e.status)}">'
        f'<h4>{esc(e.heading)}</h4><div class="badges">{"".join(badges)}</div>'
        f'<div class="row"><div class="text">{body}</div>{_figure(e.figure, lang)}</div></article>'
    )


def _section(sec: Section, depth: int, lang: str) -> str:
    tag = "h2" if depth == 1 else "h3"
    out = [f"<section><{tag}>{esc(sec.heading)}</{tag}>"]
    for b in sec.blocks:
        if isinstance(b, Section):
            out.append(_section(b, depth + 1, lang))
        elif isinstance(b, Entry):
            out.append(_entry(b, lang))
        elif isinstance(b, Table):
            out.append(_table(b))
        elif isinstance(b, Figure):
            out.append(_figure(b, lang))
        else:
            out.append(f"<p>{esc(b)}</p>")
    out.append("</section>")
    return "".join(out)


def render_html(d: Draft) -> str:
    lang_attr = "zh-CN" if d.lang == "zh" else "en"
    body = "".join(_section(s, 1, d.lang) for s in d.sections)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang_attr}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(d.title)}</title><style>{CSS}</style></head><body><main>"
        f'<h1>{esc(d.title)}</h1><p class="subtitle">{esc(d.subtitle)}</p>{body}'
        "</main></body></html>\n"
    )


def write_html(d: Draft, path: Path, lang: str = "zh") -> None:
    write_text_atomic(path, render_html(d), lang)
