"""A member's data export lists what they did in dilemmas and Q&A, and nothing of other members."""

from community.services.privacy import personal_data_export
from knowledge.dilemmas.models import DilemmaChoice, DilemmaReaction
from knowledge.questions.models import AnswerVote, QuestionFollow
from tests import factories


def test_export_holds_choices_reactions_answers_comments_votes_and_follows(tree):
    member = factories.UserFactory(username="exporteur")
    other = factories.UserFactory(username="ander")
    case = factories.dilemma(factories.dilemma_index(tree["home"]), title="Camerabeelden delen")
    option = case.options.first()
    DilemmaChoice.objects.create(dilemma=case, option=option, user=member)
    DilemmaReaction.objects.create(dilemma=case, author=member, body="Ik zou eerst de betrokkenen vragen.")
    DilemmaReaction.objects.create(dilemma=case, author=other, body="Niet van de exporteur.")
    question = factories.question(factories.question_index(tree["home"]), title="Wie lakt bij jullie?", asker=other)
    mine = factories.answer(question, author=member, body="Bij ons doet de juridische afdeling dat.")
    theirs = factories.answer(question, author=other, body="Wij besteden het uit.")
    factories.comment(question, author=member, answer=theirs, body="Hoe duur is dat?")
    AnswerVote.objects.create(answer=theirs, voter=member)
    QuestionFollow.objects.create(question=question, user=member)

    data = personal_data_export(actor=member, user=member)

    assert data["keuzes_bij_dilemmas"] == [
        {
            "dilemma": "Camerabeelden delen",
            "keuze": option.title,
            "gekozen_op": data["keuzes_bij_dilemmas"][0]["gekozen_op"],
        }
    ]
    assert [r["reactie"] for r in data["reacties_op_dilemmas"]] == ["Ik zou eerst de betrokkenen vragen."]
    assert [a["antwoord"] for a in data["antwoorden"]] == [mine.body]
    assert [c["reactie"] for c in data["reacties_bij_vragen"]] == ["Hoe duur is dat?"]
    assert [v["vraag"] for v in data["stemmen_op_antwoorden"]] == ["Wie lakt bij jullie?"]
    assert [f["vraag"] for f in data["gevolgde_vragen"]] == ["Wie lakt bij jullie?"]
    assert "Wij besteden het uit." not in str(data)
