"""Community objects for tests: members with a profile, and live werkgroepen made the way members make them."""

import itertools

import factory

from community.models import GroupJoinPolicy, GroupVisibility, Profile
from community.services.groups import group_approve, group_propose, membership_add
from tests.factories import UserFactory, editor

_group_numbers = itertools.count(1)


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ("user",)
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Lid {n:03d}")

    @factory.post_generation
    def expertise(self, create, extracted, **kwargs):
        if create and extracted:
            self.expertise.set(extracted)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(list(extracted))


def member(username=None, **profile_fields):
    """A user with a profile (`user.profile`); profile fields as keywords, `expertise` themes and `tags` names too."""
    user = UserFactory(username=username) if username else UserFactory()
    ProfileFactory(user=user, **profile_fields)
    return user


def working_group(
    name=None,
    *,
    coordinator=None,
    members=(),
    visibility=GroupVisibility.PUBLIC,
    join_policy=GroupJoinPolicy.OPEN,
    themes=(),
    description="Een werkgroep om mee te testen.",
):
    """An ACTIVE werkgroep: proposed by `coordinator` (a new member by default), approved by an editor."""
    coordinator = coordinator or member()
    group = group_propose(
        actor=coordinator,
        name=name or f"Werkgroep {next(_group_numbers)}",
        description=description,
        join_policy=join_policy,
        visibility=visibility,
        themes=themes,
    )
    group_approve(actor=editor("werkgroep-redactie"), group=group)
    for user in members:
        membership_add(group=group, user=user)
    group.refresh_from_db()
    return group
