from django.core.management.base import BaseCommand

from search.indexing import reindex_all
from search.query import mirror_backend


class Command(BaseCommand):
    help = "Rebuild the search index from PostgreSQL (and, when configured, a new Elasticsearch index)."

    def handle(self, *args, **options):
        def progress(kind, done, total):
            if done == total or done % 100 == 0:
                width = 30
                filled = width * done // total if total else width
                self.stdout.write(f"\r{kind:<13} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
                if done == total:
                    self.stdout.write("")

        summary = reindex_all(progress=progress)
        for kind, count in summary.indexed.items():
            self.stdout.write(f"{kind}: {count} indexed")
        if summary.mirrored is not None:
            alias = mirror_backend().alias
            self.stdout.write(f"Elasticsearch: {summary.mirrored} documents in {alias}, swapped in.")
        elif summary.mirror_error:
            self.stdout.write(
                self.style.WARNING(
                    f"Elasticsearch unavailable ({summary.mirror_error}); searches use PostgreSQL and the "
                    "Elasticsearch index is rebuilt as soon as it answers."
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {sum(summary.indexed.values())} indexed, {summary.skipped} skipped, {summary.failed} failed."
            )
        )
