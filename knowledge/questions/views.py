"""Q&A actions: thin views that parse the form, call knowledge.questions.services and go back to the question.

Every action first checks that the reader may see the question (website.access): a question of a
werkgroep answers 404 to everyone else, on these addresses too. A refusal re-renders the question
with the message beside the field, keeping what the member typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.models import ModerationStatus
from community.services import CommunityError
from knowledge.questions import services
from knowledge.questions.forms import AnswerForm, AskForm, CloseForm, CommentForm
from knowledge.questions.models import Answer, Question, QuestionIndexPage
from website.access import can_view, is_editor


def _question_or_404(request, question_id) -> Question:
    try:
        question_id = int(question_id)
    except (TypeError, ValueError):
        raise Http404 from None
    question = Question.objects.live().filter(pk=question_id).first()
    if question is None or not can_view(question, request.user):
        raise Http404
    return question


def _answer_or_404(request, answer_id) -> Answer:
    answer = Answer.objects.filter(pk=answer_id).first()
    if answer is None:
        raise Http404
    _question_or_404(request, answer.question_id)
    return answer


def _back(question, anchor=""):
    return redirect(question.url + (f"#{anchor}" if anchor else ""))


def _question_page(request, question, *, status=400, **overrides):
    # A refused comment is drawn inside the answers' HTML, which the selector builds; it needs it up front.
    thread = {key: overrides[key] for key in ("comment_form", "comment_target") if key in overrides}
    context = question.get_context(request, **thread)
    context.update(overrides)
    return TemplateResponse(request, question.get_template(request), context, status=status)


@require_POST
@login_required
def answer_create(request, question_id):
    question = _question_or_404(request, question_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _question_page(request, question, answer_form=form)
    try:
        answer = services.answer_submit(actor=request.user, question=question, body=form.cleaned_data["body"])
    except CommunityError as error:
        form.add_error("body", error.message)
        return _question_page(request, question, answer_form=form)
    if answer.status == ModerationStatus.PENDING:
        messages.success(
            request,
            _("Dank je! Je antwoord wacht op goedkeuring door de redactie; tot dan zie alleen jij het."),
        )
    else:
        messages.success(request, _("Je antwoord is geplaatst."))
    return _back(question, f"antwoord-{answer.pk}")


@require_POST
@login_required
def comment_create(request, question_id):
    question = _question_or_404(request, question_id)
    form = CommentForm(request.POST)
    form.is_valid()
    target = None
    # Also for a refused text: the answer it was meant for, so the message shows beside that answer's form.
    if form.cleaned_data.get("answer"):
        target = Answer.objects.filter(pk=form.cleaned_data["answer"]).first()
        if target is None:
            form.add_error("body", _("Dit antwoord hoort niet bij deze vraag."))
    if not form.errors:
        try:
            comment = services.comment_submit(
                actor=request.user, question=question, answer=target, body=form.cleaned_data["body"]
            )
        except CommunityError as error:
            form.add_error("body", error.message)
    if form.errors:
        # The error shows beside the form it came from; an answer not on this page means the question's form.
        on_this_page = target is not None and target.question_id == question.pk
        return _question_page(request, question, comment_form=form, comment_target=target.pk if on_this_page else "")
    if comment.status == ModerationStatus.PENDING:
        messages.success(request, _("Dank je! Je reactie wacht op goedkeuring door de redactie."))
    else:
        messages.success(request, _("Je reactie is geplaatst."))
    return _back(question, f"reactie-{comment.pk}")


@require_POST
@login_required
def answer_vote(request, answer_id):
    answer = _answer_or_404(request, answer_id)
    withdraw = request.POST.get("actie") == "intrekken"
    try:
        if withdraw:
            services.answer_vote_withdraw(actor=request.user, answer=answer)
            messages.success(request, _("Je stem is ingetrokken."))
        else:
            services.answer_vote(actor=request.user, answer=answer)
            messages.success(request, _("Je stem is geteld."))
    except CommunityError as error:
        messages.error(request, error.message)
    return _back(answer.question, f"antwoord-{answer.pk}")


@require_POST
@login_required
def answer_accept(request, answer_id):
    answer = _answer_or_404(request, answer_id)
    question = _question_or_404(request, request.POST.get("vraag") or answer.question_id)
    try:
        if request.POST.get("actie") == "intrekken":
            services.answer_unaccept(actor=request.user, question=question, answer=answer)
            messages.success(request, _("Het antwoord is niet langer geaccepteerd."))
        else:
            services.answer_accept(actor=request.user, question=question, answer=answer)
            messages.success(request, _("Je hebt dit antwoord geaccepteerd. Het staat nu bovenaan."))
    except CommunityError as error:
        messages.error(request, error.message)
    return _back(question, f"antwoord-{answer.pk}")


@login_required
def answer_edit(request, answer_id):
    answer = _answer_or_404(request, answer_id)
    question = answer.question
    if answer.author_id != request.user.pk and not is_editor(request.user):
        raise Http404
    form = AnswerForm(request.POST or None, initial={"body": answer.body})
    if request.method == "POST" and form.is_valid():
        try:
            answer = services.answer_edit(actor=request.user, answer=answer, body=form.cleaned_data["body"])
        except CommunityError as error:
            form.add_error("body", error.message)
        else:
            if answer.status == ModerationStatus.PENDING:
                messages.success(request, _("Je wijziging is opgeslagen en wacht op goedkeuring door de redactie."))
            else:
                messages.success(request, _("Je wijziging is opgeslagen. De eerdere versie blijft te zien."))
            return _back(question, f"antwoord-{answer.pk}")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "knowledge/questions/answer_edit.html",
        {"form": form, "answer": answer, "page": question},
        status=status,
    )


@require_POST
@login_required
def question_follow(request, question_id):
    question = _question_or_404(request, question_id)
    try:
        if request.POST.get("actie") == "ontvolgen":
            services.question_unfollow(actor=request.user, question=question)
            messages.success(request, _("Je volgt deze vraag niet meer."))
        else:
            services.question_follow(actor=request.user, question=question)
            messages.success(request, _("Je volgt deze vraag. Je krijgt bericht van nieuwe antwoorden."))
    except CommunityError as error:
        messages.error(request, error.message)
    return _back(question)


@require_POST
@login_required
def question_close(request, question_id):
    question = _question_or_404(request, question_id)
    if not is_editor(request.user):
        raise Http404
    try:
        if request.POST.get("actie") == "heropenen":
            services.question_reopen(actor=request.user, question=question)
            messages.success(request, _("De vraag is weer open."))
        else:
            form = CloseForm(request.POST)
            if not form.is_valid():
                return _question_page(request, question, close_form=form)
            services.question_close(actor=request.user, question=question, **form.cleaned_data)
            messages.success(request, _("De vraag is gesloten."))
    except CommunityError as error:
        messages.error(request, error.message)
    return _back(question)


@login_required
def question_ask(request):
    index = QuestionIndexPage.objects.live().first()
    if index is None:
        raise Http404
    form = AskForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question = services.question_ask(
                actor=request.user,
                index=index,
                title=data["title"],
                body=data["body"],
                themes=list(data["themes"]),
                tags=data["tags"],
                group=data["group"],
                token=data["token"] or None,
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            if question.live:
                messages.success(request, _("Je vraag staat online. Je krijgt bericht van nieuwe antwoorden."))
                return redirect(question.url)
            messages.success(
                request,
                _("Dank je! Je vraag wacht op goedkeuring door de redactie. Je krijgt bericht zodra hij online staat."),
            )
            return redirect(index.url)
    status = 400 if request.method == "POST" else 200
    return render(request, "knowledge/questions/ask.html", {"form": form, "page": index}, status=status)
