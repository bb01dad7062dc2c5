"""Writing the directory stories are filed under: regions, bureaus, correspondents, issues and their pages.

Readers' pages show all of them (names, datelines, the region tree, an issue's
contents), so every change moves the readers' content version on when it commits.
"""

from django.db import transaction

from newsroom import content
from newsroom.models import Bureau, Correspondent, Issue, Region, Story
from newsroom.services import stories

ENTRIES = (Region, Bureau, Correspondent, Issue)


def _check(model):
    if model not in ENTRIES:
        raise TypeError(f"The directory keeps regions, bureaus, correspondents and issues, not {model.__name__}.")


@transaction.atomic
def save(entry):
    """Validate and save a region, bureau, correspondent or issue (new or changed)."""
    _check(type(entry))
    entry.full_clean()
    renamed = isinstance(entry, Correspondent) and entry.pk is not None and _name_changed(entry)
    entry.save()
    if renamed:
        # Search finds a story by its people's names, as they are now.
        stories.refresh_search_text(Story.objects.by_correspondent(entry))
    content.changed()
    return entry


def _name_changed(correspondent):
    stored = Correspondent.objects.filter(pk=correspondent.pk).values_list("name", flat=True).first()
    return stored is not None and stored != correspondent.name


@transaction.atomic
def save_pages(issue, pages, removed=()):
    """Save an issue's ``pages`` (new or changed) and delete the ``removed`` ones."""
    for page in removed:
        if page.issue_id != issue.pk:
            raise ValueError(f"{page} is not a page of {issue}.")
        page.delete()
    for page in pages:
        page.issue = issue
        page.full_clean()
        page.save()
    content.changed()
    return pages


@transaction.atomic
def delete(entry):
    """Delete a region, bureau, correspondent or issue (an issue with its pages)."""
    _check(type(entry))
    entry.delete()
    content.changed()


@transaction.atomic
def delete_all(entries):
    """Delete every entry of a queryset of regions, bureaus, correspondents or issues."""
    _check(entries.model)
    entries.delete()
    content.changed()
