"""Proposing pages and edits on the site, "Mijn bijdragen", and the notification list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from community.contributions import registry, selectors, services
from community.contributions.forms import EDITABLE_KINDS, new_block_id
from community.contributions.models import Contribution, ContributionState
from community.contributions.richtext import html_to_markup
from community.models import Notification
from community.ratelimits import minutes_to_wait
from community.services import CommunityError
from community.services.notifications import notifications_mark_read
from knowledge.merge import MINE, OWN, THEIRS, Own, conflict_field_name
from website.access import is_editor

PAGE_SIZE = 20
SUBMIT, PREVIEW = "versturen", "voorbeeld"
CONFLICT_PREFIX = "conflict-"


def _posted_resolutions(data):
    """The member's choices for earlier conflicts (see knowledge/includes/merge_conflict.html)."""
    resolutions = {}
    for name, choice in data.items():
        if not name.startswith(CONFLICT_PREFIX) or name.endswith("-tekst"):
            continue
        key = name[len(CONFLICT_PREFIX) :]
        if choice == OWN:
            resolutions[key] = Own(data.get(f"{name}-tekst", ""))
        elif choice in (MINE, THEIRS):
            resolutions[key] = choice
    return resolutions


def _conflict_items(conflicts, data):
    """What each conflict shows: rich text offered for merging in the member's own markup, earlier choices kept."""
    items = []
    for conflict in conflicts:
        field_name = conflict_field_name(conflict, CONFLICT_PREFIX)
        text = data.get(f"{field_name}-tekst")
        if text is None and isinstance(conflict.mine, str) and conflict.mine.lstrip().startswith("<"):
            text = html_to_markup(conflict.mine)
        items.append({"conflict": conflict, "field_name": field_name, "text": text, "choice": data.get(field_name)})
    return items


def _preview_page(contribution_type, content, *, start_page=None, edit_summary=""):
    """An unsaved page with the proposed content, to render exactly like the real one."""
    page = start_page or contribution_type.page_class(title=content["title"], slug="voorbeeld")
    contribution_type.form_class.apply(page, content)
    page.edit_summary = edit_summary
    return page


def _render_form(request, form, *, contribution_type, page=None, status=200, **extra):
    context = {
        "form": form,
        "contribution_type": contribution_type,
        "page": page,
        "creating": page is None and not extra.get("gone"),
        "block_kinds": EDITABLE_KINDS,
        **extra,
    }
    template = contribution_type.extra.get("form_template", "community/contributions/form.html")
    return render(request, template, context, status=status)


def _handle(request, *, contribution_type, page=None, start=None):
    """One POST of a proposal form: a block added or moved, a preview, or sending it."""
    form_class = contribution_type.form_class
    source = start.content if start else None
    form = form_class(request.POST, request.FILES, actor=request.user, creating=page is None, source=source)
    for block_form, upload in form.uploaded_images():
        alt_text = block_form.data.get(block_form.add_prefix("alt_text"), "")
        image = services.image_upload(actor=request.user, upload=upload, title=alt_text)
        form.set_block_image(block_form, image.pk)
    action = request.POST.get("actie", SUBMIT)
    render_form = {"contribution_type": contribution_type, "page": page}
    if action not in (SUBMIT, PREVIEW):
        form = form.rearranged(action, request.POST.get("nieuw_blok"))
        return _render_form(request, form, **render_form)
    if action == PREVIEW:
        form.fields["edit_summary"].required = False  # asked for when sending, not to look
    if not form.is_valid():
        return _render_form(request, form, status=400, **render_form)
    content = form.content()
    if action == PREVIEW:
        start_page = start.base_revision.as_object() if start and start.base_revision else None
        preview = _preview_page(
            contribution_type, content, start_page=start_page, edit_summary=form.cleaned_data["edit_summary"]
        )
        return _render_form(request, form, preview=preview, **render_form)
    wait = minutes_to_wait(request, "contribution_submit")
    if wait is not None:
        form.add_error(
            None,
            _("Je hebt veel voorstellen kort na elkaar verstuurd. Probeer het over %(minutes)s minuten opnieuw.")
            % {"minutes": wait},
        )
        return _render_form(request, form, status=429, **render_form)
    try:
        outcome = services.contribution_submit(
            actor=request.user,
            data=content,
            token=form.cleaned_data["token"],
            page=page,
            page_class=contribution_type.page_class,
            base_revision_id=form.cleaned_data.get("base_revision"),
            edit_summary=form.cleaned_data["edit_summary"],
            group=form.cleaned_data.get("group"),
            expected_path=form.cleaned_data.get("page_path") or None,
            resolutions=_posted_resolutions(request.POST),
        )
    except services.EditConflict as conflict:
        form.add_error(None, conflict.message)
        conflicts = conflict.result.conflicts
        return _render_form(
            request,
            form,
            status=409,
            conflicts=conflicts,
            conflict_items=_conflict_items(conflicts, request.POST),
            **render_form,
        )
    except services.PageMoved as error:
        form.data = form.data.copy()
        form.data["page_path"] = page.url_path if page is not None else ""
        form.add_error(None, error.message)
        return _render_form(request, form, status=409, **render_form)
    except CommunityError as error:
        form.add_error(None, error.message)
        return _render_form(request, form, status=400, **render_form)
    _tell(request, outcome)
    return redirect(outcome.contribution.get_absolute_url())


def _tell(request, outcome):
    if outcome.duplicate:
        messages.info(request, _("Dit voorstel had je al verstuurd; we hebben het één keer bewaard."))
        return
    if outcome.merged:
        messages.info(
            request,
            _(
                "Iemand anders had dit artikel intussen ook bewerkt, op een andere plek. We hebben beide "
                "wijzigingen samengevoegd."
            ),
        )
    if outcome.published:
        messages.success(request, _("Je wijziging staat op de site. Dank je wel!"))
    elif outcome.queued:
        messages.success(
            request,
            _(
                "Dank je wel! Een eerder voorstel voor dit artikel ligt nog bij de redactie; het jouwe wacht daarop. "
                "Daarna voegen we het samen met de versie die dan op de site staat en gaat het vanzelf naar de "
                "redactie. Je krijgt bericht."
            ),
        )
    else:
        messages.success(
            request, _("Dank je wel! De redactie bekijkt je voorstel; je krijgt bericht zodra het is beoordeeld.")
        )


@login_required
def contribution_new(request, key):
    contribution_type = registry.by_key(key)
    if contribution_type is None:
        raise Http404
    if request.method == "POST":
        return _handle(request, contribution_type=contribution_type)
    initial = {"block_count": 1, "blok-0-kind": "paragraph", "blok-0-uid": new_block_id()}
    form = contribution_type.form_class(initial=initial, actor=request.user, creating=True)
    return _render_form(request, form, contribution_type=contribution_type)


def _editable_page(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    contribution_type = registry.for_page(page)
    if contribution_type is None:
        raise Http404
    try:
        start = services.edit_start(actor=request.user, page=page)
    except CommunityError:
        raise Http404 from None
    return page, contribution_type, start


@login_required
def contribution_edit(request, page_id):
    if request.method == "POST" and not Page.objects.filter(pk=page_id).exists():
        return _page_gone(request)
    page, contribution_type, start = _editable_page(request, page_id)
    if request.method == "POST":
        return _handle(request, contribution_type=contribution_type, page=page, start=start)
    initial = contribution_type.form_class.initial_for(start.content)
    initial |= {
        "base_revision": start.base_revision.pk if start.base_revision else None,
        "page_path": page.url_path,
        "edit_summary": "",
    }
    form = contribution_type.form_class(initial=initial, actor=request.user, creating=False, source=start.content)
    extra = {}
    if start.conflicts:  # the member's proposal clashes with a version published since: choose side by side
        extra = {"conflicts": start.conflicts, "conflict_items": _conflict_items(start.conflicts, {})}
    return _render_form(
        request,
        form,
        contribution_type=contribution_type,
        page=page,
        own=start.contribution,
        waiting_for_others=start.waiting_for_others,
        **extra,
    )


def _page_gone(request):
    """The page was deleted while the member wrote: their text comes back with the reason, nothing is saved."""
    contribution_type = registry.by_key(request.POST.get("soort", "")) or registry.all_types()[0]
    form = contribution_type.form_class(request.POST, request.FILES, actor=request.user, creating=False)
    form.is_valid()
    form.add_error(
        None,
        _(
            "Dit artikel bestaat niet meer: het is verwijderd terwijl je schreef. Je tekst staat hieronder nog; "
            "bewaar hem, of stel hem voor als nieuw artikel."
        ),
    )
    return _render_form(request, form, contribution_type=contribution_type, status=410, gone=True)


def _own_contribution(request, pk):
    contribution = get_object_or_404(Contribution.objects.select_related("page", "revision", "base_revision"), pk=pk)
    if contribution.author_id != request.user.pk and not is_editor(request.user):
        raise Http404
    return contribution


@login_required
def contribution_revise(request, pk):
    """The link in a rejection: back to the site's form, with the member's proposal in it."""
    contribution = _own_contribution(request, pk)
    if contribution.page_id is None or contribution.author_id != request.user.pk:
        raise Http404
    return redirect("community:contribution_edit", page_id=contribution.page_id)


def _proposal_preview(contribution):
    """The proposal as a page: its revision, or (in line or clashing) its text on the version it started from."""
    if contribution.content is not None and contribution.page is not None:
        start = contribution.base_revision or contribution.page.specific.live_revision
        contribution_type = registry.for_page(contribution.page)
        if start is None or contribution_type is None:
            return None, None
        page = _preview_page(contribution_type, contribution.content, start_page=start.as_object())
        return page, contribution_type
    preview = contribution.revision.as_object() if contribution.revision else None
    return preview, registry.for_page(preview) if preview is not None else None


@login_required
def contribution_detail(request, pk):
    """The proposal as it would look, for its author and the editors only; with its state and the editors' reason."""
    contribution = _own_contribution(request, pk)
    preview, contribution_type = _proposal_preview(contribution)
    return render(
        request,
        "community/contributions/detail.html",
        {
            "contribution": contribution,
            "preview": preview,
            "contribution_type": contribution_type,
            "live_url": contribution.page.get_url(request) if contribution.page and contribution.page.live else "",
        },
    )


@login_required
def my_contributions(request):
    contributions = Paginator(selectors.contributions_of(request.user), PAGE_SIZE).get_page(request.GET.get("pagina"))
    for contribution in contributions:
        page = contribution.page
        contribution.live_url = page.get_url(request) if page is not None and page.live else ""
    return render(
        request,
        "community/contributions/mine.html",
        {"contributions": contributions, "states": ContributionState},
    )


@login_required
@require_POST
def contribution_withdraw(request, pk):
    contribution = get_object_or_404(Contribution, pk=pk, author=request.user)
    try:
        services.contribution_withdraw(actor=request.user, contribution=contribution)
    except CommunityError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Je voorstel “%(title)s” is ingetrokken.") % {"title": contribution.title})
    return redirect("community:my_contributions")


@login_required
def notification_list(request):
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("melding") if i.isdigit()] or None
        count = notifications_mark_read(actor=request.user, ids=ids)
        if count:
            messages.success(request, _("Gemarkeerd als gelezen."))
        return redirect("community:notifications")
    notifications = Paginator(Notification.objects.filter(recipient=request.user), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    return render(request, "community/notifications/list.html", {"notifications": notifications})
