"""Fixtures: the real avochato-mock binary on a free loopback port, and clients for it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any, Iterator, Optional

import pytest

import avochato

ROOT = Path(__file__).resolve().parents[2]
SECRET = "sk_py_test_7e6d5c4b3a_DO_NOT_LEAK"
AUTH_ID = "AC_py_1"


class Mock:
    def __init__(self, url: str) -> None:
        self.url = url
        self.auth_id = AUTH_ID
        self.auth_secret = SECRET

    def control(self, method: str, path: str, body: Optional[Any] = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method, headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read())

    def fault(self, **fault: Any) -> None:
        self.control("POST", "/__mock/faults", fault)

    def requests(self, method: Optional[str] = None, path: Optional[str] = None) -> list[dict[str, Any]]:
        q = "&".join(f"{k}={v}" for k, v in (("method", method), ("path", path)) if v)
        return list(self.control("GET", f"/__mock/requests?{q}")["requests"])

    def options(self, **more: Any) -> dict[str, Any]:
        return {"auth_id": AUTH_ID, "auth_secret": SECRET, "base_url": self.url, **more}


def start_mock() -> tuple[Mock, subprocess.Popen[str]]:
    """Starts the avochato-mock binary on a free loopback port."""
    binary = os.environ.get("AVOCHATO_MOCK_BIN", str(ROOT / "target/debug/avochato-mock"))
    proc = subprocess.Popen(
        [binary, "--port", "0", "--auth-id", AUTH_ID, "--auth-secret", SECRET],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline().strip()
    assert first.startswith("listening on "), first
    return Mock(first.removeprefix("listening on ")), proc


@pytest.fixture(scope="session")
def mock_server() -> Iterator[Mock]:
    mock, proc = start_mock()
    yield mock
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture()
def mock(mock_server: Mock) -> Mock:
    mock_server.control("POST", "/__mock/reset")
    return mock_server


@pytest.fixture()
def client(mock: Mock) -> Iterator[avochato.Client]:
    with avochato.Client(**mock.options()) as c:
        yield c


@pytest.fixture()
def aclient(mock: Mock) -> avochato.AsyncClient:
    return avochato.AsyncClient(**mock.options())


def assert_no_secret(*values: object) -> None:
    for v in values:
        for text in (str(v), repr(v)):
            assert SECRET not in text, f"the secret leaked: {text}"


def pytest_report_header() -> str:
    """Which build of the package the tests import (the installed wheel under `make test`)."""
    return f"avochato {avochato.__version__} from {Path(avochato.__file__).parent}"


def run_example(mock: Mock, path: Path, python: str = sys.executable, timeout: float = 60) -> str:
    """Runs an example script against the mock, as a user would (options from the environment)."""
    env = {
        **os.environ,
        "AVOCHATO_BASE_URL": mock.url,
        "AVOCHATO_AUTH_ID": mock.auth_id,
        "AVOCHATO_AUTH_SECRET": mock.auth_secret,
    }
    done = subprocess.run([python, str(path)], env=env, capture_output=True, text=True, timeout=timeout, cwd="/")
    assert done.returncode == 0, done.stderr
    assert mock.auth_secret not in done.stdout + done.stderr
    return done.stdout
