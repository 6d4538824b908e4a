"""`authreg synth` writes loadable, reproducible files, and records every gap it plants."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from authreg.cli import app
from loaders.load import plan_load
from loaders.report import LoadReport
from synthetic.basis_cells import UNPARSEABLE
from synthetic.county_plan import plan_county
from synthetic.generate import SynthError, generate
from synthetic.regions import county_place

REPO = Path(__file__).resolve().parents[2]
SMALL = {"counties": 2, "streets_per_county": 5, "items": 20, "seed": 7}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "small"
    generate(out, **SMALL)
    return out


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_the_same_seed_writes_the_same_bytes(small: Path, tmp_path: Path) -> None:
    generate(tmp_path / "again", **SMALL)
    assert files(tmp_path / "again") == files(small)


def test_another_seed_writes_other_data(small: Path, tmp_path: Path) -> None:
    generate(tmp_path / "other", **{**SMALL, "seed": 8})
    again, first = files(tmp_path / "other"), files(small)
    assert again["laws/PROVENANCE.md"] == first["laws/PROVENANCE.md"]  # laws are shared
    assert again["990000/990101/organisation.yaml"] != first["990000/990101/organisation.yaml"]


def test_the_dataset_passes_load_check_with_only_the_planted_warnings(small: Path) -> None:
    report = LoadReport()
    plan = plan_load([small], report, need_metadata=True)
    assert not report.errors, [p.line() for p in report.errors]
    manifest = json.loads((small / "manifest.json").read_text(encoding="utf-8"))
    unparseable = {p["keys"][0][1] for p in manifest["planted"] if p["kind"] == "unparseable_basis"}
    assert unparseable
    assert {(w.message, w.value in UNPARSEABLE) for w in report.warnings} == {
        ("citation kept as raw text: document or article not resolved", True)
    }
    listed = {row.item.code for c in plan.catalogs for row in c.rows if row.raw}
    assert unparseable <= listed
    assert len(plan.laws) == len(manifest["laws"]) and len(plan.organisations) == 2
    kinds = {c.meta.kind.value for c in plan.catalogs}
    assert kinds == {
        "县级赋权清单",
        "收回通知",
        "动态调整通知",
        "省级指导目录",
        "片区联合执法清单",
        "权责清单",  # the items departments keep (synthetic.reform_targets)
    }
    assert {
        c.meta.streets if isinstance(c.meta.streets, str) else "list" for c in plan.catalogs
    } == {
        "all",
        "column",
        "list",
    }


def test_readme_and_manifest_list_every_planted_gap(small: Path) -> None:
    readme = (small / "README.md").read_text(encoding="utf-8")
    manifest = json.loads((small / "manifest.json").read_text(encoding="utf-8"))
    kinds = {p["kind"] for p in manifest["planted"]}
    assert kinds >= {
        "zone_without_reviewer",
        "zone_short_of_linked_officers",
        "team_below_minimum",
        "lapsed_certificate_in_post",
        "unparseable_basis",
        "repealed_basis",
        "uncovered_domain",
        "article_missing",
        "withdrawn_from_one_street",
        "void_risk_case",
        "uncertified_officer_case",
        "border_dispute",
        "overdue_transfer",
        "missed_joint_meeting",
        "team_above_maximum",
        "retained_domains",
        "retained_inspection",
        "too_many_professional_teams",
        "evaluation_keep",
        "evaluation_support",
        "evaluation_return",
    }
    for planted in manifest["planted"]:
        assert f"| {planted['county']} | {planted['kind']} |" in readme
        assert planted["note"] in readme


def test_counties_have_zones_of_two_to_six_streets_and_some_stations() -> None:
    sizes, stations = set(), 0
    for index in range(40):
        plan = plan_county(county_place(index), streets=14, items=30, seed=3)
        sizes |= {len(zone.streets) for zone in plan.zones}
        stations += sum(street.mode == "派驻" for street in plan.streets)
    assert sizes <= set(range(2, 7)) and len(sizes) >= 4
    assert stations > 0


def test_a_folder_that_is_not_empty_is_refused(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(SynthError, match="not an empty folder"):
        generate(tmp_path, **SMALL)


def test_more_items_than_the_laws_define_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SynthError, match="--items must be between 1 and"):
        generate(tmp_path / "big", **{**SMALL, "items": 5000})


def test_the_cli_command_writes_a_dataset(tmp_path: Path) -> None:
    out = tmp_path / "cli"
    result = CliRunner().invoke(
        app,
        [
            *("synth", "--out", str(out), "--counties", "1"),
            *("--streets-per-county", "3", "--items", "8", "--seed", "1"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "wrote 1 counties, 3 streets" in result.output
    assert (out / "README.md").is_file() and (
        out / "990000" / "990101" / "organisation.yaml"
    ).is_file()


def test_the_bench_county_keeps_its_interface(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = importlib.util.spec_from_file_location(
        "synthetic_county", REPO / "bench" / "synthetic_county.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "synthetic_county", bench)  # dataclasses look it up
    spec.loader.exec_module(bench)
    county = bench.write_county(tmp_path / "county", streets=6, items=30, seed=7)
    assert county.street_codes[0] == "990101001" and len(county.street_codes) == 6
    assert len(county.item_codes) > 30 and county.zone_ids
    assert all(path.is_file() for path in county.files)
