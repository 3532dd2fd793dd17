"""Which page types members may propose and edit from the site, and with which form.

A page type joins by registering a `ContributionType` from a module that is imported at start-up
(for instance its app's `wagtail_hooks.py`):

    registry.register(ContributionType(
        key="dilemma",                      # in the address: /bijdragen/nieuw/dilemma/
        page_class=Dilemma,
        form_class=DilemmaContributionForm, # a community.contributions.forms.ContributionForm
        parent=lambda: DilemmaIndexPage.objects.first(),
        label=_("dilemma"),
    ))

The form class describes the fields (`text_fields`, `stream_fields`, themes and tags come with the base
class), reads them from a page (`content_of`) and writes them onto one (`apply`). Everything else —
drafts, the "Redactie" workflow, trust, conflicts, "Mijn bijdragen" — is shared.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

_types: dict[str, "ContributionType"] = {}


@dataclass(frozen=True)
class ContributionType:
    key: str
    page_class: type
    form_class: type
    parent: Callable
    label: str
    new_label: str = ""
    preview_template: str = "community/contributions/preview_article.html"
    # Optional: "form_template", a page type's own proposal form template (gets the same context as ours).
    extra: dict = field(default_factory=dict)


def register(contribution_type: ContributionType) -> ContributionType:
    _types[contribution_type.key] = contribution_type
    return contribution_type


def by_key(key: str) -> ContributionType | None:
    return _types.get(key)


def for_page(page) -> ContributionType | None:
    specific_class = page.specific_class if hasattr(page, "specific_class") else type(page)
    for contribution_type in _types.values():
        if specific_class is contribution_type.page_class:
            return contribution_type
    return None


def all_types() -> list[ContributionType]:
    return list(_types.values())
