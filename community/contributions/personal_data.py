"""A member's proposals in their data export, including text that was never published."""

from community.contributions.models import Contribution
from community.services.privacy import register_personal_data


def _when(value):
    return value.isoformat() if value else None


@register_personal_data("bijdragen")
def contributions(user):
    return [
        {
            "titel": contribution.title,
            "soort": contribution.get_kind_display(),
            "status": contribution.get_state_display(),
            "samenvatting_van_de_wijziging": contribution.edit_summary,
            "toelichting_van_de_redactie": contribution.reason,
            "ingediend_op": _when(contribution.created_at),
            "beoordeeld_op": _when(contribution.decided_at),
            "voorgestelde_tekst": contribution.content,
        }
        for contribution in Contribution.objects.filter(author=user).order_by("created_at", "pk")
    ]
