from django.contrib import admin
from django.urls import reverse

from . import desk
from .admin_lookups import with_declared_lookups


class NewsroomAdminSite(admin.AdminSite):
    site_header = "编辑部"
    site_title = "编辑部"
    index_title = "编辑工作台"
    index_template = "admin/newsroom/desk.html"

    def register(self, model_or_iterable, admin_class=None, **options):
        """Register as Django does; every list, ours and other apps', filters by its declared lookups only."""
        super().register(model_or_iterable, with_declared_lookups(admin_class or admin.ModelAdmin), **options)

    def index(self, request, extra_context=None):
        user = request.user
        context = {"state_counts": desk.state_counts(user)}
        if user.has_perm("newsroom.review_story"):
            context.update(review_queue=desk.review_queue(), queue_length=desk.QUEUE_LENGTH)
        if user.has_perm("newsroom.publish_story"):
            issue = desk.next_issue()
            context.update(next_issue=issue, ready_to_publish=desk.ready_to_publish(issue))
        # The desk counts everyone's pieces; anyone else their own (the page says whose).
        context["records_url"] = reverse("admin:newsroom_correspondent_records")
        if not user.has_perm("newsroom.review_story"):
            context["my_stories"] = desk.my_stories(user)
        return super().index(request, {**context, **(extra_context or {})})
