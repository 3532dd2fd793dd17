"""Votes and acceptance under real concurrency: threads, each with its own PostgreSQL connection.

The count shown is counted from the vote rows (there is no counter to drift); the unique constraint
keeps one vote per member per answer, however the requests interleave.
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from community.services import CommunityError
from knowledge.questions import selectors, services
from knowledge.questions.models import Answer, AnswerVote
from tests import factories
from tests.community.factories import member

pytestmark = pytest.mark.django_db(transaction=True)


def _all_at_once(jobs):
    """Run every job in its own thread, released together by a barrier; returns results or exceptions."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(number, job):
        try:
            barrier.wait(timeout=30)
            results[number] = job()
        except Exception as error:  # the test inspects what each thread met
            results[number] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.fixture
def thread(tree):
    qa = factories.question_index(tree["home"])
    asker = member("vrager")
    question = factories.question(qa, title="Wie stemt er mee?", asker=asker)
    answer = factories.answer(question, author=member("schrijver"))
    return {"question": question, "answer": answer, "asker": asker}


def _shown_count(question, answer):
    from django.contrib.auth.models import AnonymousUser

    (shown,) = [a for a in selectors.answers_for(question, AnonymousUser()) if a.pk == answer.pk]
    return shown.vote_count


def test_many_members_voting_at_once_are_all_counted_exactly(thread):
    voters = [member(f"stemmer{n}") for n in range(12)]
    answer = thread["answer"]
    results = _all_at_once([lambda v=v: services.answer_vote(actor=v, answer=answer) for v in voters])
    assert results == [True] * len(voters)
    assert AnswerVote.objects.filter(answer=answer).count() == len(voters)
    assert _shown_count(thread["question"], answer) == len(voters)


def test_one_member_double_clicking_stores_one_vote(thread):
    voter = member("dubbelklikker")
    answer = thread["answer"]
    results = _all_at_once([lambda: services.answer_vote(actor=voter, answer=answer) for _ in range(6)])
    assert sorted(results) == [False] * 5 + [True], results
    assert AnswerVote.objects.filter(answer=answer, voter=voter).count() == 1
    assert _shown_count(thread["question"], answer) == 1


def test_double_clicking_through_the_site_stores_one_vote(thread):
    voter = member("klikker")
    answer = thread["answer"]

    def click():
        client = Client()
        client.force_login(voter)
        return client.post(f"/vragen/antwoorden/{answer.pk}/stem/").status_code

    assert _all_at_once([click for _ in range(4)]) == [302] * 4
    assert AnswerVote.objects.filter(answer=answer).count() == 1


def test_voting_and_withdrawing_at_once_never_drifts(thread):
    answer = thread["answer"]
    steady = [member(f"vast{n}") for n in range(4)]
    fickle = [member(f"twijfel{n}") for n in range(4)]
    for voter in fickle:
        services.answer_vote(actor=voter, answer=answer)
    jobs = [lambda v=v: services.answer_vote(actor=v, answer=answer) for v in steady]
    jobs += [lambda v=v: services.answer_vote_withdraw(actor=v, answer=answer) for v in fickle]
    _all_at_once(jobs)
    assert set(AnswerVote.objects.filter(answer=answer).values_list("voter__username", flat=True)) == {
        v.username for v in steady
    }
    assert _shown_count(thread["question"], answer) == 4


def test_two_accepts_at_once_leave_exactly_one_accepted_answer(thread):
    question, asker = thread["question"], thread["asker"]
    others = [factories.answer(question, author=member(f"antwoorder{n}")) for n in range(3)]
    candidates = [thread["answer"], *others]
    results = _all_at_once(
        [lambda a=a: services.answer_accept(actor=asker, question=question, answer=a) for a in candidates]
    )
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, CommunityError)], results
    assert Answer.objects.filter(question=question, accepted_at__isnull=False).count() == 1
    assert connection.vendor == "postgresql"
