"""The word filter, on text normalised the way a reader sees it: compatibility forms (fullwidth,
mathematical bold) folded by NFKC, look-alike letters from other scripts and small capitals
folded to Latin, digits and symbols read as letters, invisible characters and separators
dropped, so "fuсk" (Cyrillic с), "f u c k" and "f.u.c.k" read as what they say.

Matching is by whole word and set lookup over better-profanity's word list (its own matcher
took 77 ms a story) and ours of the commonest obscenities and slurs in other languages
(words_beyond_english.txt): ordinary names and words those lists hold (Len, God, Gay) and
whole names such as "Dick Van Dyke" are let through. Words of scripts written without spaces
(Chinese, Japanese, Korean) are found anywhere in the text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources

# letters that look like Latin ones: Cyrillic, Greek, small capitals and a few IPA forms
_LOOK_ALIKES = {
    "a": "аαɑᴀ", "b": "вβʙ", "c": "сϲᴄ", "d": "ԁᴅ", "e": "еєεᴇ", "f": "ғϝꜰ", "g": "ɢɡ", "h": "һнʜ",
    "i": "іїιɪӏ", "j": "јᴊ", "k": "кκᴋ", "l": "ʟ", "m": "мᴍ", "n": "пηɴ", "o": "оοσᴏ", "p": "рρᴘ",
    "q": "ԛǫ", "r": "гʀ", "s": "ѕꜱ", "t": "тτᴛ", "u": "υᴜ", "v": "νᴠ", "w": "ԝᴡ", "x": "хχ",
    "y": "уүʏ", "z": "ᴢ",
}
_LOOK_ALIKES_TOO = {  # Armenian, Cherokee (capitals: what casefold gives), Lisu, and Latin with hooks
    "a": "Ꭺꓮ", "b": "Ᏼꓐ", "c": "Ꮯꓚ", "d": "Ꭰꓓ", "e": "Ꭼꓰҽ", "f": "ƒꓝ", "g": "Ꮐꓖց", "h": "Ꮋꓧհ", "i": "ꓲı",
    "j": "Ꭻꓙϳ", "k": "Ꮶꓗ", "l": "Ꮮꓡǀ", "m": "Ꮇꓟ", "n": "ոꓠ", "o": "օꓳ", "p": "Ꮲꓑ", "q": "զ", "r": "Ꭱꓣ", "s": "Ꮪꓢ",
    "t": "Ꭲꓔ", "u": "սꓴμʋ", "v": "Ꮩꓦѵ", "w": "Ꮃꓪѡա", "x": "ꓫҳ", "y": "ꓬ", "z": "Ꮓꓜ",
}
# letters on tiles (negative circled, negative squared) and the regional indicators that make flags: no NFKC form
_TILES = {chr(start + n): chr(ord("a") + n) for start in (0x1F150, 0x1F170, 0x1F1E6) for n in range(26)}
_LATIN = str.maketrans({alike: latin for table in (_LOOK_ALIKES, _LOOK_ALIKES_TOO) for latin, alikes in table.items()
                        for alike in alikes} | _TILES)
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s", "+": "t", "!": "i"})
# characters that show nothing: zero-width ones, bidi marks, fillers (Hangul U+3164 and its kin), blank braille
INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u200b\u200e\u200f\u202a-\u202e"
                       "\u2060-\u206f\u2800\u3164\ufeff\uffa0]")
_SHAPING = re.compile("[\u200c\u200d\ufe00-\ufe0f]")  # joiners and variation selectors: they shape, and split no word
# the combining marks of scripts whose words carry them (Cyrillic, Hebrew, Arabic, the Indic scripts, Thai,
# Lao, Tibetan, Myanmar, Khmer): part of a word, where \w alone would split "चूतिया" at each vowel sign
_MARKS = ("\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7\u0610-\u061a\u064b-\u065f\u0670"
          "\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u0900-\u0963\u0966-\u0dff\u0e31\u0e34-\u0e3a"
          "\u0e47-\u0e4e\u0eb1\u0eb4-\u0ebc\u0ec8-\u0ecd\u0f18\u0f19\u0f35\u0f37\u0f39\u0f71-\u0f84\u0f86-\u0fbc"
          "\u102b-\u103e\u1056-\u1059\u105e-\u1060\u1062-\u1064\u1067-\u106d\u1071-\u1074\u1082-\u108d\u108f"
          "\u109a-\u109d\u17b6-\u17d3")
_TOKEN = re.compile(rf"(?:[^\W_]|[@$+!*{_MARKS}])+")
_HAN_KANA = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Chinese characters and Japanese kana
# scripts written without spaces between words: a listed word of theirs is looked for anywhere
_UNSPACED = re.compile(f"[{_HAN_KANA}\uac00-\ud7af]")
# words the list holds that are ordinary names or words on a wall of names and stories
_ORDINARY = {"god", "omg", "gay", "gai", "gae", "gey", "fat", "rum", "pot", "pee", "hiv", "pms", "pcp", "uzi", "len",
             "asanchez", "hell", "damn", "crap", "sex", "xx", "sob"}
# what a word of Chinese or Japanese is read through: "傻 逼", "傻.逼" (Korean keeps its spaces: they part its words)
_BETWEEN_HAN = re.compile(rf"(?<=[{_HAN_KANA}])[\W\d_]+(?=[{_HAN_KANA}])")
_ENDINGS = ("ing", "in", "ed", "er", "ers", "head", "face")
_WHOLE_NAMES = ("dick van dyke", "moby dick", "philip k dick", "dick turpin", "dick francis", "dick whittington")


def folded(text: str) -> str:
    """The text as it reads: NFKC, case folded, look-alikes as Latin, accents and invisibles gone."""
    text = unicodedata.normalize("NFKC", _SHAPING.sub("", INVISIBLE.sub("", text))).casefold().translate(_LATIN)
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c) or c > "\u036f")


@cache
def _lists() -> tuple[frozenset[str], tuple[str, ...], re.Pattern, re.Pattern | None]:
    """The listed words (each as read), the listed phrases, a search for any word of the list, and one
    for the listed words of unspaced scripts."""
    english = resources.files("better_profanity").joinpath("profanity_wordlist.txt").read_text(encoding="utf-8")
    beyond = resources.files(__package__).joinpath("words_beyond_english.txt").read_text(encoding="utf-8")
    words, phrases, unspaced = set(), [], []
    for line in english.splitlines() + [entry for entry in beyond.splitlines() if not entry.startswith("#")]:
        if _UNSPACED.search(line):
            unspaced.append(re.escape(folded(line.strip())))
            continue
        tokens = [_read(t) for t in _TOKEN.findall(folded(line))]
        if len(tokens) == 1 or "-" in line or "_" in line or "." in line:
            words.add("".join(tokens))
        elif tokens:
            phrases.append(" " + " ".join(tokens) + " ")
    words -= _ORDINARY
    hidden = re.compile("|".join(sorted(map(re.escape, (w for w in words if len(w) > 2)), key=len, reverse=True)))
    return frozenset(words), tuple(phrases), hidden, re.compile("|".join(unspaced)) if unspaced else None


def offensive(text: str) -> bool:
    """Whether the text holds a listed word or phrase, however it is spelt out."""
    words, phrases, hidden, unspaced = _lists()
    read = folded(text)
    if unspaced and unspaced.search(_BETWEEN_HAN.sub("", read)):
        return True
    spaced = " " + " ".join(t.rstrip("!") or t for t in _TOKEN.findall(read)) + " "
    for name in _WHOLE_NAMES:  # word by word, whatever punctuation is around them: "Mr Dick Van Dyke!"
        spaced = spaced.replace(f" {name} ", " ")
    tokens = spaced.split()
    if any(_listed(token) for token in tokens):
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


@lru_cache(maxsize=8192)  # stories share their everyday words: each was read in all its forms again (half a story's time)
def _listed(token: str) -> bool:
    """A word, read plainly, as leet, with its letters held ("fuuuck"), with a star for a vowel, or with an ending."""
    words = _lists()[0]
    read = _read(token)
    forms = {token, read, re.sub(r"(.)\1+", r"\1", read)}
    if "*" in read and read.count("*") <= 2:
        forms |= {read.replace("*", v, 1).replace("*", w) for v in "aeiou" for w in "aeiou"}
    for form in list(forms):
        forms |= {form[: -len(end)] for end in _ENDINGS if form.endswith(end) and len(form) > len(end) + 2}
    return not forms.isdisjoint(words)
