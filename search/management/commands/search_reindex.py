from django.core.management.base import BaseCommand

from search.indexing import reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index from PostgreSQL."

    def handle(self, *args, **options):
        def progress(kind, done, total):
            if done == total or done % 100 == 0:
                width = 30
                filled = width * done // total if total else width
                self.stdout.write(f"\r{kind:<10} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
                if done == total:
                    self.stdout.write("")

        summary = reindex_all(progress=progress)
        for kind, count in summary.indexed.items():
            self.stdout.write(f"{kind}: {count} indexed")
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {sum(summary.indexed.values())} indexed, {summary.skipped} skipped, {summary.failed} failed."
            )
        )
