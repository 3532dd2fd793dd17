"""Q&A actions (inside the "knowledge" namespace); the question pages themselves are Wagtail pages under /vragen/."""

from django.urls import path

from knowledge.questions import views

urlpatterns = [
    path("vragen/stel-een-vraag/", views.question_ask, name="question_ask"),
    path("vragen/<int:question_id>/antwoorden/", views.answer_create, name="answer_create"),
    path("vragen/<int:question_id>/reacties/", views.comment_create, name="comment_create"),
    path("vragen/<int:question_id>/volgen/", views.question_follow, name="question_follow"),
    path("vragen/<int:question_id>/sluiten/", views.question_close, name="question_close"),
    path("vragen/antwoorden/<int:answer_id>/stem/", views.answer_vote, name="answer_vote"),
    path("vragen/antwoorden/<int:answer_id>/accepteren/", views.answer_accept, name="answer_accept"),
    path("vragen/antwoorden/<int:answer_id>/bewerken/", views.answer_edit, name="answer_edit"),
]
