"""Reports on content and the moderation queue."""
