"""What members type in a paragraph, and the rich text Wagtail stores: both ways, and always clean.

Members write a light markup that needs no JavaScript and no HTML:

    **vet**, *cursief*, [linktekst](https://voorbeeld.nl), een lege regel tussen alinea's,
    regels die beginnen met "- " (opsomming) of "1. " (genummerde lijst).

Everything a member types is escaped first, so HTML they type shows as text. The HTML we build from
the markup then passes a whitelist (nh3, the Ammonia sanitiser): only paragraphs, line breaks, bold,
italic, lists and links to http(s), mailto, or a page or document of the site. Script, event handlers,
styles, and javascript:/data: addresses never survive it.
"""

import html
import re

import nh3
from bs4 import BeautifulSoup, NavigableString, Tag

ALLOWED_TAGS = {"p", "br", "b", "i", "ul", "ol", "li", "a"}
# Internal links travel as pagina:<id> and document:<id> until they become Wagtail's own link format.
URL_SCHEMES = {"http", "https", "mailto", "pagina", "document"}
INTERNAL = {"pagina": "page", "document": "document"}

BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
LINK = re.compile(r"\[([^\]\n]+)\]\(\s*([^)\s]+)\s*\)")
BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
ITALIC = re.compile(r"(?<![*\w])\*(?=\S)(.+?)(?<=\S)\*(?![*\w])")
SAFE_HREF = re.compile(r"^(https?://[^\s\"'<>]+|mailto:[^\s\"'<>]+|pagina:\d+|document:\d+)$", re.IGNORECASE)


def sanitise(fragment: str) -> str:
    """The whitelist every member-written HTML fragment passes, whatever produced it."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        # linktype/id: Wagtail's own format for links to a page or document of the site, which it renders itself.
        attributes={"a": {"href", "linktype", "id"}},
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def _link(match) -> str:
    text, href = match.group(1), html.unescape(match.group(2))
    if not SAFE_HREF.match(href):
        return match.group(0)
    return f'<a href="{html.escape(href, quote=True)}">{text}</a>'


def _inline(text: str) -> str:
    escaped = html.escape(text, quote=False)
    escaped = LINK.sub(_link, escaped)
    escaped = BOLD.sub(r"<b>\1</b>", escaped)
    return ITALIC.sub(r"<i>\1</i>", escaped)


def _blocks_of(markup: str):
    """Paragraphs and lists, split on blank lines and on where a list starts or stops."""
    lines = markup.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    current_kind, current = None, []
    for line in lines + [""]:
        if not line.strip():
            if current:
                yield current_kind, current
            current_kind, current = None, []
            continue
        bullet, numbered = BULLET.match(line), NUMBERED.match(line)
        kind = "ul" if bullet else "ol" if numbered else "p"
        content = (bullet or numbered).group(1) if kind != "p" else line.strip()
        if current and kind != current_kind:
            yield current_kind, current
            current = []
        current_kind = kind
        current.append(content)


def markup_to_html(markup: str) -> str:
    """Member markup to Wagtail's stored rich text (sanitised, internal links in Wagtail's format)."""
    parts = []
    for kind, lines in _blocks_of(markup or ""):
        if kind == "p":
            parts.append("<p>" + "<br>".join(_inline(line) for line in lines) + "</p>")
        else:
            parts.append(f"<{kind}>" + "".join(f"<li>{_inline(line)}</li>" for line in lines) + f"</{kind}>")
    return _to_wagtail_links(sanitise("".join(parts)))


def _to_wagtail_links(fragment: str) -> str:
    soup = BeautifulSoup(fragment, "html.parser")
    for anchor in soup.find_all("a"):
        scheme, _, ident = anchor.get("href", "").partition(":")
        if scheme.lower() in INTERNAL:
            del anchor["href"]
            anchor["linktype"] = INTERNAL[scheme.lower()]
            anchor["id"] = ident
    return str(soup)


def _inline_markup(node) -> str:
    if isinstance(node, NavigableString):
        return " ".join(str(node).split("\n"))
    if not isinstance(node, Tag):
        return ""
    inner = "".join(_inline_markup(child) for child in node.children)
    if node.name == "br":
        return "\n"
    if node.name in ("b", "strong"):
        return f"**{inner}**" if inner.strip() else inner
    if node.name in ("i", "em"):
        return f"*{inner}*" if inner.strip() else inner
    if node.name == "a":
        if node.get("linktype") == "page":
            return f"[{inner}](pagina:{node.get('id')})"
        if node.get("linktype") == "document":
            return f"[{inner}](document:{node.get('id')})"
        if node.get("href"):
            return f"[{inner}]({node['href']})"
    return inner


def html_to_markup(fragment: str) -> str:
    """Wagtail's stored rich text back to the markup a member edits."""
    soup = BeautifulSoup(fragment or "", "html.parser")
    parts = []
    for node in soup.children:
        if isinstance(node, Tag) and node.name in ("ul", "ol"):
            items = node.find_all("li", recursive=False)
            parts.append(
                "\n".join(
                    f"{'- ' if node.name == 'ul' else f'{number}. '}{_inline_markup(item).strip()}"
                    for number, item in enumerate(items, start=1)
                )
            )
        else:
            text = _inline_markup(node).strip()
            if text:
                parts.append(text)
    return "\n\n".join(parts)


def plain(text: str) -> str:
    """Plain text fields: no control characters; templates escape the rest when they show it."""
    return "".join(ch for ch in (text or "") if ch in "\n\t" or ord(ch) >= 32).strip()
