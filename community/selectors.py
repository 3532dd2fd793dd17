"""Reads for the member directory: whom a viewer may see, and each member's public face.

The public face is what a card and a profile page show besides the profile's own fields: expertise,
the werkgroepen the viewer may know about, and the Kennisbank articles the member wrote a published
version of, as far as the viewer may read them. A page of profiles costs the same few queries
whatever its length.
"""

from collections import defaultdict

from django.db.models import Prefetch, Q
from taggit.models import Tag

from community.models import Membership, Profile, WorkingGroup
from knowledge.history import publish_log
from knowledge.models import KnowledgeArticle
from website.access import visible_pages


def directory_profiles(*, viewer, query="", organisation_type="", theme=None, tag=None, region=""):
    """The profiles `viewer` may see, narrowed by the directory's filters, with their public face."""
    profiles = Profile.objects.visible_to(viewer)
    if query:
        profiles = profiles.filter(Q(display_name__icontains=query) | Q(organisation__icontains=query))
    if organisation_type:
        profiles = profiles.filter(organisation_type=organisation_type)
    if theme is not None:
        profiles = profiles.filter(expertise=theme)
    if tag is not None:
        profiles = profiles.filter(tagged_items__tag=tag)
    if region:
        profiles = profiles.filter(region=region)
    return with_public_face(profiles, viewer=viewer).order_by("display_name", "pk")


def directory_tags(*, viewer):
    """Tags that members the viewer may see use for their expertise."""
    visible = Profile.objects.visible_to(viewer).values("pk")
    return Tag.objects.filter(community_taggedprofile_items__content_object__in=visible).distinct().order_by("name")


def with_public_face(profiles, *, viewer):
    """Prefetch expertise and the memberships of werkgroepen the viewer may know exist."""
    memberships = (
        Membership.objects.filter(group__in=WorkingGroup.objects.visible_to(viewer).values("pk"))
        .select_related("group")
        .order_by("group__name")
    )
    return profiles.select_related("user").prefetch_related(
        "expertise", "tags", Prefetch("user__memberships", queryset=memberships, to_attr="visible_memberships")
    )


def attach_contributions(profiles, *, viewer) -> list[Profile]:
    """Give each profile `contributions`: articles it wrote a published version of that the viewer may read."""
    profiles = list(profiles)
    readable = visible_pages(KnowledgeArticle.objects.all(), viewer)
    authorship = set(
        publish_log()
        .filter(
            revision__user_id__in=[profile.user_id for profile in profiles],
            page__in=readable.values("pk"),
        )
        .values_list("revision__user_id", "page_id")
    )
    articles = readable.filter(pk__in={page_id for _, page_id in authorship}).order_by("-last_published_at", "pk")
    authors_of = defaultdict(list)
    for user_id, page_id in authorship:
        authors_of[page_id].append(user_id)
    by_author = defaultdict(list)
    for article in articles:
        for user_id in authors_of[article.pk]:
            by_author[user_id].append(article)
    for profile in profiles:
        profile.contributions = by_author.get(profile.user_id, [])
    return profiles
