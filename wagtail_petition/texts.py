"""The text each signer saw: a petition's text as plain lines (what signers
agree to), the record of a change published once people had signed, and a
readable diff of two texts."""

import re
from difflib import SequenceMatcher
from html import unescape
from itertools import zip_longest

from django.db.models import Q
from django.utils.html import strip_tags
from wagtail import blocks
from wagtail.models import Revision

from .call_script.blocks import CallScriptBlock
from .records.signatures import Signature
from .records.texts import TextChange

#: Where rich text starts a new line: after a block element or a line break.
LINE_END = re.compile(r"</(?:p|h\d|li|blockquote)>|<br\s*/?>", re.IGNORECASE)
WORD_OR_SPACE = re.compile(r"\w+|[^\w\s]+|\s+")


def petition_text(page) -> str:
    """What signers of ``page`` agree to, as plain text, one paragraph per line:
    the title, the targets, the summary and the body's blocks. Call scripts are
    left out: a new phone number or script does not change the demands."""
    lines = [page.title, *(target_line(target.value) for target in page.targets)]
    lines = [line.strip() for line in lines if line.strip()]
    return "\n".join(lines + demand_lines(page))


def demand_lines(page) -> list[str]:
    """What the petition asks and why, as plain lines: the summary and the
    body's blocks, without call scripts."""
    lines = page.summary.splitlines()
    for child in page.body:
        lines += block_lines(child.block, child.value)
    return [line.strip() for line in lines if line.strip()]


def target_line(value) -> str:
    """A target as the "To:" line shows it: the name, then the role. Never its
    email address, which is for delivering the petition, not part of it."""
    return ", ".join(part for part in (value.get("name"), value.get("role")) if part)


def block_lines(block, value) -> list[str]:
    """The plain text lines of one StreamField block's value, any block type."""
    if isinstance(block, CallScriptBlock) or value is None:
        return []
    if isinstance(block, blocks.RichTextBlock):
        return rich_text_lines(value.source)
    if isinstance(block, blocks.StructBlock):
        return [
            line
            for name, child in block.child_blocks.items()
            for line in block_lines(child, value.get(name))
        ]
    if isinstance(block, blocks.ListBlock):
        return [line for item in value for line in block_lines(block.child_block, item)]
    if isinstance(block, blocks.StreamBlock):
        return [line for child in value for line in block_lines(child.block, child.value)]
    return [
        line for text in block.get_searchable_content(value) for line in str(text).splitlines()
    ]


def rich_text_lines(source: str) -> list[str]:
    text = unescape(strip_tags(LINE_END.sub("\n", source)))
    return [line.strip() for line in text.splitlines() if line.strip()]


# Recording a change ----------------------------------------------------------


def record_change(page, revision, previous_revision_id) -> TextChange | None:
    """Record that publishing ``revision`` of ``page`` changed the text people
    signed: when someone signed an earlier revision and the text (the page's
    ``get_petition_text()``) differs from that of ``previous_revision_id``, the
    revision live before. Returns the new ``TextChange``, or None."""
    if previous_revision_id is None or previous_revision_id == revision.pk:
        return None
    signed_earlier = signed_on(page).exclude(revision_id=revision.pk)
    if not signed_earlier.exists():
        return None
    previous = Revision.objects.filter(pk=previous_revision_id).first()
    if previous is None:
        return None
    before, after = previous.as_object().get_petition_text(), page.get_petition_text()
    if before == after:
        return None
    return TextChange.objects.create(
        petition_id=page.pk,
        previous_revision=previous,
        revision=revision,
        text_before=before,
        text_after=after,
    )


def signed_on(page):
    """The signatures made on this page's text: on one of its revisions, not
    on another translation's (they share the petition, not the text). The
    original also has those stored without a revision (``signing.sign()``
    called by a site's own code)."""
    on_page = Q(revision__object_id=str(page.pk))
    if page.original_petition_id == page.pk:
        on_page |= Q(revision__isnull=True)
    return Signature.objects.filter(on_page, petition_id=page.original_petition_id)


def last_signed_revision_id(page, revision) -> int | None:
    """The revision the latest signature before ``revision`` was made on: the
    text to compare with when no revision was live (the page was unpublished)."""
    return (
        signed_on(page)
        .filter(revision__isnull=False)
        .exclude(revision_id=revision.pk)
        .order_by("-created_at")
        .values_list("revision_id", flat=True)
        .first()
    )


def latest_change(page) -> TextChange | None:
    """The petition's most recent text change (one indexed query)."""
    if page.pk is None:
        return None
    return TextChange.objects.filter(petition_id=page.pk).only("pk", "changed_at").first()


# Showing a change ------------------------------------------------------------


def text_diff(before: str, after: str) -> list[list[tuple[str, str]]]:
    """The paragraphs of ``after`` with what changed from ``before`` marked: each
    paragraph a list of ``(kind, text)`` pieces, ``kind`` being ``""`` (kept),
    ``"del"`` (removed) or ``"ins"`` (added)."""
    old, new = before.splitlines(), after.splitlines()
    paragraphs = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            paragraphs += [[("", line)] for line in old[i1:i2]]
            continue
        for line_before, line_after in zip_longest(old[i1:i2], new[j1:j2]):
            if line_after is None:
                paragraphs.append([("del", line_before)])
            elif line_before is None:
                paragraphs.append([("ins", line_after)])
            else:
                paragraphs += line_diff(line_before, line_after)
    return paragraphs


def line_diff(before: str, after: str) -> list[list[tuple[str, str]]]:
    """One changed line: word by word when the two mostly agree, else the line
    removed and the new one added (a sentence rewritten reads better whole)."""
    if SequenceMatcher(None, before.split(), after.split(), autojunk=False).ratio() < 0.5:
        return [[("del", before)], [("ins", after)]]
    old, new = WORD_OR_SPACE.findall(before), WORD_OR_SPACE.findall(after)
    pieces = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("del", "".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(("ins", "".join(new[j1:j2])))
    return [pieces]
