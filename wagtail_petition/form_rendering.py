"""The sign form's widgets and labels, rendered once for each distinct input.

Django renders every widget and label through templates on every page view, and
the sign form's are the same on every view of a petition: ``memoizing_renderer()``
wraps the site's form renderer (``FORM_RENDERER``) and keeps the HTML of a
template rendered with the same plain context, in the same language.
"""

import functools
import threading
from pathlib import Path

import django.forms
from django.conf import settings
from django.forms.renderers import get_default_renderer
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import get_language

#: The types a context may hold to be kept, compared by type: True is not 1,
#: and a SafeString is not escaped where a str is.
PLAIN = frozenset({str, SafeString, int, float, bool, type(None)})
MAX_ENTRIES = 512
#: Django's own label template and the one it includes, which do not read the
#: bound field their context holds: rendered from Django's files, their output
#: depends on the rest of the context only.
LABEL_TEMPLATES = ("django/forms/label.html", "django/forms/attrs.html")
DJANGO_FORMS_TEMPLATES = Path(django.forms.__file__).parent / "templates"


def _key(value):
    """A hashable copy of a plain context (nested dicts, lists and tuples of
    ``PLAIN`` values and lazy strings, in their order), or None for any other
    value."""
    kind = type(value)
    if kind in PLAIN:
        return kind, value
    if isinstance(value, Promise):  # a label, from gettext_lazy()
        text = str(value)
        return Promise, type(text), text
    if kind is dict:
        items = []
        for name, item in value.items():
            if type(name) is not str or (item := _key(item)) is None:
                return None
            items.append((name, item))
        return kind, tuple(items)
    if kind is list or kind is tuple:
        items = tuple(_key(item) for item in value)
        return None if None in items else (kind, items)
    return None


class MemoizingRenderer:
    """A form renderer that renders as ``renderer`` does, keeping the output of
    renders with a plain context: widgets, and labels when Django's own label
    templates are in use (not errors: their context holds the error list). At
    most ``MAX_ENTRIES`` outputs are kept: the cache is emptied when full."""

    def __init__(self, renderer):
        self.renderer = renderer
        self._outputs = {}
        self._lock = threading.Lock()

    def __getattr__(self, name):
        return getattr(self.renderer, name)

    def render(self, template_name, context, request=None):
        """``renderer.render()``, from the cache when it can be."""
        plain = context
        if template_name == LABEL_TEMPLATES[0] and "field" in context and self._own_labels:
            plain = {name: value for name, value in context.items() if name != "field"}
        if request is not None or (frozen := _key(plain)) is None:
            return self.renderer.render(template_name, context, request=request)
        key = (template_name, get_language(), frozen)
        output = self._outputs.get(key)
        if output is None:
            output = self.renderer.render(template_name, context)
            with self._lock:
                if len(self._outputs) >= MAX_ENTRIES:
                    self._outputs.clear()
                self._outputs[key] = output
        return output

    @functools.cached_property
    def _own_labels(self) -> bool:
        """Whether labels are rendered from Django's own template files."""
        for name in LABEL_TEMPLATES:
            origin = getattr(self.renderer.get_template(name), "origin", None)
            if origin is None or Path(origin.name) != DJANGO_FORMS_TEMPLATES / name:
                return False
        return True


_renderers = {}


def memoizing_renderer():
    """The site's form renderer, wrapped in a ``MemoizingRenderer``; the
    renderer itself with DEBUG on, where templates are reloaded when edited."""
    renderer = get_default_renderer()
    if settings.DEBUG:
        return renderer
    wrapper = _renderers.get(renderer)
    if wrapper is None:
        wrapper = _renderers.setdefault(renderer, MemoizingRenderer(renderer))
    return wrapper
