"""The readers' filters on lists of stories: region, bureau, correspondent, issue, kind, dates, text."""

import functools

import django_filters
from django import forms
from django.core.exceptions import ValidationError

from .models import Bureau, Correspondent, Region, Story
from .speed.search import terms
from .speed.widgets import (
    FilterCopies,
    Option,
    PlainOptions,
    QuickDateInput,
    QuickHiddenInput,
    QuickNumberInput,
    QuickSelect,
    QuickTextInput,
)

RELEVANCE = "relevance"
LEVEL_INDENT = {"province": "", "prefecture": "　", "county": "　　"}


def words_of_two_characters(text):
    """Each word of a search is a run of two characters or more: no index finds a single one."""
    if any(len(word) < 2 for word in terms(text)):
        raise ValidationError("每个关键词至少要两个字，词与词之间用空格隔开。", code="short_word")


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
        validators=[words_of_two_characters],
        error_messages={"min_length": "关键词至少要两个字。", "max_length": "关键词最多 100 个字。"},
    )
    order = django_filters.ChoiceFilter(
        label="排序",
        widget=QuickSelect,
        choices=[(RELEVANCE, "相关度")],
        empty_label="最新在前",
        method="keep_order",
        error_messages={"invalid_choice": "排序“%(value)s”无效，应为 relevance（相关度）或不选（最新在前）。"},
    )

    class Meta:
        model = Story
        fields = []

    def get_form_class(self):
        """The filters' form class, made once: its fields are the same for every request.

        django-filter makes a new form class, and a field for each filter, on every request.
        """
        form_class = type(self).__dict__.get("form_class_made")
        if form_class is None:
            form_class = type(self).form_class_made = super().get_form_class()
        return form_class

    def filter_region(self, queryset, name, region):
        return queryset.in_region(region)

    def filter_correspondent(self, queryset, name, correspondent):
        return queryset.by_correspondent(correspondent)

    def filter_date_after(self, queryset, name, day):
        return queryset.published_between(start=day)

    def filter_date_before(self, queryset, name, day):
        return queryset.published_between(end=day)

    def filter_text(self, queryset, name, text):
        return queryset.search(text)

    def keep_order(self, queryset, name, value):
        # The order is the list's, not a filter: ``ordered()`` applies it once the list is narrowed.
        return queryset

    def ordered(self, stories):
        """``stories`` newest first; by relevance to the search (headline matches first) where the reader chose it."""
        chosen = self.is_bound and self.is_valid() and self.form.cleaned_data.get("order") == RELEVANCE
        text = self.form.cleaned_data.get("q") if chosen else ""
        return stories.by_relevance(text) if text else stories.newest_first()

    def search_terms(self):
        """The words a valid search looks for, to mark them where they are found; none without a search."""
        if not self.is_bound or not self.is_valid():
            return []
        return terms(self.form.cleaned_data.get("q") or "")

    def active_filters(self):
        """(label, shown value, query string without it) for each filter in use, to show and remove them."""
        if not self.is_bound or not self.is_valid():
            return []
        active = []
        for name, value in self.form.cleaned_data.items():
            # The order narrows nothing: it is chosen in the form, not removed as a condition.
            if value in (None, "") or name == "order":
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
