from wagtail import hooks

from . import views

# Call outcomes ---------------------------------------------------------------


# After Wagtail's own hooks (order 0), so page privacy is checked first.
@hooks.register("before_serve_page", order=100)
def serve_call_report(page, request, serve_args, serve_kwargs):
    if request.method == "POST" and "block_id" in request.POST:
        return views.report_call(request, page)
    return None


# Signatures ------------------------------------------------------------------


# Reports ---------------------------------------------------------------------


# Privacy ---------------------------------------------------------------------
