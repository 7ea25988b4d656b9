"""What the outbox tells the apps above it, which it must not import."""

from django.dispatch import Signal

# Sent once a message has gone out: sender=OutboxMessage, message=<the row>, sent_at=<when>.
# Receivers run after the row is marked sent; a receiver's failure is logged, never retried
# (the mail is gone either way).
message_sent = Signal()
