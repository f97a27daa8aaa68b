"""The call script: a block for any page's StreamField that gives visitors
numbers to tap, a script to read and office hours, and counts the calls they
report.

- ``blocks``: ``CallScriptBlock`` and its parts (also importable from
  ``wagtail_petition.blocks``, the path migrations name);
- ``phones``: phone numbers, parsed and shown with ``phonenumbers``;
- ``hours``: office hours in the office's time zone;
- ``reports``: the outcomes visitors report, and the calls made.

The outcome form's endpoint is ``wagtail_petition.views.calls``; the report
model is ``wagtail_petition.records.calls``.
"""
