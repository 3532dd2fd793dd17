from django.urls import path

from knowledge import views
from knowledge.dilemmas.urls import urlpatterns as dilemma_urls
from knowledge.questions.urls import urlpatterns as question_urls
from knowledge.recent_urls import urlpatterns as recent_urls

app_name = "knowledge"

urlpatterns = [
    path("themas/", views.theme_index, name="themes"),
    path("themas/<slug:slug>/", views.theme_detail, name="theme"),
    path("tags/", views.tag_index, name="tags"),
    path("tags/<str:slug>/", views.tag_detail, name="tag"),
    *recent_urls,
    *dilemma_urls,
    *question_urls,
]
