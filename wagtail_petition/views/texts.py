"""The public list of a petition's text changes, at ``<petition url>changes/``."""

from django.template.response import TemplateResponse

from ..records.texts import TextChange
from ..texts import text_diff


def text_changes(request, petition, template="wagtail_petition/text_changes.html"):
    """Every change of the petition's text since people signed, newest first,
    each with what was removed and added. A petition never changed says so."""
    changes = [
        {"change": change, "paragraphs": text_diff(change.text_before, change.text_after)}
        for change in TextChange.objects.filter(petition_id=petition.pk).defer(
            "previous_revision", "revision"
        )
    ]
    context = {"page": petition, "self": petition, "petition": petition, "changes": changes}
    return TemplateResponse(request, template, context)
