"""The invented laws (虚构法律目录): titles, ranks, article ranges and version notes; no law is real.

Each national law is one text shared by every county; each local regulation (地方性法规) has a
copy per province present in the dataset. One regulation is recorded as repealed (a planted
gap), and one departmental rule is cited without a text file (provision known, text missing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from schema.enums import DocumentRank

NATIONAL_CONGRESS = "第十三届全国人民代表大会常务委员会"


@dataclass(frozen=True)
class LawSpec:
    """What a law is: title, rank, holder department, article range, version notes."""

    slug: str  # file name without .md
    title: str
    short: str | None  # the shorter title cells also use (without 中华人民共和国)
    rank: DocumentRank
    department: str  # abbr of the department whose items it defines
    first: int  # first and last article in the text (an excerpt, like data/sample/laws)
    last: int
    enacted: str  # the Version line's history: who passed it (decides the loader's rank)
    version_note: str | None = None  # as cells write it: 2021年修正
    order_note: str | None = None  # 国务院令第101号
    has_text: bool = True  # False: cited, but no text file (provision known, text missing)
    repealed_by: str | None = None  # slug of the law that replaced it
    repealed_on: date | None = None

    @property
    def form(self) -> str:
        """How the text calls itself: 本法, 本条例, 本规定."""
        for ending in ("实施条例", "条例", "规定", "办法", "法"):
            if self.title.endswith(ending):
                return "条例" if ending == "实施条例" else ending
        return "法"


def _national(slug: str, title: str, department: str, first: int, last: int, **kw) -> LawSpec:
    short = title.removeprefix("中华人民共和国")
    return LawSpec(
        slug,
        title,
        short if short != title else None,
        department=department,
        first=first,
        last=last,
        **kw,
    )


NATIONAL_LAWS: tuple[LawSpec, ...] = (
    _national(
        "chengxiang-huanjing-weisheng-fa",
        "中华人民共和国城乡环境卫生法",
        "cgj",
        40,
        58,
        rank=DocumentRank.LAW,
        version_note="2021年修正",
        enacted=f"2015年4月24日 第十二届全国人民代表大会常务委员会第十四次会议通过; 2021年4月29日 {NATIONAL_CONGRESS}第二十八次会议修正",
    ),
    _national(
        "chengzhen-shirong-zhixu-tiaoli",
        "城镇市容秩序管理条例",
        "cgj",
        30,
        42,
        rank=DocumentRank.ADMINISTRATIVE_REGULATION,
        version_note="2017年修订",
        order_note="国务院令第101号",
        enacted="1992年6月28日 国务院令第101号发布; 2017年3月1日 国务院令第676号修订",
    ),
    _national(
        "daqi-huanjing-baohu-fa",
        "中华人民共和国大气环境保护法",
        "sthj",
        96,
        114,
        rank=DocumentRank.LAW,
        version_note="2018年修正",
        enacted=f"2000年4月29日 第九届全国人民代表大会常务委员会第十五次会议通过; 2018年10月26日 {NATIONAL_CONGRESS}第六次会议修正",
    ),
    _national(
        "shengchan-jingying-anquan-fa",
        "中华人民共和国生产经营安全法",
        "yjj",
        92,
        112,
        rank=DocumentRank.LAW,
        version_note="2021年修正",
        enacted=f"2002年6月29日 第九届全国人民代表大会常务委员会第二十八次会议通过; 2021年6月10日 {NATIONAL_CONGRESS}第二十九次会议修正",
    ),
    _national(
        "huozai-yufang-fa",
        "中华人民共和国火灾预防法",
        "xfdd",
        56,
        70,
        rank=DocumentRank.LAW,
        version_note="2021年修正",
        enacted=f"2008年10月28日 第十一届全国人民代表大会常务委员会第五次会议通过; 2021年4月29日 {NATIONAL_CONGRESS}第二十八次会议修正",
    ),
    _national(
        "jingying-zhuti-dengji-zanxing-tiaoli",
        "经营主体登记管理暂行条例",
        "scjg",
        20,
        28,
        rank=DocumentRank.ADMINISTRATIVE_REGULATION,
        order_note="国务院令第500号",
        enacted="2011年4月16日 国务院令第500号公布",
        repealed_by="jingying-zhuti-dengji-tiaoli",
        repealed_on=date(2023, 1, 1),
    ),
    _national(
        "jingying-zhuti-dengji-tiaoli",
        "经营主体登记管理条例",
        "scjg",
        40,
        54,
        rank=DocumentRank.ADMINISTRATIVE_REGULATION,
        order_note="国务院令第746号",
        enacted="2022年7月27日 国务院令第746号公布",
    ),
    _national(
        "wangluo-jiaoyi-fa",
        "中华人民共和国网络交易法",
        "scjg",
        72,
        88,
        rank=DocumentRank.LAW,
        enacted="2018年8月31日 第十三届全国人民代表大会常务委员会第五次会议通过",
    ),
    _national(
        "cunzhen-jianshe-fa",
        "中华人民共和国村镇建设法",
        "zjj",
        60,
        76,
        rank=DocumentRank.LAW,
        version_note="2019年修正",
        enacted=f"2007年10月28日 第十届全国人民代表大会常务委员会第三十次会议通过; 2019年4月23日 {NATIONAL_CONGRESS}第十次会议修正",
    ),
    _national(
        "cunzhen-guihua-jianshe-guanli-guiding",
        "村镇规划建设管理规定",
        "zjj",
        18,
        30,
        rank=DocumentRank.DEPARTMENTAL_RULE,
        order_note="建设部令第120号",
        enacted="2003年5月1日 建设部令第120号发布",
        has_text=False,
    ),
    _national(
        "gengdi-baohu-fa",
        "中华人民共和国耕地保护法",
        "nyj",
        30,
        46,
        rank=DocumentRank.LAW,
        enacted="2011年1月8日 第十一届全国人民代表大会常务委员会第十八次会议通过",
    ),
    _national(
        "guotu-yongtu-guanli-fa",
        "中华人民共和国国土用途管理法",
        "zrzy",
        70,
        88,
        rank=DocumentRank.LAW,
        version_note="2019年修正",
        enacted=f"1998年8月29日 第九届全国人民代表大会常务委员会第四次会议通过; 2019年8月26日 {NATIONAL_CONGRESS}第十二次会议修正",
    ),
    _national(
        "linmu-baohu-fa",
        "中华人民共和国林木保护法",
        "lcj",
        70,
        84,
        rank=DocumentRank.LAW,
        version_note="2019年修订",
        enacted=f"1984年9月20日 第六届全国人民代表大会常务委员会第七次会议通过; 2019年12月28日 {NATIONAL_CONGRESS}第十五次会议修订",
    ),
    _national(
        "linmu-baohu-fa-shishi-tiaoli",
        "中华人民共和国林木保护法实施条例",
        "lcj",
        38,
        48,
        rank=DocumentRank.ADMINISTRATIVE_REGULATION,
        version_note="2018年修订",
        order_note="国务院令第278号",
        enacted="2000年1月29日 国务院令第278号发布; 2018年3月19日 国务院令第698号修订",
    ),
    # The departments that keep their own enforcement (synthetic.departments.RETAINED).
    _national(
        "daolu-yunshu-zhixu-fa",
        "中华人民共和国道路运输秩序法",
        "jtj",
        50,
        64,
        rank=DocumentRank.LAW,
        enacted="2016年11月7日 第十二届全国人民代表大会常务委员会第二十四次会议通过",
    ),
    _national(
        "gonggong-changsuo-weisheng-jiandu-tiaoli",
        "公共场所卫生监督条例",
        "wjw",
        14,
        26,
        rank=DocumentRank.ADMINISTRATIVE_REGULATION,
        order_note="国务院令第410号",
        enacted="2004年6月5日 国务院令第410号发布",
    ),
    _national(
        "hedao-baohu-fa",
        "中华人民共和国河道保护法",
        "slj",
        40,
        54,
        rank=DocumentRank.LAW,
        enacted="2012年12月28日 第十一届全国人民代表大会常务委员会第三十次会议通过",
    ),
    _national(
        "renmin-fangkong-gongcheng-tiaoli",
        "人民防空工程维护管理条例",
        "rfb",
        20,
        32,
        rank=DocumentRank.ADMINISTRATIVE_REGULATION,
        order_note="国务院令第388号",
        enacted="2003年8月1日 国务院令第388号发布",
    ),
)
# A province's own regulations: one copy per province present in the dataset.
LOCAL_LAWS: tuple[tuple[str, str, str, int, int], ...] = (
    ("chengshi-guanli-zonghe-zhifa-tiaoli", "{p}城市管理综合执法条例", "cgj", 20, 36),
    ("anquan-shengchan-jiandu-tiaoli", "{p}安全生产监督条例", "yjj", 30, 44),
    ("wenhua-shichang-guanli-tiaoli", "{p}文化市场管理条例", "wlj", 25, 36),
)


def local_spec(
    slug: str, title: str, department: str, first: int, last: int, province: str, code: str
) -> LawSpec:
    """One province's copy of a local regulation (地方性法规), passed by its congress."""
    return LawSpec(
        slug=f"{code}-{slug}",
        title=title.format(p=province),
        short=None,
        rank=DocumentRank.LOCAL_REGULATION,
        department=department,
        first=first,
        last=last,
        enacted=f"2019年9月27日 {province}第十三届人民代表大会常务委员会第十二次会议通过",
    )
