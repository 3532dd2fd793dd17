"""An oEmbed provider lives outside this machine; this finder stands in for it in tests."""

from wagtail.embeds.exceptions import EmbedNotFoundException
from wagtail.embeds.finders.base import EmbedFinder

KNOWN = "https://video.example.org/raadsvergadering"


class ExampleVideoFinder(EmbedFinder):
    def accept(self, url):
        return url.startswith("https://video.example.org/")

    def find_embed(self, url, max_width=None, max_height=None):
        if url != KNOWN:
            raise EmbedNotFoundException
        return {
            "title": "Raadsvergadering",
            "type": "video",
            "width": 640,
            "height": 360,
            "html": '<iframe title="Raadsvergadering" src="https://video.example.org/embed/1"></iframe>',
        }
