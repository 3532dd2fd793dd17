import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def sync_document(*, content_type_id: int, object_id: int):
    from search.indexing import sync

    try:
        sync(content_type_id=content_type_id, object_id=object_id)
    except Exception:
        logger.exception("Search indexing of %s:%s failed", content_type_id, object_id)
        raise


@task()
def sync_documents(*, keys: list[list[int]]):
    """Many objects at once (a renamed theme, a moved section): [[content_type_id, object_id], ...]."""
    from search.indexing import sync_many

    try:
        sync_many(keys)
    except Exception:
        logger.exception("Search indexing of %d objects failed", len(keys))
        raise


@task()
def catch_up_index():
    """Re-apply what Elasticsearch missed while it was away; try again later while it still is."""
    from django.core.cache import cache

    from search.indexing import CATCH_UP_SCHEDULED, catch_up, schedule_catch_up

    cache.delete(CATCH_UP_SCHEDULED)
    if not catch_up():
        schedule_catch_up(later=True)
