"""The GIL is released during I/O, a forked child works, requests are logged."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time

import pytest

import avochato
from conftest import SECRET, Mock


def test_a_python_thread_runs_while_a_blocking_call_waits(client: avochato.Client, mock: Mock) -> None:
    mock.fault(method="GET", path="/v1/whoami", kind="delay", delay_ms=800)
    stop = threading.Event()
    ticks = [0]

    def spin() -> None:
        while not stop.is_set():
            ticks[0] += 1

    t = threading.Thread(target=spin)
    t.start()
    try:
        time.sleep(0.05)
        before = ticks[0]
        started = time.monotonic()
        client.verify()
        waited = time.monotonic() - started
        during = ticks[0] - before
    finally:
        stop.set()
        t.join()
    assert waited >= 0.75
    # A pure-Python loop does ~10^6-10^7 iterations a second; with the GIL held it would do none.
    assert during > 100_000, f"{during} iterations in {waited:.2f} s"


def wait_for(pid: int, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail(f"the forked child did not finish within {seconds} s")
        time.sleep(0.02)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_forked_child_gets_a_working_client(client: avochato.Client, mock: Mock) -> None:
    assert client.verify().account.subdomain == "test-account"  # runtime and pool exist in the parent
    pid = os.fork()
    if pid == 0:  # the child
        code = 3
        try:
            code = 0 if client.messages.send(phone="+14155550199", message="from the child").to == "+14155550199" else 1
        except BaseException:
            code = 2
        os._exit(code)
    assert wait_for(pid, 20) == 0
    assert client.verify().account.subdomain == "test-account", "the parent still works"
    assert any(r["body"].get("message") == "from the child" for r in mock.requests("POST", "/v1/messages"))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_a_forked_child_can_use_the_async_client(mock: Mock) -> None:
    import asyncio

    aclient = avochato.AsyncClient(**mock.options())

    async def subdomain() -> str:
        return (await aclient.verify()).account.subdomain

    assert asyncio.run(subdomain()) == "test-account"
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            code = 0 if asyncio.run(subdomain()) == "test-account" else 1
        except BaseException:
            code = 2
        os._exit(code)
    assert wait_for(pid, 20) == 0


def test_requests_and_retries_are_logged_without_the_secret(mock: Mock, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="avochato")
    client = avochato.Client(**mock.options())
    mock.fault(method="GET", path="/v1/whoami", kind="status", status=429, retry_after="0.1")
    client.verify()
    messages = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "avochato"]
    assert ("DEBUG", "GET /v1/whoami (attempt 1)") in messages
    assert any(level == "INFO" and "retrying GET /v1/whoami after HTTP 429" in m for level, m in messages), messages
    assert any(level == "DEBUG" and "-> 200" in m and "request id mock-" in m for level, m in messages), messages
    assert all(SECRET not in m and "auth_secret" not in m for _, m in messages)
