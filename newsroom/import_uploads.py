"""Files an importer has sent for preview, kept until they confirm, in private storage.

Kept in storage rather than on a web worker's disk, so that the worker that
shows the preview and the one that takes the confirmation need not be the same.
"""

import uuid

from django import forms
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from .services.imports import Upload, max_bundle_bytes, max_file_bytes
from .widgets import TypedDateInput

FOLDER = "pending-imports"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class BulletinUploadForm(forms.Form):
    files = MultipleFileField(
        label="文件",
        help_text=(
            "页面文本（.txt，文件名如 page-2.txt）、版面 PDF（.pdf）、表格（.csv/.xlsx/.json）、"
            "整期包（.zip），可多选。"
        ),
    )
    issue = forms.IntegerField(label="期号", min_value=1, required=False, help_text="整期包自带期号，可不填。")
    date = forms.DateField(label="出版日期", required=False, widget=TypedDateInput(), help_text="新的一期须填。")
    page = forms.IntegerField(label="版次", min_value=1, required=False, help_text="只传一个页面文本时可在此指定。")

    def clean_files(self):
        """Files over the limits are refused before they are kept or read."""
        files = self.cleaned_data["files"]
        for upload in files:
            limit = max_bundle_bytes() if upload.name.lower().endswith(".zip") else max_file_bytes()
            if upload.size > limit:
                raise forms.ValidationError(f"文件“{upload.name}”有 {upload.size} 字节，超过上限 {limit} 字节。")
        return files


def _folder(user, token):
    # The command line imports as nobody in particular unless told (--user).
    return f"{FOLDER}/{user.pk if user is not None else 'command-line'}/{token}"


def keep(user, files):
    """Store the uploads (Django's uploaded files, or ``Upload``s); returns the token that finds them again."""
    token = uuid.uuid4().hex
    storage = storages["originals"]
    for upload in files:
        data = upload.data if isinstance(upload, Upload) else upload.read()
        storage.save(f"{_folder(user, token)}/{upload.name}", ContentFile(data))
    return token


def fetch(user, token):
    """The uploads kept under ``token`` by ``user``; nobody else's."""
    if not token.isalnum():
        return []
    storage = storages["originals"]
    folder = _folder(user, token)
    try:
        _, names = storage.listdir(folder)
    except FileNotFoundError:
        return []
    uploads = []
    for name in sorted(names):
        with storage.open(f"{folder}/{name}", "rb") as handle:
            uploads.append(Upload(name=name, data=handle.read()))
    return uploads


def discard(user, token):
    storage = storages["originals"]
    folder = _folder(user, token)
    try:
        _, names = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in names:
        storage.delete(f"{folder}/{name}")


def expire(older_than):
    """Delete the uploads nobody has touched for ``older_than`` (a timedelta); the number deleted.

    Uploads previewed and never confirmed would otherwise wait for ever. Only the storage API is
    used (listing and file times), so this works on object storage as on a disk.
    """
    storage = storages["originals"]
    cutoff = timezone.now() - older_than
    expired = 0
    try:
        people, _ = storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    for person in people:
        tokens, _ = storage.listdir(f"{FOLDER}/{person}")
        for token in tokens:
            folder = f"{FOLDER}/{person}/{token}"
            names = [f"{folder}/{name}" for name in storage.listdir(folder)[1]]
            # An upload is as old as its newest file: one still being stored is not cut in half.
            if names and max(storage.get_modified_time(name) for name in names) < cutoff:
                for name in names:
                    storage.delete(name)
                expired += 1
    return expired
