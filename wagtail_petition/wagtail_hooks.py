"""Registers the app's parts with Wagtail; the parts live in ``admin`` and
``views``."""

from django.apps import apps
from django.utils.cache import add_never_cache_headers
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.contrib.settings.registry import register_setting

from . import session
from .admin import delivery as delivery_admin
from .admin import history, reports
from .admin import privacy as privacy_admin
from .admin.permissions import is_petition, user_can
from .admin.viewsets import HoldBulkAction, RestoreBulkAction, SignatureViewSet
from .admin.webhooks import WebhookDeliveryViewSet, WebhookEndpointViewSet
from .records.settings import PetitionSettings
from .records.signatures import PetitionCounter
from .views import calls

# Call outcomes ---------------------------------------------------------------


# Wagtail checks a page's privacy (login, password, groups) in its own
# on_serve_page hook, of order 0; with a higher order this one runs inside it,
# so reports reach only pages the visitor may see.
@hooks.register("on_serve_page", order=100)
def serve_call_report(serve_page):
    def serve(page, request, serve_args, serve_kwargs):
        if calls.is_call_report(request):
            return calls.report_call(request, page)
        response = serve_page(page, request, serve_args, serve_kwargs)
        if session.is_personal(request):  # the visitor's own view: for no cache
            add_never_cache_headers(response)
        return response

    return serve


# Signatures ------------------------------------------------------------------


@hooks.register("register_admin_viewset")
def register_signature_viewset():
    return SignatureViewSet()


hooks.register("register_bulk_action", HoldBulkAction)
hooks.register("register_bulk_action", RestoreBulkAction)


def signatures_button(page, user, priority):
    """The "Signatures (N)" button of a petition page, for users who may see them."""
    if not is_petition(page) or not user_can(user, "view"):
        return None
    petition_id = page.specific_deferred.original_petition_id
    count = PetitionCounter.count_for(petition_id=petition_id)
    return Button(
        _("Signatures (%(count)s)") % {"count": number_format(count, force_grouping=True)},
        url=reports.signatures_url(petition_id),
        icon_name="form",
        priority=priority,
    )


@hooks.register("register_page_listing_more_buttons")
def page_listing_signatures_button(page, user, next_url=None):
    if button := signatures_button(page, user, priority=15):
        yield button


@hooks.register("register_page_header_buttons")
def page_header_signatures_button(page, user, view_name, next_url=None):
    if button := signatures_button(page, user, priority=20):
        yield button


# Reports ---------------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_report_urls():
    return reports.get_urlpatterns()


@hooks.register("register_admin_urls")
def register_delivery_urls():
    return delivery_admin.get_urlpatterns()


@hooks.register("register_reports_menu_item")
def register_petitions_report_menu_item():
    return reports.report_menu_item()


@hooks.register("register_page_header_buttons")
def page_header_dashboard_button(page, user, view_name, next_url=None):
    if button := reports.dashboard_button(page, user, priority=21):
        yield button


@hooks.register("register_page_listing_more_buttons")
def page_listing_dashboard_button(page, user, next_url=None):
    if button := reports.dashboard_button(page, user, priority=16):
        yield button


@hooks.register("construct_homepage_panels")
def add_petitions_panel(request, panels):
    if user_can(request.user, "view"):
        panels.append(reports.PetitionsPanel())


# Privacy ---------------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_privacy_admin_urls():
    return privacy_admin.admin_urls


@hooks.register("register_settings_menu_item")
def register_erase_signer_menu_item():
    return privacy_admin.EraseSignerMenuItem(order=950)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for action, formatter in history.LOG_FORMATTERS.items():
        actions.register_action(action)(formatter)


# Webhooks --------------------------------------------------------------------


@hooks.register("register_admin_viewset")
def register_webhook_viewsets():
    return [WebhookEndpointViewSet(), WebhookDeliveryViewSet()]


# Organizer's switches (Settings > Petition settings) -------------------------

# Its admin screen comes from wagtail.contrib.settings, an optional app (check W006).
if apps.is_installed("wagtail.contrib.settings"):
    register_setting(PetitionSettings, icon="warning")
