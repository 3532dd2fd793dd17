"""Members, profiles, werkgroepen, contributions and moderation (see the community issue); empty for now."""
