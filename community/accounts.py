"""How django-allauth behaves here: Dutch messages that say when to try again, profiles at sign-up."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "Te veel mislukte pogingen om in te loggen. Wacht %(minutes)s minuten en probeer het dan opnieuw, "
            "of vraag een nieuw wachtwoord aan."
        )
        % {"minutes": settings.LOGIN_LOCKOUT_MINUTES},
    }
