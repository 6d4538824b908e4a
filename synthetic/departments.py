"""County departments (县级部门) of a synthetic county: who holds which items, in which domain (执法领域)."""

from __future__ import annotations

from dataclasses import dataclass

from schema.enums import DepartmentKind


@dataclass(frozen=True)
class DepartmentKindSpec:
    """One kind of county department; every synthetic county has one of each."""

    abbr: str  # id suffix: 990101-cgj
    suffix: str  # name after the county's name: 合溪县 + 城市管理和综合执法局
    kind: DepartmentKind
    alias: str | None  # the short spelling some catalog rows use (县城管局)
    domain: str | None  # 执法领域 of its items; None = holds no delegated items
    share: int  # weight when a county's items are drawn
    authority: str = ""  # how its laws name it (…主管部门)
    actors: tuple[str, ...] = ()
    acts: tuple[str, ...] = ()


DEPARTMENTS: tuple[DepartmentKindSpec, ...] = (
    DepartmentKindSpec("zf", "人民政府", DepartmentKind.GOVERNMENT, None, None, 0),
    DepartmentKindSpec("bb", "委编办", DepartmentKind.ESTABLISHMENT, None, None, 0),
    DepartmentKindSpec("sfj", "司法局", DepartmentKind.JUSTICE, "县司法局", None, 0),
    DepartmentKindSpec(
        "cgj",
        "城市管理和综合执法局",
        DepartmentKind.COMPREHENSIVE,
        "县城管局",
        "城市管理",
        30,
        "县级以上地方人民政府市容环境卫生主管部门",
        ("单位", "个人", "施工单位", "经营者", "物业服务企业", "运输单位", "餐饮经营者"),
        (
            "随意倾倒、抛撒、堆放生活垃圾",
            "擅自占用城市道路、广场摆摊设点",
            "未经批准设置大型户外广告",
            "在城市建筑物、设施上乱涂乱画",
            "未按规定分类投放生活垃圾",
            "运输建筑垃圾沿途撒漏",
            "擅自挖掘城市道路",
            "在露天场所焚烧沥青、油毡",
            "擅自搭建建筑物、构筑物影响市容",
            "擅自拆除环境卫生设施",
            "擅自占用城市绿地",
            "未按规定设置施工围挡",
            "在城市道路上洗车、修车",
            "将建筑垃圾混入生活垃圾",
            "在街道两侧晾晒、吊挂有碍市容的物品",
            "未按规定时间和地点倾倒餐厨垃圾",
            "擅自设置临时摊点",
            "损毁城市照明设施",
        ),
    ),
    DepartmentKindSpec(
        "sthj",
        "生态环境分局",
        DepartmentKind.SECTOR,
        "县生态环境局",
        "生态环境",
        10,
        "县级以上地方人民政府生态环境主管部门",
        ("排污单位", "企业事业单位", "建设单位", "经营者", "个人"),
        (
            "超过排放标准排放大气污染物",
            "在人口集中地区露天焚烧秸秆、落叶",
            "未密闭运输易产生扬尘的物料",
            "施工工地未采取扬尘防治措施",
            "露天烧烤食品污染大气",
            "未安装油烟净化设施排放油烟",
            "违法贮存危险废物",
            "擅自倾倒工业固体废物",
            "未按规定设置排污口",
            "在居民区内从事产生噪声的加工作业",
        ),
    ),
    DepartmentKindSpec(
        "yjj",
        "应急管理局",
        DepartmentKind.SECTOR,
        "县应急管理局",
        "应急管理",
        10,
        "负责安全生产监督管理的部门",
        ("生产经营单位", "危险化学品经营单位", "小型加工企业", "生产经营单位的主要负责人"),
        (
            "未按照规定对从业人员进行安全生产教育和培训",
            "未如实记录安全生产教育和培训情况",
            "未建立事故隐患排查治理制度",
            "未为从业人员提供符合标准的劳动防护用品",
            "未在有较大危险因素的场所设置安全警示标志",
            "未对安全设备进行经常性维护、保养",
            "未制定生产安全事故应急救援预案",
            "违章指挥或者强令他人冒险作业",
            "未按规定配备专职安全生产管理人员",
        ),
    ),
    DepartmentKindSpec(
        "xfdd",
        "消防救援大队",
        DepartmentKind.PROFESSIONAL,
        "县消防救援大队",
        "应急管理",
        6,
        "消防救援机构",
        ("单位", "个人", "人员密集场所", "物业服务企业"),
        (
            "占用、堵塞、封闭疏散通道、安全出口",
            "损坏、挪用或者擅自拆除消防设施",
            "埋压、圈占、遮挡消火栓",
            "占用、堵塞、封闭消防车通道",
            "违反规定使用明火作业",
            "在门窗上设置影响逃生和灭火救援的障碍物",
            "未按规定进行消防设施检测",
        ),
    ),
    DepartmentKindSpec(
        "scjg",
        "市场监督管理局",
        DepartmentKind.SECTOR,
        "县市场监管局",
        "市场监管",
        15,
        "市场监督管理部门",
        ("个体工商户", "电子商务经营者", "食品经营者", "经营者", "企业"),
        (
            "未在首页显著位置公示营业执照信息",
            "从事无照经营",
            "登记事项变更未办理变更登记",
            "伪造、涂改、出租、出借营业执照",
            "未按规定公示年度报告",
            "未明码标价",
            "使用不合格计量器具",
            "未履行进货查验义务",
            "作虚假或者引人误解的商业宣传",
            "未按规定悬挂营业执照",
        ),
    ),
    DepartmentKindSpec(
        "zjj",
        "住房和城乡建设局",
        DepartmentKind.SECTOR,
        "县住建局",
        "规划建设",
        10,
        "县级人民政府建设主管部门",
        ("建设单位", "个人", "施工单位", "村民"),
        (
            "在村庄、集镇规划区内未按规划审批程序批准进行建设",
            "未取得建设工程规划许可证进行建设",
            "未按照建设工程规划许可证的规定进行建设",
            "擅自变动房屋建筑主体和承重结构",
            "在乡村规划区内未取得乡村建设规划许可证进行建设",
            "临时建筑物逾期未拆除",
            "擅自在集镇规划区内设置临时建筑",
            "未按规定进行房屋安全鉴定",
        ),
    ),
    DepartmentKindSpec(
        "nyj",
        "农业农村局",
        DepartmentKind.SECTOR,
        "县农业农村局",
        "农业农村",
        7,
        "县级以上地方人民政府农业农村主管部门",
        ("单位", "个人", "养殖场", "农户"),
        (
            "在草原上开垦种植",
            "非法占用基本农田建窑、建房",
            "在基本农田保护区内挖砂、采石",
            "未经批准在草原上采土",
            "在禁牧区放牧",
            "破坏基本农田保护标志",
            "闲置、荒芜耕地",
        ),
    ),
    DepartmentKindSpec(
        "zrzy",
        "自然资源局",
        DepartmentKind.SECTOR,
        "县自然资源局",
        "自然资源",
        7,
        "县级以上人民政府自然资源主管部门",
        ("单位", "个人", "村民", "企业"),
        (
            "非法占用土地建住宅",
            "买卖或者以其他形式非法转让土地",
            "拒不履行土地复垦义务",
            "擅自改变土地用途",
            "未经批准临时使用土地",
            "临时用地期满不归还",
            "破坏测量标志",
        ),
    ),
    DepartmentKindSpec(
        "lcj",
        "林业和草原局",
        DepartmentKind.SECTOR,
        "县林草局",
        "林业",
        5,
        "县级以上人民政府林业主管部门",
        ("单位", "个人", "林农", "企业"),
        (
            "未经批准擅自采伐林木",
            "在林地上毁林开垦",
            "擅自改变林地用途",
            "滥伐林木",
            "连续两年未完成更新造林任务",
            "在幼林地砍柴、毁苗、放牧",
        ),
    ),
    # No catalog lists its items unless a county plants an item no officer covers (文化市场).
    DepartmentKindSpec(
        "wlj",
        "文化和旅游局",
        DepartmentKind.SECTOR,
        "县文旅局",
        "文化市场",
        0,
        "县级以上人民政府文化和旅游主管部门",
        ("娱乐场所", "经营者", "个人"),
        (
            "未按规定悬挂文化经营许可证",
            "擅自从事互联网上网服务经营活动",
            "未按规定核对登记上网消费者",
        ),
    ),
    # Departments that keep their own enforcement (专业执法队伍, seed 004): no list delegates their
    # items; a county names them only when it plants a reform-target finding (synthetic.reform_targets).
    DepartmentKindSpec(
        "jtj",
        "交通运输局",
        DepartmentKind.PROFESSIONAL,
        "县交通运输局",
        "交通运输",
        0,
        "县级以上地方人民政府交通运输主管部门",
        ("道路运输经营者", "客运经营者", "货运经营者", "机动车维修经营者"),
        (
            "未取得道路运输经营许可擅自从事道路运输经营",
            "使用失效、伪造的道路运输证件",
            "未按规定维护和检测运输车辆",
            "不按批准的客运线路运行",
            "超越许可事项从事经营",
            "未按规定签订运输合同",
        ),
    ),
    DepartmentKindSpec(
        "wjw",
        "卫生健康局",
        DepartmentKind.PROFESSIONAL,
        "县卫健局",
        "卫生健康",
        0,
        "县级以上地方人民政府卫生健康主管部门",
        ("公共场所经营者", "医疗机构", "集中式供水单位", "个人"),
        (
            "未取得卫生许可证擅自营业",
            "未按规定对公共场所进行卫生检测",
            "安排未取得健康合格证明的人员上岗",
            "未按规定公示卫生检测结果",
            "使用非卫生技术人员从事医疗卫生技术工作",
            "未按规定处置医疗废物",
        ),
    ),
    DepartmentKindSpec(
        "slj",
        "水利局",
        DepartmentKind.PROFESSIONAL,
        "县水利局",
        "水利",
        0,
        "县级以上地方人民政府水行政主管部门",
        ("单位", "个人", "建设单位", "采砂经营者"),
        (
            "在河道管理范围内建设妨碍行洪的建筑物",
            "未经批准在河道管理范围内采砂",
            "未经批准擅自取水",
            "在水工程保护范围内爆破、打井",
            "向河道倾倒渣土",
            "未按规定安装取水计量设施",
        ),
    ),
    DepartmentKindSpec(
        "rfb",
        "人民防空办公室",
        DepartmentKind.PROFESSIONAL,
        "县人防办",
        "人民防空",
        0,
        "县级以上地方人民政府人民防空主管部门",
        ("建设单位", "单位", "个人", "物业服务企业"),
        (
            "擅自拆除人民防空工程",
            "未按规定修建防空地下室",
            "侵占人民防空工程",
            "擅自改变人民防空工程主体结构",
            "向人民防空工程内排入废水、废气",
            "未按规定维护人民防空工程",
        ),
    ),
)
BY_ABBR = {d.abbr: d for d in DEPARTMENTS}
DELEGATING = tuple(d for d in DEPARTMENTS if d.share > 0)
UNCOVERED_DOMAIN_DEPARTMENT = "wlj"  # its domain is given to no officer: a planted gap
RETAINED = ("jtj", "wjw", "slj", "rfb")  # keep their items (权责清单): reform-target plants
CATEGORIES = (  # seed 000 四(二): two professional domains and one comprehensive
    ("YJ", "应急管理", "yjj"),
    ("SC", "市场监管", "scjg"),
    ("ZH", "综合执法", "cgj"),
)


def department_name(county: str, city: str, spec: DepartmentKindSpec) -> tuple[str, list[str]]:
    """A department's name in one county, and the other spellings its catalogs use."""
    if (
        spec.abbr == "sthj"
    ):  # a branch of the city bureau, named after the county (泉州市鲤城生态环境局)
        return f"{city}{county[:2]}生态环境局", [f"{county}生态环境局", *_alias(spec)]
    if spec.abbr == "xfdd":
        return f"{county[:2]}消防救援大队", [f"{county}消防救援大队", *_alias(spec)]
    if spec.abbr == "bb":
        return f"{county}委编办", [f"中共{county}委机构编制委员会办公室"]
    return f"{county}{spec.suffix}", _alias(spec)


def _alias(spec: DepartmentKindSpec) -> list[str]:
    return [spec.alias] if spec.alias else []
