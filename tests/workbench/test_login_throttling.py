"""Login throttling (django-axes) behind the TLS proxy: a lockout is for one account from one
client address, the client's address is read from a proxy only when one is configured, the last
try before the lock warns, and the lockout page says how long it lasts."""
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from workbench.throttling import client_ip_address

PROXY = "10.0.0.1"  # the TLS proxy: every request reaches the app from here
PASSWORD = "a-long-test-password"  # the `user` fixture's (rita)
WARNING = "One more failed attempt will lock this account for 15 minutes from your address."


@pytest.fixture(autouse=True)
def three_tries(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes


def behind_proxy(forwarded_for: str) -> Client:
    """A browser whose requests reach the app through the proxy, which appended its address."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def log_in(client: Client, password: str):
    return client.post(reverse("login"), {"username": "rita", "password": password})


def text(response) -> str:
    return " ".join(response.content.decode().split())  # also turns no-break spaces into spaces


def test_locking_out_one_client_behind_the_proxy_leaves_another_free(user, settings):
    settings.WORKBENCH_TRUSTED_PROXY_COUNT = 1
    attacker, owner = behind_proxy("203.0.113.7"), behind_proxy("198.51.100.9")
    for _ in range(3):
        response = log_in(attacker, "wrong")
    assert response.status_code == 429
    assert log_in(attacker, PASSWORD).status_code == 429  # the attacker's address stays locked

    response = log_in(owner, PASSWORD)
    assert response.status_code == 302 and owner.session["_auth_user_id"] == str(user.pk)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_a_client_cannot_escape_the_lock_by_sending_its_own_forwarded_header(user, settings):
    # The proxy appends the address it saw to whatever the client sent: only the right-most
    # entry (one per trusted proxy) is believed, so made-up entries on the left change nothing.
    settings.WORKBENCH_TRUSTED_PROXY_COUNT = 1
    for made_up in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        log_in(behind_proxy(f"{made_up}, 203.0.113.7"), "wrong")
    response = log_in(behind_proxy("4.4.4.4, 203.0.113.7"), PASSWORD)
    assert response.status_code == 429 and "_auth_user_id" not in response.client.session


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(user, settings):
    # With no proxy configured (the default), X-Forwarded-For comes from the client itself:
    # believing it would let an attacker guess forever from new made-up addresses.
    settings.WORKBENCH_TRUSTED_PROXY_COUNT = 0
    for made_up in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        log_in(Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=made_up), "wrong")
    response = log_in(Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="4.4.4.4"), PASSWORD)
    assert response.status_code == 429 and "_auth_user_id" not in response.client.session
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


@pytest.mark.parametrize("forwarded_for, proxies, expected", [
    ("203.0.113.7", 1, "203.0.113.7"),
    ("1.1.1.1, 203.0.113.7", 1, "203.0.113.7"),
    ("203.0.113.7, 10.0.0.2", 2, "203.0.113.7"),       # two proxies: the client is second from the right
    ("2001:db8::7", 1, "2001:db8::7"),
    ("203.0.113.7", 2, PROXY),                          # fewer entries than proxies: not believed
    ("not-an-address", 1, PROXY),
    ("", 1, PROXY),
    ("203.0.113.7", 0, PROXY),
])
def test_client_address_counts_trusted_proxies_from_the_right(settings, forwarded_for, proxies, expected):
    settings.WORKBENCH_TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip_address(request) == expected


def test_the_last_try_before_the_lock_warns_and_not_before(user):
    client = Client()
    first = log_in(client, "wrong")
    assert "did not match" in text(first) and WARNING not in text(first)
    second = log_in(client, "wrong")
    assert second.status_code == 200 and WARNING in text(second)
    assert log_in(client, "wrong").status_code == 429


def test_no_warning_when_the_login_succeeds_or_for_another_account(user, django_user_model):
    django_user_model.objects.create_user("omar", password=PASSWORD)
    client = Client()
    log_in(client, "wrong")
    log_in(client, "wrong")
    # omar's count from this address is his own: one failure, no warning.
    response = client.post(reverse("login"), {"username": "omar", "password": "wrong"})
    assert "did not match" in text(response) and WARNING not in text(response)


def test_the_lockout_page_says_how_long_and_until_when(user):
    client = Client()
    for _ in range(3):
        response = log_in(client, "wrong")
    assert response.status_code == 429
    until = AccessAttempt.objects.get().attempt_time + timedelta(minutes=15)
    page = text(response)
    assert "Too many failed logins for this account from your address." in page
    assert f"Try again in 15 minutes (at {until:%H:%M} UTC)." in page


def test_the_lockout_page_counts_from_the_latest_try(user, settings):
    # A try while locked starts the wait again (django-axes resets the cool-off): the page
    # names the new time, not the first one.
    settings.AXES_COOLOFF_TIME = 1.5
    client = Client()
    for _ in range(4):
        response = log_in(client, "wrong")
    until = AccessAttempt.objects.get().attempt_time + timedelta(minutes=90)
    assert f"Try again in 1 hour, 30 minutes (at {until:%H:%M} UTC)." in text(response)


def test_without_a_cool_off_the_pages_say_an_admin_unlocks_it(user, settings):
    settings.AXES_COOLOFF_TIME = None  # django-axes: locked until an admin deletes the attempt
    client = Client()
    log_in(client, "wrong")
    assert "One more failed attempt will lock this account until an admin unlocks it" in text(log_in(client, "wrong"))
    page = text(log_in(client, "wrong"))
    assert "It stays locked until an admin unlocks it." in page and "Try again in" not in page
