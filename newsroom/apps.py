from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "编辑部"
    default_auto_field = "django.db.models.BigAutoField"
