"""Form widgets of the desk's own forms."""

from django import forms
from django.template import loader
from django.utils.safestring import mark_safe


class TypedDateInput(forms.DateInput):
    """A date typed as the paper writes it, 2026-11-27.

    Not the browser's date box: a browser draws that in its own language (mm/dd/yyyy in an English one).
    """

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__({"placeholder": "如 2026-11-27", "size": 12, **(attrs or {})}, format="%Y-%m-%d")


class BodyEditor(forms.Textarea):
    """The body's text box, with a toolbar, a live count and a preview when JavaScript runs.

    The text box is the body: without JavaScript it is the whole editor, typed in the plain
    syntax ``body.to_editable`` writes. ``photos`` are the story's (number, caption) for the
    toolbar's photo list, ``preview_url`` renders the body as readers see it, ``count`` the
    saved body's (汉字, 其他字符).
    """

    template_name = "admin/newsroom/widgets/body_editor.html"

    class Media:
        css = {"all": ["css/body-editor.css"]}
        js = ["js/body-editor.js"]

    def __init__(self, attrs=None):
        super().__init__({"rows": 20, "cols": 90, "class": "body-editor-text", **(attrs or {})})
        self.photos = []
        self.preview_url = ""
        self.count = (0, 0)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["editor"] = {"photos": self.photos, "preview_url": self.preview_url, "count": self.count}
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates, not the form renderer's own (which sees Django's widgets only).
        return mark_safe(
            loader.render_to_string(self.template_name, self.get_context(name, value, attrs), using="django")
        )
