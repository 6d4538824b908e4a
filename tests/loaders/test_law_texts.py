"""Law text files (法律文本) read into titles, versions, articles, 款 and 项."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from authreg.errors import InputError
from loaders.bulk_load import build_graph
from loaders.law_texts import LawText, infer_rank_and_issuer, parse_law_text
from loaders.load import FileOutcome, LoadPlan, plan_load, write_plan
from loaders.numerals import chinese_numeral, parse_numeral
from loaders.report import LoadReport
from schema.enums import DocumentRank
from tests.conftest import Graph

LAWS = (
    Path(__file__).resolve().parents[2] / "data" / "sample" / "laws"
)  # a verbatim copy of the published texts
LAW_FILES = sorted(p for p in LAWS.glob("*.md") if p.name != "PROVENANCE.md")


def provenance_rows() -> dict[str, tuple[str, str, list[int]]]:
    """file → (law, repository path, article numbers) from the tables in laws/PROVENANCE.md."""
    rows = {}
    for line in (LAWS / "PROVENANCE.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[0].startswith("`") and cells[0].endswith(".md`"):
            articles = [parse_numeral(n) for n in re.findall(r"第(.+?)条", cells[3])]
            rows[cells[0].strip("`")] = (cells[1], cells[2].strip("`"), articles)
    return rows


PROVENANCE = provenance_rows()


def law(name: str) -> LawText:
    return parse_law_text(LAWS / name)


def test_provenance_lists_every_law_file() -> None:
    assert sorted(PROVENANCE) == [p.name for p in LAW_FILES]


@pytest.mark.parametrize("path", LAW_FILES, ids=[p.name for p in LAW_FILES])
def test_law_file_gives_the_title_and_articles_its_provenance_lists(path: Path) -> None:
    title, repository_path, articles = PROVENANCE[path.name]
    text = parse_law_text(path)
    assert text.title == title
    assert [a.number for a in text.articles] == articles
    year, month, day = re.search(r"\((\d{4})-(\d{2})-(\d{2})\)", repository_path).groups()
    assert text.path_date == date(int(year), int(month), int(day))
    assert all(a.text and a.paragraphs for a in text.articles)


@pytest.mark.parametrize(
    ("name", "version_date"),
    [
        ("xingzheng-chufa-fa.md", date(2021, 1, 22)),  # 2021年1月22日 …修订, the last of four
        ("hukou-dengji-tiaoli.md", date(1958, 1, 9)),  # one date only
        ("cunzhuang-he-jizhen-guihua-jianshe-guanli-tiaoli.md", date(1993, 11, 1)),  # 施行 date
        # The header stops at 2011 although the repository path says 2017 (PROVENANCE doubts).
        ("chengshi-shirong-he-huanjing-weisheng-guanli-tiaoli.md", date(2011, 1, 8)),
        ("chongqing-shi-cunzhen-guihua-jianshe-guanli-tiaoli.md", date(2015, 5, 28)),
    ],
)
def test_version_date_is_the_latest_date_of_the_version_line(name: str, version_date: date) -> None:
    assert law(name).version_date == version_date


@pytest.mark.parametrize(
    ("name", "article", "paragraphs", "items"),
    [
        ("xingzheng-chufa-fa.md", 18, 3, [0, 0, 0]),
        ("xingzheng-chufa-fa.md", 20, 4, [0, 0, 0, 0]),
        ("xingzheng-chufa-fa.md", 21, 1, [3]),  # 受委托组织必须符合以下条件： + (一)–(三)
        ("guti-feiwu-wuran-huanjing-fangzhi-fa.md", 111, 3, [7, 0, 0]),
        ("senlin-fa-shishi-tiaoli.md", 42, 1, [4]),  # half-width (一) markers in this file
        ("tudi-guanli-fa.md", 62, 7, [0] * 7),
        ("hukou-dengji-tiaoli.md", 3, 5, [0] * 5),
    ],
)
def test_paragraphs_and_items_are_counted_as_read_by_hand(
    name: str, article: int, paragraphs: int, items: list[int]
) -> None:
    found = law(name).article(article)
    assert len(found.paragraphs) == paragraphs
    assert [len(p.items) for p in found.paragraphs] == items
    assert [p.number for p in found.paragraphs] == list(range(1, paragraphs + 1))


def test_article_text_drops_the_article_number() -> None:
    article = law("xingzheng-chufa-fa.md").article(17)
    assert article.text == "行政处罚由具有行政处罚权的行政机关在法定职权范围内实施。"
    assert article.paragraphs[0].text == article.text


def test_items_are_numbered_and_keep_their_text_without_the_marker() -> None:
    first = law("guti-feiwu-wuran-huanjing-fangzhi-fa.md").article(111).paragraphs[0]
    assert first.text.endswith("没收违法所得：")
    assert [i.number for i in first.items] == list(range(1, 8))
    assert first.items[3].text.startswith("工程施工单位擅自倾倒、抛撒或者堆放")


def test_full_article_text_holds_every_paragraph_and_item_on_its_own_line() -> None:
    article = law("senlin-fa-shishi-tiaoli.md").article(42)
    lines = article.text.split("\n")
    assert len(lines) == 5
    assert lines[2] == "(二)当年更新造林面积未达到应更新造林面积50%的；"


@pytest.mark.parametrize(
    ("name", "rank", "issuer"),
    [
        ("xingzheng-chufa-fa.md", DocumentRank.LAW, "全国人民代表大会"),  # 1996 NPC session
        ("xiaofang-fa.md", DocumentRank.LAW, "全国人民代表大会常务委员会"),
        # Named like a regulation, but passed by the NPC Standing Committee in 1958: a law.
        ("hukou-dengji-tiaoli.md", DocumentRank.LAW, "全国人民代表大会常务委员会"),
        ("getigongshanghu-tiaoli.md", DocumentRank.ADMINISTRATIVE_REGULATION, "国务院"),
        (
            "cunzhuang-he-jizhen-guihua-jianshe-guanli-tiaoli.md",
            DocumentRank.ADMINISTRATIVE_REGULATION,
            "国务院",
        ),
        (
            "chongqing-shi-anquan-shengchan-tiaoli.md",
            DocumentRank.LOCAL_REGULATION,
            "重庆市人民代表大会常务委员会",
        ),
    ],
)
def test_rank_and_issuer_come_from_who_passed_the_text(
    name: str, rank: DocumentRank, issuer: str
) -> None:
    text = law(name)
    assert (text.rank, text.issuer) == (rank, issuer)


@pytest.mark.parametrize(
    ("title", "rank", "issuer"),
    [
        ("中华人民共和国森林法", DocumentRank.LAW, None),
        ("城市市容和环境卫生管理条例", DocumentRank.ADMINISTRATIVE_REGULATION, "国务院"),
        ("重庆市安全生产条例", DocumentRank.LOCAL_REGULATION, "重庆市人民代表大会常务委员会"),
        (
            "内蒙古自治区实施<中华人民共和国土地管理法>办法",
            DocumentRank.LOCAL_REGULATION,
            "内蒙古自治区人民代表大会常务委员会",
        ),
        (
            "山西省村庄和集镇规划建设管理实施办法",
            DocumentRank.LOCAL_GOVERNMENT_RULE,
            "山西省人民政府",
        ),
        ("城市建筑垃圾管理规定", DocumentRank.UNKNOWN, None),
    ],
)
def test_without_a_version_line_rank_is_inferred_from_the_title(
    title: str, rank: DocumentRank, issuer: str | None
) -> None:
    assert infer_rank_and_issuer(title) == (rank, issuer)


def test_unknown_article_number_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="no article 99"):
        law("xingzheng-xuke-fa.md").article(99)


# ── broken files ─────────────────────────────────────────────────────────────────────────────

GOOD_HEAD = (
    "# 某某条例\n\n- Version / dates (from the file header): 2020年1月1日 国务院令第1号公布\n\n"
)


@pytest.mark.parametrize(
    ("case", "content", "problem", "row"),
    [
        ("no title", "## 第一条\n\n第一条 内容。\n", "before the '# title'", 1),
        ("empty file", "", "no '# title'", 1),
        ("no article", GOOD_HEAD + "Some text only.\n", "no article", 5),
        ("bad article heading", GOOD_HEAD + "## 第X条\n\n第X条 内容。\n", "not a numeral", 5),
        ("not an article heading", GOOD_HEAD + "## 附则\n\n内容。\n", "not an article heading", 5),
        (
            "article without text",
            GOOD_HEAD + "## 第一条\n\n## 第二条\n\n第二条 内容。\n",
            "has no text",
            5,
        ),
        ("heading and text disagree", GOOD_HEAD + "## 第一条\n\n第二条 内容。\n", "otherwise", 5),
        (
            "article twice",
            GOOD_HEAD + "## 第一条\n\n第一条 甲。\n\n## 第一条\n\n第一条 乙。\n",
            "appears twice",
            9,
        ),
    ],
)
def test_broken_law_file_raises_input_error_naming_file_and_line(
    tmp_path: Path, case: str, content: str, problem: str, row: int
) -> None:
    path = tmp_path / "broken-law.md"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(problem)) as caught:
        parse_law_text(path)
    assert caught.value.file == path
    assert caught.value.row == row
    assert str(caught.value).startswith(f"broken-law.md, row {row}: ")


def test_minimal_law_file_without_version_line_parses(tmp_path: Path) -> None:
    path = tmp_path / "minimal.md"
    path.write_text("# 重庆市某某条例\n\n## 第一条\n\n第一条 甲。\n\n乙。\n", encoding="utf-8")
    text = parse_law_text(path)
    assert (text.version_date, text.path_date) == (None, None)
    assert text.rank is DocumentRank.LOCAL_REGULATION
    assert [p.text for p in text.article(1).paragraphs] == ["甲。", "乙。"]


# ── excerpts (节选, documents issue 14.11) ─────────────────────────────────────────────────────

ARTICLES = {1: "本法为规范测试而制定。", 2: "测试机关负责本法的实施。", 3: "本法自公布之日起施行。"}


def law_file(folder: Path, numbers: list[int], front: str = "") -> Path:
    path = folder / "ceshi-fa.md"
    sections = "".join(
        f"## 第{chinese_numeral(n)}条\n\n第{chinese_numeral(n)}条 {ARTICLES.get(n, '测试。')}\n\n"
        for n in numbers
    )
    path.write_text(f"{front}# 中华人民共和国测试法\n\n{sections}", encoding="utf-8")
    return path


def test_every_sample_law_file_is_an_excerpt() -> None:
    # PROVENANCE.md: each file holds the articles some catalog cites, not the whole law.
    assert all(parse_law_text(path).excerpt for path in LAW_FILES)
    assert law("xiaofang-fa.md").last_article == 74  # front matter: 第七十四条 is its last


def test_a_text_whose_articles_run_from_the_first_without_a_gap_is_whole(tmp_path: Path) -> None:
    whole = parse_law_text(law_file(tmp_path, [1, 2, 3]))
    assert (whole.excerpt, whole.last_article) == (False, 3)
    gap = parse_law_text(law_file(tmp_path, [1, 3]))
    assert (gap.excerpt, gap.last_article) == (True, None)


def test_front_matter_says_excerpt_and_last_article(tmp_path: Path) -> None:
    front = "---\nexcerpt: true\nlast_article: 第一百二十条\n---\n"
    text = parse_law_text(law_file(tmp_path, [1, 2], front))
    assert (text.excerpt, text.last_article, text.title) == (True, 120, "中华人民共和国测试法")


@pytest.mark.parametrize(
    ("front", "problem"),
    [
        ("---\nexcerpt: yes please\n---\n", "excerpt is true or false"),
        (
            "---\nexcerpts: true\n---\n",
            "front matter takes only effective, excerpt, last_article, previous_articles",
        ),
        ("---\nlast_article: 1\n---\n", "last_article 1 is below article 2"),
        ("---\nexcerpt: true\n", "not closed"),
    ],
)
def test_broken_front_matter_is_an_input_error(tmp_path: Path, front: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        parse_law_text(law_file(tmp_path, [1, 2], front))


def warnings_of_citing(graph: Graph, tmp_path: Path, law: Path, cell: str) -> list[tuple[str, ...]]:
    """The write's warnings for a catalog citing `cell`, through Neo4j and in memory (bulk)."""
    catalog = tmp_path / "c.csv"
    catalog.write_text(f'序号,事项名称,事项类型,实施依据\n1,某检查,行政检查,"{cell}"\n')
    (tmp_path / "c.meta.yaml").write_text("effective: 2024-01-01\n")

    def plan() -> LoadPlan:
        report = LoadReport()
        planned = plan_load([law, catalog], report, need_metadata=True)
        assert not report.errors, [p.line() for p in report.errors]
        return planned

    graph.wipe()
    written = dict(write_plan(graph.driver, graph.settings.neo4j_database, plan()))
    built: dict[str, FileOutcome] = {}
    build_graph(plan(), lambda name, outcome: built.update({name: outcome}))
    return [written["c.csv"].warnings, built["c.csv"].warnings]


def test_an_article_outside_an_excerpt_is_not_missing_beyond_its_last_it_is(
    graph: Graph, tmp_path: Path
) -> None:
    fire = LAWS / "xiaofang-fa.md"  # 第十五条, 第三十一条, 第六十条 of 74
    cell = "《中华人民共和国消防法》第十六条、第七十四条、第七十五条"
    assert (
        warnings_of_citing(graph, tmp_path, fire, cell)
        == [("第七十五条 not in 《中华人民共和国消防法》(2021)",)] * 2
    )


def test_an_article_a_whole_text_lacks_is_missing_and_an_excerpts_is_not(
    graph: Graph, tmp_path: Path
) -> None:
    whole = law_file(tmp_path, [1, 2, 3])
    cell = "《中华人民共和国测试法》第二条、第五条"
    assert (
        warnings_of_citing(graph, tmp_path, whole, cell)
        == [("第五条 not in 《中华人民共和国测试法》",)] * 2
    )
    excerpt = law_file(tmp_path, [1, 2, 3], "---\nexcerpt: true\n---\n")
    assert warnings_of_citing(graph, tmp_path, excerpt, cell) == [()] * 2


def test_a_paragraph_or_item_its_article_lacks_is_missing(graph: Graph, tmp_path: Path) -> None:
    # 第十五条 has four 款; 第六十条第一款 lists items (一)…(七).
    fire = LAWS / "xiaofang-fa.md"
    cell = (
        "《中华人民共和国消防法》第十五条第四款、第十五条第五款、"
        "第六十条第一款第(七)项、第六十条第(八)项、第六十条(三)"
    )
    assert (
        warnings_of_citing(graph, tmp_path, fire, cell)
        == [
            (
                "第十五条第五款 not in 《中华人民共和国消防法》(2021)",
                "第六十条第一款第八项 not in 《中华人民共和国消防法》(2021)",
            )
        ]
        * 2
    )


# ── versions (法律版本, documents issue 14.10) ──────────────────────────────────────────────────

VERSION_LINE = (
    "- Version / dates (from the file header): 2001年5月1日 第九届全国人民代表大会常务委员会"
    "第二十一次会议通过; 2010年3月1日 第十一届全国人民代表大会常务委员会第十三次会议修订; "
    "2015年4月24日 第十二届全国人民代表大会常务委员会第十四次会议《关于修改…的决定》修正\n\n"
)


def versioned_file(folder: Path, heading: str = "中华人民共和国测试法", front: str = "") -> Path:
    """A synthetic law (测试法, not a real one) with three versions in its Version line."""
    path = folder / "ceshi-fa.md"
    body = "## 第一条\n\n第一条 本法为规范测试而制定。\n"
    path.write_text(f"{front}# {heading}\n\n{VERSION_LINE}{body}", encoding="utf-8")
    return path


def test_the_version_line_lists_every_passed_text_oldest_first(tmp_path: Path) -> None:
    text = parse_law_text(versioned_file(tmp_path))
    assert [(str(v.date), v.kind) for v in text.versions] == [
        ("2001-05-01", "公布"),
        ("2010-03-01", "修订"),
        ("2015-04-24", "修正"),
    ]
    assert text.version is not None and str(text.version.date) == "2015-04-24"  # the last


def test_a_heading_version_note_names_the_files_version(tmp_path: Path) -> None:
    front = "---\neffective: 2010-10-01\n---\n"
    text = parse_law_text(versioned_file(tmp_path, "中华人民共和国测试法(2010年修订)", front))
    assert text.version is not None
    assert (str(text.version.date), text.version.kind) == ("2010-03-01", "修订")
    assert str(text.version.effective_from) == "2010-10-01"


def test_a_heading_naming_a_version_the_line_lacks_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="names a 2012 version the Version line does not list"):
        parse_law_text(versioned_file(tmp_path, "中华人民共和国测试法(2012年修正)"))


def test_a_publication_and_effective_date_belong_to_the_first_version() -> None:
    # 1993年5月7日 通过; 6月29日 国务院令发布; 11月1日 施行: one text, in force from 11月1日.
    [version] = law("cunzhuang-he-jizhen-guihua-jianshe-guanli-tiaoli.md").versions
    assert (str(version.date), str(version.effective_from)) == ("1993-05-07", "1993-11-01")


def test_the_sample_holds_two_real_texts_of_one_law_with_their_renumbering() -> None:
    old, new = law("xingzheng-chufa-fa-2017.md"), law("xingzheng-chufa-fa.md")
    assert old.version and new.version
    assert (str(old.version.date), str(old.version.effective_from)) == ("2017-09-01", "2018-01-01")
    assert (str(new.version.date), str(new.version.effective_from)) == ("2021-01-22", "2021-07-15")
    assert new.previous_articles[18] == 20 and new.previous_articles[38] == 57
    # The map only names articles both texts hold with the same rule, read side by side.
    assert old.article(18).text.startswith(
        "行政机关依照法律、法规或者规章的规定，可以在其法定权限内委托"
    )
    assert new.article(20).text.startswith(
        "行政机关依照法律、法规、规章的规定，可以在其法定权限内书面委托"
    )


@pytest.mark.parametrize(
    ("front", "problem"),
    [
        (
            "---\nprevious_articles: {3: 4}\n---\n",
            "previous_articles needs previous_articles_source",
        ),
        ("---\nprevious_articles: [3, 4]\n---\n", "maps old article numbers to new ones"),
        ("---\neffective: soon\n---\n", "effective is a date"),
    ],
)
def test_broken_version_front_matter_is_an_input_error(
    tmp_path: Path, front: str, problem: str
) -> None:
    with pytest.raises(InputError, match=problem):
        parse_law_text(versioned_file(tmp_path, front=front))
