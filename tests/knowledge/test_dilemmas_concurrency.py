"""Choices and reactions stay exact when many requests arrive at once (real threads, real PostgreSQL)."""

import threading

import pytest
from django.db import connection

from knowledge.dilemmas import services
from knowledge.dilemmas.models import DilemmaChoice, DilemmaReaction
from tests.community.factories import member
from tests.factories import dilemma, dilemma_index

pytestmark = pytest.mark.django_db(transaction=True)

REASON = "Eerst lakken en dan publiceren: de inhoud is openbaar, de namen niet."


def at_once(jobs):
    """Run every job in its own thread and database connection, released together by a barrier."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        try:
            barrier.wait(timeout=30)
            job()
        except Exception as error:  # collected and raised in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.fixture
def case(tree):
    return dilemma(dilemma_index(tree["home"]))


def test_many_members_choosing_at_the_same_time_are_all_counted(case):
    options = list(case.options.all())
    people = [member() for _ in range(24)]
    jobs = [
        lambda person=person, n=n: services.choice_make(actor=person, dilemma=case, option_id=options[n % 3].pk)
        for n, person in enumerate(people)
    ]
    assert at_once(jobs) == []
    assert DilemmaChoice.objects.filter(dilemma=case).count() == 24
    result = services.distribution(case)
    assert result.total == 24
    assert [share.count for share in result.shares] == [8, 8, 8]


def test_one_member_double_clicking_and_switching_keeps_exactly_one_choice(case):
    options = list(case.options.all())
    person = member()
    jobs = [
        lambda n=n: services.choice_make(actor=person, dilemma=case, option_id=options[n % 2].pk) for n in range(12)
    ]
    assert at_once(jobs) == []
    choices = DilemmaChoice.objects.filter(dilemma=case, user=person)
    assert choices.count() == 1
    assert choices.get().option_id in {options[0].pk, options[1].pk}
    assert services.distribution(case).total == 1


def test_a_reaction_sent_twice_at_once_is_saved_once(case):
    person = member()
    errors = at_once([lambda: services.reaction_add(actor=person, dilemma=case, body=REASON) for _ in range(4)])
    assert DilemmaReaction.objects.filter(dilemma=case, author=person).count() == 1
    assert len(errors) == 3 and all("al geplaatst" in str(error) for error in errors)
