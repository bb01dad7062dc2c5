"""The editors' desk: the admin asks and shows; every change goes through the services.

Importing the package registers each desk with the admin site.
"""

from . import directory, front, imports, jobs, stories

__all__ = ["directory", "front", "imports", "jobs", "stories"]
