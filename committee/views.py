"""Thin views: access helper → form → service → redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committee import access, caching, selectors, services
from committee.export import assignments_xlsx, matrix_xlsx
from committee.forms import (
    AssignmentFilterForm,
    PostForm,
    PostReviewForm,
    ReportForm,
    ReviewForm,
    TaskForm,
)
from committee.models import Post, Task
from portal import fragments
from portal.models import Organisation
from portal.paging import Counted, paginate
from portal.scoping import scope_for
from portal.views import xlsx_response

# --- 目标责任 --------------------------------------------------------------------------------


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    """The committee's tasks with progress; for everyone, the assignments they answer."""
    scope = scope_for(request.user)
    context: dict[str, Any] = {
        "can_issue": scope.oversees,
        # The body is kept in the cache under the tasks' and assignments' stamps
        # (portal/fragments.py): these are read only when it is missing.
        "mine": fragments.lazy(lambda: list(selectors.my_assignments(request.user)[:50])),
        "body_key": fragments.body_key(request, caching.TABLES),
    }
    if scope.oversees:
        context["page"] = fragments.lazy(
            lambda: paginate(request, selectors.task_list(request.user), per_page=20)
        )
    return render(request, "committee/task_list.html", context)


@login_required
def task_create(request: HttpRequest) -> HttpResponse:
    issuers = selectors.issuers_for(request.user)
    if not issuers.exists():
        raise Http404(_("No such page."))
    form = TaskForm(
        request.POST or None,
        issuers=issuers,
        organisations=selectors.assignable_organisations(request.user),
        initial={"issuer": issuers.first()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.task_create(
                issuer=data["issuer"],
                created_by=request.user,  # type: ignore[arg-type]
                title=data["title"],
                description=data["description"],
                evidence_expected=data["evidence_expected"],
                due_on=data["due_on"],
                organisations=data["assignee_organisations"],
                people=data["assignee_people"],
            )
        except services.CommitteeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The task has been assigned."))
            return redirect("committee:task", pk=task.pk)
    return render(request, "committee/task_form.html", {"form": form})


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = access.task_for_user(request.user, pk)
    is_committee = access.oversees(scope_for(request.user), task.issuer)
    rows = selectors.task_assignments(task, request.user, committee=is_committee)
    return render(
        request,
        "committee/task_detail.html",
        {"task": task, "rows": rows, "is_committee": is_committee},
    )


@login_required
def assignment_table(request: HttpRequest) -> HttpResponse:
    """Each task's state per assignee: filterable, paginated, exportable."""
    scope = scope_for(request.user)

    def filtered() -> tuple[AssignmentFilterForm, Any]:
        # The filter's choices need only each task's title: not task_list's progress
        # counts, which at province scale (80,000 assignments) cost more than the page.
        tasks: Any = selectors.task_choices(request.user) if scope.oversees else Task.objects.none()
        form = AssignmentFilterForm(request.GET or None, tasks=tasks)
        return form, form.filter(selectors.assignment_table(request.user))

    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            assignments_xlsx(filtered()[1]), f"目标责任落实情况-{timezone.localdate():%Y%m%d}.xlsx"
        )

    def paged() -> tuple[AssignmentFilterForm, Any]:
        form, rows = filtered()
        table = selectors.AssignmentTable(request.user, rows, caching.stamp(), form.applied())
        if scope.oversees:
            form.set_task_options(table.options_html)
        return form, paginate(request, table)

    # The filter, the rows and the pagination are kept in the cache under the tasks' and
    # assignments' stamps (portal/fragments.py): built only when the cached body is missing.
    built = fragments.lazy(paged)
    return render(
        request,
        "committee/assignment_table.html",
        {
            "form": fragments.lazy(lambda: built[0]),
            "page": fragments.lazy(lambda: built[1]),
            "body_key": fragments.body_key(request, caching.TABLES),
        },
    )


@login_required
def assignment_matrix(request: HttpRequest) -> HttpResponse:
    """The committee's overview: assignees down, tasks across (ten tasks a page)."""
    scope = scope_for(request.user)
    if not scope.oversees:
        raise Http404(_("No such page."))
    tasks_issued = selectors.task_list(request.user, progress=False)
    stamp, count = caching.fingerprint_counting(tasks_issued)
    page = paginate(request, Counted(tasks_issued, count), per_page=10)
    # Read only when the table is not in the cache (or for the spreadsheet).
    tasks: Any = SimpleLazyObject(lambda: list(page))
    rows: Any = SimpleLazyObject(lambda: selectors.task_matrix(list(tasks)))
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            matrix_xlsx(list(tasks), list(rows)),
            f"目标责任落实情况汇总-{timezone.localdate():%Y%m%d}.xlsx",
        )
    today = timezone.localdate().isoformat()
    context = {
        "page": page,
        "tasks": tasks,
        "rows": rows,
        # The table as rendered, cached: the same data, tasks, day (overdue) and language.
        "matrix_key": caching.key("matrix", scope.cache_key(), page.number, today, stamp),
    }
    return render(request, "committee/assignment_matrix.html", context)


@login_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access.assignment_for_user(request.user, pk)
    scope = scope_for(request.user)
    context = {
        "assignment": assignment,
        "task": assignment.task,
        "history": selectors.assignment_history(assignment),
        "can_report": access.answers_for(scope, assignment) and assignment.can_be_reported,
        "can_review": access.oversees(scope, assignment.task.issuer) and assignment.can_be_reviewed,
        "report_form": ReportForm(),
        "review_form": ReviewForm(),
    }
    return render(request, "committee/assignment_detail.html", context)


@login_required
@require_POST
def assignment_report(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access.assignment_for_user(request.user, pk, report=True)
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.assignment_report(
                assignment=assignment,
                actor=request.user,  # type: ignore[arg-type]
                text=form.cleaned_data["text"],
                link=form.cleaned_data["link"],
                file=form.cleaned_data["file"],
            )
        except services.CommitteeError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your report has been sent to the committee."))
        return redirect("committee:assignment", pk=assignment.pk)
    return _assignment_again(request, assignment, report_form=form)


@login_required
@require_POST
def assignment_review(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access.assignment_for_user(request.user, pk, review=True)
    form = ReviewForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.assignment_review(
                assignment=assignment,
                actor=request.user,  # type: ignore[arg-type]
                accept=accept,
                comment=form.cleaned_data["comment"],
            )
        except services.CommitteeError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Accepted.") if accept else _("Returned to the assignee."))
        return redirect("committee:assignment", pk=assignment.pk)
    return _assignment_again(request, assignment, review_form=form)


def _assignment_again(request: HttpRequest, assignment: Any, **forms: Any) -> HttpResponse:
    """The assignment page again with the submitted form and its errors (status 400)."""
    scope = scope_for(request.user)
    context = {
        "assignment": assignment,
        "task": assignment.task,
        "history": selectors.assignment_history(assignment),
        "can_report": access.answers_for(scope, assignment) and assignment.can_be_reported,
        "can_review": access.oversees(scope, assignment.task.issuer) and assignment.can_be_reviewed,
        "report_form": forms.get("report_form", ReportForm()),
        "review_form": forms.get("review_form", ReviewForm()),
    }
    return render(request, "committee/assignment_detail.html", context, status=400)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    event = access.evidence_for_user(request.user, pk)
    return FileResponse(
        event.file.open("rb"), as_attachment=True, filename=event.file_name or "evidence"
    )


# --- 宣传 board ------------------------------------------------------------------------------


def _postable_organisations(request: HttpRequest) -> Any:
    scope = scope_for(request.user)
    return Organisation.objects.filter(scope.organisations_q(manage=True))


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The feed of the user's tree: featured posts first, then the newest."""
    scope = scope_for(request.user)
    posts = selectors.feed(request.user)
    kind = request.GET.get("kind", "")
    if kind in Post.Kind.values:
        posts = posts.filter(kind=kind)
    return render(
        request,
        "committee/board.html",
        {
            "page": paginate(request, posts, per_page=10),
            "kinds": Post.Kind.choices,
            "kind": kind,
            "can_post": scope.manages,
            "can_review": scope.oversees,
        },
    )


@login_required
def board_manage(request: HttpRequest) -> HttpResponse:
    """The committee's review queue and the user's own submissions."""
    scope = scope_for(request.user)
    if not (scope.oversees or scope.manages):
        raise Http404(_("No such page."))
    context: dict[str, Any] = {"mine": paginate(request, selectors.my_posts(request.user), 20)}
    if scope.oversees:
        context["queue"] = selectors.review_queue(request.user)[:100]
    return render(request, "committee/board_manage.html", context)


@login_required
def post_create(request: HttpRequest) -> HttpResponse:
    organisations = _postable_organisations(request)
    if not scope_for(request.user).manages:
        raise Http404(_("No such page."))
    form = PostForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        post = services.post_submit(
            organisation=data["organisation"],
            author=request.user,  # type: ignore[arg-type]
            kind=data["kind"],
            title=data["title"],
            body=data["body"],
            photos=data["photos"],
        )
        messages.success(request, _("Submitted to the committee for review."))
        return redirect("committee:post", pk=post.pk)
    return render(request, "committee/post_form.html", {"form": form})


@login_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = access.post_for_user(request.user, pk, edit=True)
    if not post.can_be_edited:
        messages.error(request, _("A published post can no longer be edited."))
        return redirect("committee:post", pk=post.pk)
    photos = list(post.photos.all())
    form = PostForm(
        request.POST or None,
        request.FILES or None,
        organisations=Organisation.objects.filter(pk=post.organisation_id),
        existing_photos=photos,
        initial={
            "organisation": post.organisation,
            "kind": post.kind,
            "title": post.title,
            "body": post.body,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.post_update(
                post=post,
                actor=request.user,  # type: ignore[arg-type]
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                photos=data["photos"],
                remove_photo_ids=[int(i) for i in data.get("remove_photos", [])],
            )
        except services.CommitteeError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Submitted to the committee for review."))
        return redirect("committee:post", pk=post.pk)
    return render(request, "committee/post_form.html", {"form": form, "post": post})


@login_required
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    post = selectors.post_page(access.post_for_user(request.user, pk))
    scope = scope_for(request.user)
    return render(
        request,
        "committee/post_detail.html",
        {
            "post": post,
            "can_review": access.can_review_post(scope, post),
            "can_edit": access.can_edit_post(scope, post) and post.can_be_edited,
            "review_form": PostReviewForm(),
        },
    )


@login_required
@require_POST
def post_review(request: HttpRequest, pk: int) -> HttpResponse:
    post = access.post_for_user(request.user, pk, review=True)
    form = PostReviewForm(request.POST)
    if not form.is_valid():
        scope = scope_for(request.user)
        return render(
            request,
            "committee/post_detail.html",
            {
                "post": selectors.post_page(post),
                "can_review": True,
                "can_edit": access.can_edit_post(scope, post) and post.can_be_edited,
                "review_form": form,
            },
            status=400,
        )
    publish = form.cleaned_data["decision"] == "publish"
    try:
        services.post_review(
            post=post,
            actor=request.user,  # type: ignore[arg-type]
            publish=publish,
            comment=form.cleaned_data["comment"],
        )
    except services.CommitteeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Published on the board.") if publish else _("Returned."))
    return redirect("committee:post", pk=post.pk)


@login_required
@require_POST
def post_feature(request: HttpRequest, pk: int) -> HttpResponse:
    post = access.post_for_user(request.user, pk, review=True)
    featured = request.POST.get("featured") == "1"
    try:
        services.post_feature(post=post, actor=request.user, featured=featured)  # type: ignore[arg-type]
    except services.CommitteeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Featured on the board.") if featured else _("No longer featured.")
        )
    return redirect("committee:post", pk=post.pk)


@login_required
def photo(request: HttpRequest, pk: int) -> FileResponse:
    item = access.photo_for_user(request.user, pk)
    response = FileResponse(item.image.open("rb"), content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
