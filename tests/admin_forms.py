"""What a browser would post back from an admin change form, as the page rendered it."""

from django.db.models.fields.files import FieldFile


def _put(data, bound):
    value = bound.value()
    if isinstance(value, FieldFile):
        return  # a browser sends no file where none was chosen (a page's PDF)
    if value is False or value is None:
        if value is None:
            data[bound.html_name] = ""
        return
    data[bound.html_name] = "on" if value is True else value


def change_form_data(response, **changes):
    data = {}
    for bound in response.context["adminform"].form:
        _put(data, bound)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for bound in formset.management_form:
            _put(data, bound)
        for form in formset.forms:
            for bound in form:
                _put(data, bound)
    data.update(changes)
    return data
