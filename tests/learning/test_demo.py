"""The demo seed adds study records for the demo members and changes nothing the second time."""

from learning.demo import seed_demo
from learning.models import Reflection, StudyLog, StudyPlan
from portal.demo import seed_demo as seed_portal


def test_seed_is_idempotent(db):
    seed_portal()
    first = seed_demo()
    counts = (StudyPlan.objects.count(), StudyLog.objects.count(), Reflection.objects.count())
    assert seed_demo() == first
    assert (
        StudyPlan.objects.count(),
        StudyLog.objects.count(),
        Reflection.objects.count(),
    ) == counts
    assert Reflection.objects.filter(author__username="member", is_exemplar=True).exists()


def test_seed_without_the_portal_demo_does_nothing(db):
    assert seed_demo() == {"skipped": 1}
