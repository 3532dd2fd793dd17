from django_tasks import task


@task()
def notify_followers_of_answer(*, answer_id: int):
    from knowledge.questions.services import answer_followers_notify

    answer_followers_notify(answer_id=answer_id)
