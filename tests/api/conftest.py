import pytest

from workbench.models import ApiToken


@pytest.fixture
def token(user):
    return ApiToken.issue(user).key


@pytest.fixture
def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
