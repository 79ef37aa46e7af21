"""民主评议党员: 优秀 may go to at most one third of those rated."""

import pytest
from django.core.exceptions import ValidationError

from meetings import services
from meetings.forms import ReviewForm
from meetings.models import Grade, ReviewRating
from tests.factories import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def review_of_nine(world):
    for n in range(6):
        member_of(world.branch, username=f"r{n}", name=f"评议{n}")
    review = services.review_open(organisation=world.branch, year=2026, by=world.secretary)
    assert review.ratings.count() == 9
    return review


def grades(review, excellent: int):
    ratings = list(review.ratings.order_by("member__name"))
    return {
        r.member_id: {"final_grade": Grade.EXCELLENT if i < excellent else Grade.QUALIFIED}
        for i, r in enumerate(ratings)
    }


def test_three_excellent_of_nine_are_accepted(world, review_of_nine):
    services.review_ratings_save(
        review=review_of_nine, by=world.secretary, ratings=grades(review_of_nine, 3)
    )
    assert ReviewRating.objects.filter(final_grade=Grade.EXCELLENT).count() == 3


def test_a_fourth_excellent_of_nine_is_refused(world, review_of_nine):
    with pytest.raises(ValidationError, match="三分之一"):
        services.review_ratings_save(
            review=review_of_nine, by=world.secretary, ratings=grades(review_of_nine, 4)
        )
    assert ReviewRating.objects.filter(final_grade=Grade.EXCELLENT).count() == 0


def test_the_form_refuses_a_fourth_excellent_too(world, review_of_nine):
    ratings = list(review_of_nine.ratings.select_related("member").order_by("member__name"))
    data = {
        f"final_grade_{r.member_id}": ("excellent" if i < 4 else "qualified")
        for i, r in enumerate(ratings)
    }
    form = ReviewForm(data, ratings=ratings)
    assert not form.is_valid()
    assert "三分之一" in str(form.non_field_errors())


def test_opening_again_adds_nobody_twice(world, review_of_nine):
    again = services.review_open(organisation=world.branch, year=2026, by=world.secretary)
    assert again.pk == review_of_nine.pk and again.ratings.count() == 9


def test_member_writes_their_own_self_assessment(as_user, world, review_of_nine):
    from django.urls import reverse

    client = as_user(world.member)
    url = reverse("meetings:self_assessment") + "?year=2026"
    assert client.get(url).context["form"] is not None
    response = client.post(
        url, {"self_assessment": "认真学习，履职尽责", "self_grade": "qualified"}
    )
    assert response.status_code == 302
    rating = review_of_nine.ratings.get(member=world.member)
    assert (rating.self_assessment, rating.self_grade) == ("认真学习，履职尽责", "qualified")


def test_someone_not_rated_cannot_self_assess(world, review_of_nine):
    with pytest.raises(ValidationError):
        services.review_self_assess(
            review=review_of_nine,
            member=world.outsider,
            self_assessment="x",
            self_grade="qualified",
        )


def test_outsider_has_no_self_assessment_form(as_user, world, review_of_nine):
    from django.urls import reverse

    response = as_user(world.outsider).get(reverse("meetings:self_assessment") + "?year=2026")
    assert response.status_code == 200 and response.context["form"] is None
