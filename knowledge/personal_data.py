"""What the Kennisbank holds about a member, in their data export (community.services.privacy)."""

from community.mail import absolute_url
from community.services.privacy import register_personal_data
from knowledge.dilemmas.models import DilemmaChoice, DilemmaReaction
from knowledge.questions.models import Answer, AnswerVote, Comment, QuestionFollow


def _when(value):
    return value.isoformat() if value else None


def _page_url(page):
    return absolute_url(page.url) if page is not None and page.live and page.url else None


@register_personal_data("keuzes_bij_dilemmas")
def dilemma_choices(user):
    return [
        {"dilemma": choice.dilemma.title, "keuze": choice.option.title, "gekozen_op": _when(choice.updated_at)}
        for choice in DilemmaChoice.objects.filter(user=user).select_related("dilemma", "option").order_by("pk")
    ]


@register_personal_data("reacties_op_dilemmas")
def dilemma_reactions(user):
    return [
        {
            "dilemma": reaction.dilemma.title,
            "reactie": reaction.body,
            "status": reaction.get_status_display(),
            "geplaatst_op": _when(reaction.created_at),
        }
        for reaction in DilemmaReaction.objects.filter(author=user).select_related("dilemma").order_by("pk")
    ]


@register_personal_data("antwoorden")
def answers(user):
    return [
        {
            "vraag": answer.question.title,
            "adres": _page_url(answer.question),
            "antwoord": answer.body,
            "status": answer.get_status_display(),
            "geplaatst_op": _when(answer.created_at),
            "geaccepteerd_op": _when(answer.accepted_at),
        }
        for answer in Answer.objects.filter(author=user).select_related("question").order_by("pk")
    ]


@register_personal_data("reacties_bij_vragen")
def comments(user):
    return [
        {
            "vraag": comment.question.title,
            "reactie": comment.body,
            "status": comment.get_status_display(),
            "geplaatst_op": _when(comment.created_at),
        }
        for comment in Comment.objects.filter(author=user).select_related("question").order_by("pk")
    ]


@register_personal_data("stemmen_op_antwoorden")
def votes(user):
    return [
        {"vraag": vote.answer.question.title, "gestemd_op": _when(vote.created_at)}
        for vote in AnswerVote.objects.filter(voter=user).select_related("answer__question").order_by("pk")
    ]


@register_personal_data("gevolgde_vragen")
def follows(user):
    return [
        {"vraag": follow.question.title, "adres": _page_url(follow.question), "sinds": _when(follow.created_at)}
        for follow in QuestionFollow.objects.filter(user=user).select_related("question").order_by("pk")
    ]
