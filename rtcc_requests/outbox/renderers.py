"""Bodies written when a message is sent, not when it is queued.

A sweep that queues a hundred thousand reminders should not also write half a gigabyte of
email text in its transaction. Such a message is stored with `render_with` (a name
registered here by the app that owns it) and `render_args` (ids and dates, JSON), and its
body is written by the worker about to send it, then kept on the row as a record.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Body:
    text: str
    html: str = ""


Renderer = Callable[[Mapping], Body]
_RENDERERS: dict[str, Renderer] = {}


def register_renderer(name: str, renderer: Renderer) -> None:
    _RENDERERS[name] = renderer


def render_body(name: str, args: Mapping) -> Body:
    try:
        renderer = _RENDERERS[name]
    except KeyError:
        raise LookupError(f"No renderer named {name!r} is registered.") from None
    return renderer(args)
