"""Form widgets of the desk's own forms."""

from django import forms


class TypedDateInput(forms.DateInput):
    """A date typed as the paper writes it, 2026-11-27.

    Not the browser's date box: a browser draws that in its own language (mm/dd/yyyy in an English one).
    """

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__({"placeholder": "如 2026-11-27", "size": 12, **(attrs or {})}, format="%Y-%m-%d")
