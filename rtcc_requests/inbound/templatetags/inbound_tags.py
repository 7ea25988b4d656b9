from django import template

from rtcc_requests.requests.selectors import can_change

from ..selectors import latest_recorded_reply, suggestions_for
from ..suggest import suggest_determination

register = template.Library()


@register.inclusion_tag("inbound/_suggestions.html", takes_context=True)
def determination_suggestions(context, req):
    """What the latest agency reply looks like, for the requester to confirm (at most 2 queries).

    Shown only to people who may record a determination: the owner and staff.
    """
    user = context.get("user")
    if user is None and context.get("request") is not None:
        user = context["request"].user
    if user is None or not can_change(user=user, records_request=req):
        return {"show": False}
    reply, suggestions, exemptions = suggestions_for(req)
    rows = [
        {
            "suggestion": s,
            "citations": [(c, exemptions.get(c)) for c in s.citations],
        }
        for s in suggestions
    ]
    if rows:
        return {"show": True, "reply": reply, "rows": rows, "req": req}
    # Nothing left to record: say what the reply the panel asked about was recorded as.
    reply, recorded = latest_recorded_reply(req)
    if reply is None or not suggest_determination(reply.body):
        return {"show": False}
    return {"show": True, "reply": reply, "recorded": recorded, "req": req}
