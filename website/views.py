from django.http import HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.template import loader


def ping(request):
    """The smallest view behind the full middleware stack; the benchmark's baseline."""
    return HttpResponse("ok", content_type="text/plain")


def page_not_found(request, exception=None):
    """Never shows the exception's text: it is English and may say more than a visitor should read."""
    return HttpResponseNotFound(loader.render_to_string("404.html", {}, request))


def server_error(request):
    """Rendered without context processors: when this runs, the database may be what failed."""
    return HttpResponseServerError(loader.get_template("500.html").render({}))
