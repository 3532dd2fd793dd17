"""Reads about contributions that other parts of the platform use (recent changes, "Mijn bijdragen")."""

from community.contributions.models import Contribution, ContributionState


def unchecked_revision_ids(revision_ids) -> set[int]:
    """Of these revisions, the ones that went live without review and no editor has checked yet."""
    return set(
        Contribution.objects.filter(
            revision_id__in=list(revision_ids), state=ContributionState.PUBLISHED, checked_at__isnull=True
        ).values_list("revision_id", flat=True)
    )


def contributions_of(user):
    """A member's contributions, newest first, with what "Mijn bijdragen" shows (no query per row)."""
    return Contribution.objects.filter(author=user).select_related("page").order_by("-created_at", "-pk")


def contribution_for_revision(revision_id) -> Contribution | None:
    return Contribution.objects.filter(revision_id=revision_id).first()
