from django.urls import path

from website.urls import handler404, handler500  # noqa: F401
from website.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("geheime interne fout")


urlpatterns = [path("stuk/", broken), *site_urlpatterns]
