"""The search read model: one denormalised row per searchable item, rebuildable from PostgreSQL at any time."""

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models

# A copy of PostgreSQL's `dutch` configuration that strips accents before stemming, so that the
# stored vector, the query and ts_headline's highlighting all agree on "café" = "cafe".
SEARCH_CONFIG = "dutch_unaccent"


class SearchDocument(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=30)
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    extra = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    themes = ArrayField(models.CharField(max_length=80), default=list, blank=True)
    tags = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    organisation_type = models.CharField(max_length=40, blank=True)
    date = models.DateTimeField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    accepted = models.BooleanField(null=True, blank=True)
    audiences = ArrayField(models.CharField(max_length=40), default=list)
    search_vector = SearchVectorField(null=True)
    # Title and summary only: short enough to stay in the row, so every match can be ranked by it
    # before the best are ranked by the whole search_vector (see PostgresBackend._matches).
    rank_vector = SearchVectorField(null=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="one_search_document_per_object")
        ]
        indexes = [
            # One GIN index answers both conditions of every search: the words, and who may read them.
            GinIndex(fields=["search_vector", "audiences"], name="search_document_text_readers"),
            models.Index(fields=["-date"], name="search_document_date"),
        ]

    def __str__(self):
        return self.title


class SearchTerm(models.Model):
    """Words seen in indexed text, for "Bedoelde je ...?" through trigram similarity."""

    word = models.CharField(max_length=60, unique=True)

    class Meta:
        indexes = [GinIndex(OpClass("word", name="gin_trgm_ops"), name="search_term_trigram")]

    def __str__(self):
        return self.word


class PendingIndexChange(models.Model):
    """An index write Elasticsearch missed while it was unreachable, re-applied from SearchDocument when it
    answers again. PostgreSQL's SearchDocument rows are the truth; Elasticsearch mirrors them.

    The row (0, 0) stands for "rebuild the whole Elasticsearch index from SearchDocument".
    """

    content_type_id = models.PositiveIntegerField()
    object_id = models.PositiveBigIntegerField()
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type_id", "object_id"], name="one_pending_change_per_object")
        ]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id}"
