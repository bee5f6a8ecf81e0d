"""Accounts for the JSON API: one token per user."""
import secrets

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_token")
    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "API token"

    def __str__(self):
        return f"API token of {self.user}"

    @classmethod
    def issue(cls, user) -> "ApiToken":
        """A new token for the user, replacing any earlier one."""
        token, _ = cls.objects.update_or_create(user=user, defaults={"key": secrets.token_urlsafe(32)})
        return token
