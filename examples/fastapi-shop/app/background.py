"""Fire-and-forget tasks that are not lost.

The event loop keeps only a weak reference to a task, so a task nobody holds can be garbage
collected before it finishes. `spawn` keeps a reference until the task is done, and the lifespan
waits for the stragglers on shutdown.
"""

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

logger = logging.getLogger(__name__)

_running: set[asyncio.Task[None]] = set()


def _finished(task: asyncio.Task[None]) -> None:
    _running.discard(task)
    if not task.cancelled() and task.exception() is not None:
        logger.error("background task %s failed", task.get_name(), exc_info=task.exception())


def spawn(coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
    task = asyncio.create_task(coro)
    _running.add(task)
    task.add_done_callback(_finished)
    return task


async def drain(timeout: float) -> None:
    if _running:
        await asyncio.wait(_running, timeout=timeout)
