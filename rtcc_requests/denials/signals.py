"""What moves the denial log's version forward: any write to what the log reads.

Saves and deletes of requests (only the fields the log shows or filters on), determinations
and agencies, and changes to cited exemptions and technologies. Bulk writes send no signals:
the code doing them calls `denial_log_changed()` itself (bulk seeding) or sends
`agencies_bulk_changed` (the Atlas import, which cannot import this app).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from rtcc_requests.agencies.models import Agency
from rtcc_requests.agencies.signals import agencies_bulk_changed
from rtcc_requests.laws.models import Exemption
from rtcc_requests.requests.choices import Status
from rtcc_requests.requests.models import Determination, RecordsRequest

from .versioning import denial_log_changed

# RecordsRequest fields the log reads; a save touching none of them changes nothing there.
LOGGED_REQUEST_FIELDS = frozenset(
    {"status", "visibility", "embargo_until", "agency", "law", "title", "filed_on",
     "received_on"}
)  # fmt: skip


@receiver(post_save, sender=RecordsRequest)
def _request_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw:
        return  # loaddata: the fixture loader bumps nothing half-way through
    if update_fields is not None and not LOGGED_REQUEST_FIELDS & set(update_fields):
        return
    if created and instance.status == Status.DRAFT:
        return  # a new draft is in no log
    denial_log_changed()


@receiver(agencies_bulk_changed)
@receiver(post_delete, sender=RecordsRequest)
@receiver(post_save, sender=Determination)
@receiver(post_delete, sender=Determination)
@receiver(post_save, sender=Agency)
@receiver(post_delete, sender=Agency)
@receiver(post_save, sender=Exemption)
def _changed(sender, raw=False, **kwargs):
    if not raw:
        denial_log_changed()


@receiver(m2m_changed, sender=Determination.exemptions.through)
@receiver(m2m_changed, sender=RecordsRequest.technologies.through)
def _links_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        denial_log_changed()
