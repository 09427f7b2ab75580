"""The word filter, on text normalised the way a reader sees it: compatibility forms (fullwidth,
mathematical bold) folded by NFKC, look-alike letters from other scripts and small capitals
folded to Latin, digits and symbols read as letters, invisible characters and separators
dropped, so "fuсk" (Cyrillic с), "f u c k" and "f.u.c.k" read as what they say.

Matching is by whole word and set lookup over better-profanity's word list (its own matcher
took 77 ms a story): ordinary names and words that list holds (Len, God, Gay) and whole names
such as "Dick Van Dyke" are let through.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

# letters that look like Latin ones: Cyrillic, Greek, small capitals and a few IPA forms
_LOOK_ALIKES = {
    "a": "аαɑᴀ", "b": "вβʙ", "c": "сϲᴄ", "d": "ԁᴅ", "e": "еєεᴇ", "f": "ғϝꜰ", "g": "ɢɡ", "h": "һнʜ",
    "i": "іїιɪӏ", "j": "јᴊ", "k": "кκᴋ", "l": "ʟ", "m": "мᴍ", "n": "пηɴ", "o": "оοσᴏ", "p": "рρᴘ",
    "q": "ԛǫ", "r": "гʀ", "s": "ѕꜱ", "t": "тτᴛ", "u": "υᴜ", "v": "νᴠ", "w": "ԝᴡ", "x": "хχ",
    "y": "уүʏ", "z": "ᴢ",
}
_LATIN = str.maketrans({alike: latin for latin, alikes in _LOOK_ALIKES.items() for alike in alikes})
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s", "+": "t", "!": "i"})
# characters that show nothing: zero-width ones, bidi marks, fillers (Hangul U+3164 and its kin), blank braille
INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b\u200e\u200f\u202a-\u202e"
                       "\u2060-\u206f\u2800\u3164\ufeff\uffa0]")
_SHAPING = re.compile("[\u200c\u200d\ufe00-\ufe0f]")  # joiners and variation selectors: they shape, and split no word
_TOKEN = re.compile(r"(?:[^\W_]|[@$+!*])+")
# words the list holds that are ordinary names or words on a wall of names and stories
_ORDINARY = {"god", "omg", "gay", "gai", "gae", "gey", "fat", "rum", "pot", "pee", "hiv", "pms", "pcp", "uzi", "len",
             "asanchez", "hell", "damn", "crap", "sex", "xx", "sob"}
_ENDINGS = ("ing", "in", "ed", "er", "ers", "head", "face")
_WHOLE_NAMES = ("dick van dyke", "moby dick", "philip k dick", "dick turpin", "dick francis", "dick whittington")


def folded(text: str) -> str:
    """The text as it reads: NFKC, case folded, look-alikes as Latin, accents and invisibles gone."""
    text = unicodedata.normalize("NFKC", _SHAPING.sub("", INVISIBLE.sub("", text))).casefold().translate(_LATIN)
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c) or c > "\u036f")


@cache
def _lists() -> tuple[frozenset[str], tuple[str, ...], re.Pattern]:
    """The listed words (each as read), the listed phrases, and a search for any word of the list."""
    source = resources.files("better_profanity").joinpath("profanity_wordlist.txt").read_text(encoding="utf-8")
    words, phrases = set(), []
    for line in source.splitlines():
        tokens = [_read(t) for t in _TOKEN.findall(folded(line))]
        if len(tokens) == 1 or "-" in line or "_" in line or "." in line:
            words.add("".join(tokens))
        elif tokens:
            phrases.append(" " + " ".join(tokens) + " ")
    words -= _ORDINARY
    hidden = re.compile("|".join(sorted(map(re.escape, (w for w in words if len(w) > 2)), key=len, reverse=True)))
    return frozenset(words), tuple(phrases), hidden


def offensive(text: str) -> bool:
    """Whether the text holds a listed word or phrase, however it is spelt out."""
    words, phrases, hidden = _lists()
    read = f" {folded(text)} "
    for name in _WHOLE_NAMES:
        read = read.replace(f" {name} ", "  ")
    tokens = [t.rstrip("!") or t for t in _TOKEN.findall(read)]
    if any(_listed(token, words) for token in tokens):
        return True
    spoken = " " + " ".join(map(_read, tokens)) + " "
    if any(phrase in spoken for phrase in phrases):
        return True
    run: list[str] = []  # single letters in a row, "f u c k" or "f.u.c.k", read as one word
    for token in [*tokens, "end"]:
        if len(token) == 1:
            run.append(token.translate(_LEET))
            continue
        if len(run) > 2 and any(c.isalpha() for c in run) and hidden.search("".join(run)):
            return True
        run = []
    return False


def _read(token: str) -> str:
    """A word with its digits and symbols read as letters, when it has a letter (455 is a number)."""
    return token.translate(_LEET) if any(c.isalpha() for c in token) else token


def _listed(token: str, words: frozenset[str]) -> bool:
    """A word, read plainly, as leet, with its letters held ("fuuuck"), with a star for a vowel, or with an ending."""
    read = _read(token)
    forms = {token, read, re.sub(r"(.)\1+", r"\1", read)}
    if "*" in read and read.count("*") <= 2:
        forms |= {read.replace("*", v, 1).replace("*", w) for v in "aeiou" for w in "aeiou"}
    for form in list(forms):
        forms |= {form[: -len(end)] for end in _ENDINGS if form.endswith(end) and len(form) > len(end) + 2}
    return not forms.isdisjoint(words)
