"""Telling members what happened: a line in their notification list, and an e-mail beside it."""

from community.mail import absolute_url, send_templated
from community.models import Notification


def notify(*, recipient, message, url: str = "", mail_subject=None, mail_template=None, context=None):
    """Add `message` to `recipient`'s notifications and, with a template, mail it after commit.

    The mail template is plain text and gets `message`, `url` (absolute) and `context`.
    """
    if recipient is None or not recipient.is_active:
        return None
    notification = Notification.objects.create(recipient=recipient, message=str(message)[:300], url=url)
    if mail_template and recipient.email:
        send_templated(
            to=[recipient.email],
            subject=str(mail_subject or message),
            template=mail_template,
            context={
                **(context or {}),
                "message": message,
                "url": absolute_url(url) if url else "",
                "recipient": recipient,
            },
        )
    return notification


def notifications_mark_read(*, actor, ids=None):
    from django.utils import timezone

    queryset = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.update(read_at=timezone.now())
