"""The wheel holds every module and data file: `pip install .` installs what `make run` runs.

An editable install (what `make install` does) reads the source tree and hides
a subpackage or data file the wheel leaves out; once, every non-editable
install failed with `No module named 'portfolio.exports'`. `.ci/run` also
installs the wheel into a fresh environment and runs it (`.ci/wheel-check`).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser

import pytest
from factories import ROOT

PACKAGES = ("core", "portfolio", "tui")


def _shipped_files() -> set[str]:
    """Every file under the three packages a checkout has, but for caches."""
    return {
        path.relative_to(ROOT).as_posix()
        for package in PACKAGES
        for path in (ROOT / package).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    """The wheel built from a clean copy of the checkout (no stale build/ folder)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(work),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (found,) = work.glob("mlfolio-*.whl")
    return zipfile.ZipFile(found)


@pytest.mark.slow
def test_the_wheel_holds_every_module_and_data_file(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    missing = sorted(_shipped_files() - names)
    assert missing == []
    for needed in (
        "portfolio/exports/__init__.py",
        "tui/widgets/__init__.py",
        "tui/dashboard/mlfolio.tcss",
        "portfolio/example.toml",
        "core/py.typed",
        "tui/py.typed",
    ):
        assert needed in names


@pytest.mark.slow
def test_the_wheel_carries_the_licence_as_an_spdx_expression(wheel: zipfile.ZipFile) -> None:
    (metadata,) = (n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    fields = Parser().parsestr(wheel.read(metadata).decode())
    assert fields["License-Expression"] == "MIT"
    assert fields["License-File"] == "LICENSE"
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in wheel.namelist())
    requires = fields.get_all("Requires-Dist") or []
    assert any(r.startswith("platformdirs") for r in requires)
    assert fields["Version"]
