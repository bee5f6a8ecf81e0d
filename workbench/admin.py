from django.contrib import admin, messages

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Only a hash of each token is stored: a new token is shown once, in the message after it
    is made, and never again. Deleting a token revokes it."""

    list_display = ("user", "prefix", "created_at")
    search_fields = ("user__username", "prefix")
    readonly_fields = ("prefix", "created_at")

    def get_fields(self, request, obj=None):
        return ("user",) if obj is None else ("user", "prefix", "created_at")

    def get_readonly_fields(self, request, obj=None):
        # A token is made for a user and then never changed: a new one is a new token.
        return () if obj is None else ("user", "prefix", "created_at")

    def save_model(self, request, obj, form, change):
        if not change:  # a user has one token: to replace it, delete it first
            key = obj.new_secret()
        super().save_model(request, obj, form, change)
        if not change:
            messages.warning(request, f"API token for {obj.user.get_username()}: {key} — copy it now: "
                                      "only a hash of it is kept, and it is not shown again.")
