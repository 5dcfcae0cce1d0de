"""The atlas page (map, legend, select control and the same data as a table) and its data."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from healthgap.web.need.atlas import atlas_data, atlas_geojson, choose, table_cache_key
from healthgap.web.need.cache import TIMEOUT
from healthgap.web.need.models import ResultsLoad


def atlas(request: HttpRequest) -> HttpResponse:
    """The map, with a server-rendered table of the same figures (the no-JavaScript view).
    The choices, the figures and the rendered table are cached per results load and viewer's
    disclosure policy (need/cache.py)."""
    load = ResultsLoad.current()
    choice, options = choose(request.GET, load=load)
    data = atlas_data(choice, request.user)
    query = urlencode(choice.query())
    return render(
        request,
        "need/atlas.html",
        {
            "choice": choice,
            "options": options,
            "data": data,
            "data_url": f"{reverse('need:atlas-data')}?{query}",
            "load": load,
            "table_key": table_cache_key(choice, request.user, load),
            "table_timeout": TIMEOUT,
        },
    )


def atlas_data_json(request: HttpRequest) -> HttpResponse:
    """GeoJSON of the chosen neighbourhoods with their values (null and `suppressed: true`
    where a value rests on 1 to 7 people, unless the viewer is an analyst), legend and bbox."""
    load = ResultsLoad.current()
    choice, _ = choose(request.GET, load=load)
    body = atlas_geojson(choice, request.user, load)
    return HttpResponse(body, content_type="application/json")
