from django.http import Http404
from wagtail import hooks

from website.access import can_view


@hooks.register("on_serve_page", order=-1)
def refuse_readers_the_rule_bars(serve):
    """Serving a page (and its history and diff) applies the same rule as every listing.

    A visitor still gets Wagtail's login redirect: it looks the same for members-only and for group
    content, so it reveals nothing about a group. A logged-in reader who is barred gets a 404 instead of
    that redirect, which would send them round in circles and tell them there is something to see.
    """

    def inner(page, request, serve_args, serve_kwargs):
        if request.user.is_authenticated and not can_view(page, request.user):
            raise Http404
        return serve(page, request, serve_args, serve_kwargs)

    return inner
