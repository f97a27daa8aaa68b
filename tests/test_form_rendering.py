"""The sign form's widgets and labels, kept once rendered: the same HTML as
Django renders."""

from django.forms.renderers import get_default_renderer
from django.utils import translation

from wagtail_petition.form_rendering import MemoizingRenderer, memoizing_renderer
from wagtail_petition.forms import SignatureForm


def rendered(form):
    return "".join(str(field) + str(field.label_tag()) + str(field.errors) for field in form)


def test_the_sign_form_renders_as_django_renders_it(petition):
    renderer = MemoizingRenderer(get_default_renderer())
    initial = {"source": "newsletter"}
    expected = rendered(SignatureForm(petition=petition, initial=initial))

    for _ in range(2):  # rendered, then from the cache
        assert rendered(SignatureForm(petition=petition, initial=initial, renderer=renderer)) == (
            expected
        )


def test_a_bound_form_with_errors_renders_as_django_renders_it(petition):
    renderer = MemoizingRenderer(get_default_renderer())
    data = {"first_name": "Ada", "email": "not an address"}
    expected = rendered(SignatureForm(data, petition=petition))

    assert rendered(SignatureForm(data, petition=petition, renderer=renderer)) == expected


def test_labels_are_kept_in_each_language(petition):
    renderer = MemoizingRenderer(get_default_renderer())
    labels = {}
    for language in ("en", "fr"):
        with translation.override(language):
            form = SignatureForm(petition=petition, renderer=renderer)
            labels[language] = str(form["first_name"].label_tag())
            assert labels[language] == str(
                SignatureForm(petition=petition)["first_name"].label_tag()
            )


def test_with_debug_on_the_sites_renderer_is_used_as_it_is(settings):
    settings.DEBUG = True
    assert memoizing_renderer() is get_default_renderer()
    settings.DEBUG = False
    assert isinstance(memoizing_renderer(), MemoizingRenderer)
