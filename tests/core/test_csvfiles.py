# ruff: noqa: RUF001 - Ukrainian and Persian file contents on purpose
"""Reading CSV files from other tools: the encoding detected or chosen (never mojibake, never a
replaced character) and the dialect that parses the whole file."""

from __future__ import annotations

import csv
import io

import pytest

from plaint.core.csvfiles import NotText, decode, dialect_of

SWEDISH = "kundnummer;namn;betyg\n1;Åsa Öberg;5\n2;Björn Källström;4\n3;Märta Ängel;3\n"
UKRAINIAN = "id,ім'я,оцінка\n1,Олена Шевченко,5\n2,Тарас Ґудзь,4\n3,Марія Їжак,3\n"
# Persian as 8-bit files write it: Windows-1256 has the Arabic yeh (ي), not the Persian one (ی)
PERSIAN = "id,نام,امتیاز,نظر\n1,مريم پاکزاد,5,خيلي خوب بود\n2,علي گودرزي,4,پاسخ دير رسيد\n"
ESTONIAN = "id,nimi,hinne\n1,Jüri Õunapuu,5\n2,Ülle Šokolaad,4\n3,Mõisa Žürii,2\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (UKRAINIAN.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + PERSIAN.encode("utf-8"), "utf-8"),
        (UKRAINIAN.encode("utf-16"), "utf-16"),  # with its byte-order mark
    ],
)
def test_unicode_files_are_read_for_sure(data, encoding):
    found = decode(data)
    assert found.encoding == encoding and found.sure
    assert "\ufeff" not in found.text and found.text.startswith("id,")


@pytest.mark.parametrize(
    ("text", "codec"),
    [(SWEDISH, "cp1252"), (UKRAINIAN, "cp1251"), (PERSIAN.replace("ی", "ي"), "cp1256")],
)
def test_an_eight_bit_file_is_guessed_and_marked_as_a_guess(text, codec):
    found = decode(text.encode(codec))
    assert (found.text, found.encoding, found.sure) == (text, codec, False)


def test_a_baltic_file_read_as_western_can_be_read_again_as_chosen():
    data = ESTONIAN.encode("cp1257")
    guess = decode(data)
    assert not guess.sure  # Š and Ž are where Western and Baltic differ: the person decides
    chosen = decode(data, "cp1257")
    assert (chosen.text, chosen.sure) == (ESTONIAN, True)


def test_bytes_that_are_not_the_chosen_encoding_are_refused_not_replaced():
    with pytest.raises(NotText):
        decode(SWEDISH.encode("cp1252"), "utf-8")
    with pytest.raises(NotText):
        decode(b"abc", "no-such-codec")


def test_the_rfc_4180_reading_comes_first_and_keeps_doubled_quotes():
    # a quoted value with a doubled quote and a comma: csv.Sniffer guessed doublequote=False
    # from the first 4 KB of files like this and split such rows into too many values
    rows = ["id,comment,score\n"] + [
        f'{i},"They said ""soon"", then nothing, again",{i % 5 + 1}\n' for i in range(400)
    ]
    text = "".join(rows)
    dialect = dialect_of(text)
    parsed = list(csv.reader(io.StringIO(text), dialect))
    assert all(len(r) == 3 for r in parsed)
    assert parsed[1][1] == 'They said "soon", then nothing, again'


def test_semicolon_and_tab_files_are_read_when_they_parse_the_whole_file():
    assert dialect_of(SWEDISH).delimiter == ";"
    assert dialect_of("a\tb\n1\t2\n").delimiter == "\t"
    # a comma file whose text has semicolons stays a comma file
    assert dialect_of("id,comment\n1,ok; fine\n2,good\n").delimiter == ","
