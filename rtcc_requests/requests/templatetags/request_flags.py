"""A stored flag code in the reader's words, and the rule it applies."""

from django import template

from rtcc_requests.requests.choices import ExtensionGround, FeeBasis
from rtcc_requests.requests.rules import deficiency_citation, deficiency_label

register = template.Library()


@register.filter
def flag_label(code: str) -> str:
    return deficiency_label(code)


@register.filter
def flag_citation(code: str, law_code: str) -> str:
    return deficiency_citation(code, law_code=law_code)


@register.filter
def fee_basis_labels(codes) -> str:
    labels = dict(FeeBasis.choices)
    return "; ".join(labels.get(c, c) for c in codes or ())


@register.filter
def extension_ground_label(code: str) -> str:
    return dict(ExtensionGround.choices).get(code, code)
