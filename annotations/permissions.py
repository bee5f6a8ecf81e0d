"""Who may do what. Roles are Django groups (created by a migration):

- **reviewer**: tag claims, flag contradictions, confirm or dismiss suggestions; edit or
  delete only their own claims. Tagging a span already tagged confirms a suggestion there
  or one's own rejected claim, never someone else's. A contradiction is its flagger's; a
  detector candidate is anyone's to judge until a reviewer confirms it, then it is theirs;
- **lead**: everything a reviewer may, and reconcile facts, change or dismiss others'
  contradictions, edit sources, change or delete anyone's claims;
- **admin**: everything, and imports and the Django admin (superusers count as admins).

The services call these checks, so the browser, the API and the command line share them.
``user=None`` is the system itself (command line, migrations, seeds) and may do anything.
"""
from .errors import NotAllowed

REVIEWER, LEAD, ADMIN = "reviewer", "lead", "admin"
ROLES = (REVIEWER, LEAD, ADMIN)


def roles_of(user) -> set[str]:
    if user is None:
        return set(ROLES)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return set(ROLES)
    cached = getattr(user, "_workbench_roles", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._workbench_roles = cached
    return cached


def is_reviewer(user) -> bool:
    return bool(roles_of(user))  # every role can review


def is_lead(user) -> bool:
    return bool(roles_of(user) & {LEAD, ADMIN})


def is_admin(user) -> bool:
    return ADMIN in roles_of(user)


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def require_reviewer(user) -> None:
    require(is_reviewer(user), "Your account has no reviewer role yet; ask an admin to give you one.")


def require_lead(user, action: str) -> None:
    require(is_lead(user), f"Only a lead can {action}.")


def require_admin(user, action: str) -> None:
    require(is_admin(user), f"Only an admin can {action}.")


def owns(user, owner) -> bool:
    return user is None or (owner is not None and owner.pk == user.pk)


# --- exports ---------------------------------------------------------------------------
# An account with no role reads pages; taking everything at once is a reviewer's. The archive
# holds every account and all anyone did, so it is a lead's; e-mail addresses and names
# go into it only when an admin (or the system: the command line) asks for them.


def may_export(user, fmt: str) -> bool:
    return is_lead(user) if fmt == "archive" else is_reviewer(user)


def require_export(user, fmt: str, *, with_emails: bool = False) -> None:
    """Refuse an export (format ``fmt``) the user's role does not allow."""
    if with_emails:
        require_admin(user, "export people's e-mail addresses and names")
    if fmt == "archive":
        require_lead(user, "download the archive (every account and everything anyone did)")
    require(may_export(user, fmt),
            "Downloading exports takes a reviewer role; ask an admin to give your account one.")
