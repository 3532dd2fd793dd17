from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Gemeenschap")

    def ready(self):
        from allauth.account.signals import email_confirmed

        from community.accounts import redeem_invitations

        email_confirmed.connect(redeem_invitations, dispatch_uid="community.redeem_invitations")
