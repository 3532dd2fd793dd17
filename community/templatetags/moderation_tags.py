from django import template
from django.urls import reverse

from community.moderation.services import is_reportable, target_content_type

register = template.Library()


@register.simple_tag(takes_context=True)
def report_url(context, target):
    """Where a logged-in member reports `target`; empty for visitors, their own items and what cannot be reported."""
    user = getattr(context.get("request"), "user", None)
    if target is None or user is None or not user.is_authenticated or not is_reportable(target):
        return ""
    if getattr(target, "author_id", None) == user.pk:
        return ""
    return reverse(
        "community:report",
        kwargs={"content_type_id": target_content_type(target).pk, "object_id": target.pk},
    )
