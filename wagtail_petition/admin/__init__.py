"""Petitions in the Wagtail admin, registered by ``wagtail_hooks``:

- ``permissions``: who may see and act on signatures;
- ``viewsets``: the signatures listing, inspect view, export, hold and restore;
- ``reports``: the petitions report, a petition's dashboard, the home panel;
- ``privacy``: erasing a person.
"""
