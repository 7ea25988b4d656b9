"""Writes in the apps below that move a request's deadlines."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from rtcc_requests.agencies.models import ClosureDay
from rtcc_requests.agencies.signals import closure_days_changed

from .services.clock import recount_for_agencies

_WHY = "The agency's closure days changed (Code Civ. Proc. §12b)."


@receiver(closure_days_changed, dispatch_uid="requests.closures_imported")
def closures_imported(sender, *, agency_ids, **kwargs) -> None:
    recount_for_agencies(agency_ids=agency_ids, why=_WHY)


@receiver(post_save, sender=ClosureDay, dispatch_uid="requests.closure_saved")
@receiver(post_delete, sender=ClosureDay, dispatch_uid="requests.closure_deleted")
def closure_edited(sender, *, instance: ClosureDay, **kwargs) -> None:
    recount_for_agencies(agency_ids={instance.agency_id}, why=_WHY)
