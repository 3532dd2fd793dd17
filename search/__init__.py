"""One query API over all content with a PostgreSQL and an Elasticsearch backend (see the search issue)."""
