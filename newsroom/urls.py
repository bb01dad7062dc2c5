from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import staff_views, views
from .feeds import LatestStoriesFeed, RegionStoriesFeed
from .sitemaps import SITEMAPS

app_name = "newsroom"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/", views.StoryListView.as_view(), name="story_list"),
    path("articles/<int:pk>/", views.StoryDetailView.as_view(), name="story"),
    path("regions/", views.RegionListView.as_view(), name="region_list"),
    path("regions/<slug:slug>/", views.RegionView.as_view(), name="region"),
    path("bureaus/<slug:slug>/", views.BureauView.as_view(), name="bureau"),
    path("correspondents/<int:pk>/", views.CorrespondentView.as_view(), name="correspondent"),
    path("issues/", views.IssueListView.as_view(), name="issue_list"),
    path("issues/<int:number>/", views.IssueView.as_view(), name="issue"),
    path("feeds/latest/", LatestStoriesFeed(), name="feed_latest"),
    path("feeds/regions/<slug:slug>/", RegionStoriesFeed(), name="feed_region"),
    path("staff/originals/<path:name>", staff_views.photo_original, name="photo_original"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS, "sitemap_url_name": "newsroom:sitemap_section"}),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
]
