"""Member text (plain, paragraphs by blank lines) as safe HTML: escaped, web addresses as links.

One regular expression instead of Django's word-by-word `urlize`: a page with hundreds of answers and
comments renders them all, so this runs often. Only http(s) addresses become links, so a
`javascript:` address stays text.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Matched in escaped text, so an address ends before an escaped quote or angle bracket.
ADDRESS = re.compile(r"\bhttps?://(?:(?!&quot;|&#x27;|&lt;|&gt;)[^\s])+", re.IGNORECASE)
TRAILING = ".,;:!?)]}'\""
PARAGRAPHS = re.compile(r"\n\s*\n")


def _link(match):
    address = match.group(0)
    stripped = address.rstrip(TRAILING)
    tail = address[len(stripped) :]
    return f'<a href="{stripped}" rel="nofollow ugc">{stripped}</a>{tail}'


def _inline(text: str) -> str:
    return ADDRESS.sub(_link, escape(text)).replace("\n", "<br>")


def paragraphs(text: str) -> str:
    """`<p>` per paragraph, `<br>` per line break, links for web addresses; everything else escaped."""
    parts = [part.strip() for part in PARAGRAPHS.split((text or "").strip()) if part.strip()]
    return mark_safe("".join(f"<p>{_inline(part)}</p>" for part in parts))  # noqa: S308


def line(text: str) -> str:
    """The same without paragraphs, for short comments."""
    return mark_safe(_inline((text or "").strip()))  # noqa: S308
