"""Provenance of gazetteer rows: source ids, where they come from, and their licences.

Every row of ``gazetteer.tsv`` names one of these ids; the licence column is derived from
it, so the licence of any row (and the attribution the whole file owes) is never guesswork.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    licence: str  # SPDX identifier
    origin: str
    attribution: str


SOURCES: dict[str, Source] = {
    source.id: source
    for source in (
        Source(
            "country-codes",
            "PDDL-1.0",
            "github.com/datasets/country-codes data/country-codes.csv @caa72d1e",
            "Country codes by the Frictionless Data / datasets project, ODC-PDDL-1.0.",
        ),
        Source(
            "dr5hn",
            "ODbL-1.0",
            "github.com/dr5hn/countries-states-cities-database "
            "contributions/countries/countries.json @2bbdb7eb",
            "Contains information from the Countries States Cities Database by Darshan "
            "Gada (dr5hn), made available under the Open Database License (ODbL) v1.0.",
        ),
        Source(
            "dr5hn-capitals",
            "ODbL-1.0",
            "derived from dr5hn countries.json + contributions/cities/<ISO2>.json @7fda0afd",
            "Contains information from the Countries States Cities Database by Darshan "
            "Gada (dr5hn), made available under the Open Database License (ODbL) v1.0.",
        ),
        Source(
            "supraverden",
            "CC-BY-SA-4.0",
            "github.com/confirmordeny/supraverden data/general_list.yaml @d7b5b1b6 "
            "(converted to JSON)",
            "Organisation names from Supraverden (confirmordeny/supraverden), CC BY-SA 4.0; "
            "the Wikidata QIDs themselves are Wikidata facts (CC0).",
        ),
        Source(
            "devset-readme",
            "CC0-1.0",
            "QIDs verified for the Diplograph development set (two independent public "
            "sources each); Wikidata identifiers are CC0",
            "Wikidata identifiers (CC0).",
        ),
        Source(
            "linking-notes",
            "CC0-1.0",
            "QIDs verified in the Diplograph linking research notes (§4); Wikidata "
            "identifiers are CC0",
            "Wikidata identifiers (CC0).",
        ),
        Source(
            "curated",
            "Apache-2.0",
            "hand-curated by the Diplograph developers (data/extras.tsv, data/aliases.tsv)",
            "Diplograph developers, Apache-2.0.",
        ),
        Source(
            "wikidata",
            "CC0-1.0",
            "Wikidata Query Service (diplograph gazetteer refresh)",
            "Wikidata, CC0.",
        ),
    )
}


def licence_of(source_id: str) -> str:
    """The SPDX licence of rows from this source (KeyError for unknown sources)."""
    return SOURCES[source_id].licence
