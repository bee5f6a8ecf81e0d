"""What the templates need to know about the current user's roles (to hide what they cannot do)."""
from annotations import permissions


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"is_lead": permissions.is_lead(user), "is_admin_role": permissions.is_admin(user)}
