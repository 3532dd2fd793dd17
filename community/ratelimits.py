"""One way to rate-limit a form: allauth's limiter, with the wait told in minutes."""

import math
import time

from allauth.core import ratelimit
from allauth.core.internal import ratelimit as ratelimit_internals
from django.core.cache import cache


def minutes_to_wait(request, action) -> int | None:
    """Count one attempt at `action`; None when it may go ahead, else the minutes until it may."""
    if ratelimit.consume(request, action=action, user=request.user):
        return None
    wait = 0.0
    for rate in ratelimit_internals.get_rates(app="allauth.account", action=action):
        key = ratelimit_internals.get_cache_key(
            request, app="allauth.account", action=action, rate=rate, user=request.user
        )
        history = cache.get(key, [])
        if len(history) >= rate.amount:
            wait = max(wait, history[-1] + rate.duration - time.time())
    return max(1, math.ceil(wait / 60))
