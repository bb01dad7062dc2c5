from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class NewsroomConfig(AppConfig):
    default = True
    name = "newsroom"
    verbose_name = "编辑部"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import auth_backends, revisions  # noqa: F401 (auth_backends: its signal receiver)

        revisions.register_models()


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """The admin, with the newsroom's start page (the review queue) as its index."""

    default = False
    default_site = "newsroom.admin_site.NewsroomAdminSite"
