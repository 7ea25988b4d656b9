"""The court packet's part of the request page, which the requests app may not import: the
request page loads this tag (`{% load packets %}`), as it does the inbound app's."""

from django import template
from django.utils import timezone

from ..models import Audience
from ..selectors import audience_for, packet_state

register = template.Library()


@register.inclusion_tag("packets/_status.html", takes_context=True)
def court_packet(context, req):
    """The packet the viewer would get, and its state: one query (none to say who may change
    the request, when the page has said so already)."""
    user = context.get("user")
    if user is None and context.get("request") is not None:
        user = context["request"].user
    changer = context.get("can_change")
    if changer is None:
        audience = audience_for(user=user, records_request=req)
    else:
        audience = Audience.FULL if changer else Audience.PUBLIC
    return {
        "req": req,
        "packet_state": packet_state(
            records_request=req, audience=audience, today=timezone.localdate()
        ),
        "csrf_token": context.get("csrf_token"),
        "on_request_page": True,
    }
