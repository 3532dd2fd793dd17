from community.views import accounts, groups, members, privacy

app_name = "community"

urlpatterns = [*accounts.urlpatterns, *members.urlpatterns, *groups.urlpatterns, *privacy.urlpatterns]
