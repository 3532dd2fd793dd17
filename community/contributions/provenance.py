"""Why a running review stopped: an editor stopped it, or another version of the page was published.

Wagtail cancels a page's running workflow when any other revision of it is published
(WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH): a trusted member's edit, an editor publishing in the admin, an
undo. Its `page_published` signal comes just before that cancel; `published()` notes it here (only when
a review is running, so the note is for that review's cancel alone) and `take()` hands it to the cancel.

The note also says which version the publish was edited from, when we know: our own site edits say so
(`note_source`), and so does the admin's editor (its `before_publish_page` hook: the version the editor
opened, or the one being reverted to). A publish edited from the proposal under review contains it; any
other publish changed the page under it, and the proposal is merged with the new version.

The notes live in the thread, for the duration of one publish; nothing here touches the database.
"""

import threading
from dataclasses import dataclass

_local = threading.local()


@dataclass(frozen=True)
class Published:
    revision_id: int
    workflow_state_id: int
    source_revision_id: int | None = None


def _notes(name) -> dict:
    notes = getattr(_local, name, None)
    if notes is None:
        notes = {}
        setattr(_local, name, notes)
    return notes


def note_source(*, page_id, revision_id, source_revision_id):
    """Revision `revision_id` of the page, about to be published, was edited from `source_revision_id`."""
    _notes("sources")[int(page_id)] = (int(revision_id), int(source_revision_id) if source_revision_id else None)


def published(*, page_id, revision_id, workflow_state_id):
    """The page is being published while review `workflow_state_id` runs; Wagtail is about to cancel it."""
    page_id = int(page_id)
    noted_revision, source = _notes("sources").pop(page_id, (None, None))
    _notes("published")[page_id] = Published(
        revision_id=int(revision_id),
        workflow_state_id=int(workflow_state_id),
        source_revision_id=source if noted_revision == int(revision_id) else None,
    )


def forget_source(page_id):
    _notes("sources").pop(int(page_id), None)


def take(page_id, workflow_state_id) -> Published | None:
    """The publish that is cancelling this review, if that is why it is cancelled."""
    note = _notes("published").pop(int(page_id), None)
    if note is None or note.workflow_state_id != int(workflow_state_id):
        return None
    return note


# Pages whose queue is being worked on in this thread; a cancel caused by that work must not start it again.
def busy() -> set:
    pages = getattr(_local, "busy", None)
    if pages is None:
        pages = _local.busy = set()
    return pages
