"""The demo 考学/述学 data loads on top of the portal demo, and loading it again changes nothing."""

from assessment.demo import QUESTIONS, seed_demo
from assessment.models import Attempt, Contest, Question, ShuxueReport
from portal.demo import seed_demo as seed_portal


def test_seed_demo_is_idempotent(db):
    seed_portal()
    first = seed_demo()
    assert first["questions"] == len(QUESTIONS) >= 30
    assert first["finished_attempts"] >= 5
    second = seed_demo()
    assert second["questions"] == 0 and second["attempts"] == 0
    assert Question.objects.count() == len(QUESTIONS)
    assert Contest.objects.count() == 1
    assert Attempt.objects.count() == first["finished_attempts"]
    assert ShuxueReport.objects.count() == 1
    contest = Contest.objects.get()
    assert contest.is_open()


def test_seed_demo_without_the_portal_demo_does_nothing(db):
    assert seed_demo() == {"questions": 0, "attempts": 0}
