"""Originality: MinHash + LSH over stored band keys, exact comparison of the candidates."""

from django.urls import reverse

from learning import originality
from learning.models import ReflectionBand
from tests.factories import member_of
from tests.learning.conftest import submitted_reflection

ORIGINAL = (
    "通过学习党的二十大报告，我深刻认识到中国式现代化是人口规模巨大的现代化，是全体人民共同富裕的现代化，"
    "是物质文明和精神文明相协调的现代化，是人与自然和谐共生的现代化，是走和平发展道路的现代化。"
    "作为一名基层央行的党员，我要立足岗位，把学习成果转化为推动金融服务实体经济的实际行动，"
    "在支付结算、国库管理和金融稳定工作中践行为民服务的初心，切实提升履职能力。"
)
OWN_WORDS = (
    "结合本科室的工作实际，我打算今年重点做好三件事：一是优化窗口办事流程，二是加强对县域小微企业的走访，"
    "三是组织青年同志开展业务练兵，让大家在实干中增长才干。"
)
INDEPENDENT_A = (
    "读了二十大报告后，我最大的感受是使命光荣、责任重大。报告提出要坚持以人民为中心的发展思想，"
    "这让我想起去年在乡镇开展反假币宣传时群众热情的笑脸。今后我要多下基层，多听群众意见，"
    "把征信服务送到田间地头，让农户贷款少跑腿。"
)
INDEPENDENT_B = (
    "学习二十大精神，关键在于学懂弄通做实。我所在的会计财务科日常工作繁杂，过去常常以事务忙为由放松学习。"
    "这次集中学习让我意识到理论武装不能停，要把每天早上半小时固定为自学时间，"
    "并把学习心得和科室同事交流，用学习推动预算管理更加规范。"
)


def _copy(fraction: float) -> str:
    """A text whose first ``fraction`` is ORIGINAL's words, the rest the author's own."""
    cut = int(len(ORIGINAL) * fraction)
    return ORIGINAL[:cut] + OWN_WORDS[: max(len(ORIGINAL) - cut, 0)]


def test_reflection_copying_sixty_percent_of_another_is_flagged(world):
    submitted_reflection(world.member, body=f"<p>{ORIGINAL}</p>")
    copier = member_of(world.branch, username="copier")
    copy = submitted_reflection(copier, body=f"<p>{_copy(0.6)}</p>")
    assert copy.originality_flagged
    assert 0.5 <= copy.originality_score <= 0.7
    match = copy.originality_matches[0]
    assert match["kind"] == "reflection"
    start, end = match["spans"][0]
    assert copy.body_text[start:end].startswith("通过学习党的二十大报告")


def test_two_independent_reflections_on_the_same_topic_are_not_flagged(world):
    submitted_reflection(world.member, body=f"<p>{INDEPENDENT_A}</p>")
    other = member_of(world.branch, username="other")
    second = submitted_reflection(other, body=f"<p>{INDEPENDENT_B}</p>")
    assert not second.originality_flagged
    assert second.originality_score == 0


def test_reflection_copying_its_source_material_is_flagged(world, records):
    records.material.text = ORIGINAL
    records.material.save()
    copy = submitted_reflection(
        world.member, body=f"<p>{_copy(0.7)}</p>", material=records.material
    )
    assert copy.originality_flagged
    assert copy.originality_matches[0]["kind"] == "material"


def test_band_keys_are_stored_and_indexed(world):
    reflection = submitted_reflection(world.member, body=f"<p>{ORIGINAL}</p>")
    assert ReflectionBand.objects.filter(reflection=reflection).count() == originality.BANDS
    index_fields = [tuple(i.fields) for i in ReflectionBand._meta.indexes]
    assert ("key",) in index_fields


def test_signature_is_the_same_in_every_process(world):
    # Fixed seeds and blake2b, not Python's salted hash(): these values never change.
    sig = originality.signature(originality.shingles("学习党的二十大精神"))
    assert (
        originality.band_keys(sig)[0]
        == originality.band_keys(originality.signature(originality.shingles("学习党的二十大精神")))[
            0
        ]
    )
    assert len(sig) == originality.BANDS * originality.ROWS


def test_reviewer_sees_the_matching_passages_highlighted(as_user, world):
    submitted_reflection(world.member, body=f"<p>{ORIGINAL}</p>")
    copy = submitted_reflection(world.secretary, body=f"<p>{_copy(0.6)}</p>")
    # The committee member reviews nothing in the branch; the branch secretary reviews
    # their own branch, so a second officer is made to review the secretary's reflection.
    from portal.models import Position
    from tests.factories import PositionFactory

    deputy = member_of(world.branch, username="deputy")
    PositionFactory(user=deputy, organisation=world.branch, title=Position.Title.DEPUTY_SECRETARY)
    page = as_user(deputy).get(reverse("learning:reflection", args=[copy.pk])).content.decode()
    assert 'data-testid="originality"' in page
    assert "<mark>通过学习党的二十大报告" in page
    colleague_view = as_user(world.member).get(reverse("learning:reflection", args=[copy.pk]))
    assert colleague_view.status_code == 404  # a colleague's reflection is not the member's to see


def test_segments_cover_the_text_exactly():
    text = "甲乙丙丁戊己庚辛"
    pieces = originality.segments(text, [[2, 4], [3, 6]])
    assert "".join(p for p, _ in pieces) == text
    assert "".join(p for p, hit in pieces if hit) == "丙丁戊己"


def test_secretary_filters_the_list_to_flagged_reflections(as_user, world):
    submitted_reflection(world.member, body=f"<p>{ORIGINAL}</p>")
    copier = member_of(world.branch, username="copier")
    copy = submitted_reflection(copier, body=f"<p>{_copy(0.6)}</p>")
    page = as_user(world.secretary).get(reverse("learning:reflections") + "?flagged=1")
    assert list(page.context["page"].object_list) == [copy]
