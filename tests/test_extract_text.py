"""Article text handling: metadata line, boilerplate, sentences with exact offsets."""

from __future__ import annotations

import pytest

from diplograph.ingest.extract import publication_date_from_text
from diplograph.ingest.extract.text import is_boilerplate, looks_binary, split_sentences


def test_metadata_line_gives_the_date_and_is_not_content() -> None:
    text = " date 2020-03-04 Canada and Chile signed an accord.\nMore text follows here."
    assert publication_date_from_text(text) == "2020-03-04"
    sentences = split_sentences(text)
    assert sentences[0].text == "Canada and Chile signed an accord."
    assert all("date 2020" not in s.text for s in sentences)


def test_no_metadata_line_means_no_date() -> None:
    assert publication_date_from_text("On 2020-03-04 the talks began.") is None
    assert publication_date_from_text("") is None


def test_offsets_point_into_the_original_text() -> None:
    text = "Headline Here\n\nMr. Smith met Dr. Jones in Oslo. They talked!  Then U.S. envoys left."
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text
    texts = [s.text for s in split_sentences(text)]
    assert texts == [
        "Headline Here",
        "Mr. Smith met Dr. Jones in Oslo.",
        "They talked!",
        "Then U.S. envoys left.",
    ]


def test_initials_do_not_end_sentences() -> None:
    texts = [s.text for s in split_sentences("Lloyd J. Austin III met Pat Ryder. Done.")]
    assert texts == ["Lloyd J. Austin III met Pat Ryder.", "Done."]


def test_boilerplate_lines_are_skipped_but_captions_kept() -> None:
    text = (
        "Follow us on Twitter\nShare this\nRelated stories\nAdvertisement\n"
        "The minister arrives in Lima. (Photo: Reuters)\nFollow Ynet on Facebook and Twitter"
    )
    texts = [s.text for s in split_sentences(text)]
    assert texts == ["The minister arrives in Lima.", "(Photo: Reuters)"]
    assert is_boilerplate("Share this article")
    assert not is_boilerplate("He said the summit would follow the Twitter row.")


def test_binary_detection() -> None:
    assert looks_binary("\x00\x01\x02 binary")
    assert not looks_binary("Plain English text about diplomacy.")


@pytest.mark.parametrize(
    "links",
    [
        "Related coverage\nKenya, Ethiopia sign defence pact\nIran hosts Iraqi minister\n",
        "Related: Mali junta expels French ambassador\nRead more: Iran hosts Iraqi minister\n",
    ],
    ids=["under-a-heading", "on-the-headings-line"],
)
def test_related_story_headlines_are_skipped(links: str) -> None:
    text = "Chile and Peru signed a pact.\n" + links + "The talks will resume in May."
    assert [s.text for s in split_sentences(text)] == [
        "Chile and Peru signed a pact.",
        "The talks will resume in May.",
    ]


def test_a_related_line_that_is_a_sentence_is_kept() -> None:
    assert not is_boilerplate("Related: the two states signed a pact on Monday. It ends a feud.")


def test_wire_dateline_is_not_the_subject() -> None:
    from diplograph.ingest.extract import extract

    text = "NAIROBI, March 14 (Reuters) - Kenya and Somalia agreed to reopen their embassies."
    facts = extract(text, article_id="wire", published="2023-03-15")
    assert [(f.type, f.actor.name, f.target.name, f.status) for f in facts] == [
        ("relations_established", "Kenya", "Somalia", "agreed")
    ]


def test_list_bullets_are_not_part_of_sentences() -> None:
    text = "• Turkey and Greece signed a pact.\r\n  - Second item here.\n> quoted line"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Turkey and Greece signed a pact.",
        "Second item here.",
        "quoted line",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)
