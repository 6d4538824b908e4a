"""A synthetic county (合成县区) in the loaders' own formats: organisation YAML plus two catalog versions.

    .venv/bin/python bench/synthetic_county.py OUT_DIR [--streets 100] [--items 300] [--seed 7]

Writes OUT_DIR/organisation.yaml (region 990101, streets, zones of 4, departments, units,
officers with postings and certificates, the Licheng zone policies) and two versions of one
county list with `streets: all`: hexi-2024.csv (every item × every street) and hexi-2025.csv a
year later, which drops 10 items and adds 10. Same seed, same files. Everything is invented.
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from loaders.numerals import chinese_numeral

REGION = "990101"
FIRST_EFFECTIVE = date(2024, 3, 1)
SECOND_EFFECTIVE = date(2025, 3, 1)
CHANGED_ITEMS = 10  # dropped from, and added to, the second version
ZONE_SIZE = 4
PLAN_DOC = "HX-2024-3"
HEADER = ["序号", "事项编码", "事项名称", "事项类型", "实施依据", "原实施部门", "执法领域", "备注"]


@dataclass(frozen=True)
class Department:
    id: str
    name: str
    kind: str
    domain: str | None  # 执法领域 of its items; None = posts no linked officers
    share: int  # items per 300
    alias: str | None = None
    actors: tuple[str, ...] = ()
    acts: tuple[str, ...] = ()
    laws: tuple[tuple[str, int, int], ...] = ()  # (title as cited, first article, last article)


SOLID_WASTE = ("《中华人民共和国固体废物污染环境防治法》", 102, 124)
DEPARTMENTS = (
    Department("hx-zf", "合溪县人民政府", "人民政府", None, 0),
    Department("hx-sfj", "合溪县司法局", "司法行政部门", None, 0, "县司法局"),
    Department(
        "hx-cgj",
        "合溪县城市管理和综合执法局",
        "综合行政执法部门",
        "城市管理",
        90,
        "县城管局",
        ("单位", "个人", "施工单位", "经营者", "物业服务企业", "运输单位"),
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
            "占用城市绿地",
            "未按规定设置施工围挡",
            "在城市道路上洗车、修车",
            "将建筑垃圾混入生活垃圾",
        ),
        (SOLID_WASTE, ("《城市市容和环境卫生管理条例》", 34, 39)),
    ),
    Department(
        "hx-sthj",
        "云峰市合溪生态环境局",
        "行业主管部门",
        "生态环境",
        30,
        "合溪县生态环境局",
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
        ),
        (("《中华人民共和国大气污染防治法》", 99, 127), SOLID_WASTE),
    ),
    Department(
        "hx-yjj",
        "合溪县应急管理局",
        "行业主管部门",
        "应急管理",
        30,
        "县应急管理局",
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
        ),
        (("《中华人民共和国安全生产法》(2021年修正)", 93, 118),),
    ),
    Department(
        "hx-xfdd",
        "合溪县消防救援大队",
        "专业执法部门",
        "应急管理",
        20,
        "合溪消防救援大队",
        ("单位", "个人", "人员密集场所", "物业服务企业"),
        (
            "占用、堵塞、封闭疏散通道、安全出口",
            "损坏、挪用或者擅自拆除消防设施",
            "埋压、圈占、遮挡消火栓",
            "占用、堵塞、封闭消防车通道",
            "违反规定使用明火作业",
            "在门窗上设置影响逃生和灭火救援的障碍物",
        ),
        (("《中华人民共和国消防法》", 58, 72),),
    ),
    Department(
        "hx-scjg",
        "合溪县市场监督管理局",
        "行业主管部门",
        "市场监管",
        50,
        "县市场监管局",
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
        ),
        (
            ("《中华人民共和国电子商务法》", 75, 86),
            ("《无证无照经营查处办法》", 13, 15),
            ("《个体工商户条例》", 22, 23),
        ),
    ),
    Department(
        "hx-zjj",
        "合溪县住房和城乡建设局",
        "行业主管部门",
        "规划建设",
        35,
        "县住建局",
        ("建设单位", "个人", "施工单位", "村民"),
        (
            "在村庄、集镇规划区内未按规划审批程序批准进行建设",
            "未取得建设工程规划许可证进行建设",
            "未按照建设工程规划许可证的规定进行建设",
            "擅自变动房屋建筑主体和承重结构",
            "在乡村规划区内未取得乡村建设规划许可证进行建设",
            "临时建筑物逾期未拆除",
        ),
        (
            ("《中华人民共和国城乡规划法》", 64, 68),
            ("【行政法规】《村庄和集镇规划建设管理条例》", 36, 41),
        ),
    ),
    Department(
        "hx-nyj",
        "合溪县农业农村局",
        "行业主管部门",
        "农业农村",
        20,
        "县农业农村局",
        ("单位", "个人", "养殖场", "农户"),
        (
            "在草原上开垦种植",
            "非法占用基本农田建窑、建房",
            "在基本农田保护区内挖砂、采石",
            "未经批准在草原上采土",
            "在禁牧区放牧",
            "破坏基本农田保护标志",
        ),
        (("《中华人民共和国草原法》", 61, 73), ("《基本农田保护条例》", 30, 35)),
    ),
    Department(
        "hx-zrzy",
        "合溪县自然资源局",
        "行业主管部门",
        "自然资源",
        25,
        "县自然资源局",
        ("单位", "个人", "村民", "企业"),
        (
            "非法占用土地建住宅",
            "未经批准擅自采伐林木",
            "在林地上毁林开垦",
            "擅自改变林地用途",
            "买卖或者以其他形式非法转让土地",
            "滥伐林木",
            "拒不履行土地复垦义务",
        ),
        (
            ("《中华人民共和国土地管理法》", 74, 84),
            ("《中华人民共和国森林法》", 73, 84),
            ("《中华人民共和国森林法实施条例》", 38, 47),
        ),
    ),
)
ITEM_FORMS = (  # (事项类型, name template, weight)
    ("行政处罚", "对{actor}{act}的处罚", 8),
    ("行政检查", "对{actor}涉嫌{act}的行政检查", 1),
    ("行政强制", "对{actor}{act}经责令改正拒不改正的强制执行", 1),
)
FIRST_CHARS = "东西南北青石龙凤金银桃柳松梅竹兰清福安永新古白黄"
SECOND_CHARS = "山湖桥塘岭溪口坪源湾埠港庄田岗"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰志海燕建国文斌晓东红梅春林"


@dataclass
class County:
    """Everything generated, kept for the benchmark: codes to pick random questions from."""

    folder: Path
    street_codes: list[str] = field(default_factory=list)
    zone_ids: list[str] = field(default_factory=list)
    item_codes: list[str] = field(default_factory=list)  # both versions' items
    files: list[Path] = field(default_factory=list)


def write_county(folder: Path, *, streets: int = 100, items: int = 300, seed: int = 7) -> County:
    """Write the organisation file and the two catalog versions into `folder`."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    county = County(folder)
    organisation = _organisation(rng, streets, county)
    org_path = folder / "organisation.yaml"
    org_path.write_text(
        "# Synthetic county for benchmarks (bench/synthetic_county.py): every name is invented.\n"
        + yaml.safe_dump(organisation, allow_unicode=True, sort_keys=False, width=120),
        encoding="utf-8",
    )
    rows = _items(rng, items + CHANGED_ITEMS)
    county.item_codes = [row[0] for row in rows]
    first = rows[:items]
    dropped = set(rng.sample(range(items), CHANGED_ITEMS))
    second = [row for n, row in enumerate(first) if n not in dropped] + rows[items:]
    county.files = [
        org_path,
        _catalog(folder / "hexi-2024.csv", first, FIRST_EFFECTIVE, "合政办〔2024〕3号", ""),
        _catalog(
            folder / "hexi-2025.csv", second, SECOND_EFFECTIVE, "合政办〔2025〕2号", "(2025年调整)"
        ),
    ]
    return county


# -- organisation ---------------------------------------------------------------------------------


def _organisation(rng: random.Random, count: int, county: County) -> dict:
    streets = _streets(rng, count)
    county.street_codes = [s["code"] for s in streets]
    zones = _zones(streets)
    county.zone_ids = [z["id"] for z in zones]
    units = _units(streets, zones)
    return {
        "kind": "organisation",
        "region": {
            "code": REGION,
            "name": "合溪县",
            "level": "county",
            "parent": {
                "code": "990100",
                "name": "云峰市",
                "level": "city",
                "parent": {"code": "990000", "name": "示范省", "level": "province"},
            },
        },
        "documents": [
            {
                "id": PLAN_DOC,
                "title": "合溪县街道(乡镇)片区联合执法工作方案",
                "rank": "规范性文件",
                "issuer": "合溪县人民政府办公室",
                "doc_number": "合政办〔2024〕3号",
                "promulgated": FIRST_EFFECTIVE,
            }
        ],
        "departments": [_department(d) for d in DEPARTMENTS],
        "streets": streets,
        "units": units,
        "zones": zones,
        "categories": [
            {"id": "HX-CAT-YJ", "name": "应急管理", "led_by": "hx-yjj"},
            {"id": "HX-CAT-SC", "name": "市场监管", "led_by": "hx-scjg"},
            {"id": "HX-CAT-ZH", "name": "综合执法", "led_by": "hx-cgj"},
        ],
        "officers": _officers(rng, streets, zones),
        "policies": _policies(),
    }


def _department(dep: Department) -> dict:
    found = {"id": dep.id, "name": dep.name, "kind": dep.kind}
    if dep.alias:
        found["aliases"] = [dep.alias]
    return found


def _streets(rng: random.Random, count: int) -> list[dict]:
    names = [a + b for a in FIRST_CHARS for b in SECOND_CHARS]
    rng.shuffle(names)
    streets = []
    for n, base in enumerate(names[:count], start=1):
        kind = "街道" if n <= count * 2 // 5 else ("镇" if n % 7 else "乡")
        streets.append(
            {"code": f"{REGION}{n:03d}", "name": base + kind, "kind": kind, "mode": "赋权"}
        )
    return streets


def _zones(streets: list[dict]) -> list[dict]:
    zones = []
    for n, start in enumerate(range(0, len(streets), ZONE_SIZE), start=1):
        members = streets[start : start + ZONE_SIZE]
        zones.append(
            {
                "id": f"HX-Z{n:02d}",
                "name": f"{members[0]['name'][:2]}片区",
                "streets": [s["code"] for s in members],
                "coordinated_by": f"hx-u-zd{n:02d}",
                "valid_from": FIRST_EFFECTIVE,
            }
        )
    return zones


def _units(streets: list[dict], zones: list[dict]) -> list[dict]:
    units = [
        {"id": "hx-u-dd", "name": "合溪县城市管理综合执法大队", "kind": "大队", "part_of": "hx-cgj"}
    ]
    units += [
        {"id": f"hx-u-{d.id[3:]}", "name": f"{d.name}执法大队", "kind": "大队", "part_of": d.id}
        for d in DEPARTMENTS
        if d.domain and d.id != "hx-cgj"
    ]
    for zone in zones:
        n = zone["id"][-2:]
        units.append(
            {
                "id": f"hx-u-zd{n}",
                "name": f"合溪县城市管理综合执法大队{zone['name']}中队",
                "kind": "中队",
                "part_of": "hx-u-dd",
            }
        )
        units.append(
            {
                "id": f"hx-u-sfs{n}",
                "name": f"{zone['name'][:2]}司法所",
                "kind": "派驻机构",
                "part_of": "hx-sfj",
            }
        )
    units += [
        {
            "id": f"hx-u-t{s['code'][-3:]}",
            "name": f"{s['name']}综合执法队",
            "kind": "街镇综合执法队",
            "part_of": s["code"],
        }
        for s in streets
    ]
    return units


def _officers(rng: random.Random, streets: list[dict], zones: list[dict]) -> list[dict]:
    """Linked officers per zone and department (0–3), a reviewer for most zones, street teams."""
    officers: list[dict] = []
    for zone in zones:
        n = zone["id"][-2:]
        for dep in (d for d in DEPARTMENTS if d.domain):
            unit = f"hx-u-zd{n}" if dep.id == "hx-cgj" else f"hx-u-{dep.id[3:]}"
            for _ in range(rng.choices((0, 1, 2, 3), weights=(1, 2, 10, 3))[0]):
                officers.append(
                    _officer(
                        rng,
                        officers,
                        unit,
                        [dep.domain],
                        ["执法人员"],
                        [
                            {
                                "to": zone["id"],
                                "mode": "挂钩",
                                "department": dep.id,
                                "valid_from": FIRST_EFFECTIVE,
                            }
                        ],
                    )
                )
        if rng.random() < 0.9:
            officers.append(
                _officer(
                    rng,
                    officers,
                    f"hx-u-sfs{n}",
                    [],
                    ["法制审核人员"],
                    [
                        {
                            "to": zone["id"],
                            "mode": "挂钩",
                            "department": "hx-sfj",
                            "valid_from": FIRST_EFFECTIVE,
                        }
                    ],
                )
            )
    for street in streets:
        for _ in range(rng.randint(2, 4)):
            officers.append(
                _officer(
                    rng,
                    officers,
                    f"hx-u-t{street['code'][-3:]}",
                    ["城市管理"],
                    ["执法人员"],
                    [{"to": street["code"], "mode": "常驻", "valid_from": FIRST_EFFECTIVE}],
                )
            )
    return officers


def _officer(
    rng: random.Random,
    sofar: list[dict],
    unit: str,
    domains: list[str],
    roles: list[str],
    postings: list[dict],
) -> dict:
    start = date(rng.randint(2019, 2023), rng.randint(1, 12), 1)
    expired = rng.random() < 0.06  # a few certificates lapse mid-2025 while still posted
    end = date(2025, 6, 30) if expired else date(start.year + 5, start.month, 1)
    return {
        "id": f"{REGION}24{len(sofar) + 1:04d}",
        "name": rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
        "unit": unit,
        "certificate_issuer": "合溪县人民政府",
        "valid_from": start,
        "valid_to": end,
        "domains": domains,
        "roles": roles,
        "postings": postings,
    }


def _policies() -> list[dict]:
    return [
        {
            "id": "HX-P-REVIEWER",
            "rule": "min_legal_reviewers_per_zone",
            "threshold": 1,
            "description": "每个联合执法片区至少确定一名法制审核工作人员",
            "source": PLAN_DOC,
            "quote": "为各联合执法片区确定至少一名法制审核工作人员",
            "valid_from": FIRST_EFFECTIVE,
        },
        {
            "id": "HX-P-LINKED",
            "rule": "min_certified_linked_officers_per_zone_per_department",
            "threshold": 2,
            "description": "已赋权街道的县直执法部门,挂钩联系的执法人员每片区不少于2人且须持有执法资格证",
            "source": PLAN_DOC,
            "quote": "挂钩联系人员每片区不少于2人且需持有执法资格证",
            "valid_from": FIRST_EFFECTIVE,
        },
        {
            "id": "HX-P-DISPUTE",
            "rule": "dispute_resolver",
            "value": "hx-cgj",
            "description": "对行政处罚主体资格存在争议的,由县城市管理和综合执法局商县司法局明确",
            "source": PLAN_DOC,
            "quote": "对行政处罚主体资格存在争议的,由县城市管理和综合执法局商县司法局明确行政处罚主体。",
            "valid_from": FIRST_EFFECTIVE,
        },
    ]


# -- catalogs -------------------------------------------------------------------------------------


def _items(rng: random.Random, count: int) -> list[list[str]]:
    """`count` catalog rows (no 序号 yet), departments in proportion to their share."""
    owners = [d for d in DEPARTMENTS for _ in range(d.share)]
    names: set[str] = set()
    rows = []
    for n in range(1, count + 1):
        dep = owners[(n - 1) % len(owners)] if n <= len(owners) else rng.choice(owners)
        item_type, name = _item_name(rng, dep, names)
        basis, note = _basis(rng, dep)
        department = dep.alias if dep.alias and rng.random() < 0.1 else dep.name
        rows.append([f"SYN-{n:04d}", name, item_type, basis, department, dep.domain, note])
    return rows


def _item_name(rng: random.Random, dep: Department, taken: set[str]) -> tuple[str, str]:
    while True:
        item_type, template, _ = rng.choices(ITEM_FORMS, weights=[f[2] for f in ITEM_FORMS])[0]
        name = template.format(actor=rng.choice(dep.actors), act=rng.choice(dep.acts))
        if name not in taken:
            taken.add(name)
            return item_type, name


def _basis(rng: random.Random, dep: Department) -> tuple[str, str]:
    """A 实施依据 cell as catalogs write them; 2% cite nothing usable (依据待核)."""
    if rng.random() < 0.02:
        return "详见相关法律法规", "依据待核"
    cited = [
        _citation(rng, law)
        for law in rng.sample(dep.laws, k=min(len(dep.laws), rng.choice((1, 1, 1, 2))))
    ]
    return rng.choice(("\n", "；", " ")).join(cited), ""


def _citation(rng: random.Random, law: tuple[str, int, int]) -> str:
    title, first, last = law
    article = rng.randint(first, last)
    form = rng.randrange(5)
    text = f"{title}第{chinese_numeral(article)}条"
    if form == 1:
        text += f"第{chinese_numeral(rng.randint(1, 3))}款"
    elif form == 2:
        text += (
            f"第{chinese_numeral(rng.randint(1, 2))}款第({chinese_numeral(rng.randint(1, 6))})项"
        )
    elif form == 3:
        text += f"第({chinese_numeral(rng.randint(1, 8))})项"
    elif form == 4 and article < last:
        text += f"、第{chinese_numeral(article + 1)}条"
    return text


def _catalog(
    path: Path, rows: list[list[str]], effective: date, doc_number: str, suffix: str
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows([n, *row] for n, row in enumerate(rows, start=1))
    meta = {
        "series": "hexi-street-delegation",
        "title": f"合溪县街道(乡镇)综合执法赋权事项目录{suffix}",
        "issuer": "合溪县人民政府办公室",
        "doc_number": doc_number,
        "kind": "县级赋权清单",
        "effective": effective,
        "published": effective.replace(day=10),
        "region": REGION,
        "streets": "all",
        "mode": "赋权",
    }
    path.with_name(path.stem + ".meta.yaml").write_text(
        "# Synthetic catalog for benchmarks (bench/synthetic_county.py).\n"
        + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="folder to write the files into")
    parser.add_argument("--streets", type=int, default=100)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    county = write_county(args.out_dir, streets=args.streets, items=args.items, seed=args.seed)
    for path in county.files:
        print(path)


if __name__ == "__main__":
    main()
