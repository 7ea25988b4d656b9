"""Delete rows and everything that hangs off them in SQL, following each relation's on_delete.

The ORM's delete() collects related objects in Python, which takes hours at millions of rows;
here every step is one DELETE or UPDATE with a subquery, whatever the number of rows.
"""

from django.db import models


def cascade_delete(model: type[models.Model], pks: models.QuerySet) -> None:
    """Delete `model` rows whose pk is in the `pks` values() queryset, and their dependants."""
    relations = [
        rel
        for rel in model._meta.get_fields(include_hidden=True)
        if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)
    ]
    # A sibling that points at another sibling goes first, so SET_NULL updates find nothing
    # (e.g. a request's determinations before its communications).
    targets = {rel.related_model for rel in relations}

    def pointed_at(rel) -> bool:
        return any(
            field.is_relation and field.related_model is rel.related_model
            for other in targets - {rel.related_model}
            for field in other._meta.concrete_fields
        )

    for rel in sorted(relations, key=pointed_at):
        child, field = rel.related_model, rel.field
        dependants = child._base_manager.filter(**{f"{field.name}__in": pks})
        if rel.on_delete is models.CASCADE:
            cascade_delete(child, dependants.values("pk"))
        elif rel.on_delete is models.SET_NULL:
            dependants.update(**{field.name: None})
    doomed = model._base_manager.filter(pk__in=pks)
    doomed._raw_delete(doomed.db)
