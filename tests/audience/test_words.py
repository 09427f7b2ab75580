"""The word filter reads text the way a person does: look-alike letters, spaced-out and
invisible tricks are caught, real names in any script are let through, and it is fast."""

import time

import pytest

from neoterra_glow.audience.guard import TextRefused, wall_text

STORY = ("my grandmother sang to the sea every morning and the gulls answered her from the harbour wall "
         "while the boats went out; we still sing it, all of us, every summer, when the light comes back")
STORY = (STORY + " " + STORY)[:270]


@pytest.mark.parametrize("text", [
    "fuсk this",  # Cyrillic с
    "ｆｕｃｋ",  # fullwidth
    "𝐟𝐮𝐜𝐤 you",  # mathematical bold
    "ꜰᴜᴄᴋ",  # small capitals
    "f u c k",
    "f.u.c.k",
    "nіgger",  # Cyrillic і
    "cοck",  # Greek ο
    "sh1t",
    "fu\u200bck",  # a zero-width space inside
    "fuuuuck off",
])
def test_a_listed_word_is_refused_however_it_is_spelt(text):
    with pytest.raises(TextRefused, match="cannot go on the wall"):
        wall_text(text, "story")


@pytest.mark.parametrize("text", ["O’Brien", "I’m happy", "प्रिया", "Ana 🌸", "👨\u200d👩\u200d👧 us", "Dick Van Dyke",
                                  "Len", "Zoë", "Саша", "Παναγιώτης", "Scunthorpe", "assess the class", "Hancock"])
def test_real_names_and_words_in_any_script_go_on_the_wall(text):
    assert wall_text(text, "name") == text


@pytest.mark.parametrize("text", ["\u3164", "\u3164 \u200b \u3164", "\u2800\u2800"])
def test_a_name_made_of_invisible_characters_is_no_name(text):
    with pytest.raises(TextRefused, match="send some text"):
        wall_text(text, "name")


def test_marks_need_a_letter_and_pile_up_only_a_little():
    with pytest.raises(TextRefused, match="simple punctuation"):
        wall_text("a" + "\u0301" * 12, "name")
    with pytest.raises(TextRefused, match="simple punctuation"):
        wall_text("\u0301abc", "name")


def test_a_story_is_read_in_well_under_a_millisecond():
    wall_text(STORY, "story")  # the word list is read once
    best = min(_seconds(lambda: wall_text(STORY, "story"), 50) for _ in range(5))
    assert best < 1e-3, f"{best * 1e3:.2f} ms a story"


def _seconds(call, times):
    started = time.perf_counter()
    for _ in range(times):
        call()
    return (time.perf_counter() - started) / times
