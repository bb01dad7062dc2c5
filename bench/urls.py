"""The project's pages plus the framework's floor: the cheapest response Django can give."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

FLOOR_BODY = "ok\n"


def floor(request):
    """A fixed short response through the same middleware as every page: what no page can beat."""
    return HttpResponse(FLOOR_BODY, content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("_floor/", floor, name="bench_floor"),
    *project_urlpatterns,
]
