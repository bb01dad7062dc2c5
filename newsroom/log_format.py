"""Log records as one JSON line each: easy to read in a terminal and to search in a log collector.

A traceback stays inside its record's line (as ``traceback``), so a record is
never split across lines, nor mixed with the next one.
"""

import datetime
import json
import logging


class OneLineFormatter(logging.Formatter):
    """time, level, logger and message; and, when there are, the traceback and the request's method, path and status."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"] = request.method
            entry["path"] = request.path
        if hasattr(record, "status_code"):
            entry["status"] = record.status_code
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["traceback"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
