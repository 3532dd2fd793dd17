"""HTTP for dilemmas. The pages themselves are served by Wagtail (so its view restrictions guard every
route below them); these functions fill their context and handle the forms posted to their routes."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, resolve_url
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.models import Page

from community.models import ModerationStatus
from community.ratelimits import minutes_to_wait
from community.services import CommunityError
from knowledge.dilemmas import services
from knowledge.dilemmas.forms import DilemmaFilterForm, ReactionForm
from knowledge.dilemmas.models import Dilemma, DilemmaChoice, DilemmaReaction
from knowledge.models import PAGE_SIZE, with_themes
from website.access import visible_pages

RELATED_BY_THEME = 3
# allauth's limiter (settings.ACCOUNT_RATE_LIMITS); without a rate for it, reactions are not limited.
REACTION_RATE = "dilemma_reaction"


def _login_url(request, next_url):
    return f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_url})}"


def index_context(request, index):
    dilemmas = visible_pages(Dilemma.objects.child_of(index), request.user)
    years = sorted({year for year in dilemmas.values_list("year", flat=True) if year}, reverse=True)
    form = DilemmaFilterForm(request.GET or None, years=years)
    if form.is_bound and form.is_valid():
        dilemmas = form.filter(dilemmas)
    dilemmas = with_themes(dilemmas.order_by("-year", "-first_published_at", "-pk"))
    return {
        "filter_form": form,
        "filtered": form.active,
        "dilemmas": Paginator(dilemmas, PAGE_SIZE).get_page(request.GET.get("pagina")),
        "can_propose": request.user.is_authenticated,
        "login_url": _login_url(request, request.get_full_path()),
    }


def dilemma_context(request, page, *, choice_error="", reaction_form=None):
    user = request.user
    options = list(page.options.all())
    my_choice = None
    if user.is_authenticated:
        my_choice = (
            DilemmaChoice.objects.filter(dilemma_id=page.pk, user=user).values_list("option_id", flat=True).first()
        )
    reactions = (
        DilemmaReaction.objects.visible_to(user)
        .filter(dilemma_id=page.pk)
        .select_related("author__profile")
        .order_by("created_at", "pk")
    )
    # Read through the page's own relations, so the admin's preview shows unsaved themes and links too.
    theme_links = list(page.theme_links.select_related("theme"))
    target_ids = [link.target_id for link in page.related_links.all()]
    readable = {item.pk: item for item in visible_pages(Page.objects.filter(pk__in=target_ids), user).specific()}
    related = [readable[pk] for pk in target_ids if pk in readable]
    theme_ids = [link.theme_id for link in theme_links]
    same_theme = (
        visible_pages(Dilemma.objects.filter(theme_links__theme_id__in=theme_ids), user)
        .exclude(pk__in=[page.pk, *target_ids])
        .distinct()
        .order_by("-first_published_at")[:RELATED_BY_THEME]
        if theme_ids
        else []
    )
    return {
        "options": options,
        "my_choice": my_choice,
        "distribution": services.distribution(page, options),
        "show_distribution": not user.is_authenticated or my_choice is not None,
        "choice_error": choice_error,
        "reactions": reactions,
        "reaction_form": reaction_form or ReactionForm(),
        "themes": [link.theme for link in theme_links],
        "tags": list(page.tags.all()),
        "related": related,
        "same_theme": list(same_theme),
        "login_url": _login_url(request, page.url),
        "pending": ModerationStatus.PENDING,
    }


def _render(request, page, status, **extra):
    context = page.get_context(request, **extra)
    return TemplateResponse(request, page.get_template(request), context, status=status)


def choose(request, page):
    if request.method != "POST":
        return redirect(page.url)
    if not request.user.is_authenticated:
        return redirect(_login_url(request, page.url))
    try:
        choice = services.choice_make(actor=request.user, dilemma=page, option_id=request.POST.get("optie"))
    except CommunityError as error:
        return _render(request, page, 400, choice_error=error.message)
    messages.success(request, _("Je keuze is opgeslagen: “%(option)s”.") % {"option": choice.option.title})
    return redirect(f"{page.url}#uitslag")


def react(request, page):
    if request.method != "POST":
        return redirect(page.url)
    if not request.user.is_authenticated:
        return redirect(_login_url(request, page.url))
    form = ReactionForm(request.POST)
    if not form.is_valid():
        return _render(request, page, 400, reaction_form=form)
    wait = minutes_to_wait(request, REACTION_RATE)
    if wait is not None:
        message = _("Je hebt veel reacties kort na elkaar geplaatst. Probeer het over %(minutes)s minuten opnieuw.")
        form.add_error("body", message % {"minutes": wait})
        return _render(request, page, 429, reaction_form=form)
    try:
        reaction = services.reaction_add(actor=request.user, dilemma=page, body=form.cleaned_data["body"])
    except CommunityError as error:
        form.add_error("body", error.message)
        return _render(request, page, 400, reaction_form=form)
    if reaction.status == ModerationStatus.PUBLISHED:
        messages.success(request, _("Je reactie staat bij het dilemma. Dank voor je afweging!"))
    else:
        messages.success(
            request, _("Dank je! Je reactie wacht op goedkeuring door de redactie. Tot dan zie alleen jij hem.")
        )
    return redirect(f"{page.url}#reactie-{reaction.pk}")
