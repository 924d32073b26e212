"""The shared bad-input suite (tests/fixtures/bad-inputs.json) through both Python clients.

Every bad input must raise avochato.ValidationError naming the file's parameter, with no
request reaching the mock; every good input must be sent. Prints a summary per client.
"""

from __future__ import annotations

import asyncio
import json
import math
import sys
from typing import Any, Callable, Optional

import pytest

import avochato
from conftest import ROOT, Mock

SUITE: dict[str, Any] = json.loads((ROOT / "tests/fixtures/bad-inputs.json").read_text())
HOST = "python"


def value(v: Any) -> Any:
    """The fixture's value as Python gives it (markers turned into Python values)."""
    if isinstance(v, dict):
        if "$nan" in v:
            return math.nan
        if "$inf" in v:
            return math.inf * v["$inf"]
        if "$huge" in v:
            return sys.float_info.max
        if "$bigint" in v:
            return int(v["$bigint"])
        if "$repeat" in v:
            text, times = v["$repeat"]
            return text * times
        return {k: value(x) for k, x in v.items()}
    if isinstance(v, list):
        return [value(x) for x in v]
    return v


def cases(kind: str) -> list[dict[str, Any]]:
    return [c for c in SUITE[kind] if HOST not in c.get("not_in", {})]


def method_of(client: Any, operation: str) -> Callable[..., Any]:
    resource, name = operation.split(".")
    return getattr(getattr(client, resource), name)  # type: ignore[no-any-return]


def show(capsys: pytest.CaptureFixture[str], text: str) -> None:
    with capsys.disabled():
        print(f"\n{text}", flush=True)


def judge_bad(case: dict[str, Any], error: Optional[BaseException]) -> Optional[str]:
    """Why `error` is not the refusal the case asks for (None: it is)."""
    if error is None:
        return f"{case['name']}: accepted"
    if not isinstance(error, avochato.ValidationError):
        return f"{case['name']}: {type(error).__name__}: {error}"
    if error.kind != "validation" or error.param != case["param"]:
        return f"{case['name']}: param {error.param!r} (kind {error.kind}), expected {case['param']!r}: {error}"
    return None


def judge_good(case: dict[str, Any], error: Optional[BaseException], sent: int) -> Optional[str]:
    if isinstance(error, avochato.ValidationError):
        return f"{case['name']}: refused: {error}"
    if error is not None and not isinstance(error, avochato.AvochatoError):
        return f"{case['name']}: {type(error).__name__}: {error}"
    if sent != 1:
        return f"{case['name']}: {sent} requests reached the mock, expected 1"
    return None


def blocking_call(mock: Mock, case: dict[str, Any]) -> Optional[BaseException]:
    try:
        with avochato.Client(**mock.options(**case.get("client_options", {}))) as client:
            method_of(client, case["operation"])(**value(case["params"]), **case.get("call_options", {}))
    except Exception as e:  # noqa: BLE001 (judged by the caller)
        return e
    return None


async def async_call(mock: Mock, case: dict[str, Any]) -> Optional[BaseException]:
    try:
        client = avochato.AsyncClient(**mock.options(**case.get("client_options", {})))
        await method_of(client, case["operation"])(**value(case["params"]), **case.get("call_options", {}))
    except Exception as e:  # noqa: BLE001
        return e
    return None


def run_suite(mock: Mock, label: str, call: Callable[[dict[str, Any]], Optional[BaseException]]) -> tuple[str, list[str]]:
    problems: list[str] = []
    bad = cases("bad")
    mock.control("POST", "/__mock/reset")
    refused = 0
    for case in bad:
        why = judge_bad(case, call(case))
        refused += why is None
        if why:
            problems.append(f"{label}: bad input {why}")
    reached = mock.requests()
    if reached:
        problems.append(f"{label}: {len(reached)} requests reached the mock during the bad inputs: "
                        + ", ".join(f"{r['method']} {r['path']}" for r in reached))
    good = cases("good")
    sent = 0
    for case in good:
        before = len(mock.requests())
        error = call(case)
        why = judge_good(case, error, len(mock.requests()) - before)
        sent += why is None
        if why:
            problems.append(f"{label}: good input {why}")
    skipped = len(SUITE["bad"]) - len(bad)
    line = f"{label}: {refused}/{len(bad)} refused, {len(reached)} requests sent, {sent}/{len(good)} good sent"
    return (line + (f" ({skipped} not applicable)" if skipped else ""), problems)


def test_bad_inputs_are_refused_and_good_ones_sent(mock: Mock, capsys: pytest.CaptureFixture[str]) -> None:
    assert len(SUITE["bad"]) >= 40
    blocking, problems = run_suite(mock, "python Client", lambda case: blocking_call(mock, case))
    asynchronous, more = run_suite(mock, "python AsyncClient", lambda case: asyncio.run(async_call(mock, case)))
    show(capsys, f"{blocking}\n{asynchronous}")
    assert problems + more == [], "\n".join(problems + more)
