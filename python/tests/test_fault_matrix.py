"""The shared fault matrix (tests/fixtures/fault-matrix.json) through both Python clients.

For every fault and operation of the file: reset the mock, install the fault, make the call
once with the file's client settings, then compare the outcome (ok or the error's kind), the
requests the mock's recorder holds for the operation and, for the POST, the messages stored,
with what the file expects. Prints the matrix (fault x client) in the test output.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.parse
from typing import Any, Callable, Optional

import pytest

import avochato
from conftest import ROOT, Mock

MATRIX: dict[str, Any] = json.loads((ROOT / "tests/fixtures/fault-matrix.json").read_text())

def client_options(mock: Mock) -> dict[str, Any]:
    c = MATRIX["client"]
    return mock.options(timeout=c["timeout_ms"] / 1000, max_retries=c["max_retries"], max_retry_wait=c["max_retry_wait_ms"] / 1000)


def method_of(client: Any, operation: str) -> Callable[..., Any]:
    resource, name = operation.split(".")
    return getattr(getattr(client, resource), name)  # type: ignore[no-any-return]


def stored(mock: Mock, text: str) -> int:
    """Messages with the operation's text, read from the mock with a plain request."""
    query = urllib.parse.urlencode({"auth_id": mock.auth_id, "auth_secret": mock.auth_secret, "query": f'"{text}"'})
    return len(mock.control("GET", f"/v1/messages?{query}")["data"]["messages"])


def observe(mock: Mock, op: dict[str, Any], outcome: str) -> dict[str, Any]:
    seen: dict[str, Any] = {"outcome": outcome, "requests": len(mock.requests(op["method"], op["path"]))}
    if op["method"] == "POST":
        seen["stored"] = stored(mock, op["params"]["message"])
    return seen


def cell(seen: dict[str, Any], expected: dict[str, Any]) -> str:
    text = f"{seen['outcome']} x{seen['requests']}"
    if "stored" in seen:
        text += f" stored {seen['stored']}"
    return text if seen == expected else f"{text} (expected {cell(expected, expected)})"


def table(title: str, columns: list[str], rows: list[tuple[str, list[str]]]) -> str:
    head = [title, *columns]
    widths = [max(len(r[0]) for r in [(title, []), *rows])] + [
        max(len(columns[i]), *(len(cells[i]) for _, cells in rows)) for i in range(len(columns))
    ]

    def line(cells: list[str]) -> str:
        return " | ".join(c.ljust(w) for c, w in zip(cells, widths))

    return "\n".join([line(head), "-+-".join("-" * w for w in widths), *(line([name, *cells]) for name, cells in rows)])


def show(capsys: pytest.CaptureFixture[str], text: str) -> None:
    with capsys.disabled():
        print(f"\n{text}\n", flush=True)


class Runner:
    """Runs the matrix on one client kind; collects cells and mismatches."""

    def __init__(self, mock: Mock) -> None:
        self.mock = mock
        self.rows: dict[str, dict[str, str]] = {}
        self.mismatches: list[str] = []

    def columns(self, label: str) -> list[str]:
        return [f"{label} {op['method']} {name}" for name, op in MATRIX["operations"].items()]

    def cases(self) -> list[tuple[dict[str, Any], str, dict[str, Any]]]:
        return [(case, name, op) for case in MATRIX["faults"] for name, op in MATRIX["operations"].items()]

    def arm(self, case: dict[str, Any], op: dict[str, Any]) -> None:
        self.mock.control("POST", "/__mock/reset")
        self.mock.fault(**case["fault"], method=op["method"], path=op["path"])

    def record(self, label: str, case: dict[str, Any], name: str, op: dict[str, Any], error: Optional[BaseException]) -> None:
        if error is not None and not isinstance(error, avochato.AvochatoError):
            raise error
        outcome = "ok" if error is None else error.kind
        seen = observe(self.mock, op, outcome)
        expected = case["expect"][op["method"]]
        self.rows.setdefault(case["name"], {})[f"{label} {op['method']} {name}"] = cell(seen, expected)
        if seen != expected:
            self.mismatches.append(f"{label}: {case['name']} on {name}: got {seen}, expected {expected}")
        if "stored" in seen:
            assert seen["stored"] <= 1, f"{label}: {case['name']}: a message was stored twice"

    def render(self, title: str, columns: list[str]) -> str:
        rows = [(case["name"], [self.rows[case["name"]].get(c, "-") for c in columns]) for case in MATRIX["faults"]]
        return table(title, columns, rows)


def test_the_matrix_on_both_clients(mock: Mock, capsys: pytest.CaptureFixture[str]) -> None:
    runner = Runner(mock)
    started = time.monotonic()
    with avochato.Client(**client_options(mock)) as client:
        for case, name, op in runner.cases():
            runner.arm(case, op)
            try:
                method_of(client, name)(**op["params"])
                error: Optional[BaseException] = None
            except BaseException as e:  # noqa: BLE001 (anything else is re-raised by record)
                error = e
            runner.record("Client", case, name, op, error)
    blocking = time.monotonic() - started

    async def run_async() -> None:
        aclient = avochato.AsyncClient(**client_options(mock))
        for case, name, op in runner.cases():
            runner.arm(case, op)
            try:
                await method_of(aclient, name)(**op["params"])
                error: Optional[BaseException] = None
            except BaseException as e:  # noqa: BLE001
                error = e
            runner.record("AsyncClient", case, name, op, error)

    started = time.monotonic()
    asyncio.run(run_async())
    asynchronous = time.monotonic() - started

    columns = runner.columns("Client") + runner.columns("AsyncClient")
    show(
        capsys,
        runner.render("fault matrix: python", columns)
        + f"\npython: Client {len(runner.cases())} cells in {blocking:.2f} s, AsyncClient {len(runner.cases())} cells in {asynchronous:.2f} s",
    )
    assert runner.mismatches == [], "\n".join(runner.mismatches)
