"""Writes for 目标责任 tasks and the 宣传 board. Views call these; rules live here."""

from __future__ import annotations

import datetime
import html
from collections.abc import Iterable, Sequence
from typing import Any

import nh3
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.models import Assignment, AssignmentEvent, Post, PostEvent, PostPhoto, Task
from portal.models import Organisation, User


class CommitteeError(ValueError):
    """A write refused because the record is no longer in a state that allows it."""


# --- rich text -------------------------------------------------------------------------------

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h3",
    "h4",
    "a",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def body_sanitise(text: str) -> str:
    """Plain text becomes paragraphs; rich text keeps a small set of tags, nothing active.

    The result is safe to mark safe in a template: scripts, event handlers, styles and
    ``javascript:`` links are removed by nh3 (Ammonia).
    """
    text = text.strip().replace("\r\n", "\n")
    if "<" not in text:
        paragraphs = [p for p in text.split("\n\n") if p.strip()]
        return "".join(
            "<p>{}</p>".format(html.escape(p.strip()).replace("\n", "<br>")) for p in paragraphs
        )
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


# --- 目标责任 --------------------------------------------------------------------------------


@transaction.atomic
def task_create(
    *,
    issuer: Organisation,
    created_by: User,
    title: str,
    evidence_expected: str,
    due_on: datetime.date,
    description: str = "",
    organisations: Iterable[Organisation] = (),
    people: Iterable[User] = (),
) -> Task:
    """Issue a task and one assignment (with its first history entry) per assignee."""
    organisations = list({o.pk: o for o in organisations}.values())
    people = list({p.pk: p for p in people}.values())
    if not organisations and not people:
        raise CommitteeError(_("Choose at least one organisation or person."))
    for organisation in organisations:
        if organisation.pk == issuer.pk or not organisation.path.startswith(issuer.path):
            raise CommitteeError(
                _("%(name)s is not below the issuing organisation.") % {"name": organisation}
            )
    task = Task.objects.create(
        issuer=issuer,
        created_by=created_by,
        title=title,
        description=description,
        evidence_expected=evidence_expected,
        due_on=due_on,
    )
    rows = [Assignment(task=task, organisation=o) for o in organisations]
    rows += [Assignment(task=task, assignee=p) for p in people]
    assignments = Assignment.objects.bulk_create(rows)
    now = timezone.now()
    AssignmentEvent.objects.bulk_create(
        AssignmentEvent(
            assignment=a, kind=AssignmentEvent.Kind.ASSIGNED, actor=created_by, created_at=now
        )
        for a in assignments
    )
    return task


def _move(
    assignment: Assignment, *, from_states: Sequence[str], to_state: str, **fields: Any
) -> None:
    """Change state only if it is still one of ``from_states`` (two people may click at once)."""
    changed = Assignment.objects.filter(pk=assignment.pk, state__in=from_states).update(
        state=to_state, updated_at=timezone.now(), **fields
    )
    if changed != 1:
        raise CommitteeError(_("This task has changed meanwhile; reload the page and try again."))
    assignment.state = to_state
    for name, value in fields.items():
        setattr(assignment, name, value)


@transaction.atomic
def assignment_report(
    *,
    assignment: Assignment,
    actor: User,
    text: str = "",
    link: str = "",
    file: UploadedFile | None = None,
) -> AssignmentEvent:
    """The assignee reports progress with evidence; the committee then reviews it."""
    if not (text.strip() or link.strip() or file):
        raise CommitteeError(_("Give some evidence: text, a link or a file."))
    now = timezone.now()
    _move(
        assignment,
        from_states=Assignment.OPEN_STATES,
        to_state=Assignment.State.REPORTED,
        reported_at=now,
    )
    event = AssignmentEvent(
        assignment=assignment,
        kind=AssignmentEvent.Kind.REPORTED,
        actor=actor,
        text=text.strip(),
        link=link.strip(),
        created_at=now,
    )
    if file is not None:
        event.file_name = (file.name or "")[-200:]
        event.file.save(file.name or "evidence", file, save=False)
    event.save()
    return event


@transaction.atomic
def assignment_review(
    *, assignment: Assignment, actor: User, accept: bool, comment: str = ""
) -> AssignmentEvent:
    """Accept a report (the task is done for this assignee) or return it with a comment."""
    if not accept and not comment.strip():
        raise CommitteeError(_("Say what is missing when returning a report."))
    now = timezone.now()
    _move(
        assignment,
        from_states=(Assignment.State.REPORTED,),
        to_state=Assignment.State.ACCEPTED if accept else Assignment.State.RETURNED,
        decided_at=now,
    )
    return AssignmentEvent.objects.create(
        assignment=assignment,
        kind=AssignmentEvent.Kind.ACCEPTED if accept else AssignmentEvent.Kind.RETURNED,
        actor=actor,
        text=comment.strip(),
        created_at=now,
    )


# --- 宣传 board ------------------------------------------------------------------------------


def _add_photos(post: Post, photos: Iterable[tuple[UploadedFile, str]]) -> None:
    for upload, content_type in photos:
        photo = PostPhoto(post=post, content_type=content_type)
        photo.image.save(upload.name or "photo", upload, save=False)
        photo.save()


@transaction.atomic
def post_submit(
    *,
    organisation: Organisation,
    author: User,
    kind: str,
    title: str,
    body: str,
    photos: Iterable[tuple[UploadedFile, str]] = (),
) -> Post:
    """A branch submits a post for the committee to review. ``photos`` are checked images."""
    post = Post.objects.create(
        organisation=organisation,
        author=author,
        kind=kind,
        title=title.strip(),
        body=body_sanitise(body),
    )
    _add_photos(post, photos)
    PostEvent.objects.create(post=post, kind=PostEvent.Kind.SUBMITTED, actor=author)
    return post


@transaction.atomic
def post_update(
    *,
    post: Post,
    actor: User,
    kind: str,
    title: str,
    body: str,
    photos: Iterable[tuple[UploadedFile, str]] = (),
    remove_photo_ids: Iterable[int] = (),
) -> Post:
    """Edit a post not yet published; a returned post goes back for review."""
    changed = Post.objects.filter(pk=post.pk, state__in=(Post.State.SUBMITTED, Post.State.RETURNED))
    if (
        changed.update(
            kind=kind, title=title.strip(), body=body_sanitise(body), state=Post.State.SUBMITTED
        )
        != 1
    ):
        raise CommitteeError(
            _("This post has been published meanwhile and can no longer be edited.")
        )
    post.refresh_from_db()
    PostPhoto.objects.filter(post=post, pk__in=list(remove_photo_ids)).delete()
    _add_photos(post, photos)
    PostEvent.objects.create(post=post, kind=PostEvent.Kind.SUBMITTED, actor=actor)
    return post


@transaction.atomic
def post_review(*, post: Post, actor: User, publish: bool, comment: str = "") -> Post:
    """Publish a submitted post on the board, or return it to the branch with a comment."""
    if not publish and not comment.strip():
        raise CommitteeError(_("Say what to change when returning a post."))
    now = timezone.now()
    fields: dict[str, Any] = {"review_comment": comment.strip()}
    if publish:
        fields.update(state=Post.State.PUBLISHED, published_at=now)
    else:
        fields.update(state=Post.State.RETURNED)
    if Post.objects.filter(pk=post.pk, state=Post.State.SUBMITTED).update(**fields) != 1:
        raise CommitteeError(_("This post has changed meanwhile; reload the page and try again."))
    for name, value in fields.items():
        setattr(post, name, value)
    PostEvent.objects.create(
        post=post,
        kind=PostEvent.Kind.PUBLISHED if publish else PostEvent.Kind.RETURNED,
        actor=actor,
        comment=comment.strip(),
        created_at=now,
    )
    return post


@transaction.atomic
def post_feature(*, post: Post, actor: User, featured: bool) -> Post:
    """Pin a published post to the top of the feed (or unpin it)."""
    if (
        Post.objects.filter(pk=post.pk, state=Post.State.PUBLISHED)
        .exclude(featured=featured)
        .update(featured=featured)
        != 1
    ):
        if post.state != Post.State.PUBLISHED:
            raise CommitteeError(_("Only a published post can be featured."))
        return post
    post.featured = featured
    PostEvent.objects.create(
        post=post,
        kind=PostEvent.Kind.FEATURED if featured else PostEvent.Kind.UNFEATURED,
        actor=actor,
    )
    return post


@transaction.atomic
def post_publish_from(
    *,
    source: str,
    source_ref: str,
    organisation: Organisation,
    author: User,
    title: str,
    body: str,
    kind: str = Post.Kind.EXEMPLAR,
    featured: bool = False,
) -> Post:
    """Publish on the board a record another app has already reviewed. The hook for other apps.

    For exemplary study reflections (``learning``) and commendations (``assessment``):
    call it **only once the author has agreed** to publication and the record has passed
    its own review there, e.g. ``post_publish_from(source="learning.reflection",
    source_ref=str(reflection.pk), organisation=reflection.branch, author=reflection.author,
    title=..., body=..., kind=Post.Kind.REFLECTION)``.

    * ``source`` names the record type (``"<app>.<model>"``), ``source_ref`` its id: the
      pair is unique, so calling again (a task run twice) returns the existing post
      unchanged instead of publishing a second copy.
    * ``body`` is plain or rich text and is sanitised here.
    * The post appears at once in the feed of ``organisation``'s tree, as published by
      ``author``; the committee may feature it or not like any other post.

    This module imports no other app; the calling app imports this function.
    """
    if not source or not source_ref:
        raise CommitteeError("post_publish_from needs a source and a source_ref.")
    existing = Post.objects.filter(source=source, source_ref=source_ref).first()
    if existing is not None:
        return existing
    now = timezone.now()
    try:
        # A savepoint: a concurrent call that published the same record first wins.
        with transaction.atomic():
            post = Post.objects.create(
                organisation=organisation,
                author=author,
                kind=kind,
                title=title.strip()[:200],
                body=body_sanitise(body),
                state=Post.State.PUBLISHED,
                featured=featured,
                published_at=now,
                source=source,
                source_ref=source_ref,
                created_at=now,
            )
    except IntegrityError:
        return Post.objects.get(source=source, source_ref=source_ref)
    PostEvent.objects.create(
        post=post, kind=PostEvent.Kind.PUBLISHED, actor=author, comment=source, created_at=now
    )
    return post
