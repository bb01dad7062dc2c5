"""The filter form's widgets written in Python, and django-filter's filters copied shallowly.

On a list page the form of filters (a hundred regions, forty bureaus, dates,
text) took longer to render through Django's widget templates than the rest of
the page. These widgets write the same HTML, escaped the same way.
"""

import copy
from typing import NamedTuple

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.safestring import mark_safe
from markupsafe import escape


class Option(NamedTuple):
    """One option of a drop-down, with its tag as it is and as it is when selected."""

    value: str
    label: str
    tag: str
    selected_tag: str

    @classmethod
    def of(cls, value, label):
        value, label = str(value), str(label)
        head, tail = f'<option value="{escape(value)}"', f">{escape(label)}</option>"
        return cls(value, label, head + tail, head + " selected" + tail)


def attributes(attrs):
    """What Django's ``flatatt(attrs)`` writes, at a fifth of its cost: sorted, True alone, False and None left out."""
    pairs = sorted((name, value) for name, value in attrs.items() if value is not None and not isinstance(value, bool))
    alone = sorted(name for name, value in attrs.items() if value is True)
    return "".join(f' {name}="{escape(value)}"' for name, value in pairs) + "".join(f" {name}" for name in alone)


class QuickSelect(forms.Select):
    """A select whose options are joined in Python.

    Through Django's widget templates (or ``format_html`` for each option), a
    hundred regions took longer to render than the rest of the list page. The
    regions' and bureaus' options come made (``region_options``).
    """

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = "" if value is None else str(value)
        made = getattr(self.choices, "options", None)
        options = made() if made else [Option.of(option, label) for option, label in self.choices]
        # Every value and label is escaped (Option.of), and so is every attribute.
        html = "".join(option.selected_tag if option.value == chosen else option.tag for option in options)
        return mark_safe(f"<select{attributes(attrs)}>{html}</select>")


class QuickInput(forms.widgets.Input):
    """An ``<input>`` written in Python, as Django's widget template writes it: one on every list page."""

    def render(self, name, value, attrs=None, renderer=None):
        html_attrs = {"type": self.input_type, "name": name}
        value = self.format_value(value)
        if value is not None:
            html_attrs["value"] = value
        html_attrs.update(self.build_attrs(self.attrs, attrs))
        # attributes() escapes every value.
        return mark_safe(f"<input{attributes(html_attrs)}>")


class QuickTextInput(QuickInput, forms.TextInput):
    pass


class QuickNumberInput(QuickInput, forms.NumberInput):
    pass


class QuickDateInput(QuickInput, forms.DateInput):
    pass


class QuickHiddenInput(QuickInput, forms.HiddenInput):
    pass


class PlainOptions(ModelChoiceIterator):
    """A drop-down's options as the field's ``options()`` gives them (``Option``), not a query's rows."""

    def options(self):
        options = self.field.options()
        if self.field.empty_label is not None:
            return [Option.of("", self.field.empty_label), *options]
        return options

    def __iter__(self):
        for option in self.options():
            yield (option.value, option.label)

    def __len__(self):
        return len(self.options())


class FilterCopies(dict):
    """A filter set's filters, copied for each request shallowly, as a form's fields are.

    django-filter deep-copies them, and with them the querysets and widgets they hold: a
    millisecond of every list page. Each copy gets its own ``parent``, and its ``method`` bound
    to it; what the copies share (labels, querysets, widgets) no request changes.
    """

    def __deepcopy__(self, memo):
        copies = {}
        for name, original in self.items():
            clone = copy.copy(original)
            if original.method is not None:
                clone.method = original.method  # binds the method to the clone, not the original
            copies[name] = clone
        return copies
