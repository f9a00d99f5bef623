"""Refused directory input."""


class DirectoryError(ValueError):
    """Refused input; `field` names the form field it belongs next to."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field
