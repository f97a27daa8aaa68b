"""The stored records of petitions: signatures, their counter and milestones
(``signatures``), call reports with their counter (``calls``), the site's
switches (``settings``), changes to a petition's text (``texts``) and the
webhook endpoints with their deliveries (``webhooks``).

They import nothing of the app above ``conf``, and every other module imports
them from here, never through ``wagtail_petition.models``: importing that
package loads the page classes, which sit above the services that use these
records. ``wagtail_petition.models`` gathers them with the page classes for
Django and for sites.
"""
