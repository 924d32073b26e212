"""Scripts end cleanly, every time: no crash at interpreter exit, whatever is still running.

Each script runs many times, four processes at a time (as a clean-clone `make test` once
failed: a runtime thread touched the interpreter while it finalized). Every run must exit 0
with nothing on stderr that looks like a crash.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator

import pytest

from conftest import Mock, start_mock

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
RUNS = int(os.environ.get("AVOCHATO_EXIT_RUNS", "200"))
SHORT_RUNS = int(os.environ.get("AVOCHATO_EXIT_SHORT_RUNS", "60"))
CRASH_SIGNS = ("Fatal Python error", "panicked", "Segmentation fault", "Aborted", "core dumped", "PanicException")


@pytest.fixture(scope="module")
def mocks() -> Iterator[list[Mock]]:
    """One mock per parallel lane: the examples add and delete the same user."""
    started = [start_mock() for _ in range(4)]
    yield [m for m, _ in started]
    for _, proc in started:
        proc.terminate()
        proc.wait(timeout=10)


def run_many(mocks: list[Mock], script: Path, runs: int, timeout: float = 60) -> None:
    def env(mock: Mock) -> dict[str, str]:
        return {
            **os.environ,
            "AVOCHATO_BASE_URL": mock.url,
            "AVOCHATO_AUTH_ID": mock.auth_id,
            "AVOCHATO_AUTH_SECRET": mock.auth_secret,
        }

    def lane(mock: Mock) -> list[tuple[int, str]]:
        out = []
        for _ in range(runs // len(mocks)):
            done = subprocess.run([sys.executable, str(script)], env=env(mock), capture_output=True, text=True, timeout=timeout, cwd="/")
            out.append((done.returncode, done.stderr))
        return out

    for m in mocks:
        m.control("POST", "/__mock/reset")
    with ThreadPoolExecutor(len(mocks)) as pool:
        results = [r for rs in pool.map(lane, mocks) for r in rs]
    failed = [(code, err) for code, err in results if code != 0 or any(s in err for s in CRASH_SIGNS)]
    codes = sorted({code for code, _ in failed})
    assert not failed, f"{len(failed)} of {runs} runs of {script.name} failed (exit codes {codes}); first stderr:\n{failed[0][1][-3000:]}"


@pytest.mark.parametrize("example", ["quickstart.py", "every_resource.py"])
def test_the_examples_exit_cleanly_every_time(mocks: list[Mock], example: str) -> None:
    run_many(mocks, EXAMPLES / example, RUNS)


SCRIPTS = {
    # The smallest async script: nothing but a client opened and closed.
    "async_with_only": """
        async def main():
            async with avochato.AsyncClient():
                pass
        asyncio.run(main())
    """,
    # Ends right after a call.
    "ends_after_a_call": """
        async def main():
            async with avochato.AsyncClient() as client:
                await client.verify()
        asyncio.run(main())
    """,
    # A call still in flight at exit: a loop left open with a task waiting on a slow answer.
    "call_in_flight_at_exit": """
        slow(3000)
        client = avochato.AsyncClient()
        loop = asyncio.new_event_loop()
        task = loop.create_task(client.messages.list())
        loop.run_until_complete(asyncio.sleep(0.05))
    """,
    # asyncio.run returned; the client lives on in a global until exit.
    "after_asyncio_run_returns": """
        client = avochato.AsyncClient()
        async def main():
            await client.verify()
            await client.contacts.list()
        asyncio.run(main())
        print("done")
    """,
    # A daemon thread still inside a blocking call when the interpreter exits.
    "blocking_call_in_a_daemon_thread": """
        slow(3000)
        client = avochato.Client()
        def work():
            while True:
                try:
                    client.messages.list()
                except avochato.AvochatoError:
                    pass
        threading.Thread(target=work, daemon=True).start()
        time.sleep(0.2)
    """,
    # A daemon thread running its own event loop with calls in flight at exit.
    "event_loop_in_a_daemon_thread": """
        slow(3000)
        def work():
            async def calls():
                client = avochato.AsyncClient()
                await asyncio.gather(client.verify(), client.messages.list(), return_exceptions=True)
            asyncio.run(calls())
        threading.Thread(target=work, daemon=True).start()
        time.sleep(0.2)
    """,
    # A client garbage-collected while its call is in flight.
    "client_collected_mid_call": """
        slow(200)
        async def main():
            task = asyncio.ensure_future(avochato.AsyncClient().messages.list())
            gc.collect()
            page = await task
            assert isinstance(page.items, list)
        asyncio.run(main())
        client = avochato.Client()
        print(len(client.messages.list().items))
        del client
        gc.collect()
    """,
}

PRELUDE = """
import asyncio, gc, json, os, threading, time, urllib.request
import avochato

def slow(ms):
    # Later answers to GET /v1/messages take `ms` (a mock fault, for this script's runs).
    body = json.dumps({"method": "GET", "path": "/v1/messages", "kind": "delay", "delay_ms": ms, "count": 1}).encode()
    req = urllib.request.Request(os.environ["AVOCHATO_BASE_URL"] + "/__mock/faults", data=body, method="POST", headers={"content-type": "application/json"})
    urllib.request.urlopen(req, timeout=5).read()
"""


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_short_scripts_exit_cleanly_every_time(mocks: list[Mock], tmp_path: Path, name: str) -> None:
    script = tmp_path / f"{name}.py"
    script.write_text(PRELUDE + textwrap.dedent(SCRIPTS[name]))
    run_many(mocks, script, SHORT_RUNS)
