"""Accounts for the JSON API: one token per user, of which only a hash is kept."""
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models, transaction

# Shown in the admin and the command's output to tell tokens apart; 8 of the 43 characters
# leave 35 secret ones (over 200 bits).
PREFIX_LENGTH = 8


def token_hash(token: str) -> str:
    """What is stored of a token. A random token of 256 bits needs no salt nor slow hash (there
    is no dictionary to try against it): an unsalted SHA-256, as GitHub's tokens and django-rest-knox
    do, and a lookup by it is as good as a constant-time comparison of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def password_fingerprint(user) -> str:
    """A fingerprint of the user's password hash as it is now.

    A token carries the fingerprint of when it was made, and authenticates only while the
    password is the same: a password change revokes it however it is made (the password
    form, the admin, ``changepassword``, ``set_password`` in a shell), with no signal to miss
    and nothing to remember. Django ends a browser session after a password change the same
    way (``get_session_auth_hash``). The password hash is already in the database, so a
    digest of it next to it gives nothing away. When Django itself re-hashes a password
    (a stronger hasher after an upgrade, at the next login) the token stops too: a safe failure,
    mended by issuing a new one."""
    return hashlib.sha256((user.password or "").encode()).hexdigest()


class ApiToken(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_token")
    key_hash = models.CharField("SHA-256 of the token", max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=PREFIX_LENGTH, editable=False,
                              help_text="The token's first characters, to tell tokens apart; not a secret.")
    password_fingerprint = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "API token"

    def __str__(self):
        return f"API token {self.prefix}… of {self.user}"

    def new_secret(self) -> str:
        """Give this token a new secret (for ``self.user``) and return it: the only time it is
        seen. It is also left on ``self.key`` until the object is gone; it is never saved."""
        self.key = secrets.token_urlsafe(32)
        self.key_hash = token_hash(self.key)
        self.prefix = self.key[:PREFIX_LENGTH]
        self.password_fingerprint = password_fingerprint(self.user)
        return self.key

    @classmethod
    @transaction.atomic
    def issue(cls, user) -> "ApiToken":
        """A new token for the user, replacing any earlier one; its secret is on ``.key``."""
        cls.objects.filter(user=user).delete()
        token = cls(user=user)
        token.new_secret()
        token.save()
        return token

    @classmethod
    def authenticate(cls, key: str):
        """The active user whose token this is, if the password is unchanged since it was made."""
        found = cls.objects.select_related("user").filter(key_hash=token_hash(key), user__is_active=True).first()
        if found is None or not hmac.compare_digest(found.password_fingerprint, password_fingerprint(found.user)):
            return None
        return found.user
