"""committee.demo.seed_demo: two tasks and three posts for the demo tree, safe to run again."""

from committee.demo import seed_demo
from committee.models import Assignment, Post, Task
from committee.selectors import overdue_assignments
from portal.demo import seed_demo as seed_portal
from portal.models import User


def test_seed_demo_adds_two_tasks_and_three_posts_once(db):
    seed_portal()
    assert seed_demo() == {"tasks": 2, "posts": 3}
    assert seed_demo() == {"tasks": 0, "posts": 0}
    assert Task.objects.count() == 2
    assert Post.objects.count() == 3
    assert Post.objects.filter(state="published").count() == 2
    assert Post.objects.filter(featured=True).count() == 1
    states = set(Assignment.objects.values_list("state", flat=True))
    assert states == {"assigned", "reported", "returned", "accepted"}


def test_demo_secretary_has_an_overdue_task_and_the_outsider_none(db):
    seed_portal()
    seed_demo()
    assert overdue_assignments(User.objects.get(username="secretary")).count() == 1
    assert overdue_assignments(User.objects.get(username="outsider")).count() == 0
