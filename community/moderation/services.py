"""Reports on content and the editors' decisions on them.

Members report a target: a content page (an article, a dilemma, a question) or an item of a model in
community.moderation.registry (an answer, a comment, a reaction). The reports on one target gather
in one ModerationCase. When `settings.REPORT_HIDE_THRESHOLD` distinct members reported it since the
last decision, the target is hidden until an editor decides.

Hiding a page adds a view restriction for the editors' groups, so every path that applies
website.access or Wagtail's own restrictions (serving, history, listings, search, sitemap) leaves it
out; restoring removes exactly that restriction. Hiding an item sets its ModeratedContent status.
"""

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page, PageViewRestriction

from community.models import ModeratedContent, ModerationStatus
from community.moderation import registry
from community.moderation.models import CaseState, ModerationCase, Report, ReportReason
from community.services import CommunityError
from community.services.members import member_block
from community.services.moderation import item_hide, item_restore
from community.services.notifications import notify
from community.services.privacy import register_personal_data
from website.access import can_view, is_editor
from website.permissions import EDITOR_GROUPS

NOTE_MAX = 1000
MAIL_TEMPLATE = "community/moderation/email/notification.txt"
DECIDED = (CaseState.RESTORED, CaseState.DISMISSED)


def hide_threshold() -> int:
    return getattr(settings, "REPORT_HIDE_THRESHOLD", 3)


# --- targets ---------------------------------------------------------------------------------------


def _is_content_page(page) -> bool:
    from knowledge.models import ContentPage

    model = page.specific_class
    return model is not None and issubclass(model, ContentPage)


def is_reportable(target) -> bool:
    if isinstance(target, Page):
        return _is_content_page(target)
    return isinstance(target, ModeratedContent) and registry.is_moderated(target)


def target_content_type(target) -> ContentType:
    """Pages count by their specific type, so an article reported as a plain Page is the same target."""
    if isinstance(target, Page):
        return ContentType.objects.get_for_id(target.content_type_id)
    return ContentType.objects.get_for_model(type(target))


def target_for(content_type, object_id):
    """The object a content type and id point at, if it exists and can be reported; else None."""
    model = registry.model_for(f"{content_type.app_label}.{content_type.model}") or content_type.model_class()
    if model is None:
        return None
    target = model._default_manager.filter(pk=object_id).first()
    if isinstance(target, Page):
        target = target.specific
    return target if target is not None and is_reportable(target) else None


def target_author(target):
    """Who answers for the target: an item's author; for a page, whoever wrote its live version."""
    if isinstance(target, Page):
        revision = target.live_revision
        return revision.user if revision is not None and revision.user_id else target.owner
    return target.author


def target_label(target) -> str:
    label = target.title if isinstance(target, Page) else target.moderation_label()
    return Truncator(label).chars(255)


def target_url(target) -> str:
    return (target.get_url() if isinstance(target, Page) else target.get_absolute_url()) or ""


def _pages_of(item):
    """The pages an item hangs on (an answer's question, a reaction's dilemma): it is as readable as they are."""
    for field in type(item)._meta.concrete_fields:
        if field.is_relation and field.related_model is not None and issubclass(field.related_model, Page):
            page = getattr(item, field.name)
            if page is not None:
                yield page


def can_see(target, user) -> bool:
    if isinstance(target, Page):
        return can_view(target, user)
    if not type(target)._default_manager.visible_to(user).filter(pk=target.pk).exists():
        return False
    return all(can_view(page, user) for page in _pages_of(target))


# --- reporting -------------------------------------------------------------------------------------


def _clean_report(*, reason, note):
    if reason not in ReportReason.values:
        raise CommunityError(_("Kies een reden voor je melding."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise CommunityError(_("Je toelichting is te lang: gebruik hoogstens %(max)s tekens.") % {"max": NOTE_MAX})
    if reason == ReportReason.OTHER and not note:
        raise CommunityError(_("Schrijf kort wat er mis is als je ‘Iets anders’ kiest."))
    return note


def _snapshot(case, target):
    case.target_label = target_label(target)
    case.target_url = target_url(target)
    case.author = target_author(target)


def _locked_case(target):
    """The target's case, created if need be (the unique constraint settles a race), with its row locked."""
    content_type = target_content_type(target)
    ModerationCase.objects.get_or_create(
        content_type=content_type, object_id=target.pk, defaults={"target_label": target_label(target)}
    )
    return ModerationCase.objects.select_for_update().get(content_type=content_type, object_id=target.pk)


def report_submit(*, actor, target, reason, note=""):
    """Record `actor`'s report on `target`; returns (report, created). A second report by the same
    member returns the first one and changes nothing. Reaching the threshold hides the target."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise CommunityError(_("Log in om inhoud te melden."))
    if target is None or not is_reportable(target) or not can_see(target, actor):
        raise CommunityError(_("Deze inhoud bestaat niet (meer)."))
    note = _clean_report(reason=reason, note=note)
    author = target_author(target)
    if author is not None and author.pk == actor.pk:
        raise CommunityError(_("Je kunt je eigen bijdrage niet melden."))
    with transaction.atomic():
        # The row lock makes reports on one target take turns, so the count below is exact.
        case = _locked_case(target)
        existing = case.reports.filter(reporter=actor).first()
        if existing is not None:
            return existing, False
        report = Report.objects.create(case=case, reporter=actor, reason=reason, note=note)
        now = timezone.now()
        _snapshot(case, target)
        case.reporter_count = case.reports.count()
        case.first_reported_at = case.first_reported_at or now
        case.last_reported_at = now
        if case.state in DECIDED:
            case.state = CaseState.OPEN
        if case.state == CaseState.OPEN and _reporters_since_decision(case) >= hide_threshold():
            _auto_hide(case, target)
        case.save()
    return report, True


def _reporters_since_decision(case) -> int:
    reports = case.reports.all()
    if case.decided_at is not None:
        reports = reports.filter(created_at__gt=case.decided_at)
    return reports.count()


def _auto_hide(case, target):
    if isinstance(target, ModeratedContent) and target.status != ModerationStatus.PUBLISHED:
        return
    _hide(case, target, actor=None)
    case.state = CaseState.HIDDEN
    case.hidden_automatically = True
    log(instance=case, action="community.case_auto_hidden", user=None, uuid=uuid.uuid4())
    _tell_author_hidden(case, automatically=True)
    _tell_editors_auto_hidden(case)


# --- hiding and restoring --------------------------------------------------------------------------


def _hide(case, target, *, actor):
    if isinstance(target, Page):
        restriction = PageViewRestriction.objects.create(page=target, restriction_type=PageViewRestriction.GROUPS)
        restriction.groups.set(Group.objects.filter(name__in=EDITOR_GROUPS))
        case.restriction = restriction
    else:
        if target.status != ModerationStatus.PUBLISHED:
            raise CommunityError(_("Alleen gepubliceerde bijdragen kun je verbergen."))
        item_hide(item=target, actor=actor, reason=_("Verborgen na meldingen"))


def page_own_restrictions(page):
    """The page's view restrictions except the one that hides it after reports: code that replaces a
    page's restrictions (restricting it to a werkgroep, say) replaces these, so hiding survives it."""
    hiding = ModerationCase.objects.filter(restriction__isnull=False).values("restriction")
    return PageViewRestriction.objects.filter(page=page).exclude(pk__in=hiding)


def _unhide(case, target, *, actor):
    if case.restriction_id is not None:
        PageViewRestriction.objects.filter(pk=case.restriction_id).delete()
        case.restriction = None
    elif isinstance(target, ModeratedContent) and target.status == ModerationStatus.HIDDEN:
        item_restore(actor=actor, item=target)


def _require_editor(actor):
    if not is_editor(actor):
        raise CommunityError(_("Alleen de redactie kan over gemelde inhoud beslissen."))


def _decided(case, actor, state):
    case.state = state
    case.decided_by = actor
    case.decided_at = timezone.now()
    case.hidden_automatically = False
    # Its own uuid: Wagtail's history keeps one entry per uuid and action, and a bulk action decides many cases.
    log(instance=case, action=f"community.case_{CaseState(state).value}", user=actor, uuid=uuid.uuid4())


def _existing_target(case):
    target = case.target
    if target is None:
        raise CommunityError(_("“%(name)s” bestaat niet meer.") % {"name": case.target_label})
    return target


def _lock(case):
    return ModerationCase.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def case_hide(*, actor, case):
    """Hide the target; on a target hidden automatically, the editor's decision keeps it hidden."""
    _require_editor(actor)
    case = _lock(case)
    confirming = case.state == CaseState.HIDDEN and case.hidden_automatically
    if case.state == CaseState.HIDDEN and not confirming:
        raise CommunityError(_("“%(name)s” is al verborgen.") % {"name": case.target_label})
    if not confirming:
        target = _existing_target(case)
        _hide(case, target, actor=actor)
        _snapshot(case, target)
    _decided(case, actor, CaseState.HIDDEN)
    case.save()
    if not confirming:
        _tell_author_hidden(case, automatically=False)
    return case


def target_hide(*, actor, target):
    """An editor hides a target, reported or not."""
    _require_editor(actor)
    if target is None or not is_reportable(target):
        raise CommunityError(_("Deze inhoud bestaat niet (meer)."))
    with transaction.atomic():
        return case_hide(actor=actor, case=_locked_case(target))


@transaction.atomic
def case_restore(*, actor, case):
    _require_editor(actor)
    case = _lock(case)
    if case.state != CaseState.HIDDEN:
        raise CommunityError(_("“%(name)s” is niet verborgen.") % {"name": case.target_label})
    target = _existing_target(case)
    _unhide(case, target, actor=actor)
    _decided(case, actor, CaseState.RESTORED)
    case.save()
    _tell_author_visible_again(case)
    return case


def target_restore(*, actor, target):
    _require_editor(actor)
    case = ModerationCase.objects.filter(
        content_type=target_content_type(target), object_id=target.pk, state=CaseState.HIDDEN
    ).first()
    if case is None:
        raise CommunityError(_("Deze inhoud is niet verborgen."))
    return case_restore(actor=actor, case=case)


@transaction.atomic
def case_dismiss(*, actor, case):
    """The reports were unfounded: the case closes, and hidden content comes back."""
    _require_editor(actor)
    case = _lock(case)
    if case.state in DECIDED:
        raise CommunityError(_("Over “%(name)s” is al beslist.") % {"name": case.target_label})
    was_hidden = case.state == CaseState.HIDDEN
    target = case.target
    if was_hidden and target is not None:
        _unhide(case, target, actor=actor)
    _decided(case, actor, CaseState.DISMISSED)
    case.save()
    if was_hidden and target is not None:
        _tell_author_visible_again(case)
    return case


def case_block_author(*, actor, case):
    _require_editor(actor)
    if case.author is None:
        raise CommunityError(_("Van “%(name)s” is geen auteur bekend.") % {"name": case.target_label})
    member_block(actor=actor, user=case.author)
    return case.author


def author_block(*, actor, target):
    """Block whoever answers for the target (see target_author), with the members' own block service."""
    _require_editor(actor)
    author = target_author(target) if target is not None else None
    if author is None:
        raise CommunityError(_("Van deze inhoud is geen auteur bekend."))
    member_block(actor=actor, user=author)
    return author


# --- telling people --------------------------------------------------------------------------------


def _tell_author_hidden(case, *, automatically):
    if automatically:
        message = _("Je bijdrage “%(name)s” is verborgen na meldingen van leden. De redactie beoordeelt haar.")
    else:
        message = _("De redactie heeft je bijdrage “%(name)s” verborgen.")
    notify(recipient=case.author, message=message % {"name": case.target_label}, mail_template=MAIL_TEMPLATE)


def _tell_author_visible_again(case):
    notify(
        recipient=case.author,
        message=_("Je bijdrage “%(name)s” is weer zichtbaar.") % {"name": case.target_label},
        url=case.target_url,
        mail_template=MAIL_TEMPLATE,
    )


def editors():
    return (
        get_user_model().objects.filter(is_active=True).filter(groups__name__in=EDITOR_GROUPS).distinct().order_by("pk")
    )


def _tell_editors_auto_hidden(case):
    message = _("“%(name)s” is automatisch verborgen na meldingen van %(count)d leden.") % {
        "name": case.target_label,
        "count": case.reporter_count,
    }
    url = reverse("moderation_cases:index")
    for editor in editors():
        notify(recipient=editor, message=message, url=url, mail_template=MAIL_TEMPLATE)


def cases_to_decide():
    """Open cases, and cases hidden automatically that no editor has looked at yet."""
    return ModerationCase.objects.filter(Q(state=CaseState.OPEN) | Q(state=CaseState.HIDDEN, hidden_automatically=True))


@register_personal_data("gemelde_inhoud")
def reports_by(user):
    """What a member reported, for the download of their data."""
    return [
        {
            "inhoud": report.case.target_label,
            "reden": str(report.get_reason_display()),
            "toelichting": report.note,
            "gemeld_op": report.created_at.isoformat(),
        }
        for report in Report.objects.filter(reporter=user).select_related("case").order_by("created_at", "pk")
    ]
