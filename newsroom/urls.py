from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import staff_views, views
from .cache import public_page
from .feeds import LatestStoriesFeed, RegionStoriesFeed, TopicStoriesFeed
from .filters import StoryFilter
from .sitemaps import SITEMAPS

# The query parameters each page reads; the page cache drops the others (``public_page``).
PAGE = ("page",)
STORY_LIST = (*StoryFilter.base_filters, "page")
SITEMAP_PAGE = ("p",)

app_name = "newsroom"
urlpatterns = [
    path("", public_page(views.HomeView.as_view()), name="home"),
    path("articles/", public_page(views.StoryListView.as_view(), reads=STORY_LIST), name="story_list"),
    path("articles/<int:pk>/", public_page(views.StoryDetailView.as_view()), name="story"),
    path("regions/", public_page(views.RegionListView.as_view()), name="region_list"),
    path("regions/<slug:slug>/", public_page(views.RegionView.as_view(), reads=PAGE), name="region"),
    path("bureaus/", public_page(views.BureauListView.as_view()), name="bureau_list"),
    path("bureaus/<slug:slug>/", public_page(views.BureauView.as_view(), reads=PAGE), name="bureau"),
    path("correspondents/<int:pk>/", public_page(views.CorrespondentView.as_view(), reads=PAGE), name="correspondent"),
    path("topics/", public_page(views.TopicListView.as_view()), name="topic_list"),
    path("topics/<str:slug>/", public_page(views.TopicView.as_view(), reads=PAGE), name="topic"),
    path("issues/", public_page(views.IssueListView.as_view(), reads=PAGE), name="issue_list"),
    path("issues/<int:number>/", public_page(views.IssueView.as_view()), name="issue"),
    path("issues/<int:number>/pages/<int:page>/", public_page(views.IssuePageView.as_view()), name="issue_page"),
    path(
        "issues/calendar/<int:year>/<int:month>/",
        public_page(views.IssueCalendarView.as_view()),
        name="issue_calendar",
    ),
    path("feeds/latest/", public_page(LatestStoriesFeed()), name="feed_latest"),
    path("feeds/regions/<slug:slug>/", public_page(RegionStoriesFeed()), name="feed_region"),
    path("feeds/topics/<str:slug>/", public_page(TopicStoriesFeed()), name="feed_topic"),
    path("staff/originals/<path:name>", staff_views.photo_original, name="photo_original"),
    path(
        "sitemap.xml",
        public_page(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "newsroom:sitemap_section"},
        name="sitemap",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.icon("favicon.ico"), name="favicon"),
    path("apple-touch-icon.png", views.icon("apple-touch-icon.png"), name="touch_icon"),
    path(
        "sitemap-<section>.xml",
        public_page(sitemap_views.sitemap, reads=SITEMAP_PAGE),
        {"sitemaps": SITEMAPS, "template_name": "newsroom/sitemap.xml"},
        name="sitemap_section",
    ),
]
