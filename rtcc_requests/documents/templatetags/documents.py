"""The request page's list of released documents (requests may not import this app)."""

from django import template

from ..selectors import documents_of_request

register = template.Library()


@register.inclusion_tag("documents/_request_documents.html", takes_context=True)
def request_documents(context, records_request):
    return {
        "documents": documents_of_request(records_request=records_request, user=context["user"])
    }
