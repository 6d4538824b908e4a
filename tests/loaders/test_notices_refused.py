"""Notices that cannot be what they say are refused, named by file, row and column, by `--check`
and by `load` alike, and writing nothing: a department or domain that matches nothing in force,
a list that is not loaded, an N-days rule without an issue date, a street date for no street, a
bad row in an attachment; and a replacing list that would strip most of what is in force."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from loaders.catalog_meta import CatalogMeta
from tests.conftest import Graph
from tests.loaders.test_atomic_load import errors, run, snapshot
from tests.loaders.test_load_graph import load
from tests.loaders.test_notices_published import (
    BY_DOMAIN,
    CSV_NOTICE,
    DEPARTMENT_WITHDRAWAL,
    LIST_2025,
    LISTS_2023,
    ORGANISATION,
    PER_TOWN,
    PER_TOWN_TABLE,
    THIRTY_DAYS,
    load_lists,
)


def edited(source: Path, old: str, new: str, *, meta: bool = False) -> Callable[[Path], Path]:
    """A copy of a fixture (and the files beside it) with one text replaced in the notice, or in
    its .meta.yaml (`meta`)."""

    def write(folder: Path) -> Path:
        for path in source.parent.iterdir():
            if path.is_file():
                shutil.copy(path, folder)
        target = folder / (source.stem + ".meta.yaml" if meta else source.name)
        text = target.read_text(encoding="utf-8")
        assert old in text, (old, target)
        target.write_text(text.replace(old, new), encoding="utf-8")
        return folder / source.name

    return write


@dataclass(frozen=True)
class Refusal:
    name: str
    write: Callable[[Path], Path]
    file: str  # the file the error names
    row: int | None
    column: str | None
    words: str


META = "三十日后施行的调整通知.meta.yaml"
CORPUS = [
    Refusal(
        "a department not in the organisation data",
        edited(DEPARTMENT_WITHDRAWAL, "{department: 区应急管理局}", "{department: 区文旅局}"),
        DEPARTMENT_WITHDRAWAL.name,
        14,
        "withdraw.0.department (metadata)",
        "department 「区文旅局」 is not in the organisation data",
    ),
    Refusal(
        "a department with nothing delegated in force",
        edited(DEPARTMENT_WITHDRAWAL, "{department: 区应急管理局}", "{department: 区教育局}"),
        DEPARTMENT_WITHDRAWAL.name,
        14,
        "withdraw.0 (metadata)",
        "收回 部门「区教育局」: no delegation of it is in force",
    ),
    Refusal(
        "a domain with nothing delegated in force",
        edited(BY_DOMAIN, "{domain: 城市管理, streets: [南湖镇]}", "{domain: 文化旅游}"),
        BY_DOMAIN.name,
        18,
        "withdraw.0 (metadata)",
        "执法领域「文化旅游」: no delegation of it is in force",
    ),
    Refusal(
        "a domain the list does not hold",
        edited(BY_DOMAIN, "{domain: 市场监管, streets", "{domain: 交通运输, streets"),
        BY_DOMAIN.name,
        16,
        "grant.0 (metadata)",
        "holds no such item",
    ),
    Refusal(
        "a list that is not loaded",
        edited(BY_DOMAIN, "items_from: 示政办〔2025〕2号", "items_from: 示政办〔2022〕1号"),
        BY_DOMAIN.name,
        11,
        "items_from (metadata)",
        "「示政办〔2022〕1号」 names no list loaded",
    ),
    Refusal(
        "N days after issue without an issue date",
        edited(THIRTY_DAYS, "published: 2025-05-06\n", "", meta=True),
        META,
        7,
        "effective_after_days (metadata)",
        "there is no `published:` date",
    ),
    Refusal(
        "N days after issue disagreeing with the effective date",
        edited(
            THIRTY_DAYS,
            "effective_after_days: 30",
            "effective_after_days: 30\neffective: 2025-06-01",
            meta=True,
        ),
        META,
        9,
        "effective (metadata)",
        "disagrees with 2025-05-06 + 30 days = 2025-06-05",
    ),
    Refusal(
        "a street date for a street of no region",
        edited(PER_TOWN, "南湖镇: 2025-04-25", "南海镇: 2025-04-25", meta=True),
        "按承接确认书施行的调整通知.meta.yaml",
        15,
        "street_dates.南海镇 (metadata)",
        "「南海镇」 is not a street of region 990201",
    ),
    Refusal(
        "a town the notice reaches without its date",
        edited(PER_TOWN, "  南湖镇: 2025-04-25\n", "", meta=True),
        "按承接确认书施行的调整通知.meta.yaml",
        14,  # the first line of the dates
        "street_dates (metadata)",
        "no date for 南湖镇",
    ),
    Refusal(
        "a date in the street table that is no date",
        edited(
            PER_TOWN_TABLE.with_name("承接确认书签订日期.csv"), "2025年4月25日", "2025年4月31日"
        ),
        "承接确认书签订日期.csv",
        3,
        "承接确认书签订日期",
        "has no day 31",
    ),
    Refusal(
        "a replaced list that is not loaded",
        edited(LIST_2025, "示政办〔2023〕6号]", "示政办〔2023〕7号]", meta=True),
        "示范区镇街综合执法赋权事项目录-2025.meta.yaml",
        14,
        "replaces.1 (metadata)",
        "「示政办〔2023〕7号」 names no list loaded",
    ),
    Refusal(
        "a bad row in the attachment",
        edited(
            CSV_NOTICE.with_name("附件1.csv"), ",对擅自在街道两侧和公共场地堆放物料的处罚,", ",,"
        ),
        "附件1.csv",
        2,
        "事项名称",
        "the item has no name",
    ),
    Refusal(
        "an attachment that is not there",
        edited(CSV_NOTICE, "attachment: 附件1.csv", "attachment: 附件2.csv"),
        CSV_NOTICE.name,
        11,
        "attachment",
        "attachment names 附件2.csv, which is not a file beside the notice",
    ),
]


def notice_of(refusal: Refusal, folder: Path) -> Path:
    written = refusal.write(folder)
    if written.name in {"附件1.csv", "承接确认书签订日期.csv"}:  # read with the notice beside it
        return folder
    return written


@pytest.mark.parametrize("refusal", CORPUS, ids=[r.name for r in CORPUS])
def test_check_and_load_refuse_a_notice_alike_and_write_nothing(
    graph: Graph, tmp_path: Path, refusal: Refusal
) -> None:
    if refusal.name == "a replaced list that is not loaded":
        load(graph, ORGANISATION, *LISTS_2023)
    else:
        load_lists(graph)
    before = snapshot(graph)
    folder = tmp_path / "in"
    folder.mkdir()
    bad = notice_of(refusal, folder)
    assert run(graph, [bad], tmp_path / "check.csv", check=True) == 2
    found = errors(tmp_path / "check.csv")
    assert found, "no error"
    error = found[0]
    assert error["file"] == refusal.file, found
    assert error["row"] == ("" if refusal.row is None else str(refusal.row)), error
    assert error["column"] == (refusal.column or ""), error
    assert refusal.words in error["message"], error
    assert run(graph, [bad], tmp_path / "load.csv", check=False) == 2
    assert errors(tmp_path / "load.csv") == found
    assert snapshot(graph) == before


def test_a_replacing_list_that_would_strip_most_of_what_is_in_force_is_refused(
    graph: Graph, tmp_path: Path
) -> None:
    """The guard counts what the replaced lists hold in force with the new list's own: a 2025
    list of one item, replacing both 2023 lists, would end 16 of 18 delegations."""
    load(graph, ORGANISATION, *LISTS_2023)
    before = snapshot(graph)
    shutil.copy(LIST_2025.with_name(LIST_2025.stem + ".meta.yaml"), tmp_path)
    short = tmp_path / LIST_2025.name
    short.write_text(
        "\n".join(LIST_2025.read_text(encoding="utf-8").splitlines()[:2]) + "\n", encoding="utf-8"
    )
    assert run(graph, [short], tmp_path / "check.csv", check=True) == 2
    [error] = errors(tmp_path / "check.csv")
    assert "in force 18, would end 14, would start 0" in error["message"], error
    assert snapshot(graph) == before


def test_check_reads_the_kind_of_streets_loaded_before(graph: Graph, tmp_path: Path) -> None:
    """各镇街 / 各镇 expand by street kind; the rehearsal copied the graph's streets without their
    kind, so `--check` (and `load`) refused a list naming them once its organisation was loaded
    by an earlier run (found by the replacing list above; a fix in loaders/rehearsal.py)."""
    load(graph, ORGANISATION, *LISTS_2023)
    assert run(graph, [LIST_2025], tmp_path / "check.csv", check=True) == 0
    assert errors(tmp_path / "check.csv") == []


def test_the_readme_notice_examples_are_valid_metadata() -> None:
    """Every YAML example of the README's notices section is metadata the loader accepts."""
    readme = Path(__file__).resolve().parents[2] / "README.md"
    text = readme.read_text(encoding="utf-8")
    section = text.split("### Notices as published", 1)[1].split("\n### ", 1)[0]
    blocks = re.findall(r"```yaml\n(.*?)```", section, flags=re.DOTALL)
    documents = [doc for block in blocks for doc in block.split("\n---\n")]
    assert len(documents) == 5
    for document in documents:
        meta = CatalogMeta.model_validate(yaml.safe_load(document))
        assert meta.withdraw or meta.grant or meta.attachment or meta.street_dates or meta.replaces
