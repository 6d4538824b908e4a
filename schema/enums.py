"""Enumerations of the graph model (枚举): item types, modes, document ranks, statuses."""

from __future__ import annotations

from enum import StrEnum


class ItemType(StrEnum):
    """Kind of administrative power (职权类型 / 事项类型)."""

    PENALTY = "行政处罚"
    INSPECTION = "行政检查"
    COERCION = "行政强制"
    LICENSING = "行政许可"
    CONFIRMATION = "行政确认"
    LEVY = "行政征收"
    PAYMENT = "行政给付"
    AWARD = "行政奖励"
    ADJUDICATION = "行政裁决"
    OTHER = "其他"


class DelegationMode(StrEnum):
    """How a county department's power reaches a street (赋权方式)."""

    GRANT = "赋权"  # the street acts in its own name (行政处罚法 Art. 24; seeds 000, 004)
    ENTRUST = "委托"  # the street acts in the department's name (行政处罚法 Art. 20)
    STATION = "派驻"  # a posted county squad; the department stays the subject (seed 004)


class DocumentRank(StrEnum):
    """Rank of a legal document (效力层级), highest first."""

    CONSTITUTION = "宪法"
    LAW = "法律"
    ADMINISTRATIVE_REGULATION = "行政法规"
    LOCAL_REGULATION = "地方性法规"
    DEPARTMENTAL_RULE = "部门规章"
    LOCAL_GOVERNMENT_RULE = "地方政府规章"
    NORMATIVE_DOCUMENT = "规范性文件"
    UNKNOWN = "未知"


class DocumentStatus(StrEnum):
    """Whether a legal document is in force (时效性)."""

    IN_FORCE = "现行有效"
    AMENDED = "已修改"
    REPEALED = "已废止"
    NOT_YET = "尚未生效"
    UNKNOWN = "未知"


class DelegationStatus(StrEnum):
    """State of a delegation as recorded (not as of a date: use valid_from / valid_to for that)."""

    ACTIVE = "有效"
    ENDED = "已终止"


class CatalogKind(StrEnum):
    """What a catalog is (目录类型)."""

    PROVINCE_GUIDE = "省级指导目录"
    COUNTY_LIST = "县级赋权清单"
    STREET_LIST = "街镇清单"
    ZONE_LIST = "片区联合执法清单"
    DEPARTMENT_LIST = "部门清单"
    WITHDRAWAL = "收回通知"
    ADJUSTMENT = "动态调整通知"
    POWER_LIST = "权责清单"


class DiscretionKind(StrEnum):
    """What a discretion list is (裁量基准 or 不予处罚事项清单, loaders/discretion.py)."""

    BENCHMARK = "裁量基准"  # 行政处罚裁量基准: tiers (轻微/一般/较重/严重) and their standards
    NO_PENALTY = "不予处罚清单"  # 首违不罚 / 轻微违法行为免罚清单 (行政处罚法 第三十三条)


class StreetKind(StrEnum):
    """Township-level unit (乡级行政区)."""

    SUBDISTRICT = "街道"
    TOWN = "镇"
    TOWNSHIP = "乡"
    SUMU = "苏木"


class RegionLevel(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"


class DepartmentKind(StrEnum):
    SECTOR = "行业主管部门"
    COMPREHENSIVE = "综合行政执法部门"
    PROFESSIONAL = "专业执法部门"
    JUSTICE = "司法行政部门"
    ESTABLISHMENT = "机构编制部门"
    GOVERNMENT = "人民政府"


class UnitKind(StrEnum):
    BRIGADE = "大队"
    SQUAD = "中队"
    STREET_TEAM = "街镇综合执法队"
    STREET_CENTER = "街道综合执法中心"
    STATION = "派驻机构"


class PostingMode(StrEnum):
    """How an officer serves a street or zone (常驻 / 挂钩联系 / 下沉)."""

    RESIDENT = "常驻"
    LINKED = "挂钩"
    SENT_DOWN = "下沉"


class OfficerRole(StrEnum):
    ENFORCER = "执法人员"
    LEGAL_REVIEWER = "法制审核人员"
    SUPERVISOR = "执法监督员"
    LEGAL_STAFF = "法制工作人员"


class CaseStatus(StrEnum):
    LEAD = "案源"
    FILED = "立案"
    TRANSFERRED = "已移送"
    CLOSED = "结案"


class DisputeStatus(StrEnum):
    OPEN = "待决"
    DECIDED = "已决"
