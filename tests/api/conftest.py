import json

import pytest

from workbench.models import ApiToken

API = "/api/v1"


def bearer(user) -> dict:
    """The headers of a request made with a new token of ``user``."""
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user).key}"}


def post(client, url, data, auth):
    return client.post(API + url, json.dumps(data), content_type="application/json", **auth)


@pytest.fixture
def token(user):
    return ApiToken.issue(user).key


@pytest.fixture
def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
