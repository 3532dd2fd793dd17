"""Reports on content and the moderation queue."""

from django.urls import path

from community.moderation import views

urlpatterns = [
    path("melden/<int:content_type_id>/<int:object_id>/", views.report, name="report"),
]
