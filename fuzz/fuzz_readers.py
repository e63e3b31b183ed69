"""Fuzz the census readers: every input is read (and checked against a plan) or refused with a
DataError; nothing else may escape.

    python fuzz/fuzz_readers.py --minutes 5
    python fuzz/fuzz_readers.py --minutes 5 --engine atheris   # if `pip install atheris` works

Inputs (hypothesis):
- raw: real .xlsx .xls .ods .csv .parquet files with bytes flipped, inserted, deleted, cut;
- member: an .xlsx/.ods whose zip stays valid but one member (sheet XML, shared strings,
  workbook.xml, styles, relationships) is mutated, with XML fragments that stress the
  parser (error cells, huge cell references, odd types, merges, entities);
- csv: tables generated from census headers and awkward values (dates, Excel errors,
  full-width digits, units, thousands separators, huge numbers), in UTF-8/GBK/UTF-16.
Each file goes through `checking.check_file` with the Hengshui plan: read, then evaluated.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ROOT, Tally, hypothesis_settings, parse_args, run_atheris, run_hypothesis

from indicators.model.errors import IndicatorsError

HEADERS = [
    "区县", "街道", "社区", "户数", "常住人口", "社区综合服务设施面积", "是否有综合服务设施",
    "社区工作者人数", "户数（户）", "面积（万平方米）", "人口（万人）", "社区类型", "合计", "备注",
    "村居名称", "所属乡镇", "建成年份", "是否设立物业管理委员会", "",
]  # fmt: skip
VALUES = [
    "1200", "0", "-1", "3.5", "1,234", "1,2,3", "１２３４", "12%", "3万", "500平方米", "2万人",
    "1e309", "-1e309", "nan", "NaN", "inf", "-0", "0x10", "1_000", "#DIV/0!", "#N/A", "#VALUE!",
    "#REF!", "Err:502", "是", "否", "有", "无", "√", "×", "Y", "N", "TRUE", "2021-03-04",
    "2021/3/4", "44321", "—", "-", "/", "不详", "", " ", "\t", "合计", "小计", "城市社区",
    "农村社区", "=SUM(A1:A2)", "+1", "@x", "\u200b", "１.５", "9" * 400, "社" * 300, "\x00",
    "\ufeff", "'", '"', "\r", "\n",
]  # fmt: skip
XML_TOKENS = [
    b'<c r="A1" t="e"><v>#REF!</v></c>', b'<c r="XFD1048576"><v>1</v></c>', b'r="A0"',
    b'r="ZZZZZZZZ99999999999"', b' t="s"', b' t="b"', b' t="d"', b' t="str"', b' t="e"',
    b' t="inlineStr"', b"<v>1e309</v>", b"<v>-1</v>", b"<v>nan</v>", b"<v>99999999999</v>",
    b"<v>2958466</v>", b"<v>-700000</v>", b"<f>1/0</f>", b"<f>A1</f><v></v>", b' s="9999"',
    b'<mergeCell ref="A1:XFD1048576"/>', b'<mergeCell ref="B2:A1"/>', b'<mergeCell ref="A1"/>',
    b'<dimension ref="A1:XFD1048576"/>', b'<row r="1048577">', b'<row r="0">', b"<![CDATA[",
    b"&#0;", b"&#xFFFF;", b"&amp;", b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]>", b"&a;", b"\xff\xfe",
    b'<sheet name="x" sheetId="2" r:id="rId9"/>', b'state="hidden"', b'<is><t>x</t></is>',
    b"<si><t>\xe7\xa4\xbe\xe5\x8c\xba</t></si>", b'count="-1"', b'numFmtId="14"',
    b'<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>', b'Target="../../../etc/passwd"',
    b'Target="/xl/worksheets/sheet1.xml"', b"\x00", b">", b"<", b'"',
    # second red-team round: the classes that found silent loss and resource exhaustion
    b'<mergeCell ref="A1:XFD3"/>' * 64, b'<c r="XFD1048576" t="s"><v>0</v></c>',
    b'<c r="H9" t="s"><v>0</v></c>' * 64, b'<c r="B2" t="e"><f>1/0</f></c>' * 64,
    b"&foo;", b'<workbookPr codeName="&foo;"/>', b'<si><t>' + "长".encode() * 4000 + b"</t></si>",
    b'table:number-rows-repeated="1000000"', b'table:number-columns-repeated="16000"',
    b'<table:table-row table:number-rows-repeated="65536"><table:table-cell '
    b'table:number-columns-repeated="1024" office:value-type="float" office:value="1"/>'
    b"</table:table-row>",
]  # fmt: skip
MEMBERS = (
    "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml", "xl/styles.xml",
    "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "content.xml", "mimetype",
)  # fmt: skip
SUFFIXES = (".xlsx", ".csv", ".xls", ".ods", ".parquet", ".txt")


def make_seeds() -> dict[str, bytes]:
    """Small real files of every format the reader takes."""
    import openpyxl
    import pandas as pd
    import xlsxwriter

    rows = [
        ["A区", "一街道", "甲社区", 1200, 3500, 400.5, "是"],
        ["A区", "一街道", "乙社区", "1,300", "3600人", "#DIV/0!", "否"],
        ["A区", "二街道", "丙村", dt.datetime(2021, 3, 4), None, 120, True],
        ["合计", None, None, 3300, 7100, 520.5, None],
    ]
    seeds: dict[str, bytes] = {}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "社区基本情况"
    ws.append(["社区基本情况统计表"])
    ws.append(HEADERS[:7])
    for r in rows:
        ws.append(r)
    ws.merge_cells("A1:G1")
    wb.create_sheet("空表")
    buf = io.BytesIO()
    wb.save(buf)
    seeds["openpyxl.xlsx"] = buf.getvalue()

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet("Sheet1")
    sheet.merge_range("A1:C1", "基本信息")
    sheet.merge_range("D1:E1", "人口")
    for c, h in enumerate(["区县", "街道", "社区", "户数（户）", "常住人口（万人）"]):
        sheet.write(1, c, h)
    sheet.write_row(2, 0, ["B区", "三街道", "丁社区", 900, 0.25])
    sheet.write_formula(3, 3, "=D3*2", None, "")
    sheet.write_row(3, 0, ["B区", "三街道", "戊社区"])
    book.close()
    seeds["xlsxwriter.xlsx"] = buf.getvalue()

    text = "\n".join(",".join(map(str, [*r[:3], r[3], r[4]])) for r in rows)
    seeds["utf8.csv"] = ("\ufeff区县,街道,社区,户数,常住人口\n" + text + "\n").encode()
    seeds["gbk.csv"] = ("区县\t街道\t社区\t户数\n" + text.replace(",", "\t")).encode("gb18030")
    frame = pd.DataFrame(
        {"区县": ["A区", "A区"], "街道": ["一街道", "二街道"], "社区": ["甲", "乙"], "户数": [1, 2]}
    )
    buf = io.BytesIO()
    frame.to_parquet(buf)
    seeds["frame.parquet"] = buf.getvalue()
    buf = io.BytesIO()
    frame.to_excel(buf, engine="odf", index=False)
    seeds["frame.ods"] = buf.getvalue()
    xls = ROOT / "tests" / "read" / "fixtures" / "messy.xls"
    if xls.exists():
        seeds["messy.xls"] = xls.read_bytes()
    return seeds


def mutate(data: bytes, ops: list[tuple[str, int, bytes]]) -> bytes:
    buf = bytearray(data)
    for op, where, blob in ops:
        n = len(buf)
        at = where % (n + 1)
        if op == "flip" and n:
            buf[at % n] ^= (blob[0] if blob else 1) or 0x80
        elif op == "insert":
            buf[at:at] = blob
        elif op == "delete":
            del buf[at : at + 1 + (where >> 8) % 64]
        elif op == "truncate":
            del buf[at:]
        elif op == "duplicate" and n:
            end = min(n, at + 1 + (where >> 8) % 256)
            buf[at:at] = buf[at:end]
        elif op == "replace":
            buf[at : at + len(blob)] = blob
    return bytes(buf)


def rezip(data: bytes, member_index: int, ops) -> bytes:
    """The zip stays valid; one member's bytes are mutated."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
        contents = {i.filename: z.read(i) for i in infos}
    present = [m for m in MEMBERS if m in contents] or [i.filename for i in infos]
    name = present[member_index % len(present)]
    contents[name] = mutate(contents[name], ops)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in infos:
            z.writestr(info.filename, contents[info.filename])
    return out.getvalue()


class Target:
    def __init__(self, tally: Tally) -> None:
        from indicators.plan import load_plan
        from indicators.run.pipeline import ReadOptions

        self.tally = tally
        self.plan = load_plan("hengshui-2021-2025")
        self.options = ReadOptions()
        self.dir = Path(tempfile.mkdtemp(prefix="fuzz-readers-"))
        self.seeds = make_seeds()
        self.names = sorted(self.seeds)

    def one(self, kind: str, data: bytes, suffix: str) -> None:
        from indicators.run.pipeline import check_file

        path = self.dir / f"input{suffix}"
        path.write_bytes(data)
        self.tally.guard(
            kind,
            lambda: check_file(self.plan, path, self.options),
            (IndicatorsError,),
            data,
            suffix,
            refused_if=lambda outcome: outcome.error is not None,
        )

    def atheris_input(self, data: bytes) -> None:
        """libFuzzer bytes: first byte picks raw / member mutation of a seed / the bytes as a
        worksheet XML in a valid .xlsx."""
        if not data:
            return
        mode, rest = data[0] % 3, data[1:]
        if mode == 0:
            self.one("atheris-raw", rest, SUFFIXES[data[0] % len(SUFFIXES)])
            return
        seed = self.seeds[self.names[data[0] % len(self.names)]]
        if mode == 1 and seed.startswith(b"PK"):
            ops = [("replace", int.from_bytes(rest[:4] or b"\0", "little"), rest[4:40])]
            self.one("atheris-member", rezip(seed, data[0] // 3, ops), ".xlsx")
        else:
            base = self.seeds["openpyxl.xlsx"]
            with zipfile.ZipFile(io.BytesIO(base)) as z:
                contents = {i.filename: z.read(i) for i in z.infolist()}
            contents["xl/worksheets/sheet1.xml"] = rest
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as z:
                for name, body in contents.items():
                    z.writestr(name, body)
            self.one("atheris-sheetxml", out.getvalue(), ".xlsx")


def strategies(target: Target):
    from hypothesis import strategies as st

    ops = st.lists(
        st.tuples(
            st.sampled_from(["flip", "insert", "delete", "truncate", "duplicate", "replace"]),
            st.integers(0, 2**31),
            st.one_of(st.binary(min_size=1, max_size=16), st.sampled_from(XML_TOKENS)),
        ),
        min_size=1,
        max_size=8,
    )
    raw = st.tuples(st.just("raw"), st.sampled_from(target.names), ops, st.sampled_from(SUFFIXES))
    zips = [n for n in target.names if target.seeds[n].startswith(b"PK")]
    member = st.tuples(st.just("member"), st.sampled_from(zips), st.integers(0, 20), ops)
    cell = st.one_of(st.sampled_from(VALUES), st.text(max_size=12), st.floats().map(repr))
    header = st.lists(st.sampled_from(HEADERS), min_size=1, max_size=10)
    csv = st.tuples(
        st.just("csv"),
        header,
        st.lists(st.lists(cell, max_size=12), max_size=12),
        st.sampled_from([",", "\t", ";", "|"]),
        st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
        st.booleans(),
        st.one_of(st.none(), st.integers(0, 12)),  # a row where a quote opens and never closes
    )
    return st.one_of(raw, member, csv)


def run_case(target: Target, case) -> None:
    kind = case[0]
    if kind == "raw":
        _, name, ops, suffix = case
        target.one("raw", mutate(target.seeds[name], ops), suffix)
    elif kind == "member":
        _, name, index, ops = case
        suffix = ".ods" if name.endswith(".ods") else ".xlsx"
        target.one("member", rezip(target.seeds[name], index, ops), suffix)
    else:
        _, header, rows, delimiter, encoding, quote, unclosed = case
        lines = [header, *rows]

        def field(v: str) -> str:
            if quote or delimiter in v or '"' in v or "\n" in v:
                return '"' + v.replace('"', '""') + '"'
            return v

        out = [delimiter.join(field(v) for v in line) for line in lines]
        if unclosed is not None:  # the class that dropped 114 of 120 rows with exit 0
            at = unclosed % len(out)
            out[at] = '"' + out[at]
        text = "\n".join(out)
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            data = text.encode("utf-8", "replace")
        target.one("csv", data, ".csv")


def hypothesis_test(target: Target, batch: int, *, shrink: bool = False):
    from hypothesis import given

    if getattr(target, "case", None) is None:
        target.case = strategies(target)

    @hypothesis_settings(batch, shrink=shrink)
    @given(target.case)
    def test(case) -> None:
        run_case(target, case)

    return test


def main(argv: list[str] | None = None) -> int:
    args = parse_args(__doc__.splitlines()[0], argv)
    tally = Tally(f"readers/{args.engine}")
    seconds = args.minutes * 60
    if args.engine == "atheris":
        import atheris

        with atheris.instrument_imports(include=["indicators"]):
            pass
        target = Target(tally)
        run_atheris(seconds, tally, target.atheris_input, args.stats)
        return 0
    target = Target(tally)
    run_hypothesis(seconds, lambda batch: hypothesis_test(target, batch))
    tally.report(args.stats)
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
