"""Every write to questions, answers, comments, votes and follows: `<noun>_<verb>(*, actor, ...)`.

Each function checks that the actor may read the question (website.access, so a werkgroep's question
stays with the werkgroep), applies the trust rules through community.services.moderation, and raises
CommunityError with a Dutch message; on a refusal nothing is written. Search re-indexing and telling
followers happen after commit (knowledge.questions.signals schedules them).
"""

import re
import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug
from wagtail.models import PageViewRestriction

from community.contributions.services import contribution_submit
from community.models import Membership, ModerationStatus
from community.services import CommunityError
from community.services.groups import restriction_admit_editors
from community.services.moderation import item_submit
from community.services.notifications import notify
from community.services.trust import is_trusted
from knowledge.models import PageTheme
from knowledge.questions import contributions  # noqa: F401  (registers Question with community.contributions)
from knowledge.questions.models import (
    BODY_MAX,
    COMMENT_MAX,
    TITLE_MAX,
    Answer,
    AnswerAnnouncement,
    AnswerRevision,
    AnswerVote,
    CloseReason,
    Comment,
    Question,
    QuestionFollow,
)
from website.access import can_view, is_editor

# Anything that looks like an HTML tag, comment or doctype; "a < b" and "3<4" stay allowed.
MARKUP = re.compile(r"<\s*[/!?]?\s*[a-zA-Z]|<!--|&#?[a-zA-Z0-9]+;")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TAG_MAX = 50
TAGS_MAX = 10


def clean_text(text, *, max_length: int, what: str) -> str:
    """Plain text with paragraphs: markup is refused (not silently dropped), so the writer sees why."""
    text = CONTROL_CHARACTERS.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not text:
        raise CommunityError(_("Schrijf eerst je %(what)s.") % {"what": what})
    if len(text) > max_length:
        raise CommunityError(
            _("Je %(what)s is te lang: gebruik hoogstens %(max)s tekens (nu %(length)s).")
            % {"what": what, "max": f"{max_length:,}".replace(",", "."), "length": f"{len(text):,}".replace(",", ".")}
        )
    if MARKUP.search(text):
        raise CommunityError(
            _(
                "Gebruik geen HTML, scripts of andere opmaakcode in je %(what)s: schrijf gewone tekst. "
                "Een witregel begint een nieuwe alinea; een webadres wordt vanzelf een link."
            )
            % {"what": what}
        )
    return text


def _require_member(actor, message):
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise CommunityError(message)


def _readable_question(actor, question) -> Question:
    """The live question as stored, if `actor` may read it; one message for "gone" and "not yours"."""
    fresh = Question.objects.live().filter(pk=getattr(question, "pk", None)).first()
    if fresh is None or not can_view(fresh, actor):
        raise CommunityError(_("Deze vraag bestaat niet (meer)."))
    return fresh


def _open_question(actor, question) -> Question:
    question = _readable_question(actor, question)
    if question.is_closed:
        raise CommunityError(_("Deze vraag is gesloten: er kunnen geen antwoorden of reacties meer bij."))
    return question


# Asking -----------------------------------------------------------------------------------------


def question_summary(body: str) -> str:
    """The card text: the first paragraph, shortened to fit the page's summary field."""
    first = body.strip().split("\n\n", 1)[0]
    return Truncator(" ".join(first.split())).chars(280)


def _clean_tags(tags) -> list[str]:
    cleaned = []
    for tag in tags or ():
        tag = " ".join(str(tag).split())
        if not tag:
            continue
        if len(tag) > TAG_MAX or MARKUP.search(tag):
            raise CommunityError(_("Een trefwoord is hoogstens %(max)s tekens gewone tekst.") % {"max": TAG_MAX})
        if tag.lower() not in {t.lower() for t in cleaned}:
            cleaned.append(tag)
    if len(cleaned) > TAGS_MAX:
        raise CommunityError(_("Geef hoogstens %(max)s trefwoorden.") % {"max": TAGS_MAX})
    return cleaned


# Addresses under /vragen/ that belong to the actions in knowledge.questions.urls, not to a question.
RESERVED_SLUGS = {"stel-een-vraag", "antwoorden"}


def _slug_for(title) -> str:
    slug = slugify(title)[:60].strip("-") or "vraag"
    return f"{slug}-vraag" if slug in RESERVED_SLUGS else slug


def _may_ask_in(actor, group) -> bool:
    return is_editor(actor) or Membership.objects.filter(group=group, user=actor).exists()


def question_restrict_to_group(*, page, group):
    """The werkgroep's members and the editors read the question, on every path (website.access)."""
    from community.moderation.services import page_own_restrictions

    page_own_restrictions(page).delete()
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([group.access_group])
    restriction_admit_editors(restriction=restriction)
    return restriction


@transaction.atomic
def question_ask(*, actor, index, title, body, themes=(), tags=(), group=None, token=None) -> Question:
    """A member asks a question; they follow it from the start.

    A trusted member's question is published at once, like their answers. A watched member's question
    is a proposal through community.contributions: a draft in the "Redactie" workflow, listed under
    "Mijn bijdragen", published when an editor approves it. `token` (the form's own id) makes a second
    press of the button return the first question instead of asking it twice."""
    _require_member(actor, _("Log in om een vraag te stellen."))
    title = clean_text(title, max_length=TITLE_MAX, what=_("titel"))
    if "\n" in title:
        raise CommunityError(_("De titel is één regel."))
    body = clean_text(body, max_length=BODY_MAX, what=_("vraag"))
    tags = _clean_tags(tags)
    themes = list(themes)
    if group is not None and not _may_ask_in(actor, group):
        raise CommunityError(_("Je kunt alleen een vraag stellen binnen een werkgroep waaraan je deelneemt."))
    # One request at a time per member, so a double click cannot ask the same question twice.
    list(get_user_model().objects.select_for_update().filter(pk=actor.pk).values_list("pk", flat=True))
    recent = timezone.now() - timedelta(minutes=10)
    twice = Question.objects.filter(owner=actor, title=title, latest_revision_created_at__gte=recent).first()
    if twice is not None:
        return twice
    if is_trusted(actor):
        question = _question_publish(actor=actor, index=index, title=title, body=body, themes=themes, tags=tags)
        if group is not None:
            question_restrict_to_group(page=question, group=group)
    else:
        outcome = contribution_submit(
            actor=actor,
            data={
                "title": title,
                "summary": question_summary(body),
                "body": body,
                "themes": [theme.pk for theme in themes],
                "tags": tags,
            },
            token=token or uuid.uuid4().hex,
            parent=index,
            page_class=Question,
            edit_summary=_("Vraag gesteld"),
            group=group,
        )
        question = outcome.contribution.page.specific
    QuestionFollow.objects.get_or_create(question=question, user=actor)
    return Question.objects.get(pk=question.pk)


def _question_publish(*, actor, index, title, body, themes, tags) -> Question:
    question = Question(
        title=title,
        slug=find_available_slug(index, _slug_for(title)),
        summary=question_summary(body),
        body=body,
        owner=actor,
        live=False,
        edit_summary=_("Vraag gesteld"),
    )
    index.add_child(instance=question)
    for order, theme in enumerate(themes):
        question.theme_links.add(PageTheme(theme=theme, sort_order=order))
    question.tags.add(*tags)
    question.save_revision(user=actor, log_action=True).publish(user=actor, skip_permission_checks=True)
    return question


@transaction.atomic
def question_close(*, actor, question, reason, note="", duplicate_of=None) -> Question:
    """Editors close a question, as a published revision so the page's history records it."""
    if not is_editor(actor):
        raise CommunityError(_("Alleen de redactie kan een vraag sluiten."))
    question = _readable_question(actor, question)
    if reason not in CloseReason.values:
        raise CommunityError(_("Kies waarom de vraag wordt gesloten."))
    if reason == CloseReason.DUPLICATE:
        original = Question.objects.live().filter(pk=getattr(duplicate_of, "pk", None)).first()
        if original is None or original.pk == question.pk:
            raise CommunityError(_("Kies de vraag waarvan deze een dubbele is."))
        duplicate_of = original
    else:
        duplicate_of = None
    question.close_reason, question.duplicate_of = reason, duplicate_of
    question.close_note = (note or "").strip()[:1000]
    question.edit_summary = _("Vraag gesloten")
    question.save_revision(user=actor).publish(user=actor, skip_permission_checks=True)
    return question


@transaction.atomic
def question_reopen(*, actor, question) -> Question:
    if not is_editor(actor):
        raise CommunityError(_("Alleen de redactie kan een vraag heropenen."))
    question = _readable_question(actor, question)
    if not question.is_closed:
        raise CommunityError(_("Deze vraag is niet gesloten."))
    question.close_reason, question.close_note, question.duplicate_of = "", "", None
    question.edit_summary = _("Vraag heropend")
    question.save_revision(user=actor).publish(user=actor, skip_permission_checks=True)
    return question


# Following --------------------------------------------------------------------------------------


def question_follow(*, actor, question) -> bool:
    """True when the member now follows the question and did not before (pressing twice changes nothing)."""
    _require_member(actor, _("Log in om een vraag te volgen."))
    question = _readable_question(actor, question)
    created = QuestionFollow.objects.get_or_create(question=question, user=actor)[1]
    return created


def question_unfollow(*, actor, question) -> bool:
    _require_member(actor, _("Log in om een vraag te volgen."))
    return QuestionFollow.objects.filter(question_id=getattr(question, "pk", None), user=actor).delete()[0] > 0


def _tell_followers(question, *, message, url, template, context, exclude=()):
    """Followers who may still read the question (a werkgroep member who left may not)."""
    follows = QuestionFollow.objects.filter(question=question).exclude(user__in=[u for u in exclude if u])
    for follow in follows.select_related("user"):
        if can_view(question, follow.user):
            notify(
                recipient=follow.user,
                message=message,
                url=url,
                mail_template=template,
                context={**context, "question_title": question.title},
            )


# Answers ----------------------------------------------------------------------------------------


@transaction.atomic
def answer_submit(*, actor, question, body) -> Answer:
    """A trusted member's answer appears at once; a watched member's waits for an editor."""
    _require_member(actor, _("Log in om een antwoord te geven."))
    question = _open_question(actor, question)
    body = clean_text(body, max_length=BODY_MAX, what=_("antwoord"))
    answer = item_submit(actor=actor, item=Answer(question=question, body=body))
    return answer


def answer_followers_notify(*, answer_id):
    """Tell the question's followers of a published answer, once (the first call inserts the announcement)."""
    with transaction.atomic():
        answer = Answer.objects.select_related("question", "author").filter(pk=answer_id).first()
        if answer is None or answer.status != ModerationStatus.PUBLISHED:
            return
        if not AnswerAnnouncement.objects.get_or_create(answer=answer)[1]:
            return
        question = answer.question
        _tell_followers(
            question,
            message=_("Nieuw antwoord op “%(title)s”") % {"title": question.title},
            url=answer.get_absolute_url(),
            template="knowledge/questions/email/new_answer.txt",
            context={"answer_body": answer.body},
            exclude=[answer.author],
        )


def _editable_answer(actor, answer) -> Answer:
    fresh = Answer.objects.select_for_update().filter(pk=getattr(answer, "pk", None)).first()
    if fresh is None or fresh.status not in (ModerationStatus.PUBLISHED, ModerationStatus.PENDING):
        raise CommunityError(_("Dit antwoord bestaat niet (meer)."))
    _readable_question(actor, fresh.question)
    if fresh.author_id != actor.pk and not is_editor(actor):
        raise CommunityError(_("Je kunt alleen je eigen antwoorden bewerken."))
    return fresh


@transaction.atomic
def answer_edit(*, actor, answer, body) -> Answer:
    """The earlier text is kept as an AnswerRevision. A watched member's edit waits for approval again."""
    _require_member(actor, _("Log in om je antwoord te bewerken."))
    answer = _editable_answer(actor, answer)
    body = clean_text(body, max_length=BODY_MAX, what=_("antwoord"))
    if body == answer.body:
        raise CommunityError(_("Je hebt niets veranderd aan het antwoord."))
    AnswerRevision.objects.create(
        answer=answer,
        body=answer.body,
        written_by_id=answer.edited_by_id or answer.author_id,
        written_at=answer.edited_at or answer.created_at,
    )
    answer.body, answer.edited_at, answer.edited_by = body, timezone.now(), actor
    fields = ["body", "edited_at", "edited_by", "updated_at"]
    if answer.status == ModerationStatus.PUBLISHED and not is_trusted(actor):
        answer.status = ModerationStatus.PENDING
        fields.append("status")
    answer.save(update_fields=fields)
    return answer


@transaction.atomic
def answer_accept(*, actor, question, answer) -> Answer:
    """The asker or an editor accepts one published answer of this question; it replaces an earlier one."""
    _require_member(actor, _("Log in om een antwoord te accepteren."))
    question = _readable_question(actor, question)
    if actor.pk != question.owner_id and not is_editor(actor):
        raise CommunityError(_("Alleen wie de vraag stelde of de redactie kan een antwoord accepteren."))
    if question.is_closed:
        raise CommunityError(_("Deze vraag is gesloten: er kan geen antwoord meer worden geaccepteerd."))
    # Lock every answer of the question, so two accepts at once cannot leave two accepted answers.
    answers = {a.pk: a for a in Answer.objects.select_for_update().filter(question=question)}
    chosen = answers.get(getattr(answer, "pk", None))
    if chosen is None:
        raise CommunityError(_("Dit antwoord hoort niet bij deze vraag."))
    if chosen.status != ModerationStatus.PUBLISHED:
        raise CommunityError(_("Alleen een gepubliceerd antwoord kun je accepteren."))
    if chosen.accepted_at is not None:
        raise CommunityError(_("Dit antwoord is al geaccepteerd."))
    for earlier in answers.values():
        if earlier.accepted_at is not None:
            earlier.accepted_at, earlier.accepted_by = None, None
            earlier.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    chosen.accepted_at, chosen.accepted_by = timezone.now(), actor
    chosen.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    url = chosen.get_absolute_url()
    message = _("Er is een antwoord geaccepteerd op “%(title)s”") % {"title": question.title}
    _tell_followers(
        question,
        message=message,
        url=url,
        template="knowledge/questions/email/answer_accepted.txt",
        context={"answer_body": chosen.body},
        exclude=[actor, chosen.author],
    )
    if chosen.author is not None and chosen.author_id != actor.pk:
        notify(
            recipient=chosen.author,
            message=_("Je antwoord op “%(title)s” is geaccepteerd") % {"title": question.title},
            url=url,
            mail_template="knowledge/questions/email/answer_accepted.txt",
            context={"answer_body": chosen.body, "question_title": question.title},
        )
    return chosen


@transaction.atomic
def answer_unaccept(*, actor, question, answer) -> Answer:
    _require_member(actor, _("Log in om een antwoord te accepteren."))
    question = _readable_question(actor, question)
    if actor.pk != question.owner_id and not is_editor(actor):
        raise CommunityError(_("Alleen wie de vraag stelde of de redactie kan een antwoord accepteren."))
    chosen = Answer.objects.select_for_update().filter(pk=getattr(answer, "pk", None), question=question).first()
    if chosen is None:
        raise CommunityError(_("Dit antwoord hoort niet bij deze vraag."))
    if chosen.accepted_at is None:
        raise CommunityError(_("Dit antwoord is niet geaccepteerd."))
    chosen.accepted_at, chosen.accepted_by = None, None
    chosen.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    return chosen


# Votes ------------------------------------------------------------------------------------------


def _votable_answer(actor, answer) -> Answer:
    fresh = Answer.objects.select_related("question").filter(pk=getattr(answer, "pk", None)).first()
    if fresh is None or not can_view(fresh.question, actor) or not fresh.question.live:
        raise CommunityError(_("Dit antwoord bestaat niet (meer)."))
    if fresh.status != ModerationStatus.PUBLISHED:
        raise CommunityError(_("Op dit antwoord kun je niet stemmen: het is niet (meer) zichtbaar."))
    return fresh


def answer_vote(*, actor, answer) -> bool:
    """One vote per member per answer, guarded by a unique constraint: a double click or two tabs at
    once store one vote. True when this call added the vote."""
    _require_member(actor, _("Log in om te stemmen."))
    answer = _votable_answer(actor, answer)
    if answer.author_id == actor.pk:
        raise CommunityError(_("Je kunt niet op je eigen antwoord stemmen."))
    try:
        with transaction.atomic():
            created = AnswerVote.objects.get_or_create(answer=answer, voter=actor)[1]
    except IntegrityError:
        created = False
    return created


def answer_vote_withdraw(*, actor, answer) -> bool:
    _require_member(actor, _("Log in om te stemmen."))
    deleted = AnswerVote.objects.filter(answer_id=getattr(answer, "pk", None), voter=actor).delete()[0] > 0
    return deleted


# Comments ---------------------------------------------------------------------------------------


@transaction.atomic
def comment_submit(*, actor, question, body, answer=None) -> Comment:
    """A comment on the question, or on one of its published answers (one level: no replies to comments)."""
    _require_member(actor, _("Log in om te reageren."))
    question = _open_question(actor, question)
    if answer is not None:
        answer = Answer.objects.filter(pk=getattr(answer, "pk", None)).first()
        if answer is None or answer.question_id != question.pk:
            raise CommunityError(_("Dit antwoord hoort niet bij deze vraag."))
        if answer.status != ModerationStatus.PUBLISHED:
            raise CommunityError(_("Bij dit antwoord kun je niet reageren: het is niet (meer) zichtbaar."))
    body = clean_text(body, max_length=COMMENT_MAX, what=_("reactie"))
    return item_submit(actor=actor, item=Comment(question=question, answer=answer, body=body))
