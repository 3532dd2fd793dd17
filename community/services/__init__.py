"""Every write to community data goes through these functions: `<noun>_<verb>(*, actor, ...)`.

They check permissions, keep derived state in step (a werkgroep's access group, for instance) and
raise CommunityError with a message for the user when something is not allowed.
"""


class CommunityError(Exception):
    """A refusal the user should read; the message is translated."""

    @property
    def message(self):
        return str(self.args[0]) if self.args else ""
