"""Reading documents for a page: who may see which, decided by the requests' own rules."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from rtcc_requests.requests.models import RecordsRequest, worked_on_q
from rtcc_requests.requests.selectors import can_change

from .models import Document


def _private_ok(user) -> Q:
    """Where a private communication's files may be shown: only to those who may change the
    request (the request page's rule for private material)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.is_staff:
        return Q()
    return worked_on_q(user, prefix="request__", changing=True)


def documents_visible_to(user, today=None) -> QuerySet:
    """Documents of requests the user may read; a private communication's only where they
    may change the request. Embargoes and drafts are the requests' rule (`visible_to`)."""
    today = today or timezone.localdate()
    readable = RecordsRequest.objects.visible_to(user, today).values("pk")
    return Document.objects.filter(request__in=readable).filter(
        Q(communication__is_private=False) | _private_ok(user)
    )


def document_for_viewer(*, pk: int, user) -> Document:
    """The document with what its page shows; Document.DoesNotExist if the user may not see it."""
    return (
        documents_visible_to(user)
        .select_related("attachment", "communication", "request__agency", "request__law")
        .prefetch_related("request__technologies")
        .defer("search_vector")
        .get(pk=pk)
    )


def documents_of_request(*, records_request: RecordsRequest, user) -> list[Document]:
    """The request's documents the user may see, in the order they arrived: one query."""
    documents = Document.objects.filter(request=records_request).defer("text", "search_vector")
    if not can_change(user=user, records_request=records_request):
        documents = documents.filter(communication__is_private=False)
    return list(documents.order_by("received_on", "pk"))
