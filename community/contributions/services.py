"""Members propose pages and edits; editors decide in the admin's "Redactie" workflow.

A proposal is a draft revision of the page (a new page stays non-live under its parent until it is
approved) plus a `Contribution` row. Drafts are never live, so no listing, search, sitemap or history
shows them; their author sees them under "Mijn bijdragen".

Which version a member works on (`edit_start`):
- their own open proposal for that page (waiting, in line, clashing, or sent back), otherwise
- the latest version for editors (while no member's proposal is under review), otherwise the live version.
Another member's draft is never shown, and nothing is ever merged with one: every merge is with a
published version.

On sending (`contribution_submit`) the form's starting version is compared with the current one; a
change in the meantime is merged with `knowledge.merge.three_way`, and a clash goes back to the member
(`EditConflict`) with their text kept. Trusted members' edits of live pages publish at once and stay
unchecked until an editor looks at them; their new pages still go through the workflow, because a new
page is a new subject the editors want to see first.

One proposal per page is under review at a time (Wagtail runs one workflow per page), and the revision
under review is always the live version plus that proposal: approving it publishes exactly that. A
watched member who edits a page while another member's proposal is under review gets in line
("queued"; the text stays on the Contribution row). Whenever the review ends (approved, sent back,
stopped, withdrawn) or the live page changes under it (a trusted member's edit, an editor publishing in
the admin, an undo: Wagtail then cancels the review), the proposals are merged with the live version
(`three_way(base=their base, mine=their text, theirs=live)`): the proposal that was under review first,
then the others in the order they came. A clean merge goes (back) under review as a new revision, and
the member is told; a clash waits for the member ("conflict"), who resolves it side by side in the
site's form. A publish edited from the proposal itself (an editor publishing it in the admin, with or
without changes) approves it.
"""

import logging
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page, PageViewRestriction, Revision, WorkflowState
from wagtail.users.models import UserProfile

from community.contributions import provenance, registry
from community.contributions.models import OPEN_STATES, Contribution, ContributionKind, ContributionState
from community.contributions.richtext import markup_to_html, sanitise
from community.models import Membership
from community.services import CommunityError
from community.services.groups import can_manage, page_restrict_to_group, restriction_admit_editors
from community.services.notifications import notify
from community.services.trust import contribution_approved, is_trusted
from knowledge import merge
from website.access import can_view, is_editor

ACTIVE_WORKFLOW = (WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES)

logger = logging.getLogger(__name__)


class EditConflict(CommunityError):
    """The page changed where the member changed it too; `result.conflicts` says where."""

    def __init__(self, result, theirs):
        super().__init__(
            _(
                "Iemand anders heeft dit artikel intussen ook bewerkt, op dezelfde plek als jij. Je tekst staat "
                "hieronder nog. Kies per verschil welke versie blijft, of voeg ze zelf samen, en verstuur opnieuw."
            )
        )
        self.result = result
        self.theirs = theirs


class PageMoved(CommunityError):
    """The page has another address than when the form was opened."""


@dataclass
class Outcome:
    contribution: Contribution
    published: bool = False
    merged: bool = False
    duplicate: bool = False
    queued: bool = False


@dataclass
class EditStart:
    """What an edit form starts with: the content shown and the version any later change is merged against.

    `waiting_for_others`: sent now, the edit gets in line behind another member's proposal under review.
    `conflicts`: the member's proposal clashes with the live version (state "conflict"); shown side by side.
    """

    content: dict
    base_revision: Revision | None
    contribution: Contribution | None
    waiting_for_others: bool = False
    conflicts: list = field(default_factory=list)


def _require_member(actor):
    if not (actor and actor.is_authenticated and actor.is_active):
        raise CommunityError(_("Log in om een bijdrage te versturen."))
    profile = getattr(actor, "profile", None)
    if profile is not None and (profile.blocked_at or profile.deleted_at):
        raise CommunityError(_("Je account is geblokkeerd; je kunt niets bijdragen."))


def _quiet_admin_mail(actor):
    """Members hear about decisions from us, with links to the site; Wagtail's own mails point into the admin."""
    if is_editor(actor):
        return
    profile = UserProfile.get_for_user(actor)
    if profile.approved_notifications or profile.rejected_notifications:
        profile.approved_notifications = profile.rejected_notifications = False
        profile.save(update_fields=["approved_notifications", "rejected_notifications"])


def _type_for(page=None, page_class=None):
    contribution_type = registry.for_page(page) if page is not None else None
    if contribution_type is None and page_class is not None:
        contribution_type = next((t for t in registry.all_types() if t.page_class is page_class), None)
    if contribution_type is None:
        raise CommunityError(_("Dit soort pagina kun je niet op de site bewerken."))
    return contribution_type


def open_contribution(*, actor, page) -> Contribution | None:
    """The member's proposal for this page that is still theirs to work on, if any."""
    if not actor.is_authenticated:
        return None
    return (
        Contribution.objects.filter(author=actor, page=page, state__in=OPEN_STATES)
        .select_related("revision", "base_revision")
        .order_by("-created_at")
        .first()
    )


def _may_edit(actor, page, own) -> bool:
    if is_editor(actor) or own is not None:
        return True
    return page.live and can_view(page, actor)


def _running_workflow(page) -> WorkflowState | None:
    """The review in progress for this page (Wagtail runs one at a time), if any."""
    return page.workflow_states.filter(status=WorkflowState.STATUS_IN_PROGRESS).first()


def _in_own_review(own, running) -> bool:
    return (
        own is not None
        and running is not None
        and own.state == ContributionState.WAITING
        and own.workflow_state_id == running.pk
    )


def _publishes_at_once(actor, page, own, running) -> bool:
    """Trusted members' (and editors') edits of a live page, unless their own proposal for it is under review."""
    if not page.live or (own is not None and own.kind == ContributionKind.CREATE):
        return False
    if _in_own_review(own, running):
        return False
    return is_trusted(actor)


def _gets_in_line(actor, page, own, running) -> bool:
    """Sent now, the edit waits behind another member's proposal that is under review."""
    return (
        running is not None
        and page.live
        and not _in_own_review(own, running)
        and not _publishes_at_once(actor, page, own, running)
    )


def edit_start(*, actor, page) -> EditStart:
    """The content an edit form shows the member, and its merge base (see the module's docstring)."""
    page = page.specific
    own = open_contribution(actor=actor, page=page)
    if not _may_edit(actor, page, own):
        raise CommunityError(_("Dit artikel bestaat niet of je mag het niet bewerken."))
    form_class = _type_for(page=page).form_class
    running = _running_workflow(page)
    in_line = _gets_in_line(actor, page, own, running)
    if own is not None and own.content is not None:
        live = page.live_revision
        if own.state == ContributionState.CONFLICT and live is not None:
            result = _rebased(own, form_class, live)
            if result.clean:  # nothing left to choose (the page changed again since): the merge is the start
                return EditStart(result.merged, live, own, waiting_for_others=in_line)
            return EditStart(
                own.content, own.base_revision, own, waiting_for_others=in_line, conflicts=result.conflicts
            )
        return EditStart(own.content, own.base_revision, own, waiting_for_others=in_line)
    if own is not None and own.revision is not None:
        still_latest = own.revision_id == page.latest_revision_id or own.kind == ContributionKind.CREATE
        base = own.revision if still_latest else own.base_revision
        return EditStart(form_class.content_of(own.revision.as_object()), base, own, waiting_for_others=in_line)
    revision = _current_revision(actor, page, None, running)
    if revision is None:
        return EditStart(form_class.content_of(page), None, None)
    return EditStart(form_class.content_of(revision.as_object()), revision, None, waiting_for_others=in_line)


def _current_revision(actor, page, own, running):
    """The version a new edit is merged against and built on: one the member may see, and never another
    member's unapproved proposal. None when the page is not live and the member has no draft of it."""
    latest = page.latest_revision
    if latest is None:
        return None
    if not page.live:
        mine = own is not None and own.kind == ContributionKind.CREATE
        return latest if (mine or is_editor(actor)) else None
    if own is not None and own.content is None and own.revision_id == latest.pk:
        return latest  # their own proposal is the latest version, built on the live one
    if _in_own_review(own, running) or (running is None and is_editor(actor)):
        return latest
    return page.live_revision  # None for a live page published without revisions: never fall back to a draft


def _sanitise_stream(blocks):
    """Rich text that came back through a conflict ("own" text) is re-built and checked like any other input."""
    clean = []
    for block in blocks:
        if block["type"] == "paragraph" and isinstance(block["value"], str):
            value = block["value"]
            block = {**block, "value": sanitise(value) if value.lstrip().startswith("<") else markup_to_html(value)}
        clean.append(block)
    return clean


def _merge(form_class, base, mine, theirs, resolutions):
    """Mine merged with `theirs`; without a known base every difference is the member's to choose."""
    base_content = form_class.content_of(base.as_object()) if base is not None else {}
    theirs_content = form_class.content_of(theirs.as_object())
    result = merge.three_way(base_content, mine, theirs_content, resolutions=resolutions)
    if not result.clean:
        raise EditConflict(result, theirs)
    merged = dict(result.merged)
    for name in form_class.stream_fields:
        merged[name] = _sanitise_stream(merged.get(name, []))
    return merged, result.auto_merged


def _unique_slug(parent, title):
    base = slugify(title)[:60].strip("-") or "artikel"
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _restrict_new_page(*, actor, page, group):
    """A member keeps their new page within a werkgroep they belong to (coordinators through the usual service)."""
    if can_manage(actor, group):
        page_restrict_to_group(actor=actor, page=page, group=group)
        return
    if not Membership.objects.filter(group=group, user=actor).exists():
        raise CommunityError(_("Je kunt een artikel alleen beperken tot een werkgroep waar je aan meedoet."))
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([group.access_group])
    restriction_admit_editors(restriction=restriction)


@contextmanager
def _quiet(page_id):
    """While the queue of this page is being worked on, a cancel we cause ourselves does not start it again."""
    pages = provenance.busy()
    if page_id in pages:
        yield
        return
    pages.add(page_id)
    try:
        yield
    finally:
        pages.discard(page_id)


def _enter_workflow(*, actor, page):
    """Into the "Redactie" workflow: a fresh one, the member's own one sent back for changes, or the one running."""
    state = page.workflow_states.filter(status__in=ACTIVE_WORKFLOW).first()
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        if actor is not None and state.requested_by_id == actor.pk:
            state.resume(user=actor)
            return state
        with _quiet(page.pk):
            state.cancel(user=actor)
        state = None
    if state is not None:
        return state
    workflow = page.get_workflow()
    if workflow is None:
        from community.contributions.workflow import ensure_workflow

        workflow = ensure_workflow()
    return workflow.start(page, actor)


def _locked_page(page):
    try:
        return Page.objects.select_for_update().get(pk=page.pk).specific
    except Page.DoesNotExist:
        raise CommunityError(
            _(
                "Dit artikel bestaat niet meer: het is verwijderd terwijl je schreef. Je tekst staat hieronder "
                "nog; bewaar hem, of stel hem voor als nieuw artikel."
            )
        ) from None


def _base_revision(page, base_revision_id):
    if base_revision_id is None:
        return None
    revision = Revision.page_revisions.filter(pk=base_revision_id, object_id=str(page.pk)).first()
    if revision is None:
        raise CommunityError(_("De versie waarmee je begon, hoort niet bij dit artikel. Open het artikel opnieuw."))
    return revision


@transaction.atomic
def contribution_submit(
    *,
    actor,
    data: dict,
    token: str,
    page=None,
    parent=None,
    page_class=None,
    base_revision_id=None,
    edit_summary="",
    group=None,
    expected_path=None,
    resolutions=None,
) -> Outcome:
    """Send a proposal: a new page under `parent` (of `page_class`), or an edit of `page`.

    `data` is the validated form content (see ContributionForm.content); `token` the form's own id, so
    sending it twice makes one proposal; `expected_path` the page's address when the form was opened.
    Raises CommunityError (EditConflict for a clash) and saves nothing then.
    """
    _require_member(actor)
    _quiet_admin_mail(actor)
    list(get_user_model().objects.select_for_update().filter(pk=actor.pk).values_list("pk", flat=True))
    duplicate = Contribution.objects.filter(author=actor, token=token).select_related("page").first()
    if duplicate is not None:
        return Outcome(
            duplicate,
            published=duplicate.state == ContributionState.PUBLISHED,
            duplicate=True,
            queued=duplicate.state == ContributionState.QUEUED,
        )
    if page is None:
        return _submit_new(
            actor=actor,
            data=data,
            token=token,
            parent=parent,
            page_class=page_class,
            edit_summary=edit_summary,
            group=group,
        )
    return _submit_edit(
        actor=actor,
        data=data,
        token=token,
        page=page,
        base_revision_id=base_revision_id,
        edit_summary=edit_summary,
        expected_path=expected_path,
        resolutions=resolutions,
    )


def _submit_new(*, actor, data, token, parent, page_class, edit_summary, group):
    contribution_type = _type_for(page_class=page_class)
    parent = contribution_type.parent() if parent is None else parent
    if parent is None or not Page.objects.filter(pk=parent.pk).exists():
        raise CommunityError(_("Er is nog geen plek om dit artikel neer te zetten. Vraag de redactie ernaar."))
    parent = Page.objects.select_for_update().get(pk=parent.pk).specific
    if not contribution_type.page_class.can_create_at(parent):
        raise CommunityError(_("Hier kun je dit soort pagina niet neerzetten."))
    page = contribution_type.page_class(title=data["title"], slug=_unique_slug(parent, data["title"]), live=False)
    page.owner = actor
    contribution_type.form_class.apply(page, data)
    page.edit_summary = edit_summary or _("Eerste versie")
    parent.add_child(instance=page)
    if group is not None:
        _restrict_new_page(actor=actor, page=page, group=group)
    revision = page.save_revision(user=actor)
    log(instance=page, action="wagtail.create", user=actor, revision=revision, content_changed=True)
    state = _enter_workflow(actor=actor, page=page)
    contribution = Contribution.objects.create(
        author=actor,
        page=page,
        revision=revision,
        workflow_state=state,
        kind=ContributionKind.CREATE,
        title=page.title,
        edit_summary=page.edit_summary,
        token=token,
    )
    return Outcome(contribution)


def _save_revision(form_class, theirs, page, content, edit_summary, user):
    """A new revision: `theirs` (or the page itself, when it has none) with `content` on it."""
    target = theirs.as_object() if theirs is not None else page
    form_class.apply(target, content)
    target.edit_summary = edit_summary
    return target.save_revision(user=user, log_action=True)


def _submit_edit(*, actor, data, token, page, base_revision_id, edit_summary, expected_path, resolutions):
    page = _locked_page(page)
    if expected_path and page.url_path != expected_path:
        raise PageMoved(
            _(
                "Dit artikel is verplaatst terwijl je schreef. Je tekst staat hieronder nog; kijk of hij nog "
                "klopt en verstuur hem opnieuw."
            )
        )
    own = open_contribution(actor=actor, page=page)
    if not _may_edit(actor, page, own):
        raise CommunityError(_("Dit artikel bestaat niet of je mag het niet bewerken."))
    form_class = _type_for(page=page).form_class
    running = _running_workflow(page)
    theirs = _current_revision(actor, page, own, running)
    if theirs is None and page.latest_revision_id:
        raise CommunityError(
            _(
                "Dit artikel kun je nu niet op de site bewerken. Je tekst is niet verstuurd en staat hieronder nog; "
                "vraag de redactie ernaar."
            )
        )
    base = _base_revision(page, base_revision_id)
    merged = False
    if theirs is not None and (base is None or base.pk != theirs.pk):
        data, merged = _merge(form_class, base, data, theirs, resolutions)
    contribution = own or Contribution(author=actor, page=page, kind=ContributionKind.EDIT)
    contribution.title = data.get("title") or page.title
    contribution.edit_summary = edit_summary
    contribution.token = token
    contribution.reason, contribution.decided_at, contribution.decided_by = "", None, None
    contribution.checked_at, contribution.checked_by = None, None
    contribution.content, contribution.queued_at = None, None
    if _publishes_at_once(actor, page, own, running):
        revision = _save_revision(form_class, theirs, page, data, edit_summary, actor)
        # A review running now is cancelled by this publish; its proposal is merged with this version.
        provenance.note_source(page_id=page.pk, revision_id=revision.pk, source_revision_id=getattr(theirs, "pk", None))
        revision.publish(user=actor, skip_permission_checks=True)
        contribution.revision, contribution.base_revision, contribution.workflow_state = revision, theirs, None
        contribution.state = ContributionState.PUBLISHED
        if is_editor(actor):  # an editor's own edit needs no second look
            contribution.checked_at, contribution.checked_by = timezone.now(), actor
    elif _gets_in_line(actor, page, own, running):
        # Another member's proposal is under review: this one waits on the row, based on the live version.
        contribution.content, contribution.queued_at = data, timezone.now()
        contribution.revision, contribution.base_revision, contribution.workflow_state = None, theirs, None
        contribution.state = ContributionState.QUEUED
    else:
        revision = _save_revision(form_class, theirs, page, data, edit_summary, actor)
        contribution.workflow_state = _enter_workflow(actor=actor, page=page)
        contribution.revision = revision
        # The base stays a published version (or, for a new page, its draft): what a later merge starts from.
        if theirs is not None and (
            theirs.pk == page.live_revision_id or contribution.base_revision_id is None or not page.live
        ):
            contribution.base_revision = theirs
        contribution.state = ContributionState.WAITING
    contribution.save()
    return Outcome(
        contribution,
        published=contribution.state == ContributionState.PUBLISHED,
        merged=merged,
        queued=contribution.state == ContributionState.QUEUED,
    )


def revise_url(contribution) -> str:
    return reverse("community:contribution_revise", kwargs={"pk": contribution.pk})


@transaction.atomic
def contribution_withdraw(*, actor, contribution) -> Contribution:
    """The author takes back a proposal that is waiting; its workflow stops, the draft stays in the page's revisions.

    A proposal in line behind it then goes under review.
    """
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if contribution.author_id != getattr(actor, "pk", None):
        raise CommunityError(_("Je kunt alleen je eigen bijdragen intrekken."))
    if contribution.state not in OPEN_STATES:
        raise CommunityError(_("Alleen een bijdrage die nog wacht, kun je intrekken."))
    contribution.state = ContributionState.WITHDRAWN
    contribution.queued_at = None
    contribution.save(update_fields=["state", "queued_at", "updated_at"])
    state = contribution.workflow_state
    if state is not None:
        state.refresh_from_db()
        others = Contribution.objects.filter(workflow_state=state, state=ContributionState.WAITING)
        if state.status in ACTIVE_WORKFLOW and not others.exists():
            state.cancel(user=actor)  # the cancel moves the line on (workflow_cancelled)
    return contribution


# --- the line of proposals behind the one under review -------------------------------------------------------


def _proposal_content(contribution, form_class):
    """The member's text: kept on the row while it is not a revision, else its revision's content."""
    if contribution.content is not None:
        return contribution.content
    if contribution.revision_id is not None:
        return form_class.content_of(contribution.revision.as_object())
    return None


def _rebased(contribution, form_class, live, live_content=None):
    """The proposal merged with the live version: three_way(base=its base, mine=its text, theirs=live).

    Without its base (a purged revision) nothing is assumed: every difference is the member's to choose.
    """
    mine = _proposal_content(contribution, form_class)
    base = contribution.base_revision
    if base is not None and base.pk == live.pk:
        return merge.MergeResult(merged=mine)
    theirs = live_content if live_content is not None else form_class.content_of(live.as_object())
    base_content = form_class.content_of(base.as_object()) if base is not None else {}
    return merge.three_way(base_content, mine, theirs)


def _to_review(contribution, *, page, form_class, content, live):
    """A merged proposal goes under review: the live version with its changes, as a new revision."""
    merged = contribution.base_revision_id != live.pk
    author = contribution.author
    revision = _save_revision(form_class, live, page, content, contribution.edit_summary, author)
    contribution.workflow_state = _enter_workflow(actor=author, page=page)
    contribution.revision, contribution.base_revision = revision, live
    contribution.state, contribution.content, contribution.queued_at = ContributionState.WAITING, None, None
    contribution.save()
    if merged:
        message = _(
            "Je voorstel “%(title)s” is samengevoegd met de intussen gepubliceerde versie en ligt nu bij de redactie."
        )
    else:
        message = _(
            "Het eerdere voorstel voor dit artikel is afgehandeld; je voorstel “%(title)s” ligt nu bij de redactie."
        )
    notify(recipient=author, message=message % {"title": contribution.title}, url=contribution.get_absolute_url())


def _to_conflict(contribution, content):
    """The proposal clashes with the live version: its author chooses, side by side, in the site's form."""
    contribution.state, contribution.content, contribution.queued_at = ContributionState.CONFLICT, content, None
    contribution.save()
    notify(
        recipient=contribution.author,
        message=_(
            "Je voorstel “%(title)s” botst met een versie die intussen is gepubliceerd. Kies welke tekst blijft en "
            "verstuur het opnieuw."
        )
        % {"title": contribution.title},
        url=revise_url(contribution),
        mail_template="community/contributions/mail_conflict.txt",
        context={"contribution": contribution},
    )


def _already_live(contribution, page):
    """Everything the proposal changes is in the live version already: nothing is left to review."""
    _decide(
        [contribution],
        state=ContributionState.APPROVED,
        actor=None,
        reason=_("Je wijziging stond al in de versie die intussen is gepubliceerd."),
    )
    notify(
        recipient=contribution.author,
        message=_("Je voorstel “%(title)s” staat al helemaal in de versie die intussen is gepubliceerd.")
        % {"title": contribution.title},
        url=page.url or contribution.get_absolute_url(),
    )


def _advance_queue(page_id):
    """Merge the proposals in line with the live version, earliest first; the first clean one goes under review.

    A clash goes to its author ("conflict"); a clean one behind the first stays in line and is merged again
    when its turn comes, against whatever is live then.
    """
    if page_id is None or page_id in provenance.busy():
        return
    with _quiet(page_id):
        page = Page.objects.select_for_update().filter(pk=page_id).first()
        if page is None or not page.live or page.live_revision_id is None:
            return
        page = page.specific
        in_line = list(
            Contribution.objects.select_for_update(of=("self",))
            .filter(page_id=page_id, state=ContributionState.QUEUED)
            .select_related("author", "base_revision", "revision")
            .order_by("queued_at", "pk")
        )
        contribution_type = registry.for_page(page)
        if not in_line or contribution_type is None:
            return
        form_class = contribution_type.form_class
        live = page.live_revision
        live_content = form_class.content_of(live.as_object())
        reviewing = _running_workflow(page) is not None
        for contribution in in_line:
            mine = _proposal_content(contribution, form_class)
            if mine is None:
                continue
            result = _rebased(contribution, form_class, live, live_content)
            if not result.clean:
                _to_conflict(contribution, mine)
            elif result.merged == live_content:
                _already_live(contribution, page)
            elif not reviewing:
                try:
                    with transaction.atomic():
                        _to_review(contribution, page=page, form_class=form_class, content=result.merged, live=live)
                except Exception:  # noqa: BLE001  (this runs inside an editor's publish; that must not fail for it)
                    logger.exception("Proposal %s could not go under review; its author resubmits it", contribution.pk)
                    contribution.refresh_from_db()
                    _to_conflict(contribution, mine)
                    continue
                reviewing = True


def _published_under(waiting, *, publish, actor, workflow_state):
    """Another version was published while these proposals were under review.

    Edited from the proposal (an editor publishing it in the admin, with or without changes of their own):
    approved. Otherwise the page changed under it: back in line, first, to be merged with the new version.
    """
    source = publish.source_revision_id
    for contribution in waiting:
        revision_id = contribution.revision_id
        if revision_id and (revision_id == publish.revision_id or (source is not None and source >= revision_id)):
            _decide([contribution], state=ContributionState.APPROVED, actor=actor)
            _tell_approved(contribution)
            continue
        contribution_type = registry.for_page(contribution.page) if contribution.page else None
        if contribution_type is None or revision_id is None:
            continue
        # An editor may have saved a draft on top of the proposal during the review (the admin edits the latest
        # version): the newest such draft carries the proposal on, with the editor's changes.
        reviewed = (
            Revision.page_revisions.filter(
                object_id=str(contribution.page_id), pk__gt=revision_id, pk__lt=publish.revision_id
            )
            .order_by("-pk")
            .first()
        ) or contribution.revision
        mine = contribution_type.form_class.content_of(reviewed.as_object())
        contribution.content, contribution.revision, contribution.state = mine, None, ContributionState.QUEUED
        contribution.queued_at = workflow_state.created_at  # ahead of those that queued behind it
        contribution.save(update_fields=["content", "revision", "state", "queued_at", "updated_at"])


# --- the workflow's decisions ----------------------------------------------------------------------------------


def _decide(contributions, *, state, actor, reason=""):
    now = timezone.now()
    decided = []
    for contribution in contributions:
        contribution.state, contribution.decided_at, contribution.decided_by = state, now, actor
        contribution.reason = reason
        contribution.save(update_fields=["state", "decided_at", "decided_by", "reason", "updated_at"])
        decided.append(contribution)
    return decided


def _waiting_in(workflow_state):
    return list(
        Contribution.objects.select_for_update(of=("self",))
        .filter(workflow_state=workflow_state, state=ContributionState.WAITING)
        .select_related("author", "page", "revision")
        .order_by("revision_id", "pk")
    )


def _page_id(workflow_state):
    object_id = str(workflow_state.object_id)
    return int(object_id) if object_id.isdigit() else None


def _tell_approved(contribution):
    contribution_approved(author=contribution.author)
    page = contribution.page.specific if contribution.page else None
    notify(
        recipient=contribution.author,
        message=_("Je voorstel “%(title)s” is goedgekeurd en staat nu op de site.") % {"title": contribution.title},
        url=page.url if page is not None and page.url else contribution.get_absolute_url(),
        mail_template="community/email/contribution_approved.txt",
        context={"contribution": contribution},
    )


def _tell_rejected(contribution):
    notify(
        recipient=contribution.author,
        message=_("De redactie vraagt je je voorstel “%(title)s” aan te passen.") % {"title": contribution.title},
        url=revise_url(contribution),
        mail_subject=_("Je voorstel “%(title)s” is nog niet goedgekeurd") % {"title": contribution.title},
        mail_template="community/email/contribution_rejected.txt",
        context={"contribution": contribution, "reason": contribution.reason},
    )


def workflow_approved(*, workflow_state, actor):
    """Editors approved in the admin: the page is published; every proposal in it is approved, the next goes on."""
    for contribution in _decide(_waiting_in(workflow_state), state=ContributionState.APPROVED, actor=actor):
        _tell_approved(contribution)
    _advance_queue(_page_id(workflow_state))


def workflow_rejected(*, workflow_state, actor):
    """Editors asked for changes: the member hears why, with a link to the form on the site; the next goes on."""
    task_state = workflow_state.current_task_state
    reason = (task_state.comment if task_state else "") or _("De redactie gaf geen toelichting.")
    for contribution in _decide(
        _waiting_in(workflow_state), state=ContributionState.REJECTED, actor=actor, reason=reason
    ):
        _tell_rejected(contribution)
    _advance_queue(_page_id(workflow_state))


def workflow_cancelled(*, workflow_state, actor):
    """The review stopped without a decision: because another version was published, or someone stopped it.

    Wagtail cancels a running review whenever another version of the page is published (see `provenance`
    and `_published_under`). Stopped by an editor: the proposal goes back to the member, unless the live
    version is the proposal or came after it. Either way the proposals in line move on.
    """
    page_id = _page_id(workflow_state)
    publish = provenance.take(page_id, workflow_state.pk) if page_id is not None else None
    waiting = _waiting_in(workflow_state)
    if waiting:
        page = Page.objects.filter(pk=page_id).only("live_revision_id").first()
        live_revision_id = page.live_revision_id if page else None
        if publish is not None and publish.revision_id == live_revision_id:
            _published_under(waiting, publish=publish, actor=actor, workflow_state=workflow_state)
        else:
            _stopped(waiting, actor=actor, live_revision_id=live_revision_id)
    _advance_queue(page_id)


def _stopped(waiting, *, actor, live_revision_id):
    for contribution in waiting:
        if live_revision_id and contribution.revision_id and live_revision_id >= contribution.revision_id:
            _decide([contribution], state=ContributionState.APPROVED, actor=actor)
            _tell_approved(contribution)
        else:
            _decide(
                [contribution],
                state=ContributionState.REJECTED,
                actor=actor,
                reason=_("De redactie heeft de beoordeling stopgezet."),
            )
            _tell_rejected(contribution)


def contribution_mark_checked(*, actor, contribution) -> Contribution:
    """An editor has looked at an edit that went live without review."""
    if not is_editor(actor):
        raise CommunityError(_("Alleen de redactie kan bijdragen nakijken."))
    if contribution.state != ContributionState.PUBLISHED:
        raise CommunityError(_("Deze bijdrage is al door de redactie beoordeeld."))
    if contribution.checked_at is None:
        contribution.checked_at, contribution.checked_by = timezone.now(), actor
        contribution.save(update_fields=["checked_at", "checked_by", "updated_at"])
    return contribution


def image_upload(*, actor, upload, title):
    """A member's image for a proposal; it joins the image library like an editor's upload."""
    from wagtail.images import get_image_model

    _require_member(actor)
    image = get_image_model()(title=(title or upload.name)[:255], file=upload, uploaded_by_user=actor)
    image.save()
    return image
