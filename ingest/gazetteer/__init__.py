"""Offline Wikidata gazetteer and conservative entity linker (issue 4).

    from diplograph.ingest.gazetteer import Gazetteer, GazetteerEntry, link_entity

    Gazetteer.default().lookup("the U.S.")   # [GazetteerEntry(name='United States', ...)]
    link_entity("Rabat", "country")          # 'Q1028' (the capital stands for Morocco)
    link_entity("Congo", "country")          # None: ambiguous without context
    resolve_entity("Congo", "country", "talks in Brazzaville").name  # 'Republic of the Congo'

See docs/wikidata-linking.md for the sources, licences and rules.
"""

from diplograph.ingest.gazetteer.linking import link_entity, resolve_entity
from diplograph.ingest.gazetteer.model import Gazetteer, GazetteerEntry

__all__ = ["Gazetteer", "GazetteerEntry", "link_entity", "resolve_entity"]
