"""The requests app's Celery tasks, where the worker's autodiscovery looks for them."""

from .letters.tasks import render_letter

__all__ = ["render_letter"]
