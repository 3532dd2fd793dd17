"""Dilemmas need no URLs of their own: the index and the pages are Wagtail pages, whose routes
(kiezen/, reageren/, voorstellen/) sit below them, so Wagtail's view restrictions guard every one.

Importing the forms registers the dilemma's site form with community.contributions once URLs load,
so "Mijn bijdragen" and the proposal services know the page type in every process.
"""

from knowledge.dilemmas import forms  # noqa: F401

urlpatterns = []
