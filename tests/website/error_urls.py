from django.urls import path

from website.urls import handler404, handler500, urlpatterns as site_urlpatterns  # noqa: F401


def broken(request):
    raise RuntimeError("geheime interne fout")


urlpatterns = [path("stuk/", broken), *site_urlpatterns]
