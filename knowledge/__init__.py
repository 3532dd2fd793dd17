"""The Kennisbank: knowledge articles (later dilemmas and questions), themes, tags and public history."""
