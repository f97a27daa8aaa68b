"""The petition's HTTP answers, thin: each reads the request, calls the domain
services and renders. The page model routes to them (``PetitionMixin``):

- ``sign``: the sign form's POST, answered in HTML or, for the page's script, JSON;
- ``confirm``: the email confirmation link's page and its button;
- ``count``: the live count, ``<petition url>count/``;
- ``calls``: the outcome a visitor reports under a call script, on any page;
- ``cross_site``: the check that stands in for a CSRF token on the fast path
  (``wagtail_petition.urls``), which routes to the same views.
"""
