"""Signals the agencies app sends for writes Django's model signals do not see."""

from django.dispatch import Signal

# Sent after a bulk write to agencies (bulk_create / bulk_update send no post_save), inside
# the transaction making it; apps above that show agencies (the denial log) listen.
agencies_bulk_changed = Signal()

# Sent when an agency's closure days change (admin edits and imports alike), inside the
# transaction: agency_ids = the agencies whose deadlines the count must recompute.
closure_days_changed = Signal()
