"""The atlas page (map, legend, select control and the same data as a table) and its data."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from healthgap.web.need.atlas import atlas_data, choose
from healthgap.web.need.models import ResultsLoad


def atlas(request: HttpRequest) -> HttpResponse:
    """The map, with a server-rendered table of the same figures (the no-JavaScript view)."""
    choice, options = choose(request.GET)
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
            "load": ResultsLoad.current(),
        },
    )


def atlas_data_json(request: HttpRequest) -> JsonResponse:
    """GeoJSON of the chosen neighbourhoods with their values (null and `suppressed: true`
    where a value rests on 1 to 7 people, unless the viewer is an analyst), legend and bbox."""
    choice, _ = choose(request.GET)
    return JsonResponse(atlas_data(choice, request.user).geojson())
