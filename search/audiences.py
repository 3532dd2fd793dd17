"""Who may read a search document, as tokens: a document lists the audiences that may read it, a
reader holds audience tokens, and a document is found when the two overlap.

The tokens encode the project's rules (website.access for pages, WorkingGroup.objects.visible_to,
Profile.objects.visible_to); tests/search/test_permissions.py keeps them in step.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from wagtail.models import PageViewRestriction

from website.access import is_editor

PUBLIC = "public"
MEMBERS = "members"
EDITORS = "editors"
PAGE_MEMBERS = "page-members"
PROFILE_MEMBERS = "profile-members"


def group_token(group_id) -> str:
    return f"group:{group_id}"


def reader_audiences(user) -> list[str]:
    """The one place that turns a reader into the audiences they belong to."""
    tokens = [PUBLIC]
    if user is None or not user.is_authenticated or not user.is_active:
        return tokens
    tokens += [MEMBERS, PAGE_MEMBERS, PROFILE_MEMBERS]
    tokens += [group_token(pk) for pk in user.groups.values_list("pk", flat=True)]
    if is_editor(user):
        tokens.append(EDITORS)
    return tokens


# Every view restriction as (page path, type, group ids), while many pages are indexed at once.
_loaded_restrictions: ContextVar[list | None] = ContextVar("loaded_restrictions", default=None)


@contextmanager
def restrictions_loaded():
    """Within this block `for_page` reads the view restrictions from one query made here, rather than
    one query per page: for (re)indexing many pages. Restrictions are few; pages can be many."""
    restrictions = [
        (restriction.page.path, restriction.restriction_type, {group.pk for group in restriction.groups.all()})
        for restriction in PageViewRestriction.objects.select_related("page").prefetch_related("groups")
    ]
    token = _loaded_restrictions.set(restrictions)
    try:
        yield
    finally:
        _loaded_restrictions.reset(token)


def for_page(page) -> list[str]:
    """Every restriction on the page and its ancestors must admit the reader: logged in, and a member
    of one group of each group restriction. Editors read every live page."""
    loaded = _loaded_restrictions.get()
    if loaded is None:
        restrictions = [
            (restriction.restriction_type, {group.pk for group in restriction.groups.all()})
            for restriction in PageViewRestriction.objects.filter(
                page__in=page.get_ancestors(inclusive=True)
            ).prefetch_related("groups")
        ]
    else:  # a page's path starts with the path of each of its ancestors
        restrictions = [(kind, groups) for path, kind, groups in loaded if page.path.startswith(path)]
    needs_login = False
    allowed_groups = None
    for kind, group_ids in restrictions:
        if kind == PageViewRestriction.LOGIN:
            needs_login = True
        elif kind == PageViewRestriction.GROUPS:
            allowed_groups = group_ids if allowed_groups is None else allowed_groups & group_ids
        else:
            allowed_groups = set()
    if allowed_groups is not None:
        return [EDITORS, *(group_token(pk) for pk in sorted(allowed_groups))]
    if needs_login:
        return [EDITORS, PAGE_MEMBERS]
    return [PUBLIC]


def for_working_group(group, *, secret: bool) -> list[str]:
    if secret:
        return [EDITORS, group_token(group.access_group_id)]
    if group.visibility == "public":
        return [PUBLIC]
    return [EDITORS, MEMBERS]


def for_profile(*, public: bool) -> list[str]:
    return [PUBLIC] if public else [PROFILE_MEMBERS]
