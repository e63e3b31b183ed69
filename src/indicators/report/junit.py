"""JUnit XML for CI dashboards: one test suite per file.

Each file has a test case "data well formed" (failing with every data error listed) and, when
the plan was evaluated (`indicators check`), one test case per indicator: a failure when the
target is not met, skipped when it is not computable or not assessable from a census.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from indicators.engine.results import (
    MET,
    NO_TARGET,
    NOT_COMPUTABLE,
    NOT_MET,
    IndicatorResult,
    Results,
)
from indicators.model.i18n import t
from indicators.model.issues import Severity
from indicators.report.findings import findings, located_message
from indicators.report.worded import worded
from indicators.run.pipeline import FileOutcome


def render_junit(outcomes: list[FileOutcome], lang: str = "zh") -> str:
    root = ET.Element("testsuites", name="indicators")
    for outcome in outcomes:
        root.append(_suite(outcome, lang))
    _totals(root, root.findall("testsuite"))
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + _NOT_XML.sub(_visible, text)


# Characters XML 1.0 cannot hold at all, not even escaped: a cell holding one made the
# report invalid XML (found by the red team). They are written as visible escapes (\x1b).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _visible(m: re.Match) -> str:
    code = ord(m.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _suite(outcome: FileOutcome, lang: str) -> ET.Element:
    file = outcome.path.as_posix()
    suite = ET.Element("testsuite", name=file)
    if outcome.results is not None:
        stamp = outcome.results.generated_at.replace(microsecond=0, tzinfo=None)
        suite.set("timestamp", stamp.isoformat())
    if outcome.roster is not None:
        # Coverage of the submission against the roster, where CI dashboards show it.
        props = ET.SubElement(suite, "properties")
        coverage = outcome.roster.to_dict(lang)
        for key in ("expected", "reported", "matched", "coverage"):
            ET.SubElement(props, "property", name=f"roster.{key}", value=str(coverage[key]))
        case = _case(file, t("junit.roster", lang))
        missing = coverage["missing"]
        if missing:
            failure = _child(case, "failure", coverage["coverage"], type="missing-community")
            failure.text = "\n".join(str(m) for m in missing)
        else:
            ET.SubElement(case, "system-out").text = coverage["coverage"]
        suite.append(case)
    suite.append(_well_formed(outcome, file, lang))
    results = outcome.results
    if results is not None:
        for r in results.indicators:
            suite.append(_indicator_case(r, file, lang, results))
        for ind in results.not_assessed:
            case = _case(file, t("junit.indicator", lang, name=ind.name(lang), id=ind.id))
            _child(case, "skipped", t("junit.not_assessed", lang, target=ind.target_text or ""))
            suite.append(case)
    _totals(suite, suite.findall("testcase"))
    return suite


def _well_formed(outcome: FileOutcome, file: str, lang: str) -> ET.Element:
    case = _case(file, t("junit.well_formed", lang))
    found = findings(outcome)
    errors = [i for i in found if i.severity is Severity.ERROR]
    warnings = [i for i in found if i.severity is Severity.WARNING]
    lines = [f"[{i.code}] {located_message(i, lang)}" for i in found]
    if errors:
        summary = t("junit.errors_found", lang, errors=len(errors), warnings=len(warnings))
        first = located_message(errors[0], lang)
        failure = _child(case, "failure", f"{summary}: {first}", type=errors[0].code)
        failure.text = "\n".join(lines)
    elif lines:
        ET.SubElement(case, "system-out").text = "\n".join(lines)
    return case


def _indicator_case(r: IndicatorResult, file: str, lang: str, results: Results) -> ET.Element:
    ind, h = r.indicator, r.headline
    case = _case(file, t("junit.indicator", lang, name=ind.name(lang), id=ind.id))
    table = worded(results, lang)
    w = table.wording
    cells = table.headline(r)
    target, actual = cells["target"], cells["actual_text"]
    if h.status == NOT_MET:
        gap = cells["gap_text"]
        text = t("junit.not_met", lang, actual=actual, target=target, gap=gap)
        _child(case, "failure", text, type="target-not-met")
    elif h.status == NOT_COMPUTABLE:
        reason = w.reason(h.reason) or h.reason
        _child(case, "skipped", t("junit.not_computable", lang, reason=reason))
    elif h.status == NO_TARGET:
        _child(case, "skipped", t("junit.no_target", lang))
    elif h.status == MET:
        out = ET.SubElement(case, "system-out")
        out.text = t("junit.met", lang, actual=actual, target=target)
    return case


def _case(file: str, name: str) -> ET.Element:
    return ET.Element("testcase", classname=file, name=name, time="0")


def _child(parent: ET.Element, tag: str, message: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, tag, message=message, **attrs)


def _totals(element: ET.Element, children: list[ET.Element]) -> None:
    """tests/failures/errors/skipped attributes summed over cases (or over suites)."""
    if element.tag == "testsuites":
        for key in ("tests", "failures", "errors", "skipped"):
            element.set(key, str(sum(int(c.get(key, "0")) for c in children)))
        return
    element.set("tests", str(len(children)))
    element.set("failures", str(sum(1 for c in children if c.find("failure") is not None)))
    element.set("errors", str(sum(1 for c in children if c.find("error") is not None)))
    element.set("skipped", str(sum(1 for c in children if c.find("skipped") is not None)))
