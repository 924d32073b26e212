"""How ``AsyncClient`` calls are awaited (internal).

Each method returns the coroutine ``run(call)``: nothing is sent until it is awaited. The
request then runs on the SDK's I/O threads; its outcome comes back through a pipe this
thread's event loop watches (``loop.add_reader``), so those threads never take the GIL.
Cancelling the awaiting task cancels the request.
"""

from __future__ import annotations

import os
import threading
from asyncio import AbstractEventLoop, get_running_loop

from ._avochato import _Waker

_local = threading.local()
# This process's id, kept current across os.fork (os.getpid() is a system call: it is asked
# for on every call otherwise).
_pid = os.getpid()


def _forked() -> None:
    global _pid
    _pid = os.getpid()


os.register_at_fork(after_in_child=_forked)


def _waker(loop: AbstractEventLoop) -> _Waker:
    """This loop's waker (one per event loop, made on first use)."""
    pair: tuple[AbstractEventLoop, _Waker] | None = getattr(_local, "pair", None)
    if pair is not None:
        if pair[0] is loop and pair[1].pid == _pid:
            return pair[1]
        old_loop, old = pair
        if not old_loop.is_closed():
            try:
                old_loop.remove_reader(old.fileno())
            except (ValueError, OSError, RuntimeError):
                pass
    waker = _Waker()
    loop.add_reader(waker.fileno(), waker.drain)
    _local.pair = (loop, waker)
    return waker


async def run(call):  # type: ignore[no-untyped-def]
    loop = get_running_loop()
    future = loop.create_future()
    call.start(_waker(loop), future)
    try:
        return await future
    except BaseException:
        call.cancel()
        raise


async def fail(error):  # type: ignore[no-untyped-def]
    raise error


async def ready(value):  # type: ignore[no-untyped-def]
    return value
