"""The site itself: settings, URLs, the home page, site chrome and shared templates."""
