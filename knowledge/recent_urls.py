"""/recente-wijzigingen/ and its Atom feed."""

from django.urls import path

from knowledge import recent

urlpatterns = [
    path("recente-wijzigingen/", recent.recent_changes, name="recent_changes"),
    path("recente-wijzigingen/atom/", recent.recent_changes_feed, name="recent_changes_feed"),
    path("recente-wijzigingen/<int:revision_id>/ongedaan-maken/", recent.change_revert, name="recent_change_revert"),
    path("recente-wijzigingen/<int:revision_id>/gecontroleerd/", recent.change_checked, name="recent_change_checked"),
]
