"""Login throttling (django-axes) as this workbench runs it: whose address a login comes from
behind the TLS proxy, how long a lockout lasts, the page that says so, and the warning before it.

A lockout is for one username from one client address (``AXES_LOCKOUT_PARAMETERS``), so an
attacker guessing a reviewer's password locks only themselves out, not the reviewer.
"""
import ipaddress
from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_credentials, get_failure_limit
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timeuntil


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address (``AXES_CLIENT_IP_CALLABLE``).

    Behind ``WORKBENCH_TRUSTED_PROXY_COUNT`` proxies, each appends the address it received the
    request from to X-Forwarded-For, so the client is that many entries from the right;
    anything further left was sent by the client and proves nothing. With no proxy configured
    the header is ignored: it would be the client's own word.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.WORKBENCH_TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < proxies:
        # Not every proxy added its entry (a request that bypassed one): fall back to the
        # address that connected, which throttles too much rather than too little.
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote


def duration_text(delta: timedelta) -> str:
    """A lockout's length in words: "15 minutes", "1 hour, 30 minutes"."""
    now = timezone.now()
    return timeuntil(now + delta, now)


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The lockout page (``AXES_LOCKOUT_CALLABLE``): for how long, and until when.

    The wait counts from this try: django-axes restarts the cool-off on every try made while
    locked out (``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT``).
    """
    cool_off = get_cool_off(request)
    context = {
        "cool_off": duration_text(cool_off) if cool_off else "",
        "locked_until": request.axes_attempt_time + cool_off if cool_off else None,
    }
    return render(request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


def lockout_warning(request: HttpRequest, username: str | None) -> str:
    """After a failed login: a warning if one more failure would lock this username out from
    this address, else nothing."""
    if not settings.AXES_ENABLED:
        return ""
    credentials = get_credentials(username)
    failures_left = get_failure_limit(request, credentials) - AxesProxyHandler.get_failures(request, credentials)
    if failures_left != 1:
        return ""
    cool_off = get_cool_off(request)
    how_long = f"for {duration_text(cool_off)}" if cool_off else "until an admin unlocks it"
    return f"One more failed attempt will lock this account {how_long} from your address."
