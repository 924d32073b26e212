"""The release wheel installs with pip into a fresh virtual environment and works there; the
wheels of `make wheels` are what their platform tags say."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import ROOT, Mock, run_example

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


DIST = Path(os.environ.get("AVOCHATO_DIST", ROOT / "target/wheels/dist"))
PLATFORMS = {
    # wheel tag ending -> (ELF machine, the C library it links, auditwheel's tag)
    "manylinux2014_x86_64.manylinux_2_17_x86_64": ("x64", "libc.so.6", "manylinux_2_17_x86_64"),
    "manylinux2014_aarch64.manylinux_2_17_aarch64": ("AArch64", "libc.so.6", "manylinux_2_17_aarch64"),
    # musl's loader takes a need of `libc.so` as itself (auditwheel's musllinux policies list it).
    "musllinux_1_2_x86_64": ("x64", "libc.so", "musllinux_1_2_x86_64"),
    "musllinux_1_2_aarch64": ("AArch64", "libc.so", "musllinux_1_2_aarch64"),
}


def elf_facts(wheel: Path) -> tuple[str, list[str], str]:
    """The extension module's machine, the libraries it needs, and its newest glibc symbol."""
    import io
    import zipfile

    from elftools.elf.elffile import ELFFile  # pyelftools, which auditwheel depends on

    with zipfile.ZipFile(wheel) as z:
        (name,) = [n for n in z.namelist() if n.endswith(".so")]
        elf = ELFFile(io.BytesIO(z.read(name)))
        dynamic = elf.get_section_by_name(".dynamic")
        needed = [t.needed for t in dynamic.iter_tags() if t.entry.d_tag == "DT_NEEDED"]
        versions = set()
        verneed = elf.get_section_by_name(".gnu.version_r")
        if verneed is not None:
            for _, aux in verneed.iter_versions():
                versions |= {a.name for a in aux if a.name.startswith("GLIBC_")}
        newest = max(versions, key=lambda v: tuple(int(x) for x in v[6:].split(".")), default="")
        return elf.get_machine_arch(), needed, newest


def auditwheel_policies(kind: str) -> list[dict[str, object]]:
    import json
    from importlib.resources import files

    return list(json.loads(files("auditwheel").joinpath(f"policy/{kind}-policy.json").read_text()))


@pytest.mark.skipif(not DIST.is_dir(), reason="make wheels writes target/wheels/dist (or set AVOCHATO_DIST)")
def test_every_platform_wheel_is_what_its_tag_says(tmp_path: Path, mock: Mock) -> None:
    wheels = sorted(DIST.glob("avochato-*.whl"))
    tags = {next((t for t in PLATFORMS if w.name.endswith(f"-{t}.whl")), w.name): w for w in wheels}
    assert set(tags) == set(PLATFORMS), sorted(tags)
    for tag, wheel in tags.items():
        machine, libc, policy = PLATFORMS[tag]
        assert "-cp39-abi3-" in wheel.name, wheel.name
        arch, needed, newest = elf_facts(wheel)
        assert arch == machine and libc in needed, (wheel.name, arch, needed)
        assert not any("libpython" in n for n in needed), needed
        if "musllinux" in tag:
            # `auditwheel show` cannot analyse a musl wheel on a glibc machine (it resolves
            # `libc.so` to this machine's linker script): its musllinux_1_2 policy is applied here.
            allowed = next(p for p in auditwheel_policies("musllinux") if p["name"] == "musllinux_1_2")
            assert set(needed) <= set(allowed["lib_whitelist"]) and not newest, (wheel.name, needed, newest)
            continue
        assert tuple(int(x) for x in newest[6:].split(".")) <= (2, 17), (wheel.name, newest)
        shown = subprocess.run([sys.executable, "-m", "auditwheel", "show", str(wheel)], capture_output=True, text=True, timeout=120)
        assert shown.returncode == 0, shown.stderr
        assert f'"{policy}"' in " ".join(shown.stdout.split()), shown.stdout
    (sdist,) = DIST.glob("avochato-*.tar.gz")
    import tarfile

    with tarfile.open(sdist) as t:
        names = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    for needed_file in ("pyproject.toml", "avochato/_avochato.pyi", "avochato/py.typed", "bindings/python/src/lib.rs", "crates/avochato/src/lib.rs"):
        assert any(n.endswith(needed_file) for n in names), needed_file
    # The x86_64 manylinux2014 wheel on this machine's Python (the musl and aarch64 ones cannot
    # run here: this is a glibc x86_64 machine).
    x86 = tags["manylinux2014_x86_64.manylinux_2_17_x86_64"]
    if WHEEL and Path(WHEEL).read_bytes() == x86.read_bytes():
        return  # the same file the test above installed and ran
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = str(env_dir / "bin" / "python")
    pip = subprocess.run([python, "-m", "pip", "install", "--no-index", "--quiet", str(x86)], capture_output=True, text=True, timeout=300)
    assert pip.returncode == 0, pip.stderr
    out = run_example(mock, SMOKE, python=python)
    assert "python: sent message" in out
