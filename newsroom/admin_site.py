from django.contrib import admin

from . import desk


class NewsroomAdminSite(admin.AdminSite):
    site_header = "编辑部"
    site_title = "编辑部"
    index_title = "编辑工作台"
    index_template = "admin/newsroom/desk.html"

    def index(self, request, extra_context=None):
        user = request.user
        context = {"state_counts": desk.state_counts(user)}
        if user.has_perm("newsroom.review_story"):
            context["review_queue"] = desk.review_queue()
        if user.has_perm("newsroom.publish_story"):
            issue = desk.next_issue()
            context.update(next_issue=issue, ready_to_publish=desk.ready_to_publish(issue))
        if not user.has_perm("newsroom.review_story"):
            context["my_stories"] = desk.my_stories(user)
        return super().index(request, {**context, **(extra_context or {})})
