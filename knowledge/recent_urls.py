"""/recente-wijzigingen/ and its Atom feed."""

urlpatterns = []
