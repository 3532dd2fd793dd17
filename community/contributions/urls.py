from django.urls import path

from community.contributions import views

urlpatterns = [
    path("bijdragen/nieuw/<slug:key>/", views.contribution_new, name="contribution_new"),
    path("bijdragen/bewerken/<int:page_id>/", views.contribution_edit, name="contribution_edit"),
    path("mijn-bijdragen/", views.my_contributions, name="my_contributions"),
    path("mijn-bijdragen/<int:pk>/", views.contribution_detail, name="contribution_detail"),
    path("mijn-bijdragen/<int:pk>/herzien/", views.contribution_revise, name="contribution_revise"),
    path("mijn-bijdragen/<int:pk>/intrekken/", views.contribution_withdraw, name="contribution_withdraw"),
    path("meldingen/", views.notification_list, name="notifications"),
]
