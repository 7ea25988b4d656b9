"""What moves the denial log's version forward: a write that can change what the log shows.

The log's rows are the latest withholding of each request that is withholding
(WITHHOLDING_STATUSES) and public or embargoed (selectors.denial_log_base). A request outside
that scope before and after a write adds no row, so its writes leave the version alone: a
private draft's edit, an acknowledgement or a note on any request still awaiting an answer
take no lock on the version's one row. "Embargoed" counts whatever the date: an embargo lapses
by the calendar, and the cache key already holds the day (versioning.cached).

- A request's save bumps when one of the fields the log shows or filters on changes and the
  request is in scope before or after it (made private, closed or released: after it is out).
  The stored row is read first (one query by pk) so "before" is the database's, not a stale
  instance's; a save whose update_fields name none of those fields reads nothing.
- A determination's save or delete bumps when it is (or was) a withholding of a request in
  scope. Anything else on it (an acknowledgement, a release) moves the log only through the
  request's status, which the request's save sees. Deleting a request cascades to its
  determinations, whose receivers still see the request's row: a deleted public denial bumps.
- Citations (exemptions) bump only for withholdings of requests in scope, technologies only
  for requests in scope.
- Agency saves bump when the agency has a request in scope (one indexed query); exemption,
  law and technology edits, exemption and technology deletes, and agency deletes, always
  (rare admin writes; a deletion removes links without any m2m signal).

Bulk writes send no signals: the code doing them calls `denial_log_changed()` itself (bulk
seeding, the demo) or sends `agencies_bulk_changed` (the Atlas import, which cannot import
this app). So must any `QuerySet.update()` of a logged field of a request in scope.
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from rtcc_requests.agencies.models import Agency, Technology
from rtcc_requests.agencies.signals import agencies_bulk_changed
from rtcc_requests.laws.models import Exemption, Law
from rtcc_requests.requests.choices import Visibility
from rtcc_requests.requests.models import Determination, RecordsRequest
from rtcc_requests.requests.rules import WITHHOLDING_KINDS, WITHHOLDING_STATUSES

from .versioning import denial_log_changed

# RecordsRequest fields the log shows or filters on; a change to any other changes nothing there.
LOGGED_REQUEST_FIELDS = frozenset(
    {"status", "visibility", "embargo_until", "agency", "law", "title", "filed_on",
     "received_on", "agency_received_on", "procedure_flags"}
)  # fmt: skip
# Visible now or once the embargo lapses.
LOGGED_VISIBILITIES = frozenset({Visibility.PUBLIC, Visibility.EMBARGOED})

_REQUEST_FIELDS = [RecordsRequest._meta.get_field(name) for name in sorted(LOGGED_REQUEST_FIELDS)]
# Set on an instance by a pre_save / pre_clear receiver, taken by the post_ one that follows:
# the version moves after the write, never before it.
_PENDING = "_denial_log_pending"


def in_scope(*, status: str, visibility: str) -> bool:
    """Whether a request with these values can have a row in the log, today or later."""
    return visibility in LOGGED_VISIBILITIES and status in WITHHOLDING_STATUSES


def in_scope_q(prefix: str = "") -> Q:
    """`in_scope` as a filter; `prefix` ("request__") applies it across a relation."""
    return Q(**{f"{prefix}visibility__in": LOGGED_VISIBILITIES}) & Q(
        **{f"{prefix}status__in": WITHHOLDING_STATUSES}
    )


def _requests_in_scope(pks, *, using) -> bool:
    return RecordsRequest._base_manager.using(using).filter(in_scope_q(), pk__in=pks).exists()


def _withholdings_in_scope(pks, *, using) -> bool:
    withholdings = Determination._base_manager.using(using).filter(
        pk__in=pks, kind__in=WITHHOLDING_KINDS
    )
    return withholdings.filter(in_scope_q("request__")).exists()


def _mark(instance, pending) -> None:
    setattr(instance, _PENDING, pending)


def _take(instance):
    return instance.__dict__.pop(_PENDING, None)


# Requests -----------------------------------------------------------------------------------


def request_save_changes_log(instance: RecordsRequest, *, using, update_fields) -> bool:
    """Whether saving `instance` (not yet written) can change the log."""
    if instance.pk is None:
        return False  # a new request has no determination yet, so no row
    saved = _REQUEST_FIELDS
    if update_fields is not None:  # names or attnames ("agency" or "agency_id")
        names = {RecordsRequest._meta.get_field(name).name for name in update_fields}
        saved = [field for field in _REQUEST_FIELDS if field.name in names]
    if not saved:
        return False
    before = (
        RecordsRequest._base_manager.using(using)
        .filter(pk=instance.pk)
        .values(*(field.attname for field in _REQUEST_FIELDS))
        .first()
    )
    if before is None:
        return False  # an insert under a chosen pk: new, as above
    after = dict(before)
    for field in saved:
        after[field.attname] = field.to_python(getattr(instance, field.attname))
    if after == before:
        return False
    return in_scope(status=before["status"], visibility=before["visibility"]) or in_scope(
        status=after["status"], visibility=after["visibility"]
    )


@receiver(pre_save, sender=RecordsRequest)
def _request_saving(sender, instance, raw=False, using=None, update_fields=None, **kwargs):
    # loaddata (raw) bumps nothing half-way through; its caller bumps once at the end.
    _mark(
        instance,
        not raw and request_save_changes_log(instance, using=using, update_fields=update_fields),
    )


@receiver(post_save, sender=RecordsRequest)
def _request_saved(sender, instance, **kwargs):
    if _take(instance):
        denial_log_changed()


# Determinations -----------------------------------------------------------------------------


@receiver(pre_save, sender=Determination)
def _determination_saving(sender, instance, raw=False, using=None, **kwargs):
    # An edit can turn a withholding into something else, or move it to another request.
    before = None
    if not raw and instance.pk is not None:
        before = (
            sender._base_manager.using(using)
            .filter(pk=instance.pk)
            .values_list("kind", "request_id")
            .first()
        )
    _mark(instance, before)


@receiver(post_save, sender=Determination)
def _determination_saved(sender, instance, raw=False, using=None, **kwargs):
    before = _take(instance)
    if raw:
        return
    versions = [(instance.kind, instance.request_id), *([before] if before else [])]
    requests = {request_id for kind, request_id in versions if kind in WITHHOLDING_KINDS}
    if requests and _requests_in_scope(requests, using=using):
        denial_log_changed()


@receiver(post_delete, sender=Determination)
def _determination_deleted(sender, instance, using=None, **kwargs):
    # Also reached when its request is deleted: the request's row goes after its dependants'.
    if instance.kind in WITHHOLDING_KINDS and _requests_in_scope(
        [instance.request_id], using=using
    ):
        denial_log_changed()


# Links: cited exemptions, technologies ------------------------------------------------------


@receiver(m2m_changed, sender=Determination.exemptions.through)
def _citations_changed(sender, instance, action, reverse, pk_set, using=None, **kwargs):
    """determination.exemptions.add(...) (instance a determination) or the reverse,
    exemption.determinations.add(...) (pk_set holds determination ids)."""
    if reverse and action == "pre_clear":
        cited = Determination._base_manager.using(using).filter(exemptions=instance)
        _mark(instance, _withholdings_in_scope(cited.values("pk"), using=using))
    elif reverse and action == "post_clear":
        if _take(instance):
            denial_log_changed()
    elif action in ("post_add", "post_remove", "post_clear"):
        determinations = pk_set if reverse else [instance.pk]
        if determinations and _withholdings_in_scope(determinations, using=using):
            denial_log_changed()


@receiver(m2m_changed, sender=RecordsRequest.technologies.through)
def _technologies_changed(sender, instance, action, reverse, pk_set, using=None, **kwargs):
    """request.technologies.add(...) (instance a request) or the reverse,
    technology.requests.add(...) (pk_set holds request ids)."""
    if reverse and action == "pre_clear":
        about = RecordsRequest._base_manager.using(using).filter(technologies=instance)
        _mark(instance, about.filter(in_scope_q()).exists())
    elif reverse and action == "post_clear":
        if _take(instance):
            denial_log_changed()
    elif action in ("post_add", "post_remove", "post_clear"):
        requests = pk_set if reverse else [instance.pk]
        if requests and _requests_in_scope(requests, using=using):
            denial_log_changed()


# Directory and reference data ---------------------------------------------------------------


@receiver(post_save, sender=Agency)
def _agency_saved(sender, instance, created, raw=False, using=None, **kwargs):
    # Names, slugs, kinds and counties show in and filter the rows of its requests in scope.
    if raw or created:
        return
    requests = RecordsRequest._base_manager.using(using).filter(agency_id=instance.pk)
    if requests.filter(in_scope_q()).exists():
        denial_log_changed()


@receiver(post_save, sender=Exemption)
@receiver(post_save, sender=Law)
@receiver(post_save, sender=Technology)
def _reference_saved(sender, created, raw=False, **kwargs):
    # New: cited by nothing yet. Edited: its section or category may show in the summary, a
    # law's name and code in the rows (the code decides which citations a flag shows).
    if not (raw or created):
        denial_log_changed()


@receiver(agencies_bulk_changed)
@receiver(post_delete, sender=Agency)
@receiver(post_delete, sender=Exemption)
@receiver(post_delete, sender=Technology)
def _always(sender, **kwargs):
    denial_log_changed()
