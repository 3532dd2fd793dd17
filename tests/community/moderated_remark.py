"""A small ModeratedContent model for the moderation tests: it stands in for answers, comments and
reactions, whatever models exist. Its app is not installed, so migrations never see it; the fixture
creates its table inside the test's transaction and registers it for moderation for that test only."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models

from community.models import ModeratedContent
from community.moderation import registry


class Remark(ModeratedContent):
    body = models.TextField()
    page = models.ForeignKey("wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        app_label = "moderation_tests"
        verbose_name = "opmerking"

    def get_absolute_url(self):
        return f"/opmerkingen/{self.pk}/"

    def moderation_label(self):
        return f"Opmerking: {self.body[:40]}"


@pytest.fixture
def remark_model(db, monkeypatch):
    with connection.schema_editor() as editor:
        editor.create_model(Remark)
    ContentType.objects.clear_cache()
    monkeypatch.setitem(registry._models, Remark._meta.label_lower, Remark)
    yield Remark
    ContentType.objects.clear_cache()
