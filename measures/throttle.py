"""Counting uses of something per key (an address, a client) within a window, in a cache shared by
the server's workers (CACHES["throttle"], files on the host by default).

    if not allow("password-reset-client", address, limit=10, seconds=3600): refuse …
"""

import hashlib

from django.core.cache import caches

THROTTLE_CACHE = "throttle"


def allow(scope, key, *, limit, seconds):
    """Count one use of `scope` by `key`; return False once more than `limit` uses were counted
    in the window of `seconds` that began with the first."""
    cache = caches[THROTTLE_CACHE]
    name = f"throttle:{scope}:{hashlib.sha256(key.encode()).hexdigest()}"
    cache.add(name, 0, timeout=seconds)
    try:
        count = cache.incr(name)
    except ValueError:  # The window ended between add() and incr().
        cache.set(name, 1, timeout=seconds)
        count = 1
    return count <= limit
