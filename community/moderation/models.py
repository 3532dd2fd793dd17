"""Reports on content and the moderation queue.

A member reports a target (a page, or a ModeratedContent item such as an answer or a reaction); the
reports on one target gather in one ModerationCase, which is what editors see and decide on. Writes
go through community.moderation.services.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["CaseState", "ModerationCase", "Report", "ReportReason"]


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam of reclame")
    OFFENSIVE = "offensive", _("Beledigend, discriminerend of intimiderend")
    PERSONAL_DATA = "personal-data", _("Bevat persoonsgegevens die er niet horen")
    MISLEADING = "misleading", _("Onjuist of misleidend")
    COPYRIGHT = "copyright", _("Schendt auteursrecht")
    OTHER = "other", _("Iets anders")


class CaseState(models.TextChoices):
    OPEN = "open", _("Open")
    HIDDEN = "hidden", _("Verborgen")
    RESTORED = "restored", _("Hersteld")
    DISMISSED = "dismissed", _("Afgewezen")


class ModerationCase(models.Model):
    """Everything reported about one target, and what the editors decided."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("soort inhoud")
    )
    object_id = models.PositiveBigIntegerField()
    state = models.CharField(
        _("status"), max_length=10, choices=CaseState.choices, default=CaseState.OPEN, db_index=True
    )
    # What the queue shows, kept here so a listing needs no query per target (and survives its deletion).
    target_label = models.CharField(_("inhoud"), max_length=255)
    target_url = models.CharField(_("adres"), max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    reporter_count = models.PositiveIntegerField(_("aantal melders"), default=0)
    first_reported_at = models.DateTimeField(_("eerst gemeld op"), null=True, blank=True)
    last_reported_at = models.DateTimeField(_("laatst gemeld op"), null=True, blank=True, db_index=True)
    hidden_automatically = models.BooleanField(_("automatisch verborgen"), default=False)
    # A hidden page is a view restriction for the editors' groups; restoring removes exactly this one.
    restriction = models.ForeignKey(
        "wagtailcore.PageViewRestriction", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beoordeeld door"),
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="one_case_per_target")]
        ordering = ["-reporter_count", "-last_reported_at"]
        verbose_name = _("gemelde inhoud")
        verbose_name_plural = _("gemelde inhoud")

    def __str__(self):
        return self.target_label

    @property
    def is_page(self) -> bool:
        from wagtail.models import Page

        model = self.content_type.model_class()
        return model is not None and issubclass(model, Page)

    @property
    def target(self):
        """The reported object, or None once it is deleted."""
        from community.moderation.services import target_for

        return target_for(self.content_type, self.object_id)


class Report(models.Model):
    """One member's report on a target; a member reports a target once (a second time counts once)."""

    case = models.ForeignKey(ModerationCase, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports", verbose_name=_("melder")
    )
    reason = models.CharField(_("reden"), max_length=20, choices=ReportReason.choices)
    note = models.TextField(_("toelichting"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("gemeld op"), auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "reporter"], name="one_report_per_member_per_target")]
        ordering = ["-created_at"]
        verbose_name = _("melding van inhoud")
        verbose_name_plural = _("meldingen van inhoud")

    def __str__(self):
        return f"{self.get_reason_display()}: {self.case}"

    @property
    def content_type(self):
        return self.case.content_type

    @property
    def object_id(self):
        return self.case.object_id
