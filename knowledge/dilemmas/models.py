"""Dilemma case studies (issue 5): pages, options, choices ("Wat zou jij doen?") and reactions."""
