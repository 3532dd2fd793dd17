"""Keeping the index true: (re)index or remove one object, schedule that on commit, rebuild everything.

A write never fails because indexing fails: scheduling and the task itself log and carry on; the
next change or `manage.py search_reindex` repairs what was missed.
"""

import logging
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Page

from search.documents import SOURCES, source_for
from search.query import get_backend

logger = logging.getLogger(__name__)


def content_type_id_of(obj) -> int:
    if isinstance(obj, Page):
        return obj.content_type_id
    return ContentType.objects.get_for_model(obj).pk


def sync(*, content_type_id: int, object_id: int) -> bool:
    """Make the index agree with the database for one object; True when it is now indexed."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    source = next((s for s in SOURCES if s.model is model), None)
    backend = get_backend()
    obj = source.load(object_id) if source else None
    data = source.document(obj) if obj is not None else None
    if data is None:
        backend.delete(content_type_id=content_type_id, object_id=object_id)
        return False
    backend.upsert(content_type_id=content_type_id, object_id=object_id, kind=source.kind, data=data)
    return True


def index_object(obj) -> bool:
    return sync(content_type_id=content_type_id_of(obj), object_id=obj.pk)


def remove_object(obj):
    get_backend().delete(content_type_id=content_type_id_of(obj), object_id=obj.pk)


def _enqueue(content_type_id, object_id):
    from search.tasks import sync_document

    try:
        sync_document.enqueue(content_type_id=content_type_id, object_id=object_id)
    except Exception:
        logger.exception("Could not schedule search indexing of %s:%s", content_type_id, object_id)


def schedule_sync(obj):
    """After the surrounding transaction commits, bring `obj`'s search document up to date."""
    if source_for(obj) is None:
        return
    try:
        content_type_id, object_id = content_type_id_of(obj), obj.pk
    except Exception:
        logger.exception("Could not schedule search indexing of %r", obj)
        return
    transaction.on_commit(lambda: _enqueue(content_type_id, object_id))


def schedule_subtree(page):
    """A move or a changed view restriction changes who may read every indexed page below."""
    for source in SOURCES:
        if issubclass(source.model, Page):
            content_type_id = ContentType.objects.get_for_model(source.model).pk
            for pk in source.model.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True):
                transaction.on_commit(lambda ct=content_type_id, pk=pk: _enqueue(ct, pk))


@dataclass
class ReindexSummary:
    indexed: dict[str, int]
    skipped: int
    failed: int


def reindex_all(*, progress=None) -> ReindexSummary:
    """Rebuild the whole index from PostgreSQL; `progress(kind, done, total)` is called along the way."""
    backend = get_backend()
    backend.clear()
    indexed, skipped, failed = {}, 0, 0
    for source in SOURCES:
        objects = source.indexable()
        total = objects.count()
        content_type_id = ContentType.objects.get_for_model(source.model).pk
        indexed[source.kind] = 0
        for done, obj in enumerate(objects.iterator(chunk_size=500), start=1):
            try:
                data = source.document(obj)
                if data is None:
                    skipped += 1
                else:
                    backend.upsert(content_type_id=content_type_id, object_id=obj.pk, kind=source.kind, data=data)
                    indexed[source.kind] += 1
            except Exception:
                logger.exception("Could not index %s %s", source.kind, obj.pk)
                failed += 1
            if progress:
                progress(source.kind, done, total)
    return ReindexSummary(indexed=indexed, skipped=skipped, failed=failed)
