"""The readers' filters on lists of stories: region, bureau, correspondent, issue, kind, dates, text."""

import copy
import functools
from typing import NamedTuple

import django_filters
from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.safestring import mark_safe
from markupsafe import escape

from .models import Bureau, Correspondent, Region, Story


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


LEVEL_INDENT = {"province": "", "prefecture": "　", "county": "　　"}


class MappedChoiceField(forms.ModelChoiceField):
    """A drop-down of regions or bureaus, answered from ``Region.objects.map()``, not a query per request.

    ``mapped(region_map)`` gives the choices by their slug. A slug the map does not know (a
    region added through another worker a moment ago, or none at all) is looked up in the
    database as Django's field would.
    """

    widget = QuickSelect
    iterator = PlainOptions

    def mapped(self, region_map):
        raise NotImplementedError

    def to_python(self, value):
        if isinstance(value, str) and value in (chosen := self.mapped(Region.objects.map())):
            return chosen[value]
        return super().to_python(value)


class RegionChoiceField(MappedChoiceField):
    def mapped(self, region_map):
        return region_map.by_slug

    def options(self):
        return region_options(Region.objects.map())


class BureauChoiceField(MappedChoiceField):
    """Bureaus by their slug, which is their region's: ``?bureau=zhangye``."""

    def prepare_value(self, value):
        if isinstance(value, Bureau):
            return value.slug
        return super().prepare_value(value)

    def mapped(self, region_map):
        return region_map.bureau_by_slug

    def options(self):
        return bureau_options(Region.objects.map())


# The drop-downs' options, made once for each region map (a content version's regions and bureaus).


@functools.lru_cache(maxsize=4)
def region_options(region_map):
    # Counties indented under their prefecture in the drop-down.
    return tuple(Option.of(region.slug, LEVEL_INDENT[region.level] + region.name) for region in region_map.regions)


@functools.lru_cache(maxsize=4)
def bureau_options(region_map):
    # The label is the bureau's dateline, as ``str(bureau)`` gives it.
    return tuple(Option.of(bureau.slug, bureau.dateline) for bureau in region_map.bureaus)


class RegionFilter(django_filters.ModelChoiceFilter):
    field_class = RegionChoiceField


class BureauFilter(django_filters.ModelChoiceFilter):
    field_class = BureauChoiceField


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


class StoryFilter(django_filters.FilterSet):
    region = RegionFilter(
        label="地区",
        to_field_name="slug",
        queryset=Region.objects.all(),
        method="filter_region",
        empty_label="全部地区",
        error_messages={"invalid_choice": "没有找到地区“%(value)s”。"},
    )
    bureau = BureauFilter(
        label="记者站",
        to_field_name="region__slug",
        queryset=Bureau.objects.with_region(),
        empty_label="全部记者站",
        error_messages={"invalid_choice": "没有找到记者站“%(value)s”。"},
    )
    correspondent = django_filters.ModelChoiceFilter(
        label="作者",
        queryset=Correspondent.objects.all(),
        method="filter_correspondent",
        widget=QuickHiddenInput,
        error_messages={"invalid_choice": "没有找到编号为“%(value)s”的作者。"},
    )
    issue = django_filters.NumberFilter(
        label="期号",
        field_name="issue__number",
        widget=QuickNumberInput,
        min_value=1,
        max_value=2**31 - 1,
        error_messages={"invalid": "期号应是数字。"},
    )
    kind = django_filters.ChoiceFilter(
        label="类型",
        widget=QuickSelect,
        choices=Story.Kind.choices,
        empty_label="全部类型",
        error_messages={"invalid_choice": "类型“%(value)s”无效，应为 article 或 photo。"},
    )
    date_after = django_filters.DateFilter(
        label="起始日期",
        method="filter_date_after",
        widget=QuickDateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "起始日期应写成 年-月-日，如 2026-11-20。"},
    )
    date_before = django_filters.DateFilter(
        label="截止日期",
        method="filter_date_before",
        widget=QuickDateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "截止日期应写成 年-月-日，如 2026-11-20。"},
    )
    q = django_filters.CharFilter(
        label="关键词",
        method="filter_text",
        widget=QuickTextInput,
        max_length=100,
        min_length=2,
        error_messages={"min_length": "关键词至少要两个字。", "max_length": "关键词最多 100 个字。"},
    )

    class Meta:
        model = Story
        fields = []

    def get_form_class(self):
        """The filters' form class, made once: its fields are the same for every request.

        django-filter makes a new form class, and a field for each filter, on every request.
        """
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = type(self)._form_class = super().get_form_class()
        return form_class

    def filter_region(self, queryset, name, region):
        return queryset.in_region(region)

    def filter_correspondent(self, queryset, name, correspondent):
        return queryset.by_correspondent(correspondent)

    def filter_date_after(self, queryset, name, day):
        return queryset.published_between(start=day)

    def filter_date_before(self, queryset, name, day):
        return queryset.published_between(end=day)

    walk = False

    def filter_text(self, queryset, name, text):
        return queryset.containing(text) if self.walk else queryset.search(text)

    def qs_walking(self):
        """``qs`` with the text tested story by story (``StoryQuerySet.containing``), or None without a text."""
        if not self.is_bound or not self.is_valid() or not self.form.cleaned_data.get("q"):
            return None
        self.walk = True
        try:
            return self.filter_queryset(self.queryset.all())
        finally:
            self.walk = False

    def active_filters(self):
        """(label, shown value, query string without it) for each filter in use, to show and remove them."""
        if not self.is_bound or not self.is_valid():
            return []
        active = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, ""):
                continue
            field = self.form.fields[name]
            shown = value
            if name == "kind":
                shown = Story.Kind(value).label
            elif name == "correspondent":
                shown = value.name
            elif hasattr(value, "strftime"):
                shown = value.isoformat()
            rest = self.data.copy()
            rest.pop(name, None)
            rest.pop("page", None)
            active.append((field.label, shown, rest.urlencode()))
        return active


StoryFilter.base_filters = FilterCopies(StoryFilter.base_filters)
