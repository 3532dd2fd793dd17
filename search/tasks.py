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
