"""The release wheel installs with pip into a fresh virtual environment and works there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import Mock, run_example

WHEEL = os.environ.get("AVOCHATO_WHEEL")
SMOKE = Path(__file__).resolve().parents[1] / "examples" / "quickstart.py"


@pytest.mark.skipif(not WHEEL, reason="set AVOCHATO_WHEEL to the release wheel (make build-wheel; make test does)")
def test_the_wheel_installs_into_a_fresh_venv_and_runs_the_quickstart(tmp_path: Path, mock: Mock) -> None:
    assert WHEEL and Path(WHEEL).is_file(), WHEEL
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = str(env_dir / "bin" / "python")
    pip = subprocess.run(
        [python, "-m", "pip", "install", "--no-index", "--disable-pip-version-check", "--quiet", WHEEL],
        capture_output=True, text=True, timeout=300,
    )
    assert pip.returncode == 0, pip.stderr
    where = subprocess.run(
        [python, "-c", "import avochato, sys; print(avochato.__file__); print(len(avochato.operations()))"],
        capture_output=True, text=True, timeout=60, cwd="/",
    )
    assert where.returncode == 0, where.stderr
    location, count = where.stdout.split()
    documented = len(json.loads((Path(__file__).resolve().parents[2] / "tests/fixtures/avochato-v1.json").read_text())["operations"])
    assert location.startswith(str(env_dir)) and count == str(documented), where.stdout
    assert (Path(location).parent / "py.typed").is_file() and (Path(location).parent / "_avochato.pyi").is_file()
    out = run_example(mock, SMOKE, python=python)
    assert "python: sent message" in out and "python (asyncio):" in out
    assert sys.prefix != str(env_dir)
