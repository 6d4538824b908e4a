"""Law change notices (修法通知, issue 18.5): a county's items whose basis a new law version or a
repeal changed, and for each body to notify its items, streets and open cases.

An item's basis changed on a day when a citation of it names a version replaced by then (the
same reading as legal-basis: queries.law_versions) or a document recorded as repealed. The
bodies to notify are the department holding the item (原实施部门) and every street holding a
delegation of it in force that day; each gets the items, the change sentence and the open cases.
The answer carries when it was computed, so a notice sent out can say what it was based on.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, Field, computed_field

from queries.answers import Answer, Sheet, record_natives
from queries.cypher_files import cypher
from queries.law_versions import (
    LawVersionInfo,
    cited_version,
    follow_article,
    in_force,
    update_sentence,
)
from queries.lookups import region_code
from schema.enums import DocumentStatus

LAW_CHANGES = cypher("law_changes")
_BEIJING = timezone(timedelta(hours=8))


class BasisChange(BaseModel):
    """One citation of an item whose law changed (依据变化): what it cites and what changed."""

    item_code: str
    item_name: str
    title: str = Field(description="The law (法律文件)")
    article: int | None = None
    raw: str | None = Field(default=None, description="The citation as published (引用原文)")
    kind: str = Field(description="依据需更新 (a later version) or 依据已废止 (repealed)")
    new_article: int | None = Field(default=None, description="Its number now, where known")
    sentence: str = Field(description="The change, as a sentence (说明)")


class OpenCaseRef(BaseModel):
    """A case about the item not yet closed (未结案件)."""

    id: str
    status: str | None = None
    street_code: str | None = None
    street_name: str | None = None


class NoticeTarget(BaseModel):
    """One body to notify (通知对象): a department or a street, with what concerns it."""

    kind: str = Field(description="部门 or 街道/乡镇")
    id: str
    name: str | None = None
    items: list[str] = Field(description="Codes of its items whose basis changed (事项)")
    changes: list[str] = Field(description="The change sentences for those items (说明)")
    open_cases: list[str] = Field(default_factory=list, description="Open cases (未结案件)")


class LawChanges(Answer):
    """A county's law change notices on a day, grouped per body to notify, with the time made."""

    asked: str
    as_of: date
    computed_at: datetime = Field(description="When this list was computed (生成时间, 北京时间)")
    found: bool
    region_code: str | None = None
    region_name: str | None = None
    changes: list[BasisChange] = Field(default_factory=list)
    targets: list[NoticeTarget] = Field(default_factory=list)
    open_cases: list[OpenCaseRef] = Field(default_factory=list)

    @computed_field
    @property
    def explanation(self) -> str:
        if not self.found:
            return f"未找到地区 {self.asked!r}。"
        items = len({c.item_code for c in self.changes})
        return (
            f"{self.region_name}({self.region_code}) 截至 {self.as_of}:{items} 项事项的法律依据"
            f"因新版本或废止而变化,需通知 {len(self.targets)} 个单位,涉及未结案件 "
            f"{len(self.open_cases)} 件。生成于 {self.computed_at:%Y-%m-%d %H:%M}(北京时间)。"
        )

    def sheets(self) -> list[Sheet]:
        targets = Sheet(
            title="通知对象",
            columns=["类别", "名称", "编码", "事项", "依据变化", "未结案件"],
            rows=[
                [
                    t.kind,
                    t.name,
                    t.id,
                    "、".join(t.items),
                    ";".join(t.changes),
                    "、".join(t.open_cases),
                ]
                for t in self.targets
            ],
        )
        changes = Sheet(
            title="依据变化",
            columns=["事项编码", "事项名称", "文件", "条", "引用原文", "变化", "新条号", "说明"],
            rows=[
                [
                    c.item_code,
                    c.item_name,
                    c.title,
                    c.article,
                    c.raw,
                    c.kind,
                    c.new_article,
                    c.sentence,
                ]
                for c in self.changes
            ],
        )
        cases = Sheet(
            title="未结案件",
            columns=["案件编号", "状态", "发生街道", "街道编码"],
            rows=[[k.id, k.status, k.street_name, k.street_code] for k in self.open_cases],
        )
        made = Sheet(title="说明", columns=["说明"], rows=[[self.explanation]])
        return [made, targets, changes, cases]


@unit_of_work(metadata={"query": "law_changes"})
def law_changes(tx: ManagedTransaction, *, region: str, as_of: date) -> LawChanges:
    """The change notices of `region` (code or exact name) on `as_of`."""
    computed_at = datetime.now(_BEIJING).replace(microsecond=0)
    code = region_code(tx, region)
    record = tx.run(LAW_CHANGES, regionCode=code, asOf=as_of).single() if code else None
    if record is None:
        return LawChanges(
            asked=region, as_of=as_of, computed_at=computed_at, found=code is not None
        )
    found = record_natives(record)
    changed = [(link, change) for link in found["links"] if (change := _change(link, as_of))]
    return LawChanges(
        asked=region,
        as_of=as_of,
        computed_at=computed_at,
        found=True,
        region_code=found["region"]["code"],
        region_name=found["region"]["name"],
        changes=[change for _, change in changed],
        targets=_targets(changed),
        open_cases=_open_cases(changed),
    )


def _change(link: dict, as_of: date) -> BasisChange | None:
    """The citation's change by `as_of`: repealed, or a version since replaced; else None."""
    title = link["title"] or link["documentId"]
    common = {
        "item_code": link["itemCode"],
        "item_name": link["itemName"],
        "title": title,
        "article": link["article"],
        "raw": link["raw"],
    }
    if link["status"] == DocumentStatus.REPEALED.value or link["repealedBy"]:
        by = "、".join(f"《{r['title'] or r['id']}》" for r in link["repealedBy"])
        sentence = f"依据已废止: 《{title}》已废止" + (f",由{by}废止" if by else "")
        return BasisChange(**common, kind="依据已废止", sentence=sentence)
    versions = [LawVersionInfo.from_row(v) for v in link["versions"]]
    cited, _how = cited_version(versions, link["versionNote"], link["catalogEffective"])
    current = in_force(versions, as_of)
    if cited is None or current is None or current.version_date <= cited.version_date:
        return None
    moved = None
    if link["article"] is not None:
        moved = follow_article(versions, cited, current, link["article"])
    sentence = update_sentence(title, cited, current, link["article"], moved)
    return BasisChange(**common, kind="依据需更新", new_article=moved, sentence=sentence)


def _targets(changed: list[tuple[dict, BasisChange]]) -> list[NoticeTarget]:
    """Per body to notify: the departments holding the items, the streets holding delegations."""
    found: dict[tuple[str, str], dict] = {}
    for link, change in changed:
        bodies = [("部门", d["id"], d["name"]) for d in link["departments"]]
        bodies += [("街道/乡镇", s["code"], s["name"]) for s in link["streets"]]
        for kind, key, name in bodies:
            target = found.setdefault(
                (kind, key),
                {
                    "kind": kind,
                    "id": key,
                    "name": name,
                    "items": {},
                    "changes": {},
                    "open_cases": {},
                },
            )
            target["items"][change.item_code] = None
            target["changes"][f"{change.item_code}: {change.sentence}"] = None
            # A department hears of every open case of the item; a street of its own.
            for case in link["openCases"]:
                if kind == "部门" or case["streetCode"] == key:
                    target["open_cases"][case["id"]] = None
    ordered = sorted(found.values(), key=lambda t: (t["kind"] != "部门", t["id"]))
    return [
        NoticeTarget(
            kind=t["kind"],
            id=t["id"],
            name=t["name"],
            items=list(t["items"]),
            changes=list(t["changes"]),
            open_cases=list(t["open_cases"]),
        )
        for t in ordered
    ]


def _open_cases(changed: list[tuple[dict, BasisChange]]) -> list[OpenCaseRef]:
    cases: dict[str, OpenCaseRef] = {}
    for link, _change in changed:
        for k in link["openCases"]:
            cases[k["id"]] = OpenCaseRef(
                id=k["id"],
                status=k["status"],
                street_code=k["streetCode"],
                street_name=k["streetName"],
            )
    return [cases[key] for key in sorted(cases)]
