from django.urls import path

from knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("themas/", views.theme_index, name="themes"),
    path("themas/<slug:slug>/", views.theme_detail, name="theme"),
    path("tags/", views.tag_index, name="tags"),
    path("tags/<str:slug>/", views.tag_detail, name="tag"),
]
