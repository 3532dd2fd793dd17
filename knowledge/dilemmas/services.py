"""Writes for dilemmas: a member's choice ("Wat zou jij doen?") and reactions.

Choices are one row per member per dilemma, written with one INSERT ... ON CONFLICT, so many members
choosing at once, or one member pressing the button twice, never makes two rows or loses one. The
distribution is counted from those rows on every read.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from community.services import CommunityError
from community.services.moderation import item_submit
from knowledge.dilemmas.models import REACTION_MAX, Dilemma, DilemmaChoice, DilemmaOption, DilemmaReaction
from website.access import can_view

REACTION_MIN = 20


def _require_member(actor, message):
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise CommunityError(message)


def _require_readable(actor, dilemma):
    if not can_view(dilemma, actor):
        raise CommunityError(_("Dit dilemma bestaat niet of je mag het niet lezen."))


def choice_make(*, actor, dilemma: Dilemma, option_id) -> DilemmaChoice:
    """Record (or change) `actor`'s choice; an option of another dilemma is refused."""
    _require_member(actor, _("Log in om te kiezen wat jij zou doen."))
    _require_readable(actor, dilemma)
    try:
        option_id = int(option_id)
    except (TypeError, ValueError):
        raise CommunityError(_("Kies een van de opties.")) from None
    if not DilemmaOption.objects.filter(pk=option_id, page_id=dilemma.pk).exists():
        raise CommunityError(_("Die optie hoort niet bij dit dilemma. Kies een van de opties hieronder."))
    now = timezone.now()
    DilemmaChoice.objects.bulk_create(
        [DilemmaChoice(dilemma_id=dilemma.pk, option_id=option_id, user=actor, created_at=now, updated_at=now)],
        update_conflicts=True,
        unique_fields=["dilemma", "user"],
        update_fields=["option", "updated_at"],
    )
    return DilemmaChoice.objects.get(dilemma_id=dilemma.pk, user=actor)


def choice_withdraw(*, actor, dilemma: Dilemma) -> bool:
    _require_member(actor, _("Log in om je keuze in te trekken."))
    deleted, _rows = DilemmaChoice.objects.filter(dilemma_id=dilemma.pk, user=actor).delete()
    return bool(deleted)


@dataclass
class OptionShare:
    option: DilemmaOption
    count: int
    percentage: int


@dataclass
class Distribution:
    total: int
    shares: list[OptionShare]


def distribution(dilemma: Dilemma, options=None) -> Distribution:
    """How many members chose each option, counted from the rows in one query.

    Percentages are rounded so that they add up to 100 (largest remainder), which a reader checks.
    """
    options = list(options if options is not None else dilemma.options.all())
    counts = dict(
        DilemmaChoice.objects.filter(dilemma_id=dilemma.pk).values_list("option_id").annotate(n=Count("pk")).order_by()
    )
    total = sum(counts.get(option.pk, 0) for option in options)
    shares = [OptionShare(option, counts.get(option.pk, 0), 0) for option in options]
    if total:
        exact = [share.count * 100 / total for share in shares]
        floors = [int(value) for value in exact]
        leftover = 100 - sum(floors)
        by_remainder = sorted(range(len(shares)), key=lambda i: exact[i] - floors[i], reverse=True)
        for i in by_remainder[:leftover]:
            floors[i] += 1
        for share, percentage in zip(shares, floors, strict=True):
            share.percentage = percentage
    return Distribution(total=total, shares=shares)


def clean_reaction_text(body: str) -> str:
    """Plain text only: markup is removed here and the template escapes what is left."""
    text = strip_tags(body or "").replace("\r\n", "\n").strip()
    return "\n".join(line.rstrip() for line in text.split("\n"))


@transaction.atomic
def reaction_add(*, actor, dilemma: Dilemma, body: str) -> DilemmaReaction:
    """A member's reasoned reaction: at once for trusted members, after an editor's approval otherwise."""
    _require_member(actor, _("Log in om te reageren."))
    _require_readable(actor, dilemma)
    text = clean_reaction_text(body)
    if len(text) < REACTION_MIN:
        raise CommunityError(
            _("Licht je reactie toe in minstens %(min)d tekens, zodat anderen je afweging begrijpen.")
            % {"min": REACTION_MIN}
        )
    if len(text) > REACTION_MAX:
        raise CommunityError(
            _("Je reactie is te lang: hoogstens %(max)d tekens, het zijn er nu %(length)d.")
            % {"max": REACTION_MAX, "length": len(text)}
        )
    # Pressing "Plaats reactie" twice sends two requests; the second waits here and finds the first.
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
    duplicate = DilemmaReaction.objects.filter(dilemma_id=dilemma.pk, author=actor, body=text).exclude(
        status="withdrawn"
    )
    if duplicate.exists():
        raise CommunityError(_("Deze reactie heb je al geplaatst."))
    return item_submit(actor=actor, item=DilemmaReaction(dilemma=dilemma, body=text))
