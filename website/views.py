from django.http import HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.template import loader


def ping(request):
    """The smallest view behind the full middleware stack; the benchmark's baseline."""
    return HttpResponse("ok", content_type="text/plain")


def page_not_found(request, exception=None):
    message = exception.args[0] if exception and exception.args and isinstance(exception.args[0], str) else ""
    # Django's resolver puts a dict or its own English text in the exception; only our messages are shown.
    if message.startswith(("No ", "Resolver404", "The current path")) or "Page matching" in message:
        message = ""
    return HttpResponseNotFound(loader.render_to_string("404.html", {"message": message}, request))


def server_error(request):
    """Rendered without context processors: when this runs, the database may be what failed."""
    return HttpResponseServerError(loader.get_template("500.html").render({}))
