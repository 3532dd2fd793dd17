"""Profiles and the member directory: /mijn-profiel/, /leden/ and writing to a member."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from community.forms_members import ContactForm, DirectoryFilterForm, ProfileForm, ReplyForm
from community.models import ContactMessage, Profile, ProfileVisibility
from community.ratelimits import minutes_to_wait
from community.selectors import attach_contributions, directory_profiles, with_public_face
from community.services import CommunityError
from community.services.profiles import contact_refusal, contact_reply, contact_send, profile_for, profile_update

PAGE_SIZE = 24
CONTACT_ACTION = "contact_member"


def _rate_limited(request, action):
    """Counts one message; returns the Dutch refusal when there were too many."""
    minutes = minutes_to_wait(request, action)
    if minutes is None:
        return None
    return ngettext(
        "Je hebt kort na elkaar te veel berichten verstuurd. Probeer het over %(minutes)d minuut opnieuw.",
        "Je hebt kort na elkaar te veel berichten verstuurd. Probeer het over %(minutes)d minuten opnieuw.",
        minutes,
    ) % {"minutes": minutes}


def _visible_profile(request, pk):
    return get_object_or_404(Profile.objects.visible_to(request.user), pk=pk)


@login_required
def profile_edit(request):
    profile = profile_for(request.user)
    form = ProfileForm(request.POST or None, request.FILES or None, profile=profile)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile_update(
                actor=request.user,
                profile=profile,
                display_name=data["display_name"],
                organisation=data["organisation"],
                organisation_type=data["organisation_type"],
                role=data["role"],
                region=data["region"],
                bio=data["bio"],
                expertise=data["expertise"],
                tags=data["tags"],
                photo=data["photo"],
                remove_photo=data.get("remove_photo", False),
                open_to_contact=data["open_to_contact"],
                visibility=data["visibility"],
                newsletter=data["newsletter"],
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Je profiel is opgeslagen."))
            return redirect("community:profile_edit")
    return render(request, "community/members/profile_form.html", {"form": form, "profile": profile})


def directory(request):
    form = DirectoryFilterForm(request.GET, viewer=request.user)
    profiles = directory_profiles(viewer=request.user, **form.filters())
    page = Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("pagina"))
    page.object_list = attach_contributions(page.object_list, viewer=request.user)
    return render(
        request,
        "community/members/directory.html",
        {"form": form, "profiles": page, "filtered": any(form.filters().values())},
    )


def member_detail(request, pk):
    profile = _visible_profile(request, pk)
    [profile] = attach_contributions(
        with_public_face(Profile.objects.filter(pk=profile.pk), viewer=request.user), viewer=request.user
    )
    can_contact = request.user.is_authenticated and contact_refusal(actor=request.user, receiver=profile.user) is None
    return render(
        request,
        "community/members/detail.html",
        {"profile": profile, "can_contact": can_contact, "hidden": profile.visibility == ProfileVisibility.HIDDEN},
    )


@login_required
def member_contact(request, pk):
    profile = _visible_profile(request, pk)
    refusal = contact_refusal(actor=request.user, receiver=profile.user)
    if refusal:
        messages.error(request, refusal)
        return redirect(profile)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        limited = _rate_limited(request, CONTACT_ACTION)
        if limited:
            form.add_error(None, limited)
        else:
            try:
                contact_send(
                    actor=request.user,
                    receiver=profile.user,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                )
            except CommunityError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Je bericht aan %(name)s is verstuurd. Je hoort het als er een antwoord is.")
                    % {"name": profile.display_name},
                )
                return redirect(profile)
    return render(request, "community/members/contact_form.html", {"form": form, "profile": profile})


@login_required
def message_reply(request, token):
    message = get_object_or_404(
        ContactMessage.objects.select_related("sender"), reply_token=token, receiver=request.user
    )
    sender_profile = profile_for(message.sender)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        limited = _rate_limited(request, CONTACT_ACTION)
        if limited:
            form.add_error(None, limited)
        else:
            try:
                contact_reply(actor=request.user, message=message, body=form.cleaned_data["body"])
            except CommunityError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Je antwoord is naar %(name)s gestuurd, samen met je e-mailadres.")
                    % {"name": sender_profile.display_name},
                )
                return redirect("community:contact_reply", token=token)
    return render(
        request,
        "community/members/reply_form.html",
        {"form": form, "message": message, "sender_profile": sender_profile},
    )


urlpatterns = [
    path("mijn-profiel/", profile_edit, name="profile_edit"),
    path("leden/", directory, name="members"),
    path("leden/<int:pk>/", member_detail, name="member"),
    path("leden/<int:pk>/contact/", member_contact, name="member_contact"),
    path("leden/bericht/<str:token>/", message_reply, name="contact_reply"),
]
