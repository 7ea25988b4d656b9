"""The denial log's version: a token every change to what the log shows replaces."""

from django.db import models


class DenialLogVersion(models.Model):
    """One row. Its token is replaced in the same transaction as the change (see
    denials/versioning.py), so a reader that sees the change also sees the new token and
    never a stale summary. A random token, not a counter: a rolled-back change must not
    leave its number to be reused by a later, different one."""

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"denial log version {self.token}"
