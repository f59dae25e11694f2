"""`ProgressUpdate.send_back`: a coordinator returns a draft to its author with a comment."""

import pytest
from django.core.exceptions import ValidationError

from measures.locking import StaleEdit
from measures.models import ChangeReason, ProgressUpdate, UpdateState

pytestmark = pytest.mark.usefixtures("english")  # the English source strings (conftest)


@pytest.fixture
def draft(measure, bob):
    return measure.log_progress(by=bob, text="Concept")


def test_it_records_the_comment_with_its_own_reason(draft, alice):
    draft.send_back(by=alice, comment="Noem de gemeenten.")
    draft.refresh_from_db()
    assert (draft.state, draft.review_comment) == (UpdateState.RETURNED, "Noem de gemeenten.")
    assert draft.approved_at is None
    record = draft.history.first()
    assert (record.history_user, record.history_change_reason) == (alice, ChangeReason.RETURNED)
    assert not ProgressUpdate.objects.drafts().filter(pk=draft.pk).exists()


@pytest.mark.parametrize("comment", ["", "   ", None])
def test_it_requires_a_comment_and_writes_nothing(draft, alice, comment):
    count = draft.history.count()
    with pytest.raises(ValidationError) as refused:
        draft.send_back(by=alice, comment=comment)
    assert "review_comment" in refused.value.message_dict
    assert draft.history.count() == count
    assert ProgressUpdate.objects.get(pk=draft.pk).state == UpdateState.DRAFT


def test_it_refuses_an_approved_update(draft, alice):
    draft.approve(by=alice)
    with pytest.raises(ValidationError, match="already been approved"):
        draft.send_back(by=alice, comment="Toch niet")


def test_it_refuses_a_version_someone_saved_since(draft, alice, bob):
    version = draft.version
    ProgressUpdate.objects.get(pk=draft.pk).save_change(by=bob)
    with pytest.raises(StaleEdit):
        draft.send_back(by=alice, comment="Graag korter", expected_version=version)
    assert ProgressUpdate.objects.get(pk=draft.pk).state == UpdateState.DRAFT


def test_an_update_sent_back_may_still_be_approved(draft, alice):
    draft.send_back(by=alice, comment="Graag korter")
    draft.approve(by=alice)
    draft.refresh_from_db()
    assert draft.state == UpdateState.APPROVED and draft.approved_at is not None
