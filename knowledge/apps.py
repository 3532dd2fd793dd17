from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = _("Kennisbank")

    def ready(self):
        # Every process (web, worker, management commands) knows the site forms of each page type and the
        # sections of a member's data export, whether or not it ever loads the URLs.
        from community.contributions import forms as article_forms  # noqa: F401
        from knowledge import personal_data  # noqa: F401
        from knowledge.dilemmas import forms as dilemma_forms  # noqa: F401
        from knowledge.questions import contributions as question_forms  # noqa: F401
