"""Receivers only schedule work that knowledge.questions.services defines.

Answers and comments change status along several paths (a trusted member posts, an editor approves
or hides, reports hide automatically), so the follow-up hangs on the save itself: the question's
search document is refreshed, and followers hear of a newly published answer once.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from community.models import ModerationStatus
from knowledge.questions.models import Answer, AnswerAnnouncement, Comment


def _question_changed(question_id):
    from django.contrib.contenttypes.models import ContentType

    from knowledge.questions.models import Question
    from search.indexing import schedule_sync

    schedule_sync(Question(pk=question_id, content_type=ContentType.objects.get_for_model(Question)))


@receiver(post_save, sender=Answer, dispatch_uid="questions_answer_saved")
def _answer_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    _question_changed(instance.question_id)
    if (
        instance.status == ModerationStatus.PUBLISHED
        and not AnswerAnnouncement.objects.filter(answer=instance).exists()
    ):
        answer_id = instance.pk
        transaction.on_commit(lambda: _enqueue_followers_notify(answer_id))


def _enqueue_followers_notify(answer_id):
    from knowledge.questions.tasks import notify_followers_of_answer

    notify_followers_of_answer.enqueue(answer_id=answer_id)


@receiver(post_save, sender=Comment, dispatch_uid="questions_comment_saved")
@receiver(post_delete, sender=Comment, dispatch_uid="questions_comment_deleted")
@receiver(post_delete, sender=Answer, dispatch_uid="questions_answer_deleted")
def _item_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _question_changed(instance.question_id)
