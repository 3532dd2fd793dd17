"""Keeping the index true: (re)index or remove one object, schedule that on commit, rebuild everything.

PostgreSQL's SearchDocument rows are always written: they are the truth and the fallback. When
Elasticsearch is configured it mirrors them. A write never fails because indexing fails: scheduling
and the task itself log and carry on; the next change or `manage.py search_reindex` repairs what was
missed. A write Elasticsearch missed (node down) is remembered as a PendingIndexChange and re-applied
from the SearchDocument rows once the node answers again: by the next write (which first flushes the
backlog), by a search (which answers from PostgreSQL meanwhile and schedules the catch-up task), and
by the catch-up task itself, which the worker retries after SEARCH_ELASTICSEARCH_RETRY_AFTER seconds.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page, Site

from search import audiences
from search.backends.common import BackendUnavailable, document_data
from search.documents import SOURCES, source_for, source_for_model
from search.models import PendingIndexChange, SearchDocument
from search.query import mirror_backend, postgres_backend, reset_mirror_state

logger = logging.getLogger(__name__)


def content_type_id_of(obj) -> int:
    if isinstance(obj, Page):
        return obj.content_type_id
    return ContentType.objects.get_for_model(obj).pk


def sync(*, content_type_id: int, object_id: int) -> bool:
    """Make the index agree with the database for one object; True when it is now indexed."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    source = next((s for s in SOURCES if s.model is model), None)
    obj = source.load(object_id) if source else None
    data = source.document(obj) if obj is not None else None
    backend = postgres_backend()
    if data is None:
        backend.delete(content_type_id=content_type_id, object_id=object_id)
    else:
        backend.upsert(content_type_id=content_type_id, object_id=object_id, kind=source.kind, data=data)
    mirror_change(content_type_id=content_type_id, object_id=object_id, kind=source and source.kind, data=data)
    return data is not None


def sync_many(keys) -> int:
    """`sync` for many (content_type_id, object_id) keys at once: documents built in bulk, written in
    batches to PostgreSQL and in one bulk request to Elasticsearch. Returns how many are now indexed."""
    by_type = {}
    for content_type_id, object_id in keys:
        by_type.setdefault(int(content_type_id), set()).add(int(object_id))
    backend, upserts, deletes = postgres_backend(), [], []
    for content_type_id, object_ids in by_type.items():
        source = source_for_model(ContentType.objects.get_for_id(content_type_id).model_class())
        built, failed = {}, set()  # a document that could not be built keeps its indexed version
        if source is not None:
            for obj, data in build_documents(source, source.indexable().filter(pk__in=object_ids)):
                if data is FAILED:
                    failed.add(obj.pk)
                else:
                    built[obj.pk] = data
        upserts += [(content_type_id, pk, source.kind, data) for pk, data in built.items() if data is not None]
        gone = sorted(pk for pk in object_ids - failed if built.get(pk) is None)
        SearchDocument.objects.filter(content_type_id=content_type_id, object_id__in=gone).delete()
        deletes += [(content_type_id, pk) for pk in gone]
    backend.bulk_upsert(upserts)
    mirror_changes(upserts=upserts, deletes=deletes)
    return len(upserts)


def index_object(obj) -> bool:
    return sync(content_type_id=content_type_id_of(obj), object_id=obj.pk)


def remove_object(obj):
    content_type_id = content_type_id_of(obj)
    postgres_backend().delete(content_type_id=content_type_id, object_id=obj.pk)
    mirror_change(content_type_id=content_type_id, object_id=obj.pk, data=None)


# Mirroring to Elasticsearch -------------------------------------------------------------------------

REBUILD = (0, 0)  # the PendingIndexChange key that means "rebuild the mirror from SearchDocument"
CATCH_UP_SCHEDULED = "search:mirror-catch-up-scheduled"
CATCH_UP_BATCH = 500


def _retry_after() -> int:
    return getattr(settings, "SEARCH_ELASTICSEARCH_RETRY_AFTER", 30)


def mirror_change(*, content_type_id, object_id, kind=None, data=None):
    """Bring the mirror in line for one object (data None: remove it)."""
    if data is None:
        mirror_changes(deletes=[(content_type_id, object_id)])
    else:
        mirror_changes(upserts=[(content_type_id, object_id, kind, data)])


def mirror_changes(*, upserts=(), deletes=()):
    """Bring the mirror in line for many documents in one bulk request; remember them when it is away.
    A document the node refuses is logged and removed there by the backend (retrying cannot help)."""
    mirror = mirror_backend()
    keys = [(ct, pk) for ct, pk, _kind, _data in upserts] + list(deletes)
    if mirror is None or not keys:
        return
    if mirror_is_behind():
        for key in keys:
            remember(*key)
        catch_up()
        return
    try:
        mirror.bulk(upserts=upserts, deletes=deletes)
        if upserts and mirror.created_index and SearchDocument.objects.count() > len(upserts):
            remember_rebuild()  # the first write made a new, empty index: what came before must follow
    except BackendUnavailable as error:
        logger.warning("Elasticsearch unavailable; %d changes are indexed when it answers: %s", len(keys), error)
        for key in keys:
            remember(*key)
        schedule_catch_up(later=True)
        return
    if mirror_is_behind():
        catch_up()


def remember(content_type_id, object_id):
    PendingIndexChange.objects.update_or_create(
        content_type_id=content_type_id, object_id=object_id, defaults={"changed_at": timezone.now()}
    )


def remember_rebuild():
    remember(*REBUILD)


def mirror_is_behind() -> bool:
    return PendingIndexChange.objects.exists()


def schedule_catch_up(*, later=False):
    """Enqueue the catch-up task: now, or (after a failure) once the node had time to come back."""
    from search.tasks import catch_up_index

    retry = _retry_after()
    task = catch_up_index
    try:
        if later:
            if not task.get_backend().supports_defer:
                return  # the next write or search tries again
            task = task.using(run_after=timezone.now() + timedelta(seconds=retry))
        if retry and not cache.add(CATCH_UP_SCHEDULED, True, timeout=retry):
            return  # one is on its way
        task.enqueue()
    except Exception:
        logger.exception("Could not schedule the search index catch-up")


def catch_up() -> bool:
    """Re-apply every change the mirror missed, from SearchDocument rows; True when nothing is left."""
    mirror = mirror_backend()
    if mirror is None:
        PendingIndexChange.objects.all().delete()
        return True
    try:
        while True:
            pending = list(PendingIndexChange.objects.order_by("pk")[:CATCH_UP_BATCH])
            if not pending:
                break
            if any((p.content_type_id, p.object_id) == REBUILD for p in pending):
                started = timezone.now()
                rebuild_mirror(mirror)
                PendingIndexChange.objects.filter(changed_at__lte=started).delete()
                continue
            _apply(mirror, [(p.content_type_id, p.object_id) for p in pending])
            done = Q()
            for p in pending:
                done |= Q(pk=p.pk, changed_at=p.changed_at)
            PendingIndexChange.objects.filter(done).delete()
    except BackendUnavailable as error:
        logger.warning("Elasticsearch still unavailable; search index catch-up postponed: %s", error)
        return False
    cache.delete(CATCH_UP_SCHEDULED)
    reset_mirror_state()
    return True


def _apply(mirror, keys):
    """Mirror the SearchDocument rows of `keys`: upsert the rows that exist, delete the rest."""
    wanted = Q()
    for content_type_id, object_id in keys:
        wanted |= Q(content_type_id=content_type_id, object_id=object_id)
    rows = {(row.content_type_id, row.object_id): row for row in SearchDocument.objects.filter(wanted)}
    mirror.bulk(
        upserts=[(ct, pk, row.kind, document_data(row)) for (ct, pk), row in rows.items()],
        deletes=[key for key in keys if key not in rows],
    )


def rebuild_mirror(mirror, *, progress=None) -> int:
    """Fill a new Elasticsearch index from every SearchDocument row and swap it in; then re-apply what
    changed while it was being built (writes during the build went to the old index)."""
    started = timezone.now()
    rows = SearchDocument.objects.order_by("pk")
    total = rows.count()
    _name, count = mirror.rebuild(
        (
            (row.content_type_id, row.object_id, row.kind, document_data(row))
            for row in rows.iterator(chunk_size=CATCH_UP_BATCH)
        ),
        total=total,
        progress=progress,
    )
    changed = list(SearchDocument.objects.filter(indexed_at__gte=started).values_list("content_type_id", "object_id"))
    stale = mirror.keys() - set(SearchDocument.objects.values_list("content_type_id", "object_id"))
    for start in range(0, len(changed) + len(stale), CATCH_UP_BATCH):
        _apply(mirror, (changed + list(stale))[start : start + CATCH_UP_BATCH])
    return count


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


SYNC_MANY_BATCH = 500  # keys per task of sync_documents


def schedule_sync_many(objects):
    """`schedule_sync` for many objects: one task per SYNC_MANY_BATCH of them, not one each."""
    keys = []
    for obj in objects:
        if source_for(obj) is not None:
            keys.append([content_type_id_of(obj), obj.pk])
    _schedule_keys(keys)


def _schedule_keys(keys):
    from search.tasks import sync_documents

    def enqueue(batch):
        try:
            sync_documents.enqueue(keys=batch)
        except Exception:
            logger.exception("Could not schedule search indexing of %d objects", len(batch))

    for start in range(0, len(keys), SYNC_MANY_BATCH):
        transaction.on_commit(lambda batch=keys[start : start + SYNC_MANY_BATCH]: enqueue(batch))


def schedule_subtree(page):
    """A move or a changed view restriction changes who may read every indexed page below."""
    keys = []
    for source in SOURCES:
        if issubclass(source.model, Page):
            content_type_id = ContentType.objects.get_for_model(source.model).pk
            pks = source.model.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)
            keys += [[content_type_id, pk] for pk in pks]
    _schedule_keys(keys)


REINDEX_BATCH = 200
FAILED = object()  # build_documents' answer for an object whose document could not be built


def build_documents(source, objects):
    """Each object with its document: a DocumentData, None (it must not be found) or FAILED (logged).

    For many pages at once, what they share is read once: the view restrictions (audiences.for_page)
    and the sites' root paths (Page.url), which Wagtail otherwise looks up for each page."""
    root_paths = Site.get_site_root_paths() if issubclass(source.model, Page) else None
    with audiences.restrictions_loaded():
        for obj in objects:
            if root_paths is not None:
                obj._wagtail_cached_site_root_paths = root_paths  # where Page._get_site_root_paths looks
            try:
                data = source.document(obj)
            except Exception:
                logger.exception("Could not build the search document of %s %s", source.kind, obj.pk)
                data = FAILED
            yield obj, data


def _write(backend, batch, indexed) -> int:
    """Write a batch of documents, counted per kind in `indexed`; when the batch fails, each document
    alone, so one bad document costs only itself. Returns how many failed."""
    try:
        backend.bulk_upsert(batch)
    except Exception:
        failed = 0
        for content_type_id, object_id, kind, data in batch:
            try:
                backend.upsert(content_type_id=content_type_id, object_id=object_id, kind=kind, data=data)
                indexed[kind] += 1
            except Exception:
                logger.exception("Could not index %s %s", kind, object_id)
                failed += 1
        return failed
    for _ct, _pk, kind, _data in batch:
        indexed[kind] += 1
    return 0


@dataclass
class ReindexSummary:
    indexed: dict[str, int]
    skipped: int
    failed: int
    mirrored: int | None = None  # documents in the new Elasticsearch index, None without one
    mirror_error: str = ""  # why Elasticsearch could not be rebuilt (it is rebuilt when it answers)
    notes: list[str] = field(default_factory=list)


def reindex_all(*, progress=None) -> ReindexSummary:
    """Rebuild the whole index from PostgreSQL; `progress(kind, done, total)` is called along the way.

    First the SearchDocument rows from every Source, then (when configured) a new Elasticsearch index
    from those rows, swapped in behind the alias without downtime."""
    backend = postgres_backend()
    backend.clear()
    indexed, skipped, failed = {}, 0, 0
    for source in SOURCES:
        objects = source.indexable()
        total = objects.count()
        content_type_id = ContentType.objects.get_for_model(source.model).pk
        indexed[source.kind] = 0
        batch = []
        documents = build_documents(source, objects.iterator(chunk_size=500))
        for done, (obj, data) in enumerate(documents, start=1):
            if data is FAILED:
                failed += 1
            elif data is None:
                skipped += 1
            else:
                batch.append((content_type_id, obj.pk, source.kind, data))
                if len(batch) == REINDEX_BATCH:
                    failed += _write(backend, batch, indexed)
                    batch = []
            if progress:
                progress(source.kind, done, total)
        if batch:
            failed += _write(backend, batch, indexed)
    summary = ReindexSummary(indexed=indexed, skipped=skipped, failed=failed)
    mirror = mirror_backend()
    if mirror is not None:
        started = timezone.now()
        try:
            summary.mirrored = rebuild_mirror(
                mirror, progress=progress and (lambda done, total: progress("elasticsearch", done, total))
            )
            PendingIndexChange.objects.filter(changed_at__lte=started).delete()
            reset_mirror_state()
        except BackendUnavailable as error:
            logger.warning("Elasticsearch unavailable; it is rebuilt when it answers again: %s", error)
            summary.mirror_error = str(error)
            remember_rebuild()
            schedule_catch_up(later=True)
    return summary
