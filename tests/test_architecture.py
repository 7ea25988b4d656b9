"""The layering rule (ARCHITECTURE.md) is enforced: lint-imports fails on an upward import."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the package and the contract, to break on purpose."""
    shutil.copytree(ROOT / "rtcc_requests", tmp_path / "rtcc_requests",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _add_import(tree: Path, module: str, statement: str) -> None:
    path = tree / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text() + f"\n{statement}\n")


class TestLayers:
    def test_the_tree_keeps_the_contract(self, tree):
        result = _lint(tree)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "1 kept, 0 broken" in result.stdout

    def test_an_upward_import_breaks_it(self, tree):
        # A directory app reading requests: agencies sit below requests.
        _add_import(tree, "rtcc_requests.agencies.selectors",
                    "from rtcc_requests.requests.models import RecordsRequest  # noqa")  # fmt: skip
        result = _lint(tree)
        assert result.returncode == 1
        assert "rtcc_requests.agencies.selectors -> rtcc_requests.requests.models" in result.stdout

    def test_common_importing_an_app_breaks_it(self, tree):
        _add_import(tree, "rtcc_requests.common.dates",
                    "from rtcc_requests.laws import calendar  # noqa")  # fmt: skip
        result = _lint(tree)
        assert result.returncode == 1
        assert "rtcc_requests.common.dates -> rtcc_requests.laws.calendar" in result.stdout

    def test_two_apps_of_one_layer_importing_each_other_breaks_it(self, tree):
        _add_import(tree, "rtcc_requests.reminders.services",
                    "from rtcc_requests.denials import versioning  # noqa")  # fmt: skip
        result = _lint(tree)
        assert result.returncode == 1
        assert "rtcc_requests.reminders.services -> rtcc_requests.denials.versioning" in (
            result.stdout
        )
