"""The public read API: live, public petitions as JSON for dashboards, partner
sites and journalists, with its OpenAPI schema, on sites that include
``wagtail_petition.urls``::

    petitions/api/v1/petitions.json          the list, paginated and filterable
    petitions/api/v1/petitions/<id>.json     one petition
    petitions/api/v1/openapi.json            the schema of both

Built on Django Ninja, which Wagtail 8 brings for its own API: the response
schemas below are what the views are validated against and what the OpenAPI
schema is generated from, so the two cannot drift apart.

Only what the page shows to anyone is served: never a signer's data, never a
draft or a page with view restrictions (whoever asks: the answers are cached
publicly), only the petitions of the request's site.
"""

import hashlib
from datetime import datetime
from functools import reduce, wraps
from operator import or_
from typing import Literal
from urllib.parse import urlencode, urljoin

from django.conf import settings
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from ninja import Field, NinjaAPI, Query, Schema
from wagtail.models import Page, Site

from . import previews, texts
from .conf import app_settings
from .fast_path import NAMESPACE
from .models.pages import original_petition_id, petition_pages, petitions_where
from .records.settings import PetitionSettings
from .records.signatures import Milestone, PetitionCounter

URLS_NAMESPACE = "api_v1"
#: The most petitions one page of the list holds.
MAX_LIMIT = 100
METHODS = ("GET", "HEAD", "OPTIONS")

State = Literal["open", "closed", "paused"]
Order = Literal["count", "newest"]


# The shape of the answers ------------------------------------------------------


class MilestoneOut(Schema):
    threshold: int = Field(description="The signature count reached.")
    reached_at: datetime = Field(description="When the count first reached it.")


class TargetOut(Schema):
    name: str
    role: str


class TranslationOut(Schema):
    id: int
    language: str = Field(description="Its language code, e.g. es.")
    url: str = Field(description="The translation's page.")
    api_url: str = Field(description="The translation's own record in the API.")


class PetitionOut(Schema):
    id: int
    title: str
    language: str = Field(description="The page's language code, e.g. en.")
    url: str = Field(description="The petition page's full URL.")
    api_url: str = Field(description="This petition's own record in the API.")
    translations: list[TranslationOut] = Field(
        description=(
            "The petition in other languages: they share its signatures, count and milestones."
        )
    )
    summary: str
    signature_count: int = Field(description="The counted signatures.")
    goal: int | None = Field(description="The goal the count heads for.")
    deadline: datetime | None = Field(description="When signing closes, if ever.")
    state: State = Field(
        description="closed: past its deadline; paused: the site paused all signing."
    )
    first_published_at: datetime | None
    milestones: list[MilestoneOut] = Field(description="The milestones reached, newest first.")


class LinksOut(Schema):
    page: str = Field(description="The petition page.")
    embed: str = Field(description="The embeddable widget, for an iframe.")
    share_image: str = Field(description="The image shown when the petition is shared.")
    text_changes: str | None = Field(
        description="What changed in the text since people signed; null if nothing did."
    )


class PetitionDetailOut(PetitionOut):
    targets: list[TargetOut] = Field(description="Who the petition is addressed to.")
    location: str
    text_changed_at: datetime | None = Field(
        description="When the text last changed after people signed; null if it never did."
    )
    links: LinksOut


class PetitionListOut(Schema):
    count: int = Field(description="How many petitions match, on every page.")
    next: str | None = Field(description="The next page of the list, if any.")
    previous: str | None = Field(description="The previous page of the list, if any.")
    items: list[PetitionOut]


class ListParams(Schema):
    state: State | None = Field(None, description="Only the petitions in this state.")
    order: Order = Field(
        "count", description="count: most signatures first; newest: last published first."
    )
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description="How many petitions per page.")
    offset: int = Field(0, ge=0, description="How many petitions to skip.")


class ErrorOut(Schema):
    detail: str


class InvalidParameterOut(Schema):
    detail: list[dict] = Field(description="Each parameter refused: its loc, msg and type.")


# Caching and CORS, around every view of the API -----------------------------------


def public_read(view):
    """``view`` for anyone to read and cache: GET, HEAD and OPTIONS (the CORS
    preflight) only, readable from any origin without credentials, and a
    successful answer with an ETag of its content (304 when it matches
    ``If-None-Match``) and ``Cache-Control: public`` for
    ``WAGTAILPETITION_API_MAX_AGE`` seconds."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ", ".join(METHODS)
        elif request.method in ("GET", "HEAD"):
            response = cacheable(request, view, *args, **kwargs)
        else:
            response = HttpResponseNotAllowed(METHODS)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = ", ".join(METHODS)
        response["Access-Control-Allow-Headers"] = "If-None-Match"
        response["Access-Control-Expose-Headers"] = "ETag"
        return response

    return wrapper


def cacheable(request, view, *args, **kwargs) -> HttpResponse:
    method = request.method
    # Ninja routes by method and knows no HEAD: a HEAD is answered as a GET,
    # whose body the server (and Django's test client) leaves out.
    request.method = "GET"
    try:
        response = view(request, *args, **kwargs)
    finally:
        request.method = method
    if response.status_code != 200:
        return response
    response["ETag"] = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    response["Cache-Control"] = f"public, max-age={app_settings.API_MAX_AGE}"
    return get_conditional_response(request, etag=response["ETag"], response=response)


def urls():
    """The API's URL patterns, for ``include()`` in ``wagtail_petition.urls``."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = public_read(pattern.callback)
    return patterns, app_name, namespace


api = NinjaAPI(
    title="Petitions",
    version="1",
    description=(
        "The site's live, public petitions: their signature counts, goals, deadlines and "
        "milestones. No personal data."
    ),
    urls_namespace=f"{NAMESPACE}:{URLS_NAMESPACE}",
    openapi_url="/openapi.json",
    # No interactive docs: they load scripts from a third-party CDN.
    docs_url=None,
)


# The petitions ----------------------------------------------------------------------


def site_of(request) -> Site:
    """The request's Wagtail site (the default site for an unknown host); else 404."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    return site


def site_settings(site) -> PetitionSettings:
    return PetitionSettings.objects.filter(site=site).first() or PetitionSettings(site=site)


def public_pages(site):
    """The site's live pages that anyone may see, in every language (each
    language has its own root: the translations of the site's)."""
    pages = Page.objects.live().public()
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return pages.descendant_of(site.root_page, inclusive=True)
    roots = site.root_page.get_translations(inclusive=True)
    return pages.filter(reduce(or_, (Q(path__startswith=root.path) for root in roots)))


def public_petitions(site):
    """The site's live petitions that anyone may see, of every petition class
    and language, each with ``original_id`` (``original_petition_id``), its
    language as ``language``, and the count it shares with its translations
    as ``counted`` (the counter's sum), in the same query."""
    return (
        public_pages(site)
        .filter(pk__in=petition_pages())
        .annotate(
            original_id=original_petition_id(),
            language=F("locale__language_code"),
        )
        .annotate(counted=Coalesce(PetitionCounter.total("original_id"), 0))
    )


def translations_of(request, site, petitions) -> dict[int, list[dict]]:
    """The other public translations of each of ``petitions``, by its id."""
    keys = {p.translation_key: p.pk for p in petitions}
    found = {p.pk: [] for p in petitions}
    others = (
        public_pages(site)
        .filter(translation_key__in=keys)
        .exclude(pk__in=found)
        .annotate(language=F("locale__language_code"))
        .order_by("language")
    )
    for page in others:
        found[keys[page.translation_key]].append(
            {
                "id": page.pk,
                "language": page.language,
                "url": page.get_full_url(request),
                "api_url": record_url(request, page.pk),
            }
        )
    return found


def record_url(request, page_id) -> str:
    return request.build_absolute_uri(
        reverse(f"{NAMESPACE}:{URLS_NAMESPACE}:petition", args=[page_id])
    )


def closed_q(now) -> Q:
    return petitions_where(Q(deadline__lte=now))


def with_state(petitions, state: State | None, paused: bool):
    """``petitions`` in ``state``: closed past the deadline, else paused while
    the site pauses signing, else open."""
    if state is None:
        return petitions
    closed = closed_q(timezone.now())
    if state == "closed":
        return petitions.filter(closed)
    if (state == "paused") != paused:
        return petitions.none()
    return petitions.exclude(closed)


def state_of(petition, paused: bool) -> State:
    if petition.is_closed:
        return "closed"
    return "paused" if paused else "open"


def milestones_by_petition(petition_ids) -> dict[int, list[Milestone]]:
    """Every milestone of those petitions, newest first, in one query."""
    found = {pk: [] for pk in petition_ids}
    for milestone in Milestone.objects.filter(petition_id__in=petition_ids).order_by(
        "petition_id", "-threshold"
    ):
        found[milestone.petition_id].append(milestone)
    return found


def petition_data(request, petition, milestones, translations, paused: bool) -> dict:
    count = petition.counted
    return {
        "id": petition.pk,
        "title": petition.title,
        "language": petition.language,
        "url": petition.get_full_url(request),
        "api_url": record_url(request, petition.pk),
        "translations": translations,
        "summary": petition.summary,
        "signature_count": count,
        "goal": petition.get_goal(count),
        "deadline": petition.deadline,
        "state": state_of(petition, paused),
        "first_published_at": petition.first_published_at,
        "milestones": [{"threshold": m.threshold, "reached_at": m.reached_at} for m in milestones],
    }


def detail_data(request, petition, milestones, translations, paused: bool) -> dict:
    data = petition_data(request, petition, milestones, translations, paused)
    page_url = data["url"]
    change = texts.latest_change(petition)
    targets = (t.value for t in petition.targets if t.block_type == "target")
    return {
        **data,
        "targets": [{"name": t["name"], "role": t["role"]} for t in targets],
        "location": petition.location,
        "text_changed_at": change.changed_at if change else None,
        "links": {
            "page": page_url,
            "embed": urljoin(page_url, petition.get_embed_url(request)),
            "share_image": previews.image_context(petition, request, page_url)["url"],
            "text_changes": urljoin(page_url, petition.get_text_changes_url()) if change else None,
        },
    }


def page_url(request, offset: int) -> str:
    """The list's URL with the same query and another ``offset``."""
    query = request.GET.copy()
    query["offset"] = offset
    return request.build_absolute_uri(request.path) + "?" + urlencode(sorted(query.items()))


@api.get(
    "/petitions.json",
    response={200: PetitionListOut, 422: InvalidParameterOut},
    url_name="petitions",
    summary="The live petitions",
)
def petitions(request, params: Query[ListParams]):
    site = site_of(request)
    paused = site_settings(site).signing_paused
    # One item per petition: its translations are listed in it.
    originals = public_petitions(site).filter(pk=F("original_id"))
    found = with_state(originals, params.state, paused)
    if params.order == "count":
        found = found.order_by(F("counted").desc(), "-first_published_at", "-pk")
    else:
        found = found.order_by(F("first_published_at").desc(nulls_last=True), "-pk")
    total = found.count()
    offset, limit = params.offset, params.limit
    page = list(found[offset : offset + limit].specific())
    milestones = milestones_by_petition([p.original_id for p in page])
    translations = translations_of(request, site, page)
    return {
        "count": total,
        "next": page_url(request, offset + limit) if offset + limit < total else None,
        "previous": page_url(request, max(offset - limit, 0)) if offset > 0 else None,
        "items": [
            petition_data(request, p, milestones[p.original_id], translations[p.pk], paused)
            for p in page
        ],
    }


@api.get(
    "/petitions/{int:petition_id}.json",
    response={200: PetitionDetailOut, 404: ErrorOut},
    url_name="petition",
    summary="One petition",
)
def petition(request, petition_id: int):
    site = site_of(request)
    found = public_petitions(site).filter(pk=petition_id).specific().first()
    if found is None:
        raise Http404
    paused = PetitionSettings.for_page(found, request).signing_paused
    milestones = milestones_by_petition([found.original_id])[found.original_id]
    translations = translations_of(request, site, [found])[found.pk]
    return detail_data(request, found, milestones, translations, paused)
