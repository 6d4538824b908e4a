"""Who answers for a case, or an item in a street, on a day (责任链): subject to justice bureau."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from neo4j import ManagedTransaction, unit_of_work
from pydantic import BaseModel, ConfigDict, Field, computed_field

from authreg.errors import RegistryError
from queries.answers import Answer, Sheet, record_natives
from queries.authority import authority
from queries.cypher_files import cypher
from queries.department_of_day import department_ids, departments_of_day
from queries.working_days import china_today
from schema.enums import DepartmentKind, OfficerRole, UnitKind

RESPONSIBILITY_CHAIN = cypher("responsibility_chain")
RESPONSIBILITY_CHAIN_CASE = cypher("responsibility_chain_case")

TEAM_KINDS = [UnitKind.STREET_TEAM.value, UnitKind.STREET_CENTER.value]
OFFICER_PATHS = {
    "Zone": "(:Officer)-[:POSTED_TO]->(:Zone)<-[:IN_ZONE]-(:Street)",
    "Street": "(:Officer)-[:POSTED_TO]->(:Street)",
    "Unit": "(:Officer)-[:MEMBER_OF]->(:Unit)-[:PART_OF]->(:Street)",
}


class ChainNode(BaseModel):
    """A node of the chain: its label, business key and name."""

    model_config = ConfigDict(frozen=True)
    label: str
    # an officer's key is the certificate number: personal data when the node is an Officer
    key: str = Field(json_schema_extra={"personal_when": {"label": "Officer"}})
    name: str = Field(json_schema_extra={"personal_when": {"label": "Officer"}})


class ChainLink(BaseModel):
    """One link (环节): a node and the relationship path(s) that put it there, or a gap."""

    model_config = ConfigDict(frozen=True)
    position: int
    role: str  # 执法主体, 执法队伍, 片区, 协调中队, 大队, 主管部门, 法制审核, 执法监督, 司法行政
    node: ChainNode | None  # None: the link is missing, and `note` says why
    paths: list[str]
    note: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def missing(self) -> bool:
        return self.node is None


class CatalogRow(BaseModel):
    """A catalog version authorising the delegation (赋权依据目录), with the row cited."""

    model_config = ConfigDict(frozen=True)
    id: str
    title: str
    doc_number: str | None = None
    row: int | None = None


class DelegationEvidence(BaseModel):
    """The delegation of the item to the street in force that day, with its catalogs."""

    model_config = ConfigDict(frozen=True)
    id: str
    mode: str
    valid_from: date | None = None
    valid_to: date | None = None
    confirmation: str | None = None
    departments: list[ChainNode]
    catalogs: list[CatalogRow]


class ResponsibilityChain(Answer):
    """The ordered chain of bodies and people who answer for a case or an item in a street."""

    case: str | None = None
    item: ChainNode | None = None
    street: ChainNode | None = None
    as_of: date
    subject_from: str  # how the subject was found: the case's HANDLED_BY, or authority(...)
    delegations: list[DelegationEvidence] = Field(default_factory=list)
    links: list[ChainLink] = Field(default_factory=list)
    unknown: list[str] = Field(
        default_factory=list
    )  # what the registry cannot say (case or street not found, ...)

    def missing(self) -> list[ChainLink]:
        return [link for link in self.links if link.node is None]

    def role(self, role: str) -> list[ChainLink]:
        return [link for link in self.links if link.role == role]

    def sheets(self) -> list[Sheet]:
        chain = Sheet(
            title="责任链",
            columns=["序号", "环节", "类型", "编号", "名称", "关系路径", "说明"],
            rows=[_link_row(link) for link in self.links]
            + [[None, "未知", None, None, None, None, text] for text in self.unknown],
        )
        evidence = Sheet(
            title="赋权依据",
            columns=[
                "赋权编号",
                "方式",
                "生效",
                "终止",
                "赋权部门",
                "目录",
                "文号",
                "行",
                "确认书",
            ],
            rows=[
                [
                    d.id,
                    d.mode,
                    d.valid_from,
                    d.valid_to,
                    "、".join(dep.name for dep in d.departments),
                    c.title,
                    c.doc_number,
                    c.row,
                    d.confirmation,
                ]
                for d in self.delegations
                for c in d.catalogs
            ],
        )
        return [chain, evidence]


@unit_of_work(metadata={"query": "responsibility_chain"})
def responsibility_chain(
    tx: ManagedTransaction,
    *,
    case: str | None = None,
    item: str | None = None,
    street: str | None = None,
    as_of: date | None = None,
) -> ResponsibilityChain:
    """The chain for a case (as of its violation date by default) or for item + street (codes
    or exact names, resolved by question 1's `authority`)."""
    if case is not None:
        return _case_chain(tx, case, as_of)
    if item is None or street is None:
        raise RegistryError("责任链 needs a case, or both an item code and a street code")
    day = as_of or china_today()
    subject, subject_from, item, street = _competent_subject(tx, item, street, day)
    return _chain(tx, street, item, day, subject, subject_from, case=None)


# -- the case and the subject -----------------------------------------------------------------


def _case_chain(tx: ManagedTransaction, case: str, as_of: date | None) -> ResponsibilityChain:
    record = tx.run(RESPONSIBILITY_CHAIN_CASE, caseId=case).single()
    if record is None:
        return ResponsibilityChain(
            case=case,
            as_of=as_of or china_today(),
            subject_from="—",
            unknown=[f"案件 {case} 不在登记簿中"],
        )
    found = record_natives(record)
    filed = found["filedAt"].date() if found["filedAt"] else None
    day = as_of or found["occurredOn"] or filed or china_today()
    if found["streetCode"] is None:
        return ResponsibilityChain(
            case=case, as_of=day, subject_from="—", unknown=[f"案件 {case} 未记录发生地"]
        )
    handlers = [ChainNode.model_validate(h) for h in found["handlers"]]
    if len(handlers) == 1:
        subject: ChainNode | str = handlers[0]
        subject_from = f"(:Case)-[:HANDLED_BY]->(:{handlers[0].label})"
    elif handlers:
        names = "、".join(h.name for h in handlers)
        subject, subject_from = f"案件记录了多个办案主体({names}),不予择一", "(:Case)-[:HANDLED_BY]"
    elif found["itemCode"] is None:
        subject, subject_from = f"案件 {case} 无办案主体且未记录执法事项", "—"
    else:
        subject, subject_from, _, _ = _competent_subject(
            tx, found["itemCode"], found["streetCode"], day
        )
    return _chain(tx, found["streetCode"], found["itemCode"], day, subject, subject_from, case)


def _competent_subject(
    tx: ManagedTransaction, item: str, street: str, as_of: date
) -> tuple[ChainNode | str, str, str, str]:
    """The subject question 1 names (执法主体) or why none (a str); item and street as codes."""
    answer = authority(tx, item=item, street=street, as_of=as_of)
    source = f"authority(item, street, asOf): {answer.outcome}"
    item_code = answer.item.code if answer.item else item
    street_code = answer.street.code if answer.street else street
    if answer.outcome != "determined" or answer.subject is None:
        return (
            f"执法主体未定 ({answer.outcome}): {answer.explanation}",
            source,
            item_code,
            street_code,
        )
    body = answer.subject
    return ChainNode(label=body.kind, key=body.key, name=body.name), source, item_code, street_code


# -- assembling the chain ---------------------------------------------------------------------


def _chain(
    tx: ManagedTransaction,
    street: str,
    item: str | None,
    as_of: date,
    subject: ChainNode | str,
    subject_from: str,
    case: str | None,
) -> ResponsibilityChain:
    subject_node = subject if isinstance(subject, ChainNode) else None
    record = tx.run(
        RESPONSIBILITY_CHAIN,
        streetCode=street,
        subjectStreet=subject_node.key if subject_node and subject_node.label == "Street" else None,
        subjectDepartment=subject_node.key
        if subject_node and subject_node.label == "Department"
        else None,
        itemCode=item,
        asOf=as_of,
        teamKinds=TEAM_KINDS,
        brigadeKind=UnitKind.BRIGADE.value,
        officerRoles=[OfficerRole.LEGAL_REVIEWER.value, OfficerRole.SUPERVISOR.value],
        justiceKind=DepartmentKind.JUSTICE.value,
    ).single()
    if record is None:
        return ResponsibilityChain(
            case=case,
            as_of=as_of,
            subject_from=subject_from,
            unknown=[f"街道 {street} 不在登记簿中"],
        )
    row = _departments_of_day(tx, _zones_ordered(record_natives(record)), as_of)
    delegations = [_delegation(d) for d in row["delegations"]]
    drafts = [
        _subject_link(row, subject, subject_from, delegations),
        *_team_links(row, subject_node),
        *_zone_links(row, as_of),
        *_brigade_links(row),
        *_department_links(row, delegations),
        *_officer_links(row, OfficerRole.LEGAL_REVIEWER, "法制审核", as_of),
        *_officer_links(row, OfficerRole.SUPERVISOR, "执法监督", as_of),
        *_justice_links(row),
    ]
    item_node = row["item"]
    unknown = [] if item is None or item_node else [f"执法事项 {item} 不在登记簿中"]
    return ResponsibilityChain(
        case=case,
        item=ChainNode(label="EnforcementItem", key=item_node["code"], name=item_node["name"])
        if item_node
        else None,
        street=ChainNode(label="Street", key=row["street"]["code"], name=row["street"]["name"]),
        as_of=as_of,
        subject_from=subject_from,
        delegations=delegations,
        links=[draft.model_copy(update={"position": n}) for n, draft in enumerate(drafts, 1)],
        unknown=unknown,
    )


def _zones_ordered(row: dict) -> dict:
    """The row with each zone's squads and their brigades sorted by id (the statement reads them
    with pattern comprehensions, which keep no order: quicker to plan than nested subqueries)."""
    for zone in row["zones"]:
        zone["squads"].sort(key=lambda squad: squad["id"])
        for squad in zone["squads"]:
            squad["brigades"].sort(key=lambda brigade: brigade["id"])
    return row


def _departments_of_day(tx: ManagedTransaction, row: dict, as_of: date) -> dict:
    """The row with every department as on `as_of` (机构改革): renamed by its name of the day, a
    merged one by its successor, each once per list (one department_of_day read for all)."""
    teams = row["subjectTeams"]
    brigades = [b for z in row["zones"] for s in z["squads"] for b in s["brigades"]]
    lists = [u["departments"] for u in teams + brigades]
    lists += [d["from"] for d in row["delegations"]]
    lists += [row["itemDepartments"], row["justice"]]
    sheet = departments_of_day(tx, department_ids(lists), as_of)

    def of_day(departments: list[dict]) -> list[dict]:
        found = {d["id"]: d for d in sheet.apply(departments)}
        return [found[key] for key in sorted(found)]

    for unit in teams + brigades:
        unit["departments"] = of_day(unit["departments"])
    for delegation in row["delegations"]:
        delegation["from"] = of_day(delegation["from"])
    row["itemDepartments"] = of_day(row["itemDepartments"])
    row["justice"] = of_day(row["justice"])
    return row


def _link(
    role: str, node: ChainNode | None, paths: Iterable[str], note: str | None = None
) -> ChainLink:
    return ChainLink(position=0, role=role, node=node, paths=list(paths), note=note)


def _unit(unit: dict[str, Any]) -> ChainNode:
    return ChainNode(label="Unit", key=unit["id"], name=unit["name"])


def _department(department: dict[str, Any]) -> ChainNode:
    return ChainNode(label="Department", key=department["id"], name=department["name"])


def _delegation(found: dict[str, Any]) -> DelegationEvidence:
    return DelegationEvidence(
        id=found["id"],
        mode=found["mode"],
        valid_from=found["valid_from"],
        valid_to=found["valid_to"],
        confirmation=found["confirmation"],
        departments=[_department(d) for d in found["from"]],
        catalogs=[CatalogRow.model_validate(c) for c in found["evidence"]],
    )


def _subject_link(
    row: dict, subject: ChainNode | str, subject_from: str, delegations: list[DelegationEvidence]
) -> ChainLink:
    if not isinstance(subject, ChainNode):
        return _link("执法主体", None, [subject_from], subject)
    paths = [subject_from]
    if subject.label == "Street" and any(d.mode != "派驻" for d in delegations):
        paths.append("(:Delegation)-[:TO]->(:Street)")
    if subject.label == "Department":
        by = {dep.key for d in delegations for dep in d.departments}
        held = {d["id"] for d in row["itemDepartments"]}
        paths += ["(:Delegation)-[:FROM]->(:Department)"] if subject.key in by else []
        paths += ["(:EnforcementItem)-[:HELD_BY]->(:Department)"] if subject.key in held else []
    return _link(
        "执法主体", subject, paths, "; ".join(f"{d.mode} {d.id}" for d in delegations) or None
    )


def _team_links(row: dict, subject: ChainNode | None) -> list[ChainLink]:
    if subject is None:
        return [_link("执法队伍", None, [], "执法主体未定,无从确定执法队伍")]
    path = f"(:Unit)-[:PART_OF]->(:{subject.label})"
    links = [_link("执法队伍", _unit(u), [path], u["kind"]) for u in row["subjectTeams"]]
    if subject.label == "Department" and row["street"]["mode"] == "派驻":
        # 派驻: the street's team works in the county department's name (seed 004 4.).
        links += [
            _link(
                "执法队伍", _unit(u), ["(:Unit)-[:PART_OF]->(:Street)"], "派驻: 以区级部门名义执法"
            )
            for u in row["streetTeams"]
        ]
    return links or [_link("执法队伍", None, [path], f"{subject.name}无执法队伍或大队")]


def _zone_links(row: dict, as_of: date) -> list[ChainLink]:
    street = row["street"]["name"]
    if not row["zones"]:
        return [
            _link(
                "片区", None, ["(:Street)-[:IN_ZONE]->(:Zone)"], f"{street}于{as_of}不属于任何片区"
            ),
            _link("协调中队", None, ["(:Zone)-[:COORDINATED_BY]->(:Unit)"], "无片区,无协调中队"),
        ]
    links = []
    for zone in row["zones"]:
        node = ChainNode(label="Zone", key=zone["id"], name=zone["name"])
        links.append(_link("片区", node, ["(:Street)-[:IN_ZONE]->(:Zone)"]))
        links += [
            _link("协调中队", _unit(s), ["(:Zone)-[:COORDINATED_BY]->(:Unit)"], s["kind"])
            for s in zone["squads"]
        ] or [
            _link(
                "协调中队",
                None,
                ["(:Zone)-[:COORDINATED_BY]->(:Unit)"],
                f"{zone['name']}无协调中队",
            )
        ]
    return links


def _brigade_links(row: dict) -> list[ChainLink]:
    path = "(:Zone)-[:COORDINATED_BY]->(:Unit)-[:PART_OF]->(:Unit)"
    brigades = _unique(b for z in row["zones"] for s in z["squads"] for b in s["brigades"])
    if brigades:
        return [_link("大队", _unit(b), [path], b["kind"]) for b in brigades]
    # Without a zone squad the subject's own brigade (a department's 大队) is the brigade.
    own = [u for u in row["subjectTeams"] if u["kind"] == UnitKind.BRIGADE.value]
    return [
        _link("大队", _unit(u), ["(:Unit)-[:PART_OF]->(:Department)"], "执法主体所属大队")
        for u in own
    ] or [_link("大队", None, [path], "无协调中队所属的大队")]


def _department_links(row: dict, delegations: list[DelegationEvidence]) -> list[ChainLink]:
    found: dict[str, tuple[ChainNode, list[str], list[str]]] = {}

    def add(node: ChainNode, path: str, note: str) -> None:
        entry = found.setdefault(node.key, (node, [], []))
        if path not in entry[1]:
            entry[1].append(path)
            entry[2].append(note)

    brigades = [b for z in row["zones"] for s in z["squads"] for b in s["brigades"]]
    brigades = brigades or [u for u in row["subjectTeams"] if u["kind"] == UnitKind.BRIGADE.value]
    for brigade in brigades:
        for dep in brigade["departments"]:
            add(_department(dep), "(:Unit)-[:PART_OF]->(:Department)", f"{brigade['name']}所属部门")
    for delegation in delegations:
        for dep in delegation.departments:
            add(dep, "(:Delegation)-[:FROM]->(:Department)", f"{delegation.mode}部门")
    if not delegations:
        for dep in row["itemDepartments"]:
            add(_department(dep), "(:EnforcementItem)-[:HELD_BY]->(:Department)", "原实施部门")
    links = [
        _link("主管部门", node, paths, "; ".join(notes)) for node, paths, notes in found.values()
    ]
    return links or [_link("主管部门", None, [], "无大队所属部门,也无赋权或原实施部门")]


def _officer_links(row: dict, role: OfficerRole, title: str, as_of: date) -> list[ChainLink]:
    chosen = [o for o in row["officers"] if role.value in o["roles"]]
    links = []
    for officer in _unique(chosen):
        posts = [o for o in chosen if o["id"] == officer["id"]]
        node = ChainNode(label="Officer", key=officer["id"], name=officer["name"])
        paths = [OFFICER_PATHS[o["via"]] for o in posts]
        links.append(_link(title, node, paths, _officer_note(officer, posts, as_of)))
    if links:
        return links
    places = "、".join(z["name"] for z in row["zones"]) or row["street"]["name"]
    return [_link(title, None, list(OFFICER_PATHS.values()), f"{places}无{role.value}")]


def _officer_note(officer: dict, posts: list[dict], as_of: date) -> str:
    where = "; ".join(
        f"{p['mode']} {p['place']}" if p["mode"] else f"属 {p['place']}" for p in posts
    )
    start, end = officer["valid_from"], officer["valid_to"]
    certified = (start is None or start <= as_of) and (end is None or as_of <= end)
    validity = f"执法证 {start or '?'}至{end or '长期'}" + ("" if certified else f", {as_of}无效")
    return f"{'、'.join(officer['unit'])}; {where}; {validity}"


def _justice_links(row: dict) -> list[ChainLink]:
    path = "(:Street)-[:PART_OF]->(:Region)<-[:PART_OF]-(:Department)"
    region = "、".join(r["name"] for r in row["regions"]) or row["street"]["name"]
    return [_link("司法行政", _department(j), [path]) for j in row["justice"]] or [
        _link("司法行政", None, [path], f"{region}无司法行政部门")
    ]


def _unique(found: Iterable[dict]) -> list[dict]:
    seen: dict[str, dict] = {}
    for entry in found:
        seen.setdefault(entry["id"], entry)
    return list(seen.values())


def _link_row(link: ChainLink) -> list[Any]:
    node = link.node
    return [
        link.position,
        link.role,
        node.label if node else None,
        node.key if node else None,
        node.name if node else "(缺失)",
        "; ".join(link.paths),
        link.note,
    ]
