"""The fixed lists of node labels and relationship types (标签与关系): Cypher uses only these."""

from __future__ import annotations

from enum import StrEnum


class Label(StrEnum):
    REGION = "Region"
    STREET = "Street"
    ZONE = "Zone"
    DEPARTMENT = "Department"
    UNIT = "Unit"
    CATEGORY = "Category"
    LEGAL_DOCUMENT = "LegalDocument"
    PROVISION = "Provision"
    LAW_VERSION = "LawVersion"
    ENFORCEMENT_ITEM = "EnforcementItem"
    CATALOG = "Catalog"
    DELEGATION = "Delegation"
    OFFICER = "Officer"
    CASE = "Case"
    TRANSFER = "Transfer"
    DISPUTE = "Dispute"
    POLICY = "Policy"
    STREET_FACT = "StreetFact"  # a dated fact of a street: its mode or name for a period
    DEPARTMENT_FACT = "DepartmentFact"  # a department's name for a period (机构改革: 更名)
    AUDIT_ENTRY = "AuditEntry"
    SCHEMA_MIGRATION = "SchemaMigration"
    GRAPH_STATE = "GraphState"
    GRAPH_WRITE = "GraphWrite"  # one marker per write transaction (loaders/write.py)
    GUIDE_ITEM = "GuideItem"  # a row of a province guide list (省级指导目录), never delegated
    DUTY_LIST = "DutyList"  # 属地管理事项责任清单 (seed 002 四、三)
    DUTY_MATTER = "DutyMatter"  # one matter (事项) of such a list
    DISCRETION_LIST = "DiscretionList"  # 裁量基准 / 不予处罚清单 (loaders/discretion.py)
    DISCRETION_ENTRY = "DiscretionEntry"  # one row of such a list
    ESTABLISHMENT = "Establishment"  # 核定编制 approval (loaders/staffing.py)


class Rel(StrEnum):
    PART_OF = "PART_OF"
    IN_ZONE = "IN_ZONE"
    COORDINATED_BY = "COORDINATED_BY"
    AMENDS = "AMENDS"
    REPEALS = "REPEALS"
    REPLACES = "REPLACES"
    IN = "IN"
    VERSION_OF = "VERSION_OF"
    BASED_ON = "BASED_ON"
    HELD_BY = "HELD_BY"
    IN_CATEGORY = "IN_CATEGORY"
    LED_BY = "LED_BY"
    LISTS = "LISTS"
    SUPERSEDES = "SUPERSEDES"
    FROM = "FROM"
    TO = "TO"
    OF = "OF"
    AUTHORIZED_BY = "AUTHORIZED_BY"
    ENDED_BY = "ENDED_BY"
    MEMBER_OF = "MEMBER_OF"
    POSTED_TO = "POSTED_TO"
    CONCERNS = "CONCERNS"
    OCCURRED_IN = "OCCURRED_IN"
    HANDLED_BY = "HANDLED_BY"
    HANDLED_BY_OFFICER = "HANDLED_BY_OFFICER"
    HAS_TRANSFER = "HAS_TRANSFER"
    RECEIVED_BY = "RECEIVED_BY"  # a matter (首问) to the body that received it
    REPLIED_BY = "REPLIED_BY"  # a matter to the body that replied to the complainant
    ABOUT = "ABOUT"
    CLAIMANT = "CLAIMANT"
    RESOLVED_BY = "RESOLVED_BY"
    DECIDED_FOR = "DECIDED_FOR"
    APPLIES_TO = "APPLIES_TO"
    DEFINED_IN = "DEFINED_IN"
    GUIDES = "GUIDES"  # a province guide list to its guide items (省级指导目录 → 指导事项)
    MATTER_IN = "MATTER_IN"  # a duty matter to its list
    DUTY_OF = "DUTY_OF"  # a duty matter to a street or department that answers for it
    COVERS = "COVERS"  # a duty list to its region
    MATTER_ITEM = "MATTER_ITEM"  # a duty matter to the enforcement item the list names for it
    HAS_FACT = "HAS_FACT"  # a street (department) to its dated facts (StreetFact, DepartmentFact)
    # 撤并: a street to the one it was merged into, from a day; 机构改革: a department to its
    # successor (its powers 划入 it from that day)
    MERGED_INTO = "MERGED_INTO"
