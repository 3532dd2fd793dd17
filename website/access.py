"""Who may see what: the one rule every page view, listing, feed, search and sitemap goes through.

A page is readable when it is live and every view restriction on it or its ancestors lets the reader
in: Wagtail's "private, accessible to logged-in users" means members, "accessible to users in
specific groups" means a werkgroep's members. Editors read everything that is live. Drafts and
unapproved revisions are never live, so they never show outside the admin's preview.
"""

from django.db.models import Q
from wagtail.models import PageViewRestriction


def is_editor(user) -> bool:
    return bool(user and user.is_active and (user.is_superuser or user.has_perm("wagtailadmin.access_admin")))


def _restriction_admits(restriction, user, user_group_ids) -> bool:
    if restriction.restriction_type == PageViewRestriction.LOGIN:
        return user.is_authenticated
    if restriction.restriction_type == PageViewRestriction.GROUPS:
        return any(group.pk in user_group_ids for group in restriction.groups.all())
    return False


def _barred_paths(user) -> list[str]:
    restrictions = PageViewRestriction.objects.select_related("page").prefetch_related("groups")
    user_group_ids = set(user.groups.values_list("pk", flat=True)) if user.is_authenticated else set()
    return [r.page.path for r in restrictions if not _restriction_admits(r, user, user_group_ids)]


def visible_pages(queryset, user):
    """Narrow a page queryset to what `user` may read."""
    queryset = queryset.live()
    if is_editor(user):
        return queryset
    barred = _barred_paths(user)
    if not barred:
        return queryset
    q = Q()
    for path in barred:
        q |= Q(path__startswith=path)
    return queryset.exclude(q)


def can_view(page, user) -> bool:
    if not page.live:
        return False
    if is_editor(user):
        return True
    return not any(page.path.startswith(path) for path in _barred_paths(user))
