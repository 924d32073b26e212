"""The leak scan: the test secret planted in the server's answers (raw, JSON-escaped,
HTML-escaped, percent-encoded, across the excerpt's cut) never appears in anything the
package shows: exception str/repr/args/attributes, tracebacks, causes, log lines at DEBUG,
or the clients themselves — through both clients."""

from __future__ import annotations

import asyncio
import logging
import traceback
from typing import Any

import pytest

import avochato

from conftest import SECRET, Mock

JSON_ESCAPED = "".join(f"\\u{ord(c):04x}" for c in SECRET)
HTML_ESCAPED = "".join(f"&#{ord(c)};" for c in SECRET)
PERCENT = "".join(f"%{ord(c):02X}" for c in SECRET)

PLANTED: list[dict[str, Any]] = [
    {"kind": "status", "status": 400, "errors": f"bad secret {SECRET}"},
    {"kind": "status", "status": 401, "errors": [f"raw {SECRET}", f"json {JSON_ESCAPED}"]},
    {"kind": "status", "status": 500, "body": f'{{"errors": "{JSON_ESCAPED}", "html": "{HTML_ESCAPED}", "url": "{PERCENT}"}}'},
    {"kind": "status", "status": 502, "body": f"{'x' * 190}{SECRET}{'y' * 60}"},
    {"kind": "html", "status": 503},
    {"kind": "status", "status": 200, "body": f'{{"status": 422, "errors": "{SECRET}"}}'},
    {"kind": "malformed"},
]


def shown(e: BaseException) -> list[str]:
    """Every text a user or a logger may see of an exception."""
    out = [str(e), repr(e), repr(e.args), "".join(traceback.format_exception(e))]
    for name in ("errors", "body", "param", "request_id", "status", "kind"):
        out.append(repr(getattr(e, name, None)))
    if e.__cause__ is not None:
        out += [str(e.__cause__), repr(e.__cause__)]
    return out


def leaks(texts: list[str]) -> list[str]:
    return [t for t in texts if SECRET in t or SECRET[:12] in t]


def test_the_blocking_client_shows_no_secret(mock: Mock, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="avochato")
    texts: list[str] = []
    with avochato.Client(**mock.options(max_retries=0, timeout=0.5)) as c:
        texts += [repr(c), str(c)]
        for fault in PLANTED:
            mock.fault(method="GET", path="/v1/whoami", **fault)
            with pytest.raises(avochato.AvochatoError) as info:
                c.verify()
            texts += shown(info.value)
    down = avochato.Client(auth_id=mock.auth_id, auth_secret=SECRET, base_url="http://127.0.0.1:9", max_retries=0)
    with pytest.raises(avochato.ConnectionError) as info:
        down.verify()
    texts += shown(info.value)
    texts += [r.getMessage() for r in caplog.records]
    assert leaks(texts) == []
    assert any("[REDACTED]" in t for t in texts), "the planted answers were shown, redacted"
    assert sum(1 for r in caplog.records if r.name.startswith("avochato")) > 10, "the debug log was on"


def test_the_async_client_shows_no_secret(mock: Mock, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="avochato")

    async def main() -> list[str]:
        texts: list[str] = []
        c = avochato.AsyncClient(**mock.options(max_retries=0, timeout=0.5))
        texts += [repr(c), str(c)]
        for fault in PLANTED:
            mock.fault(method="GET", path="/v1/whoami", **fault)
            with pytest.raises(avochato.AvochatoError) as info:
                await c.verify()
            texts += shown(info.value)
        return texts

    texts = asyncio.run(main())
    texts += [r.getMessage() for r in caplog.records]
    assert leaks(texts) == []
    assert any("[REDACTED]" in t for t in texts), "the planted answers were shown, redacted"
