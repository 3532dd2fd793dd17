from django.core.mail import EmailMessage
from django_tasks import task


@task()
def send_email(*, to, subject, body, reply_to=None):
    """Delivery happens in the worker, so a slow or failing mail server never blocks a request."""
    EmailMessage(subject=subject, body=body, to=to, reply_to=reply_to or None).send()
