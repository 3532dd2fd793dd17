"""The member's own data: what we hold (to read and download) and deleting the account."""

import json

from allauth.account.adapter import get_adapter
from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from community.services import CommunityError
from community.services.privacy import account_delete, groups_left_without_coordinator, personal_data_export

DELETED_FLAG = "community_account_deleted"


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Je wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Typ je wachtwoord om te bevestigen dat je je account wilt verwijderen.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        """Counts as a login attempt: wrong passwords here lead to the same lockout as on the login form."""
        password = self.cleaned_data["password"]
        if not get_adapter().reauthenticate(self.user, password):
            raise forms.ValidationError(_("Dit wachtwoord klopt niet. Er is niets verwijderd."))
        return password


@login_required
@require_GET
def overview(request):
    return render(request, "community/privacy/overview.html")


@login_required
@require_GET
@never_cache
def download(request):
    data = personal_data_export(actor=request.user, user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="mijn-gegevens-alliantie-open-overheid.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account_delete(actor=request.user, user=request.user)
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            logout(request)
            request.session[DELETED_FLAG] = True
            return redirect("community:account_deleted")
    orphaned = groups_left_without_coordinator(request.user)
    status = 400 if form.is_bound else 200
    return render(request, "community/privacy/delete.html", {"form": form, "orphaned_groups": orphaned}, status=status)


@require_GET
def deleted(request):
    """Shown once, to the browser that just deleted its account."""
    if not request.session.pop(DELETED_FLAG, False):
        return redirect("/")
    return render(request, "community/privacy/deleted.html")


urlpatterns = [
    path("mijn-gegevens/", overview, name="my_data"),
    path("mijn-gegevens/download/", download, name="my_data_download"),
    path("mijn-gegevens/verwijderen/", delete, name="account_delete"),
    path("mijn-gegevens/verwijderd/", deleted, name="account_deleted"),
]
