import pytest


@pytest.fixture
def reviewer(client, user):
    """The test client, logged in as ``user`` (tests/conftest.py: an account with the admin role)."""
    client.force_login(user)
    return client
