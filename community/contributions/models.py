"""Member proposals for pages: a draft revision in the "Redactie" workflow, with its state.

One `Contribution` per proposal. The text itself lives where Wagtail keeps it (a revision of the
page); the row says who proposed it, what it started from, and what the editors decided.

Wagtail runs one workflow per page at a time. A proposal for a page whose workflow is busy with
another member's proposal waits in line ("queued"); its text is kept on the row (`content`), not as a
revision, so the admin and the workflow only ever see the proposal under review. A proposal whose text
clashes with a version published in the meantime waits for its author ("conflict"), text kept the same way.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

__all__ = ["Contribution", "ContributionKind", "ContributionState"]


class ContributionKind(models.TextChoices):
    CREATE = "create", _("Nieuwe pagina")
    EDIT = "edit", _("Bewerking")


class ContributionState(models.TextChoices):
    WAITING = "waiting", _("Wacht op de redactie")
    QUEUED = "queued", _("Wacht op een eerdere bijdrage")
    CONFLICT = "conflict", _("Botst met een nieuwere versie: jouw keuze nodig")
    APPROVED = "approved", _("Goedgekeurd en gepubliceerd")
    REJECTED = "rejected", _("Afgewezen")
    PUBLISHED = "published", _("Direct gepubliceerd")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


OPEN_STATES = (
    ContributionState.WAITING,
    ContributionState.QUEUED,
    ContributionState.CONFLICT,
    ContributionState.REJECTED,
)


class Contribution(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="contributions",
        verbose_name=_("auteur"),
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("pagina"),
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    base_revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    workflow_state = models.ForeignKey(
        "wagtailcore.WorkflowState", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("soort"), max_length=10, choices=ContributionKind.choices)
    state = models.CharField(
        _("status"), max_length=10, choices=ContributionState.choices, default=ContributionState.WAITING
    )
    # The proposal's content (knowledge.merge's shape) while it is not a revision: queued or in conflict.
    content = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    # Its place in line behind the proposal under review; the earliest goes first.
    queued_at = models.DateTimeField(null=True, blank=True)
    # The proposed title, so listings need not load revisions.
    title = models.CharField(_("titel"), max_length=255)
    edit_summary = models.CharField(_("samenvatting van de wijziging"), max_length=255, blank=True)
    reason = models.TextField(_("toelichting van de redactie"), blank=True)
    # One submitted form is one proposal, however often the button is pressed.
    token = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("ingediend op"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Edits by trusted members go live at once; an editor checks them afterwards in the recent changes.
    checked_at = models.DateTimeField(_("nagekeken op"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["author", "token"], name="one_contribution_per_form"),
        ]
        indexes = [
            models.Index(fields=["page", "state"], name="contribution_page_state"),
            models.Index(fields=["revision"], name="contribution_revision", condition=Q(checked_at__isnull=True)),
        ]
        verbose_name = _("bijdrage")
        verbose_name_plural = _("bijdragen")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("community:contribution_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        """Still the author's to work on: waiting (for an editor or in line), clashing, or sent back with a reason."""
        return self.state in OPEN_STATES


# The workflow's decisions reach the contributions through these receivers; importing them here
# connects them whenever the models load.
from community.contributions import signals  # noqa: E402,F401
