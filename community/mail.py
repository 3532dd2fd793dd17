"""Outgoing e-mail: rendered from templates in the recipient's language, sent after the write commits."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from community.tasks import send_email


def absolute_url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_templated(*, to: list[str], subject: str, template: str, context: dict, reply_to=None, language="nl"):
    """Render `template` (plain text) and schedule it for delivery once the transaction commits."""
    with translation.override(language):
        body = render_to_string(template, {**context, "site_url": absolute_url("")})
        subject = f"[Alliantie Open Overheid] {subject}"
    transaction.on_commit(lambda: send_email.enqueue(to=list(to), subject=str(subject), body=body, reply_to=reply_to))
