"""Run a generator in a forked child process and read its items here, one step behind."""

import multiprocessing
import traceback
from collections.abc import Iterator

_DONE = "__done__"


def _produce(items: Iterator, queue) -> None:
    try:
        for item in items:
            queue.put(item)
        queue.put(_DONE)
    except BaseException:  # noqa: BLE001 - the parent re-raises it
        queue.put(("__error__", traceback.format_exc()))


def in_child_process(items: Iterator, *, ahead: int = 2) -> Iterator:
    """Items of `items`, made in a child (fork: it inherits the loaded app, uses no database)."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=ahead)
    child = context.Process(target=_produce, args=(items, queue), daemon=True)
    child.start()
    try:
        while (item := queue.get()) != _DONE:
            if isinstance(item, tuple) and len(item) == 2 and item[0] == "__error__":
                raise RuntimeError(f"Generating bulk rows failed:\n{item[1]}")
            yield item
    finally:
        child.kill()
        child.join()
