"""Reporting content on the site: /melden/<soort>/<id>/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from community.moderation.forms import ReportForm
from community.moderation.models import Report
from community.moderation.services import (
    can_see,
    report_submit,
    target_for,
    target_label,
    target_url,
)
from community.ratelimits import minutes_to_wait
from community.services import CommunityError

REPORT_ACTION = "report_content"


def _rate_limited(request):
    minutes = minutes_to_wait(request, REPORT_ACTION)
    if minutes is None:
        return None
    return ngettext(
        "Je hebt kort na elkaar te veel meldingen gedaan. Probeer het over %(minutes)d minuut opnieuw.",
        "Je hebt kort na elkaar te veel meldingen gedaan. Probeer het over %(minutes)d minuten opnieuw.",
        minutes,
    ) % {"minutes": minutes}


def _visible_target(request, content_type_id, object_id):
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    target = target_for(content_type, object_id) if content_type is not None else None
    return target if target is not None and can_see(target, request.user) else None


@login_required
def report(request, content_type_id, object_id):
    earlier = (
        Report.objects.filter(reporter=request.user, case__content_type=content_type_id, case__object_id=object_id)
        .select_related("case")
        .first()
    )
    target = _visible_target(request, content_type_id, object_id)
    if target is None:
        if earlier is None:
            raise Http404
        # The member's own report may just have hidden it: they still see that their report arrived.
        context = {"form": None, "target_label": earlier.case.target_label, "target_url": "", "earlier": earlier}
        return render(request, "community/moderation/report_form.html", context)
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and earlier is None and form.is_valid():
        limited = _rate_limited(request)
        if limited:
            form.add_error(None, limited)
        else:
            try:
                _report, created = report_submit(
                    actor=request.user,
                    target=target,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
            except CommunityError as error:
                form.add_error(None, error.message)
            else:
                if created:
                    messages.success(request, _("Bedankt. Je melding is ontvangen; de redactie bekijkt haar."))
                return redirect(request.path)
    return render(
        request,
        "community/moderation/report_form.html",
        {
            "form": form,
            "target_label": target_label(target),
            "target_url": target_url(target),
            "earlier": earlier,
        },
    )
