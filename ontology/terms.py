"""How the fact model's vocabularies map onto ontology terms.

One table per vocabulary, shared by the RDF mapping, its inverse and the tests, so that a
fact type, entity kind or status is never spelled in two places.
"""

from __future__ import annotations

from rdflib import URIRef

from diplograph.ingest.facts import STATUSES
from diplograph.ontology.namespaces import DG, STATUS

#: fact type -> event class
EVENT_CLASS: dict[str, URIRef] = {
    "official_visit": DG.OfficialVisit,
    "meeting": DG.Meeting,
    "agreement_signing": DG.AgreementSigning,
    "relations_established": DG.RelationsEstablished,
    "relations_severed": DG.RelationsSevered,
    "recognition": DG.Recognition,
    "accusation": DG.Accusation,
    "support": DG.Support,
    "military_cooperation": DG.MilitaryCooperation,
    "sanctions": DG.Sanctions,
    "denial": DG.Denial,
    "protest": DG.Protest,
}

#: fact type -> the sub-property of dg:target emitted for affirmed facts only
TYPED_TARGET: dict[str, URIRef] = {
    "official_visit": DG.visitTarget,
    "meeting": DG.meetingTarget,
    "agreement_signing": DG.agreementTarget,
    "relations_established": DG.relationsTarget,
    "relations_severed": DG.severanceTarget,
    "recognition": DG.recognitionTarget,
    "accusation": DG.accusationTarget,
    "support": DG.supportTarget,
    "military_cooperation": DG.militaryCooperationTarget,
    "sanctions": DG.sanctionsTarget,
    "denial": DG.denialTarget,
    "protest": DG.protestTarget,
}

#: entity kind -> entity class. "organization" maps to dg:Organization, not to the narrower
#: dg:InternationalOrganization: the kind also covers agencies (OFAC) and named sites.
KIND_CLASS: dict[str, URIRef] = {
    "country": DG.State,
    "organization": DG.Organization,
    "person": DG.Person,
    "city": DG.City,
    "territory": DG.Territory,
    "movement": DG.Movement,
    "company": DG.Company,
}

#: status -> concept IRI
STATUS_CONCEPT: dict[str, URIRef] = {status: STATUS[status] for status in STATUSES}

#: Statuses under which a (non-negated, non-attributed) fact supports a state relation.
#: announced/planned: not carried out yet; alleged: not asserted by the source;
#: cancelled: called off. The ontology records the same choice as dg:affirmsRelation.
AFFIRMING_STATUSES: frozenset[str] = frozenset({"occurred", "ongoing", "agreed", "stance"})


def is_affirmed(*, negated: bool, attributed_to: str | None, status: str) -> bool:
    """Does a fact with these attributes support a state-level relation?"""
    return not negated and attributed_to is None and status in AFFIRMING_STATUSES
