"""How the app's entries read in a petition's history and the site history
report: erasing a signer, holding and restoring signatures, emailing the
delivery pack."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from wagtail.log_actions import LogFormatter

from ..delivery import EMAIL_DELIVERY_PACK
from ..privacy import ERASE_SIGNER
from ..records.signatures import Signature
from ..signing import STATUS_LOG_ACTIONS


class SignaturesLogFormatter(LogFormatter):
    """An entry with the number of signatures it concerns, never who signed."""

    message = None

    def format_message(self, log_entry):
        return self.message % {"count": log_entry.data.get("signatures", 0)}


class EraseSignerLogFormatter(SignaturesLogFormatter):
    label = _("Erase a signer")
    message = ngettext_lazy(
        "Erased a signer's personal data from %(count)d signature",
        "Erased a signer's personal data from %(count)d signatures",
        "count",
    )


class HoldLogFormatter(SignaturesLogFormatter):
    label = _("Hold signatures")
    message = ngettext_lazy("Held %(count)d signature", "Held %(count)d signatures", "count")


class RestoreLogFormatter(SignaturesLogFormatter):
    label = _("Restore signatures")
    message = ngettext_lazy(
        "Restored %(count)d signature", "Restored %(count)d signatures", "count"
    )


class SetPendingLogFormatter(SignaturesLogFormatter):
    label = _("Set signatures awaiting confirmation")
    message = ngettext_lazy(
        "Set %(count)d signature awaiting confirmation",
        "Set %(count)d signatures awaiting confirmation",
        "count",
    )


class EmailDeliveryPackLogFormatter(LogFormatter):
    """Who the pack went to: the targets' names and addresses."""

    label = _("Email the delivery pack")

    def format_message(self, log_entry):
        recipients = ", ".join(log_entry.data.get("recipients", []))
        return _("Emailed the delivery pack to %(recipients)s") % {"recipients": recipients}


#: Each audit log action of the app, with its formatter.
LOG_FORMATTERS = {
    EMAIL_DELIVERY_PACK: EmailDeliveryPackLogFormatter,
    ERASE_SIGNER: EraseSignerLogFormatter,
    STATUS_LOG_ACTIONS[Signature.Status.HELD]: HoldLogFormatter,
    STATUS_LOG_ACTIONS[Signature.Status.COUNTED]: RestoreLogFormatter,
    STATUS_LOG_ACTIONS[Signature.Status.PENDING]: SetPendingLogFormatter,
}
