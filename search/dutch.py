"""Dutch writes compounds as one word ("openbaarmaking") where a phrase splits them ("openbaar maken").

Both backends index `compounds(text)` beside the text: each pair of neighbouring words written as one.
The Dutch stemmer then brings "openbaarmaken" and "openbaarmaking" to one stem, so a search for the
compound finds the phrase. Short and function words are left out; they make no compounds.
"""

import re

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
MIN_PART = 3
STOP_WORDS = frozenset(
    [
        "aan",
        "als",
        "bij",
        "dan",
        "dat",
        "de",
        "den",
        "der",
        "des",
        "deze",
        "die",
        "dit",
        "door",
        "een",
        "en",
        "er",
        "had",
        "heb",
        "het",
        "hij",
        "hoe",
        "ik",
        "in",
        "is",
        "je",
        "kan",
        "maar",
        "met",
        "mij",
        "na",
        "naar",
        "niet",
        "nog",
        "of",
        "om",
        "omdat",
        "onder",
        "ons",
        "ook",
        "op",
        "over",
        "te",
        "tot",
        "u",
        "uit",
        "van",
        "veel",
        "voor",
        "want",
        "was",
        "wat",
        "we",
        "wel",
        "werd",
        "wie",
        "wij",
        "word",
        "worden",
        "wordt",
        "zal",
        "ze",
        "zich",
        "zij",
        "zijn",
        "zo",
        "zou",
    ]
)


def compounds(text: str, *, limit: int = 20000) -> str:
    """Neighbouring content words joined: "openbaar maken van stukken" -> "openbaarmaken"."""
    words = [word.lower() for word in _WORD.findall(text or "")[:limit]]
    joined = set()
    for first, second in zip(words, words[1:], strict=False):
        if len(first) < MIN_PART or len(second) < MIN_PART or first in STOP_WORDS or second in STOP_WORDS:
            continue
        joined.add(first + second)
    return " ".join(sorted(joined))
