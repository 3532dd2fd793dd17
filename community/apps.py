from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Gemeenschap")

    def ready(self):
        from allauth.account.signals import email_confirmed

        from community.accounts import redeem_invitations

        email_confirmed.connect(redeem_invitations, dispatch_uid="community.redeem_invitations")

        from django.db.models.signals import m2m_changed
        from wagtail.models import PageViewRestriction

        m2m_changed.connect(
            _admit_editors, sender=PageViewRestriction.groups.through, dispatch_uid="community.admit_editors"
        )

        # Sections of a member's data export (community.services.privacy), known in every process.
        from community.contributions import personal_data  # noqa: F401
        from community.moderation import services as moderation_services  # noqa: F401


def _admit_editors(sender, instance, action, reverse, **kwargs):
    if action == "post_add" and not reverse:
        from community.services.groups import restriction_admit_editors

        restriction_admit_editors(restriction=instance)
