"""Admin panels of the petition page's editor.

``MapPanel`` puts a map beside a page's latitude and longitude fields: a click
on the map sets the point, and the map follows coordinates typed in the fields.
Any page class with two such fields can use it::

    FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
    MapPanel("latitude", "longitude"),
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from .maps import LEAFLET, leaflet_files, map_settings


class MapPanel(Panel):
    """A map to click on that fills the form's ``latitude_field`` and
    ``longitude_field`` (both must have panels of their own), with the tiles of
    ``WAGTAILPETITION_MAP_TILE_URL``."""

    def __init__(self, latitude_field="latitude", longitude_field="longitude", **kwargs):
        kwargs.setdefault("heading", _("Map"))
        kwargs.setdefault(
            "help_text",
            _("Click on the map to set the place, or type its latitude and longitude."),
        )
        super().__init__(**kwargs)
        self.latitude_field = latitude_field
        self.longitude_field = longitude_field

    def clone_kwargs(self):
        return {
            **super().clone_kwargs(),
            "latitude_field": self.latitude_field,
            "longitude_field": self.longitude_field,
        }

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_petition/admin/panels/map_panel.html"

        class Media:
            css = {"all": [LEAFLET + "leaflet.css", "wagtail_petition/css/admin-map.css"]}
            js = [LEAFLET + "leaflet.js", "wagtail_petition/js/admin-map.js"]

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context.update(
                latitude_id=self.form[self.panel.latitude_field].id_for_label,
                longitude_id=self.form[self.panel.longitude_field].id_for_label,
                leaflet=leaflet_files(),
                **map_settings(),
            )
            return context
