"""Near-duplicate detection on texts with known answers, in the five languages."""

from plaint.core import nearduplicates as nd

BASE = {
    "en": "The parcel arrived two weeks late and the box was crushed, the lamp inside is broken.",
    "et": "Pakk saabus kaks nädalat hiljem ja karp oli lömastatud, lamp selle sees on katki.",
    "uk": "Посилка прийшла на два тижні пізніше, коробка була зім'ята, лампа всередині розбита.",
    "sv": "Paketet kom två veckor för sent och kartongen var krossad, lampan inuti är trasig.",
    "fa": "بسته دو هفته دیر رسید و جعبه له شده بود و چراغ داخل آن شکسته است.",
}


def _variants(text: str) -> list[str]:
    """The same complaint as different people would write it: case, punctuation, a word added."""
    return [text, text.upper(), text.replace(",", "") + " Please help.", "Re: " + text]


def test_variants_of_one_complaint_group_together_in_every_language():
    texts, expected = [], []
    for text in BASE.values():
        start = len(texts)
        texts += _variants(text)
        expected.append(list(range(start, len(texts))))
    assert sorted(nd.groups(texts, threshold=0.5, min_size=3)) == sorted(expected)


def test_different_complaints_stay_apart():
    texts = [
        "The invoice charged me twice for the same order in March.",
        "Your staff member at the Tartu shop was rude when I asked for help.",
        "The website does not accept my card and shows an error.",
        "Delivery was on time but the wrong colour was sent.",
    ]
    assert nd.groups(texts, min_size=2) == []


def test_persian_letter_forms_are_unified():
    arabic_forms = BASE["fa"].replace("ی", "ي").replace("ک", "ك")
    assert nd.normalise(arabic_forms) == nd.normalise(BASE["fa"])
    assert nd.groups([BASE["fa"], arabic_forms], min_size=2) == [[0, 1]]


def test_short_and_empty_texts_never_match():
    assert nd.groups(["", "ok", "", "ok"], min_size=2) == []


def test_the_jaccard_of_the_shingle_sets_decides():
    a = nd.shingles("abcdefgh")
    b = nd.shingles("abcdefgx")
    # shingles of 5: abcde bcdef cdefg defgh / ... cdefg defgx -> 3 shared of 5
    assert nd.jaccard(a, b) == 3 / 5
