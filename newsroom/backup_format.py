"""The rows of a paper backup: Django's JSON fixtures, with times to the microsecond.

Django's own JSON encoder cuts times to the millisecond; a restored paper must hold
exactly the times it had (an editor's open form is checked against a story's
``updated_at``), so this format keeps them whole. It reads as ordinary JSON fixtures.
"""

import datetime

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder

FORMAT_NAME = "paperjson"


class ExactTimesEncoder(DjangoJSONEncoder):
    def default(self, value):
        if isinstance(value, (datetime.datetime, datetime.time)):
            return value.isoformat()
        return super().default(value)


class Serializer(django_json.Serializer):
    def start_serialization(self):
        super().start_serialization()
        self.json_kwargs["cls"] = ExactTimesEncoder


Deserializer = django_json.Deserializer


def register():
    from django.core import serializers

    serializers.register_serializer(FORMAT_NAME, __name__)
