"""Joining and the account pages: django-allauth's views under Dutch addresses, plus the privacy statement.

Our names live in the "community" namespace (community:login, community:signup, ...). allauth keeps
its own names for its internal reverse() calls at /account/; the adapter (community/accounts.py)
sends every redirect and e-mail link a member sees to the addresses below.
"""

from allauth.account import app_settings as allauth_settings
from allauth.account import views as allauth
from django.db import transaction
from django.shortcuts import render
from django.urls import path, re_path, reverse_lazy
from django.utils.decorators import method_decorator


@method_decorator(transaction.atomic, name="form_valid")
class SignupView(allauth.SignupView):
    """Account, address and profile are saved together or not at all; the mail goes out after commit."""


class PasswordResetView(allauth.PasswordResetView):
    success_url = reverse_lazy("community:password_reset_done")


class PasswordResetFromKeyView(allauth.PasswordResetFromKeyView):
    success_url = reverse_lazy("community:password_reset_from_key_done")


class EmailView(allauth.EmailView):
    success_url = reverse_lazy("community:email")


# How long a confirmation link works, for the pages that say so.
confirmation_days = {"confirmation_days": allauth_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS}


def privacy_statement(request):
    return render(request, "community/privacy.html")


urlpatterns = [
    path("aanmelden/", SignupView.as_view(), name="signup"),
    path(
        "aanmelden/controleer-je-e-mail/",
        allauth.EmailVerificationSentView.as_view(extra_context=confirmation_days),
        name="verification_sent",
    ),
    re_path(
        r"^aanmelden/bevestigen/(?P<key>[-:\w]+)/$",
        allauth.ConfirmEmailView.as_view(extra_context=confirmation_days),
        name="confirm_email",
    ),
    path("inloggen/", allauth.login, name="login"),
    path("inloggen/geblokkeerd/", allauth.account_inactive, name="account_inactive"),
    path("uitloggen/", allauth.logout, name="logout"),
    path("wachtwoord-vergeten/", PasswordResetView.as_view(), name="password_reset"),
    path("wachtwoord-vergeten/verstuurd/", allauth.password_reset_done, name="password_reset_done"),
    path("wachtwoord-vergeten/gelukt/", allauth.password_reset_from_key_done, name="password_reset_from_key_done"),
    re_path(
        r"^wachtwoord-vergeten/nieuw/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        PasswordResetFromKeyView.as_view(),
        name="password_reset_from_key",
    ),
    path("mijn-account/wachtwoord/", allauth.password_change, name="password_change"),
    path("mijn-account/e-mailadres/", EmailView.as_view(), name="email"),
    path("privacy/", privacy_statement, name="privacy"),
]
