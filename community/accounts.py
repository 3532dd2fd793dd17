"""How django-allauth behaves here: Dutch addresses and messages, mail after commit, invitations on confirmation.

allauth's own pages stay reachable under /account/ (its internal links use their names), but every
address a member sees in a redirect or an e-mail is one of the Dutch ones in community/views/accounts.py.
"""

from functools import partial
from urllib.parse import quote

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from community.mail import absolute_url
from community.services.groups import invitations_redeem_for_email
from community.tasks import send_email


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("Dit account is geblokkeerd."),
        "cannot_remove_primary_email": _(
            "Je kunt je hoofdadres niet verwijderen. Maak eerst een ander e-mailadres je hoofdadres."
        ),
        "duplicate_email": _("Dit e-mailadres hoort al bij je account."),
        "email_password_mismatch": _("Het e-mailadres of het wachtwoord klopt niet."),
        "email_taken": _(
            "Er is al een account met dit e-mailadres. Log in, of vraag een nieuw wachtwoord aan als je het "
            "bent vergeten."
        ),
        "enter_current_password": _("Dit is niet je huidige wachtwoord. Vul je huidige wachtwoord in."),
        "incorrect_password": _("Dit wachtwoord klopt niet."),
        "invalid_password_reset": _("Deze link om een nieuw wachtwoord te kiezen werkt niet (meer)."),
        "max_email_addresses": _("Je kunt niet meer dan %d e-mailadressen toevoegen."),
        "rate_limited": _("Je probeert dit te vaak achter elkaar. Wacht een paar minuten en probeer het dan opnieuw."),
        "same_as_current": _("Dit is al je huidige e-mailadres."),
        "too_many_login_attempts": format_lazy(
            _(
                "Te veel mislukte pogingen om in te loggen. Wacht {minutes} minuten en probeer het dan opnieuw, "
                "of vraag een nieuw wachtwoord aan."
            ),
            minutes=settings.LOGIN_LOCKOUT_MINUTES,
        ),
        "unknown_email": _("Dit e-mailadres hoort niet bij een account."),
        "unverified_primary_email": _("Je hoofdadres moet eerst bevestigd zijn."),
    }

    password_errors = {
        "password_too_short": _("Dit wachtwoord is te kort. Gebruik minstens %(min_length)d tekens."),
        "password_too_similar": _("Je wachtwoord lijkt te veel op je naam of je e-mailadres."),
    }

    def clean_password(self, password, user=None):
        """Django's own wording for these two is English in Dutch (too short) or names a username we never show."""
        try:
            return super().clean_password(password, user=user)
        except ValidationError as error:
            raise ValidationError(
                [
                    ValidationError(self.password_errors[e.code], code=e.code, params=e.params)
                    if e.code in self.password_errors
                    else e
                    for e in error.error_list
                ]
            ) from None

    def send_mail(self, template_prefix, email, context):
        """Rendered now, in the reader's language; delivered by the worker once the sign-up is saved."""
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                **context,
                **self._links(),
            },
        )
        transaction.on_commit(
            partial(send_email.enqueue, to=list(message.to), subject=str(message.subject), body=message.body)
        )

    def _links(self):
        """The Dutch addresses the mail templates link to; they replace allauth's own signup_url."""
        return {
            "site_url": absolute_url(""),
            "login_url": absolute_url(reverse("community:login")),
            "signup_url": absolute_url(reverse("community:signup")),
            "forgot_password_url": absolute_url(reverse("community:password_reset")),
            "confirmation_days": allauth_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS,
        }

    def get_email_confirmation_url(self, request, emailconfirmation):
        return absolute_url(reverse("community:confirm_email", kwargs={"key": emailconfirmation.key}))

    def get_reset_password_from_key_url(self, key):
        # allauth hands over "<uidb36>-<token>" as one opaque key; the URL pattern splits it again.
        path = reverse("community:password_reset_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def get_password_change_redirect_url(self, request):
        return reverse("community:password_change")

    def respond_email_verification_sent(self, request, user):
        return HttpResponseRedirect(reverse("community:verification_sent"))

    def respond_user_inactive(self, request, user):
        return HttpResponseRedirect(reverse("community:account_inactive"))


def redeem_invitations(sender, request, email_address, **kwargs):
    """allauth's `email_confirmed`: whoever proved they own an invited address joins those werkgroepen."""
    invitations_redeem_for_email(user=email_address.user, email=email_address.email)
