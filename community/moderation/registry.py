"""Which ModeratedContent models take part in moderation: their waiting items appear in the admin's
"Te beoordelen" queue, and their items can be reported.

A model joins once, where it is defined or in its app's ready():

    from community.moderation.registry import register_moderated

    @register_moderated
    class Answer(ModeratedContent): ...

    register_moderated(Comment, related=["question"])  # what moderation_label() reads, fetched up front
"""

from community.models import ModeratedContent

_models: dict[str, type[ModeratedContent]] = {}
_related: dict[str, tuple[str, ...]] = {}


def register_moderated(model=None, *, related=()):
    """Add a concrete ModeratedContent subclass; returns it, so it also works as a class decorator."""
    if model is None:
        return lambda model: register_moderated(model, related=related)
    if not (isinstance(model, type) and issubclass(model, ModeratedContent)) or model._meta.abstract:
        raise TypeError(f"{model!r} is not a concrete ModeratedContent model")
    _models[model._meta.label_lower] = model
    _related[model._meta.label_lower] = tuple(related)
    return model


def moderated_models() -> list[type[ModeratedContent]]:
    return list(_models.values())


def model_for(label: str):
    """The registered model with this `app_label.model_name`, or None."""
    return _models.get((label or "").lower())


def related_for(model) -> tuple[str, ...]:
    return _related.get(model._meta.label_lower, ())


def is_moderated(obj) -> bool:
    return type(obj)._meta.label_lower in _models
