"""The app's models: petition page classes, signatures with their counter and
milestones, and call reports."""

from .calls import CallCounter, CallReport
from .pages import (
    SIGNED_SESSION_KEY,
    AbstractPetitionPage,
    PetitionMixin,
    PetitionPage,
    PostalCode,
    get_petition_models,
    petition_pages,
    petitions_where,
)
from .signatures import AbstractCounter, HoldReason, Milestone, PetitionCounter, Signature

__all__ = [
    "SIGNED_SESSION_KEY",
    "AbstractCounter",
    "AbstractPetitionPage",
    "CallCounter",
    "CallReport",
    "HoldReason",
    "Milestone",
    "PetitionCounter",
    "PetitionMixin",
    "PetitionPage",
    "PostalCode",
    "Signature",
    "get_petition_models",
    "petition_pages",
    "petitions_where",
]
