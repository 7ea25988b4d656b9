"""Reading documents for a page: who may see which, decided by the requests' own rules."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from rtcc_requests.requests.models import RecordsRequest, public_on_q, worked_on_q
from rtcc_requests.requests.selectors import can_change

from .models import Document


def visible_q(user, today, *, prefix: str, private_field: str | None) -> Q:
    """What `user` may see or find of rows hanging off a request (`prefix` the path to it):
    those of requests they may read (`visible_to`'s rule: staff everything, a member also
    their own and their organizations'); where `private_field` marks a private
    communication's rows, those only where they may change the request (`can_change`'s)."""
    if user.is_authenticated and user.is_staff:
        return Q()
    public = public_on_q(today, prefix=prefix)
    if not user.is_authenticated:
        return public & Q(**{private_field: False}) if private_field else public
    readable = public | worked_on_q(user, prefix=prefix)
    if private_field is None:
        return readable
    changers = worked_on_q(user, prefix=prefix, changing=True)
    return readable & (Q(**{private_field: False}) | changers)


def documents_visible_to(user, today=None) -> QuerySet:
    """Documents of requests the user may read; a private communication's only where they
    may change the request. Embargoes and drafts are the requests' rule."""
    today = today or timezone.localdate()
    return Document.objects.filter(
        visible_q(user, today, prefix="request__", private_field="communication__is_private")
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
