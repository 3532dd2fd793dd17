"""Questions join the contributions mechanism (community.contributions): a watched member's question is
a draft in the "Redactie" workflow with a Contribution row, so it shows under "Mijn bijdragen", editors
approve or reject it in the admin, and the member hears of the decision.

Imported at start-up by knowledge/questions/urls.py, which registers the form.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from community.contributions import registry
from community.contributions.forms import ContributionForm
from community.services import CommunityError
from knowledge.models import PageTheme
from knowledge.questions.models import BODY_MAX, TITLE_MAX, Question, QuestionIndexPage


class QuestionContributionForm(ContributionForm):
    """A question as a proposal: title and plain-text body (the summary is its first paragraph)."""

    page_class = Question
    text_fields = ("title", "summary", "body")
    stream_fields = ()

    body = forms.CharField(
        label=_("Toelichting"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Gewone tekst; een witregel begint een nieuwe alinea."),
    )
    field_order = ["title", "body", "themes", "tags", "group", "edit_summary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("block_count", None)
        self.fields["summary"].required = False
        self.fields["summary"].widget = forms.HiddenInput()

    def _plain(self, name, max_length, what):
        from knowledge.questions.services import clean_text

        try:
            return clean_text(self.cleaned_data.get(name), max_length=max_length, what=str(what))
        except CommunityError as error:
            raise forms.ValidationError(error.message) from None

    def clean_title(self):
        return self._plain("title", TITLE_MAX, _("titel"))

    def clean_body(self):
        return self._plain("body", BODY_MAX, _("toelichting"))

    def clean(self):
        from knowledge.questions.services import question_summary

        cleaned = super().clean()
        if cleaned.get("body"):
            cleaned["summary"] = question_summary(cleaned["body"])
        return cleaned

    def is_valid(self):
        """The fields only: a question has no blocks (ContributionForm.is_valid wants them)."""
        return forms.Form.is_valid(self)

    @classmethod
    def content_of(cls, page) -> dict:
        from knowledge.merge import page_content

        content = page_content(page, stream_fields=[])
        content["body"] = page.body
        return content

    @classmethod
    def initial_for(cls, content) -> dict:
        initial = super().initial_for(content)
        initial["body"] = content.get("body", "")
        return initial

    @classmethod
    def apply(cls, page, content):
        from knowledge.questions.services import question_summary

        page.title, page.body = content["title"], content["body"]
        page.summary = content.get("summary") or question_summary(content["body"])
        page.theme_links.set(
            [PageTheme(theme_id=theme_id, sort_order=order) for order, theme_id in enumerate(content["themes"])]
        )
        page.tags.set(content["tags"])

    def content(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "summary": data["summary"],
            "body": data["body"],
            "themes": [theme.pk for theme in data["themes"]],
            "tags": data["tags"],
        }


def _question_index():
    return QuestionIndexPage.objects.first()


QUESTION = registry.register(
    registry.ContributionType(
        key="vraag",
        page_class=Question,
        form_class=QuestionContributionForm,
        parent=_question_index,
        label=_("vraag"),
        new_label=_("Stel een vraag"),
        preview_template="knowledge/questions/preview.html",
        extra={"form_template": "knowledge/questions/contribution_form.html"},
    )
)
