"""Signals only schedule the indexing that search.indexing defines; they never index inline."""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from community.models import Profile, TaggedProfile, WorkingGroup
from knowledge.models import Theme
from search.documents import objects_with_theme, source_for
from search.indexing import schedule_subtree, schedule_sync, schedule_sync_many


def _page_changed(sender, instance, **kwargs):
    schedule_sync(instance)


def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page) and source_for(instance) is not None:
        schedule_sync(instance)


def _page_moved(sender, instance, **kwargs):
    schedule_subtree(instance)


def _restriction_changed(sender, instance, **kwargs):
    schedule_subtree(instance.page)


def _restriction_groups_changed(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        schedule_subtree(instance.page)


def _object_changed(sender, instance, **kwargs):
    schedule_sync(instance)


def _m2m_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, Profile | WorkingGroup):
        schedule_sync(instance)


def _profile_tags_changed(sender, instance, **kwargs):
    schedule_sync(Profile(pk=instance.content_object_id))


# A profile's document depends on these account fields (blocking hides it); logging in, which saves
# only last_login, changes nothing there and must not cost a query and a re-index.
USER_FIELDS_IN_DOCUMENTS = {"is_active", "first_name", "last_name", "username"}


def _user_changed(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and not USER_FIELDS_IN_DOCUMENTS & set(update_fields):
        return
    profile = Profile.objects.filter(user=instance).first()
    if profile is not None:
        schedule_sync(profile)


# A document shows a theme's name (in its text) and slug (as a facet); the description is not indexed.
THEME_FIELDS_IN_DOCUMENTS = ("name", "slug")


def _theme_saving(sender, instance, **kwargs):
    instance._search_indexed_before = (
        Theme.objects.filter(pk=instance.pk).values_list(*THEME_FIELDS_IN_DOCUMENTS).first() if instance.pk else None
    )


def _theme_saved(sender, instance, created, **kwargs):
    before = getattr(instance, "_search_indexed_before", None)
    now = tuple(getattr(instance, name) for name in THEME_FIELDS_IN_DOCUMENTS)
    if not created and before != now:
        schedule_sync_many(objects_with_theme(instance))


def _theme_deleting(sender, instance, **kwargs):
    """Before the links cascade away: afterwards nothing says which documents showed the theme."""
    schedule_sync_many(objects_with_theme(instance))


def connect():
    page_published.connect(_page_changed, dispatch_uid="search_page_published")
    page_unpublished.connect(_page_changed, dispatch_uid="search_page_unpublished")
    post_delete.connect(_page_deleted, dispatch_uid="search_page_deleted")
    post_page_move.connect(_page_moved, dispatch_uid="search_page_moved")
    post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search_restriction_saved")
    post_delete.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search_restriction_deleted")
    m2m_changed.connect(
        _restriction_groups_changed, sender=PageViewRestriction.groups.through, dispatch_uid="search_restriction_groups"
    )
    for model in (Profile, WorkingGroup):
        post_save.connect(_object_changed, sender=model, dispatch_uid=f"search_{model.__name__}_saved")
        post_delete.connect(_object_changed, sender=model, dispatch_uid=f"search_{model.__name__}_deleted")
    m2m_changed.connect(_m2m_changed, sender=Profile.expertise.through, dispatch_uid="search_profile_expertise")
    m2m_changed.connect(_m2m_changed, sender=WorkingGroup.themes.through, dispatch_uid="search_group_themes")
    post_save.connect(_profile_tags_changed, sender=TaggedProfile, dispatch_uid="search_profile_tag_saved")
    post_delete.connect(_profile_tags_changed, sender=TaggedProfile, dispatch_uid="search_profile_tag_deleted")
    post_save.connect(_user_changed, sender=get_user_model(), dispatch_uid="search_user_saved")
    pre_save.connect(_theme_saving, sender=Theme, dispatch_uid="search_theme_saving")
    post_save.connect(_theme_saved, sender=Theme, dispatch_uid="search_theme_saved")
    pre_delete.connect(_theme_deleting, sender=Theme, dispatch_uid="search_theme_deleting")
