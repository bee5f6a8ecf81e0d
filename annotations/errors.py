"""The one family of errors the domain raises, each with a message a reviewer can read."""


class WorkbenchError(Exception):
    """A reviewer action was refused; ``str(error)`` says why, and nothing was saved.

    ``field`` names the model field the refusal is about, when there is one, so a form or
    the API can point at it."""

    def __init__(self, *args, field: str | None = None):
        super().__init__(*args)
        self.field = field


class ImportRefused(WorkbenchError):
    """A file was not imported; ``duplicate`` when the same bytes are there already."""

    def __init__(self, name: str, reason: str, *, duplicate: bool = False):
        self.name = name
        self.reason = reason
        self.duplicate = duplicate
        super().__init__(f"{name} was not imported: {reason}")


class ConflictError(WorkbenchError):
    """Someone else changed the object first (optimistic locking)."""


class DuplicateError(ConflictError):
    """The thing asked for exists already (the same claim, the same contradiction)."""


class NotAllowed(WorkbenchError):
    """The user's role does not allow this action."""
