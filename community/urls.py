from community.contributions.urls import urlpatterns as contribution_urls
from community.moderation.urls import urlpatterns as moderation_urls
from community.views import accounts, groups, members, privacy

app_name = "community"

urlpatterns = [
    *accounts.urlpatterns,
    *members.urlpatterns,
    *groups.urlpatterns,
    *privacy.urlpatterns,
    *contribution_urls,
    *moderation_urls,
]
