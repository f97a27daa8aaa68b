"""Django's models module for the app: the petition page classes
(``models.pages``) and the stored records (``wagtail_petition.records``),
gathered under the names sites import (``wagtail_petition.models.PetitionPage``).

The package is layered, and every import points down, at module level only
(``tests/test_layers.py`` checks it):

1. pure helpers: ``conf``, ``goals``, ``charts``, ``signals``, and the call
   script's ``phones`` and ``hours``;
2. records: ``records.signatures``, ``records.calls``, ``records.texts``,
   ``records.webhooks`` (nothing of the app above ``conf``);
3. domain services: ``session``, ``signing``, ``screening``, ``confirmation``,
   ``privacy``, ``progress``, ``forms``, ``webhooks``, the call script's
   ``reports`` and ``blocks``, the petition's ``blocks``: they import the records from
   ``wagtail_petition.records``, never this package, whose import loads the
   page classes;
4. HTTP: ``views`` (sign, confirm, live count, call outcomes), thin;
5. the page classes, ``models.pages``, which route requests to the views;
6. glue: this package, ``admin``, ``templatetags``, ``management``,
   ``wagtail_hooks``, ``checks``, ``apps``.
"""

from ..records.calls import CallCounter, CallReport
from ..records.settings import PetitionSettings
from ..records.signatures import (
    AbstractCounter,
    HoldReason,
    Milestone,
    PetitionCounter,
    PostalCode,
    Signature,
)
from ..records.texts import TextChange
from ..records.webhooks import WebhookDelivery, WebhookEndpoint
from .pages import (
    AbstractPetitionPage,
    PetitionMixin,
    PetitionPage,
    get_petition_models,
    petition_pages,
    petitions_where,
)

__all__ = [
    "AbstractCounter",
    "AbstractPetitionPage",
    "CallCounter",
    "CallReport",
    "HoldReason",
    "Milestone",
    "PetitionCounter",
    "PetitionMixin",
    "PetitionPage",
    "PetitionSettings",
    "PostalCode",
    "Signature",
    "TextChange",
    "WebhookDelivery",
    "WebhookEndpoint",
    "get_petition_models",
    "petition_pages",
    "petitions_where",
]
