"""The answers and comments of a question page as HTML, in one pass in Python.

A busy question has a hundred answers and hundreds of comments. Rendering each through template
includes (with per-item URL reversing, date filters, translations, name lookups and permission
checks) took most of the page's time: about 9,000 template nodes per request. Here the per-request
work is done once (URL patterns, month names, translated labels, each person's public name, who may
do what) and each item is one `format_html` call, so it runs several times faster. The markup is the
same as the templates had (question_page.html places the result); `format_html` escapes every
value, member text is escaped by knowledge.questions.text, and translated phrases take their values
escaped, as `{% blocktranslate %}` does.
"""

import html

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dates import MONTHS
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from community.models import ModerationStatus
from community.moderation.services import is_reportable
from community.services.profiles import public_name
from knowledge.questions import text
from knowledge.questions.models import Answer, Comment

# A number no id reaches: reversed once, then replaced by each item's id.
_SENTINEL = 987_654_321_987


class UrlPattern:
    """`reverse(name, kwargs={..., key: pk})` for many pks at the cost of one reverse."""

    def __init__(self, name, key, **kwargs):
        url = reverse(name, kwargs={**kwargs, key: _SENTINEL})
        self.prefix, sentinel, self.suffix = url.partition(str(_SENTINEL))
        if not sentinel or str(_SENTINEL) in self.suffix:
            raise ValueError(f"{name}: cannot place {key} in {url}")

    def __call__(self, pk) -> str:
        return f"{self.prefix}{int(pk)}{self.suffix}"


class Dates:
    """The template's `date` filter for the three formats this page uses, with the month names and the
    time zone looked up once per request (the active language and time zone, as the filter uses)."""

    def __init__(self):
        self.months = {number: str(name) for number, name in MONTHS.items()}
        self.zone = timezone.get_current_timezone()

    def local(self, value):
        return value.astimezone(self.zone) if timezone.is_aware(value) else value

    def iso(self, value) -> str:  # date:"c"
        return self.local(value).isoformat() if value else ""

    def day(self, value) -> str:  # date:"j F Y"
        if not value:
            return ""
        value = self.local(value)
        return f"{value.day} {self.months[value.month]} {value.year:04d}"

    def moment(self, value) -> str:  # date:"j F Y, H:i"
        if not value:
            return ""
        value = self.local(value)
        return f"{value.day} {self.months[value.month]} {value.year:04d}, {value.hour:02d}:{value.minute:02d}"


def _phrase(template: str, **values) -> str:
    """A translated phrase with values filled in, as `{% blocktranslate %}` renders it: the values escaped."""
    return mark_safe(template % {key: conditional_escape(value) for key, value in values.items()})  # noqa: S308


class Names:
    """public_name() once per person on the page."""

    def __init__(self):
        self.known = {}

    def __call__(self, user) -> str:
        key = getattr(user, "pk", None)
        if key is None:
            return public_name(user)
        if key not in self.known:
            self.known[key] = public_name(user)
        return self.known[key]


def _counted(singular, plural, count, cache) -> str:
    """`{% blocktranslate count counter=count %}` for a number, remembered per distinct number."""
    if count not in cache:
        cache[count] = ngettext(singular, plural, count) % {"counter": formats.localize(count)}
    return cache[count]


def _escape(value) -> str:
    """django.utils.html.conditional_escape, without its lazy-string wrapper (this runs thousands of times)."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def format_html(template: str, *args, **kwargs) -> str:
    """django.utils.html.format_html with the cheaper `_escape`: every value escaped unless marked safe."""
    return SafeString(template.format(*map(_escape, args), **{key: _escape(value) for key, value in kwargs.items()}))


def _join(parts) -> str:
    return SafeString("".join(_escape(part) for part in parts if part))


class Labels:
    """The page's fixed texts, translated once per request."""

    def __init__(self):
        self.accepted = gettext("Geaccepteerd antwoord")
        self.status = {
            ModerationStatus.PENDING: gettext(
                "Wacht op goedkeuring door de redactie; alleen jij en de redactie zien dit."
            ),
            ModerationStatus.HIDDEN: gettext("Verborgen (alleen de redactie ziet dit)"),
            ModerationStatus.REJECTED: gettext("Afgewezen (alleen de redactie ziet dit)"),
        }
        self.comment_status = {
            ModerationStatus.PENDING: gettext("wacht op goedkeuring"),
            ModerationStatus.HIDDEN: gettext("verborgen"),
        }
        self.answer_by = gettext("Antwoord van %(name)s")
        self.edited = gettext("bewerkt op %(date)s door %(name)s")
        self.version_of = gettext("Versie van %(date)s, door %(name)s")
        self.vote = gettext("Stem voor dit antwoord")
        self.vote_withdraw = gettext("Trek je stem in")
        self.withdraw_for = gettext("voor het antwoord van %(name)s")
        self.of_name = gettext("van %(name)s")
        self.accept = gettext("Accepteer dit antwoord")
        self.unaccept = gettext("Niet meer accepteren")
        self.edit = gettext("Bewerk")
        self.edit_hint = gettext("dit antwoord")
        self.report = gettext("Melden")
        self.report_hint = gettext("aan de redactie: hier klopt iets niet")
        self.comments_answer = gettext("Reacties bij dit antwoord")
        self.comments_question = gettext("Reacties bij de vraag")
        self.comment_on_answer = gettext("Reageer op dit antwoord")
        self.comment_on_question = gettext("Reageer op de vraag")
        self.comment_field = gettext("Je reactie")
        self.comment_help = gettext("Een korte reactie, hoogstens 600 tekens.")
        self.comment_submit = gettext("Plaats je reactie")


class Thread:
    """Renders one reader's view of a question's answers and comments (answers as from
    selectors.answers_for, with `vote_count`, `comment_list` and `revision_list`).

    user: the reader; voted: ids of the answers they voted for; may_accept: they asked the question
    or are an editor; editor: website.access.is_editor(user); csrf_input: the hidden CSRF field
    (members only); comment_form/comment_target: a refused comment to show again beside its form
    (target "" for the question, else the answer's id)."""

    def __init__(self, *, question, user, voted, may_accept, editor, csrf_input, comment_form=None, comment_target=""):
        self.question, self.user, self.voted, self.editor = question, user, voted, editor
        self.member = bool(user.is_authenticated)
        self.accepting = may_accept and not question.is_closed
        self.csrf_input = csrf_input
        self.comment_form = comment_form if comment_form is not None and comment_form.errors else None
        self.comment_target = str(comment_target)
        self.dates, self.names, self.labels = Dates(), Names(), Labels()
        self.votes_text, self.history_text = {}, {}
        self.vote_url = UrlPattern("knowledge:answer_vote", "answer_id")
        self.accept_url = UrlPattern("knowledge:answer_accept", "answer_id")
        self.edit_url = UrlPattern("knowledge:answer_edit", "answer_id")
        self.comment_url = reverse("knowledge:comment_create", kwargs={"question_id": question.pk})
        self.report_urls = {}
        if self.member:
            for model in (Answer, Comment):
                content_type = ContentType.objects.get_for_model(model)  # as moderation's target_content_type
                self.report_urls[model] = UrlPattern("community:report", "object_id", content_type_id=content_type.pk)

    # Pieces -------------------------------------------------------------------------------------

    def report_link(self, item) -> str:
        """community/moderation/report_button.html for an answer or comment, with its tag's rule:
        members only, published items, never their own."""
        pattern = self.report_urls.get(type(item))
        if pattern is None or item.status != ModerationStatus.PUBLISHED or item.author_id == self.user.pk:
            return ""
        if not is_reportable(item):
            return ""
        return format_html(
            '\n<p class="report-link"><a href="{}" rel="nofollow">{}<span class="visually-hidden"> {}</span></a></p>',
            pattern(item.pk),
            self.labels.report,
            self.labels.report_hint,
        )

    def comment(self, comment) -> str:
        status = self.labels.comment_status.get(comment.status)
        return format_html(
            '<li id="reactie-{}"><span lang="nl">{}</span>\n'
            '<span class="card__meta">— {}, <time datetime="{}">{}</time>{}</span>{}\n</li>\n',
            comment.pk,
            text.line(comment.body),
            self.names(comment.author),
            self.dates.iso(comment.created_at),
            self.dates.day(comment.created_at),
            format_html(" · <strong>{}</strong>", status) if status else "",
            self.report_link(comment),
        )

    def comment_form_html(self, target) -> str:
        labels = self.labels
        field_id = f"reactie-veld-{target or 'vraag'}"
        form = self.comment_form if self.comment_form is not None and self.comment_target == str(target) else None
        if form is None:
            field = format_html(
                '<label for="{id}">{label}</label>\n'
                '<textarea id="{id}" name="body" rows="3" aria-describedby="{id}-hulp"></textarea>\n',
                id=field_id,
                label=labels.comment_field,
            )
        else:
            field = format_html(
                '<label for="{id}">{label}</label>\n<p class="field-error" id="{id}-fout">{errors}</p>\n'
                '<textarea id="{id}" name="body" rows="3" aria-invalid="true" aria-describedby="{id}-fout {id}-hulp">'
                "{body}</textarea>\n",
                id=field_id,
                label=labels.comment_field,
                errors=_join(format_html("{} ", error) for error in form["body"].errors),
                body=form.data.get("body", ""),
            )
        return format_html(
            '<details class="comments__form"{open}>\n<summary>{summary}</summary>\n'
            '<form method="post" action="{action}" novalidate>\n{csrf}\n'
            '<input type="hidden" name="answer" value="{target}">\n'
            '<div class="field">\n{field}<p class="helptext" id="{id}-hulp">{help}</p>\n</div>\n'
            '<button type="submit" class="button--secondary">{submit}</button>\n</form>\n</details>\n',
            open=mark_safe(" open") if form is not None else "",
            summary=labels.comment_on_answer if target else labels.comment_on_question,
            action=self.comment_url,
            csrf=self.csrf_input,
            target=target,
            field=field,
            id=field_id,
            help=labels.comment_help,
            submit=labels.comment_submit,
        )

    def comments(self, comments, target="") -> str:
        """The comments on the question (target "") or on one answer (target its id), and the form to add one."""
        items = _join(self.comment(comment) for comment in comments)
        form = self.comment_form_html(target) if self.member and not self.question.is_closed else ""
        return format_html(
            '<section class="comments" aria-label="{}">\n{}{}</section>\n',
            self.labels.comments_answer if target else self.labels.comments_question,
            format_html('<ul class="comments__list">\n{}</ul>\n', items) if items else "",
            form,
        )

    def history(self, answer) -> str:
        revisions = answer.revision_list
        if not revisions:
            return ""
        dates, names, labels = self.dates, self.names, self.labels
        count = len(revisions)
        if count not in self.history_text:
            self.history_text[count] = _counted("%(counter)s eerdere versie", "%(counter)s eerdere versies", count, {})
        items = _join(
            format_html(
                '<li><p class="card__meta">{}</p>\n<div lang="nl">{}</div></li>\n',
                _phrase(labels.version_of, date=dates.moment(revision.written_at), name=names(revision.written_by)),
                text.paragraphs(revision.body),
            )
            for revision in revisions
        )
        summary = _phrase(
            labels.edited, date=dates.moment(answer.edited_at), name=names(answer.edited_by or answer.author)
        )
        return format_html(
            '<details class="answer__history">\n<summary>{} — {}</summary>\n<ol>\n{}</ol>\n</details>\n',
            summary,
            self.history_text[count],
            items,
        )

    def actions(self, answer, name) -> str:
        labels, member = self.labels, self.member
        published = answer.status == ModerationStatus.PUBLISHED
        own = member and answer.author_id == self.user.pk
        parts = []
        if member and published and not own:
            voted = answer.pk in self.voted
            parts.append(
                format_html(
                    '<form method="post" action="{}">\n{}\n{}<button type="submit" class="button--secondary">'
                    '{}<span class="visually-hidden"> {}</span></button>\n</form>\n',
                    self.vote_url(answer.pk),
                    self.csrf_input,
                    mark_safe('<input type="hidden" name="actie" value="intrekken">\n') if voted else "",
                    labels.vote_withdraw if voted else labels.vote,
                    _phrase(labels.withdraw_for if voted else labels.of_name, name=name),
                )
            )
        if member and published and self.accepting:
            if answer.accepted_at:
                button = format_html(
                    '<input type="hidden" name="actie" value="intrekken">\n'
                    '<button type="submit" class="button--secondary">{}</button>\n',
                    labels.unaccept,
                )
            else:
                button = format_html(
                    '<button type="submit">{}<span class="visually-hidden"> {}</span></button>\n',
                    labels.accept,
                    _phrase(labels.of_name, name=name),
                )
            parts.append(
                format_html(
                    '<form method="post" action="{}">\n{}\n<input type="hidden" name="vraag" value="{}">\n{}</form>\n',
                    self.accept_url(answer.pk),
                    self.csrf_input,
                    self.question.pk,
                    button,
                )
            )
        if (own and answer.status != ModerationStatus.HIDDEN) or self.editor:
            parts.append(
                format_html(
                    '<p><a href="{}">{}<span class="visually-hidden"> {}</span></a></p>\n',
                    self.edit_url(answer.pk),
                    labels.edit,
                    labels.edit_hint,
                )
            )
        parts.append(self.report_link(answer))
        return _join(parts)

    # The whole answer ----------------------------------------------------------------------------

    def answer(self, answer) -> str:
        name = self.names(answer.author)
        count = answer.vote_count
        if count not in self.votes_text:
            self.votes_text[count] = _counted("%(counter)s stem", "%(counter)s stemmen", count, {})
        status = self.labels.status.get(answer.status)
        return format_html(
            '<article class="answer{accepted}" id="antwoord-{pk}" aria-labelledby="antwoord-{pk}-kop">\n'
            '<h3 id="antwoord-{pk}-kop" class="answer__heading">\n{badge}{heading}\n</h3>\n'
            '<p class="card__meta">\n<time datetime="{iso}">{moment}</time>{status}\n</p>\n'
            '<div class="answer__body" lang="nl">{body}</div>\n{history}'
            '<div class="answer__actions">\n<p class="answer__votes"><strong>{votes}</strong></p>\n{actions}\n</div>\n'
            "{comments}</article>\n",
            accepted=mark_safe(" answer--accepted") if answer.accepted_at else "",
            pk=answer.pk,
            badge=format_html('<span class="q-state q-state--answered">✓ {}</span>\n', self.labels.accepted)
            if answer.accepted_at
            else "",
            heading=_phrase(self.labels.answer_by, name=name),
            iso=self.dates.iso(answer.created_at),
            moment=self.dates.moment(answer.created_at),
            status=format_html("\n· <strong>{}</strong>", status) if status else "",
            body=text.paragraphs(answer.body),
            history=self.history(answer),
            votes=self.votes_text[count],
            actions=self.actions(answer, name),
            comments=self.comments(answer.comment_list, answer.pk),
        )
