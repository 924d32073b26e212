"""The stubs are precise: mypy --strict accepts the examples, rejects misuse, and stubtest
finds the stubs equal to the native module."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Mock, run_example

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def mypy(*args: str, cwd: Path = EXAMPLES) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file=", *args],
        capture_output=True, text=True, cwd=cwd, timeout=300,
    )


def test_mypy_strict_passes_on_the_examples() -> None:
    done = mypy("every_resource.py", "quickstart.py")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success: no issues found in 2 source files" in done.stdout


def test_mypy_strict_rejects_misuse(tmp_path: Path) -> None:
    (tmp_path / "misuse.py").write_text(
        "import avochato\n"
        "c = avochato.Client()\n"
        "c.messages.send(phone='+14155550100')\n"  # message is required
        "c.messages.send(phone='+14155550100', message=1)\n"  # not a str
        "c.tickets.update_status(ids='t', status='Done')\n"  # not one of the statuses
        "n: int = c.contacts.upsert(phone='+1').name\n"  # str | None
        "c.messages.sned(phone='+1', message='x')\n"  # no such method
        "async def f(a: avochato.AsyncClient) -> None:\n"
        "    m: avochato.Message = a.messages.get(id='x')\n"  # not awaited
        "r: avochato.RawResponse[avochato.Contact] = c.messages.with_raw_response.get(id='x')\n"  # wrong model
        "c.messages.list(extra_headers={'x-a': 1})\n"  # header values are strings
    )
    done = mypy("misuse.py", cwd=tmp_path)
    out = done.stdout
    assert done.returncode == 1, out
    for line, code in [(3, "call-arg"), (4, "arg-type"), (5, "arg-type"), (6, "assignment"), (7, "attr-defined"), (9, "assignment"), (10, "assignment"), (11, "dict-item")]:
        assert f"misuse.py:{line}: error:" in out and f"[{code}]" in out, (line, out)
    assert "Found 8 errors" in out, out


def test_stubtest_finds_the_stubs_equal_to_the_native_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "avochato"], capture_output=True, text=True, timeout=300, cwd="/"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success: no issues found" in done.stdout


@pytest.mark.parametrize("name", ["quickstart.py", "every_resource.py"])
def test_the_examples_run(mock: Mock, name: str) -> None:
    out = run_example(mock, EXAMPLES / name)
    assert "Traceback" not in out
    if name == "quickstart.py":
        assert "python: signed in to inbox test-account" in out
        assert "refused before sending: `message`" in out
    else:
        assert "events: sale 12.5; stream of 5" in out
        assert "asyncio: NotFoundError status=404 request_id=mock-" in out
        assert "raw: 200 application/json" in out and "same=True extra={}" in out
