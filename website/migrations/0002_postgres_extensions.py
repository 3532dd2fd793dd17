from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """Search needs accent-insensitive matching and trigram similarity for typos and suggestions."""

    dependencies = [("website", "0001_initial")]

    operations = [TrigramExtension(), UnaccentExtension()]
