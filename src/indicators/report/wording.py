"""How a report words what Results hold, in one language and with one plan's vocabulary.

A `Wording` is made once per report (`Wording.of(results, lang)`) and handed to the code
that renders it, so every label, target and shortfall sentence reads the field names of the
plan being reported on (no module-level state). Nothing here computes a figure: numbers come
from Results as they are and are only chosen and worded.

A shortfall is "what it takes", in natural units:
- a community (or a group judged on a ratio of sums): the amount of the lever field to add,
  from the engine's `shortfall` column ("needs +96 m² of facility floor area");
- a group judged on a share or count of communities: how many more communities must meet it;
- `shortfall_all` on a group row: the community shortfalls summed over the group.
"""

from __future__ import annotations

from dataclasses import dataclass

from indicators.engine.results import NOT_COMPUTABLE, NOT_MET, IndicatorResult, Results
from indicators.model.fields import Vocabulary
from indicators.model.i18n import t
from indicators.plan.model import Indicator
from indicators.report.columns import isnum
from indicators.report.text import describe_reason, fmt_number, status_label, unit_label, with_unit

# "是否建立志愿服务站点" -> "建立志愿服务站点": a yes/no field's name read as the action
_ACTIONS = (("是否有", "具备"), ("是否设有", "设立"), ("是否", ""))


def method_label(key: str, fact: str | None, lang: str) -> str:
    """A method's label (`Method.label_key_at`), naming the fact's level where it has one."""
    if fact is None:
        return t(key, lang)
    return t(key, lang, level=t(f"level.{fact}", lang), units=t(f"units.{fact}", lang))


def is_yes_no(r: IndicatorResult) -> bool:
    """Community values are 1/0 (a condition), shown as yes/no."""
    return r.indicator.is_condition and not r.indicator.checklist


@dataclass(frozen=True)
class Wording:
    """Labels and sentences in `lang`, field names from `vocabulary` (the plan's)."""

    lang: str
    vocabulary: Vocabulary | None = None

    @classmethod
    def of(cls, results: Results, lang: str) -> Wording:
        return cls(lang, results.plan.vocabulary)

    # ---------------------------------------------------------------- labels

    def t(self, key: str, **kwargs: object) -> str:
        return t(key, self.lang, **kwargs)

    def unit(self, unit: str | None) -> str:
        return unit_label(unit, self.lang)

    def level(self, level: str) -> str:
        return t(f"level.{level}", self.lang)

    def scope(self, ind: Indicator) -> str:
        return t(f"scope.{ind.scope}", self.lang)

    def status(self, status: str) -> str:
        return status_label(status, self.lang)

    def status_full(self, status: object, reason: object) -> str:
        """The status with why the figure could not be computed, as one cell says it:
        "不可计算：缺少数据：户数"; any other status alone ("" for none)."""
        label = self.status(status) if isinstance(status, str) else ""
        why = self.reason(reason) if status == NOT_COMPUTABLE else ""
        if not why:
            return label
        return f"{label}{'：' if self.lang == 'zh' else ': '}{why}"

    def community_type(self, community_type: object) -> str:
        """'urban' -> '城市社区' ('' for none)."""
        if not isinstance(community_type, str) or not community_type:
            return ""
        return t(f"community_type.{community_type}", self.lang)

    def method(self, r: IndicatorResult, level: str) -> str:
        """What a `level` row's figure is: "社区平均值", or for a street's own fact
        "街道自身数值（街道表）" on its own rows and "街道平均值" above them."""
        return method_label(r.method_key(level), r.fact_level, self.lang)

    def field(self, field_id: str | None) -> str:
        if not field_id:
            return ""
        f = self.vocabulary.get(field_id) if self.vocabulary is not None else None
        return f.name(self.lang) if f else field_id

    def reason(self, reason: object) -> str:
        """'missing:households' -> '缺少数据：户数' ('' for no reason)."""
        if not isinstance(reason, str) or not reason:
            return ""
        return describe_reason(reason, self.lang, self.vocabulary)

    def target(self, ind: Indicator, year: int | None, community_type: object = None) -> str:
        """The target with its unit; for targets by community type, the one for this type
        (or all of them, each named)."""
        if ind.targets_by_type and isinstance(community_type, str):
            target = ind.targets_by_type.get(community_type)
            text = target.text() if target else ""
        elif ind.targets_by_type:
            text = "; ".join(
                f"{self.t(f'community_type.{k}')} {v.text()}"
                for k, v in ind.targets_by_type.items()
            )
        else:
            text = ind.target_text_for(year)
        return with_unit(text, ind.unit, self.lang)

    # ---------------------------------------------------------------- sentences

    def amount(self, n: float, whole: bool) -> str:
        return fmt_number(abs(n), "", digits=0 if whole else 1)

    def _lower_first(self, name: str) -> str:
        """'Community workers' -> 'community workers' inside an English sentence."""
        if self.lang == "en" and len(name) > 1 and name[0].isupper() and name[1].islower():
            return name[0].lower() + name[1:]
        return name

    def _what(self, r: IndicatorResult) -> str:
        """What a community must have, for 'needs 3 more communities with ...'."""
        ind = r.indicator
        if ind.formula is not None and r.lever and ind.formula.text.strip() == r.lever:
            return self.field(r.lever)
        return ind.name(self.lang)

    def lever(self, r: IndicatorResult, amount: float) -> str:
        """'needs +96 m² of 社区综合服务设施面积' / 'needs 3 more 社区工作者人数'."""
        if not isnum(amount) or amount == 0:
            return ""
        lang = self.lang
        name = self._lower_first(self.field(r.lever) if r.lever else "")
        unit = self.unit(r.lever_unit)
        sep = "" if lang == "zh" else " "
        unit_part = (
            f"{sep}{unit}" if unit and r.lever_unit != "%" else ("%" if r.lever_unit == "%" else "")
        )
        n = self.amount(amount, r.lever_whole)
        if amount > 0 and r.lever_unit == "人":
            return t("shortfall.add_people", lang, n=n, field=name)
        key = "shortfall.add" if amount > 0 else "shortfall.remove"
        return t(key, lang, n=n, unit=unit_part, field=name)

    def action(self, r: IndicatorResult) -> str | None:
        """What a community does to meet a yes/no target, from the field's Chinese name
        ("建立新时代文明实践站", "开展群众满意度调查"); None when it cannot be read as one."""
        if self.lang != "zh" or not r.lever_boolean:
            return None
        name = self.field(r.lever)
        for prefix, verb in _ACTIONS:
            if name.startswith(prefix) and len(name) > len(prefix):
                return verb + name[len(prefix) :]
        return None

    def communities(self, r: IndicatorResult, amount: float) -> str:
        """'needs 3 more communities with ...' (or fewer without)."""
        if not isnum(amount) or amount == 0:
            return ""
        action = self.action(r)
        formula = r.indicator.formula.text.strip() if r.indicator.formula is not None else ""
        # "has X" needs more communities with X; "not has X" (counted down to zero) fewer
        # without
        n = self.amount(amount, True)
        if action and (
            (amount > 0 and formula == r.lever) or (amount < 0 and formula == f"not {r.lever}")
        ):
            return self.t("shortfall.communities_act", n=n, action=action)
        key = "shortfall.communities_more" if amount > 0 else "shortfall.communities_fewer"
        return self.t(key, n=n, what=self._what(r))

    def gain(self, r: IndicatorResult) -> str:
        """One community's missing yes/no item: "需建立志愿服务站点" (or "需具备：<field>")."""
        action = self.action(r)
        if action:
            return self.t("shortfall.act", action=action)
        return self.t("shortfall.gain", field=self.field(r.lever))

    def community_shortfall(
        self, r: IndicatorResult, status: str, amount: float, missing_items: str
    ) -> str:
        """What one community must do to meet the target."""
        if status != NOT_MET:
            return ""
        if r.indicator.checklist:
            return self.t(
                "shortfall.checklist", n=self.amount(amount, True), items=missing_items or ""
            )
        if isnum(amount) and amount != 0 and r.lever:
            return self.gain(r) if r.lever_boolean else self.lever(r, amount)
        return self.gain(r) if r.lever_boolean else ""

    def group_shortfall(self, r: IndicatorResult, amount: float, level: str | None = None) -> str:
        """What a street, district or the city (`level`) must do for its own figure to meet
        the target."""
        if not isnum(amount) or amount == 0:
            return ""
        if _own_condition(r, level):  # a street without its own station needs one
            return self.gain(r) if r.lever_boolean else self.t("shortfall.own_condition")
        if r.method.counts_communities:
            return self.communities(r, amount)
        if r.method.shortfall_in == "lever" and r.lever:
            return self.lever(r, amount)
        unit = self.unit(r.indicator.unit)
        sep = "" if self.lang == "zh" else " "
        key = "shortfall.total_add" if amount > 0 else "shortfall.total_remove"
        n = self.amount(amount, False)
        return self.t(key, n=n, unit=f"{sep}{unit}" if unit else "")

    def group_shortfall_unit(self, r: IndicatorResult, level: str | None = None) -> str:
        """The unit of a group row's own `shortfall` number."""
        if _own_condition(r, level):
            return self.t("shortfall.items_unit")
        if r.fact_level is not None and level is not None and level != r.fact_level:
            return ""  # the rows above a street's own fact count streets, with no shortfall
        if r.method.counts_communities:
            return self.t("shortfall.communities_unit")
        if r.method.shortfall_in == "lever":
            return self.unit(r.lever_unit)
        return self.unit(r.indicator.unit)

    def community_shortfall_unit(self, r: IndicatorResult) -> str:
        if r.indicator.checklist:
            return self.t("col.item")
        return self.unit(r.lever_unit) if r.lever else ""


def _own_condition(r: IndicatorResult, level: str | None) -> bool:
    """A yes/no condition a street or district meets on its own sheet row, judged on that
    row: its shortfall is the one thing it lacks, not a count of communities."""
    return level is not None and level == r.fact_level and r.indicator.is_condition
