"""The message catalogues that ship: every language complete, placeholders kept,
the compiled .mo the same as its .po, and the page really speaking Spanish."""

import re
from collections import Counter
from pathlib import Path

import django
import polib
import pytest
from django.utils import translation

from tests.factories import SignatureFactory, sign_many

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    [
        *ROOT.glob("wagtail_petition/locale/*/LC_MESSAGES/django.po"),
        *ROOT.glob("example_site/home/locale/*/LC_MESSAGES/django.po"),
    ]
)
#: The language the msgids are written in: its msgstrs stay empty, so gettext
#: shows the msgid.
SOURCE_LANGUAGE = "en"

PERCENT_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[a-zA-Z%]")
BRACE_PLACEHOLDER = re.compile(r"\{\w*\}")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def catalogue_id(path: Path) -> str:
    return str(path.relative_to(ROOT).parent.parent)


def language(path: Path) -> str:
    return path.parent.parent.name


def placeholders(entry, text: str) -> Counter:
    found = Counter(HTML_TAG.findall(text))
    if "python-format" in entry.flags:
        found += Counter(PERCENT_PLACEHOLDER.findall(text))
    if "python-brace-format" in entry.flags:
        found += Counter(BRACE_PLACEHOLDER.findall(text))
    return found


def translations(entry) -> list[tuple[str, str]]:
    """(source, translation) pairs: the singular form against msgid, every
    other plural form against msgid_plural."""
    if entry.msgid_plural:
        return [
            (entry.msgid if form == 0 else entry.msgid_plural, text)
            for form, text in sorted(entry.msgstr_plural.items())
        ]
    return [(entry.msgid, entry.msgstr)]


def nplurals(po) -> int:
    return int(re.search(r"nplurals\s*=\s*(\d+)", po.metadata["Plural-Forms"]).group(1))


def as_dict(entries) -> dict:
    """What a catalogue gives gettext: msgctxt and msgid to the translation(s)."""
    return {
        (entry.msgctxt, entry.msgid): (
            tuple(text for _, text in sorted(entry.msgstr_plural.items()))
            if entry.msgid_plural
            else entry.msgstr
        )
        for entry in entries
    }


def test_the_app_and_the_example_site_ship_english_and_spanish():
    assert {catalogue_id(path) for path in CATALOGUES} == {
        "wagtail_petition/locale/en",
        "wagtail_petition/locale/es",
        "example_site/home/locale/en",
        "example_site/home/locale/es",
    }


@pytest.mark.parametrize("path", CATALOGUES, ids=catalogue_id)
def test_every_entry_is_translated_and_none_is_fuzzy(path):
    po = polib.pofile(str(path))

    assert po.metadata["Language"] == language(path)
    assert not po.metadata_is_fuzzy
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    if language(path) == SOURCE_LANGUAGE:
        return
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    for entry in po:
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            assert sorted(forms) == list(range(nplurals(po))), entry.msgid
            assert all(forms.values()), entry.msgid


def test_spanish_has_the_plural_forms_of_djangos_own_catalogue():
    django_es = Path(django.__file__).parent / "conf/locale/es/LC_MESSAGES/django.po"
    expected = polib.pofile(str(django_es)).metadata["Plural-Forms"]

    for path in CATALOGUES:
        if language(path) == "es":
            assert polib.pofile(str(path)).metadata["Plural-Forms"] == expected


@pytest.mark.parametrize("path", CATALOGUES, ids=catalogue_id)
def test_every_placeholder_and_tag_is_kept(path):
    po = polib.pofile(str(path))
    lost = [
        (source, text)
        for entry in po.translated_entries()
        for source, text in translations(entry)
        if placeholders(entry, source) != placeholders(entry, text)
    ]

    assert lost == []


@pytest.mark.parametrize("path", CATALOGUES, ids=catalogue_id)
def test_the_committed_mo_holds_exactly_the_translations_of_the_po(path):
    po = polib.pofile(str(path))
    mo = polib.mofile(str(path.with_suffix(".mo")))

    assert as_dict(mo) == as_dict(po.translated_entries())
    assert mo.metadata["Plural-Forms"] == po.metadata["Plural-Forms"]


def test_the_app_counts_signatures_in_spanish():
    with translation.override("es"):
        texts = [
            translation.ngettext("%(count_display)s signature", "%(count_display)s signatures", n)
            % {"count_display": n}
            for n in (1, 2)
        ]

    assert texts == ["1 firma", "2 firmas"]


@pytest.mark.parametrize(("signers", "words"), [(1, "1</strong> firma"), (2, "2</strong> firmas")])
def test_a_spanish_visitor_sees_the_count_in_spanish(client, petition, signers, words):
    sign_many(petition, signers)

    with translation.override("es"):
        html = client.get(petition.url).content.decode()

    assert re.search(rf"<strong>{words}\s*</p>", html)
    assert "Para:" in html and "Firma la petición" in html


def test_a_spanish_signer_gets_the_sign_forms_errors_in_spanish(client, petition):
    data = {**SignatureFactory(), "postal_code": "<60601>", "email": "not-an-email"}

    with translation.override("es"):
        html = client.post(petition.url, data).content.decode()

    assert "Corrige lo siguiente:" in html
    assert "Escribe un código postal solo con letras, números, espacios y guiones." in html
    # Django's own Spanish, for its own validators, beside the app's.
    assert "Introduzca una dirección de correo electrónico válida." in html
