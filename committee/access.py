"""One access helper per object: load it and check the user in one step; outside scope is 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from committee.models import Assignment, AssignmentEvent, Post, PostPhoto, Task
from portal.models import Organisation
from portal.scoping import Scope, scope_for


def oversees(scope: Scope, organisation: Organisation) -> bool:
    """Whether ``scope`` sees ``organisation`` as its committee does (whole subtree)."""
    return scope.is_superuser or any(organisation.path.startswith(p) for p in scope.oversee_paths)


def answers_for(scope: Scope, assignment: Assignment) -> bool:
    """Whether ``scope``'s user reports on ``assignment`` (its person, or the org's managers)."""
    if assignment.assignee_id is not None:
        return assignment.assignee_id == scope.user_id
    assert assignment.organisation is not None
    return scope.can_manage_organisation(assignment.organisation)


def feed_paths(scope: Scope) -> set[str]:
    """The subtrees whose published posts a user reads: their committee's and what they oversee.

    A member's committee is the nearest 党委 above their branch (one query).
    """
    paths = set(scope.oversee_paths)
    if scope.own_branch_path:
        step = Organisation.steplen
        ancestors = [
            scope.own_branch_path[: step * i] for i in range(1, len(scope.own_branch_path) // step)
        ]
        nearest = (
            Organisation.objects.filter(path__in=ancestors, kind=Organisation.Kind.COMMITTEE)
            .order_by("-depth")
            .values_list("path", flat=True)
            .first()
        )
        paths.add(nearest or scope.own_branch_path)
    return paths


def task_for_user(user: Any, pk: int, *, edit: bool = False) -> Task:
    """A task for its committee (who oversee the issuer) or, read-only, its assignees."""
    scope = scope_for(user)
    task = Task.objects.select_related("issuer", "created_by").filter(pk=pk).first()
    if task is None:
        raise Http404(_("No such task."))
    if oversees(scope, task.issuer):
        return task
    if not edit and Assignment.objects.answerable_by(scope).filter(task=task).exists():
        return task
    raise Http404(_("No such task."))


def assignment_for_user(
    user: Any, pk: int, *, report: bool = False, review: bool = False
) -> Assignment:
    """An assignment for the committee that issued it and for whoever answers it.

    ``report`` asks for the right to report on it, ``review`` for the right to accept or
    return it; lacking either is the same 404 as not seeing it.
    """
    scope = scope_for(user)
    assignment = Assignment.objects.for_table().filter(pk=pk).first()
    if assignment is None:
        raise Http404(_("No such task."))
    is_committee = oversees(scope, assignment.task.issuer)
    answers = answers_for(scope, assignment)
    if not (is_committee or answers) or (report and not answers) or (review and not is_committee):
        raise Http404(_("No such task."))
    return assignment


def evidence_for_user(user: Any, pk: int) -> AssignmentEvent:
    event = AssignmentEvent.objects.filter(pk=pk).exclude(file="").first()
    if event is None:
        raise Http404(_("No such file."))
    assignment_for_user(user, event.assignment_id)
    return event


def can_review_post(scope: Scope, post: Post) -> bool:
    return oversees(scope, post.organisation)


def can_edit_post(scope: Scope, post: Post) -> bool:
    return post.author_id == scope.user_id or scope.can_manage_organisation(post.organisation)


def post_for_user(user: Any, pk: int, *, edit: bool = False, review: bool = False) -> Post:
    """A published post for readers of its tree; an unpublished one for its branch and committee."""
    scope = scope_for(user)
    post = Post.objects.select_related("organisation", "author").filter(pk=pk).first()
    if post is None:
        raise Http404(_("No such post."))
    reviewer = can_review_post(scope, post)
    editor = can_edit_post(scope, post)
    if (edit and not editor) or (review and not reviewer):
        raise Http404(_("No such post."))
    if reviewer or editor:
        return post
    # A reader: the post is published in the tree whose feed they read (one query).
    if post.state == Post.State.PUBLISHED and any(
        post.organisation.path.startswith(p) for p in feed_paths(scope)
    ):
        return post
    raise Http404(_("No such post."))


def photo_for_user(user: Any, pk: int) -> PostPhoto:
    photo = PostPhoto.objects.filter(pk=pk).first()
    if photo is None:
        raise Http404(_("No such photo."))
    post_for_user(user, photo.post_id)
    return photo
