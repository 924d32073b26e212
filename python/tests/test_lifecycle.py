"""Calls as Python expects them: coroutines, cancellation, Ctrl-C, threads, panics."""

from __future__ import annotations

import asyncio
import gc
import os
import subprocess
import sys
import textwrap
import threading
import warnings

import pytest

import avochato
from conftest import Mock


def test_async_methods_are_coroutines_usable_wherever_one_is(mock: Mock) -> None:
    client = avochato.AsyncClient(**mock.options())
    assert asyncio.run(client.accounts.whoami()).account.subdomain == "test-account"
    assert asyncio.run(client.verify()).account.subdomain == "test-account"

    async def tasks() -> list[str]:
        made = [asyncio.create_task(client.verify()) for _ in range(3)]
        got = await asyncio.wait_for(asyncio.gather(*made), timeout=10)
        return [w.account.subdomain for w in got]

    assert asyncio.run(tasks()) == ["test-account"] * 3


def test_a_second_asyncio_run_with_the_same_client_works(mock: Mock) -> None:
    client = avochato.AsyncClient(**mock.options())
    for _ in range(3):
        assert asyncio.run(client.verify()).account.subdomain == "test-account"


def test_nothing_is_sent_until_awaited_and_python_warns_about_a_call_never_awaited(mock: Mock) -> None:
    client = avochato.AsyncClient(**mock.options())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call = client.messages.send(phone="+14155550101", message="never awaited")
        del call
        gc.collect()
    assert mock.requests("POST", "/v1/messages") == []
    assert any(
        issubclass(w.category, RuntimeWarning) and "messages.send" in str(w.message) and "never awaited" in str(w.message)
        for w in caught
    ), [str(w.message) for w in caught]


def test_bad_parameters_are_raised_when_awaited_and_nothing_is_sent(mock: Mock) -> None:
    client = avochato.AsyncClient(**mock.options())
    call = client.messages.send(phone="+14155550101")  # no message
    with pytest.raises(avochato.ValidationError) as e:
        asyncio.run(call)
    assert e.value.param == "message"
    assert mock.requests("POST", "/v1/messages") == []


def test_cancelling_the_awaiting_task_cancels_the_request(mock: Mock) -> None:
    client = avochato.AsyncClient(**mock.options())
    # The first attempt is refused with 429 and "retry after 1 s": the resend is pending when
    # the task is cancelled, and must never go out.
    mock.fault(method="POST", path="/v1/messages", kind="status", status=429, retry_after="1", count=1)

    async def main() -> None:
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(client.messages.send(phone="+14155550102", message="cancelled"), timeout=0.3)
        await asyncio.sleep(1.5)

    asyncio.run(main())
    assert len(mock.requests("POST", "/v1/messages")) == 1, "the request went on after its task was cancelled"


def test_eight_threads_share_one_blocking_client(client: avochato.Client, mock: Mock) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(25):
                client.messages.send(phone="+14155550103", message=f"thread {n} message {i}")
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(mock.requests("POST", "/v1/messages")) == 200


def test_ctrl_c_interrupts_a_blocking_call_within_a_fifth_of_a_second(mock: Mock) -> None:
    mock.fault(method="GET", path="/v1/whoami", kind="delay", delay_ms=6000)
    script = textwrap.dedent(
        """
        import os, signal, threading, time
        import avochato
        client = avochato.Client()
        sent = []
        def interrupt():
            sent.append(time.monotonic())
            os.kill(os.getpid(), signal.SIGINT)
        threading.Timer(0.5, interrupt).start()
        try:
            client.verify()
            print("completed")
        except KeyboardInterrupt:
            print(f"interrupted {time.monotonic() - sent[0]:.3f}")
        """
    )
    env = {**os.environ, "AVOCHATO_BASE_URL": mock.url, "AVOCHATO_AUTH_ID": mock.auth_id, "AVOCHATO_AUTH_SECRET": mock.auth_secret}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    word, _, after = done.stdout.strip().partition(" ")
    assert word == "interrupted", done.stdout + done.stderr
    assert float(after) < 0.2, f"KeyboardInterrupt came {after} s after SIGINT"


@pytest.mark.parametrize("where", ["call", "blocking", "async"])
def test_a_panic_inside_the_sdk_is_an_internal_error_not_a_crash(where: str) -> None:
    with pytest.raises(avochato.InternalError) as e:
        result = avochato._avochato._panic_for_tests(where)
        if where == "async":
            asyncio.run(result)
    assert isinstance(e.value, Exception) and isinstance(e.value, avochato.AvochatoError)
    assert e.value.kind == "internal" and "test panic" in str(e.value)


@pytest.mark.parametrize(
    "options",
    [{"timeout": 1e20}, {"timeout": float("nan")}, {"timeout": 0}, {"timeout": -1}, {"max_retry_wait": 1e300}, {"max_retries": 10**6}],
)
def test_out_of_range_options_are_validation_errors_naming_the_option(mock: Mock, options: dict[str, float]) -> None:
    with pytest.raises(avochato.ValidationError) as e:
        avochato.Client(**mock.options(**options))
    assert e.value.param == next(iter(options))


def test_out_of_range_per_call_options_are_validation_errors(client: avochato.Client, mock: Mock) -> None:
    for bad in (1e20, float("inf"), 0):
        with pytest.raises(avochato.ValidationError) as e:
            client.messages.list(timeout=bad)
        assert e.value.param == "timeout"
    assert mock.requests("GET", "/v1/messages") == []
