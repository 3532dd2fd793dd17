from django.db import migrations

# Suggestions while typing read folded titles (lower case, no accents). `unaccent` is only STABLE, so
# an IMMUTABLE wrapper with a fixed dictionary makes the expression indexable. Two indexes, each read
# in order so that a query stops at its limit: a btree in the "C" collation for titles that start
# with the typed text (LIKE 'x%' and ORDER BY), and a GiST trigram index for the titles with a word
# most like it (%> and ORDER BY <<->). They live outside Django's model state, like the text search
# configuration in 0001.
FOLD_FUNCTION = """
CREATE OR REPLACE FUNCTION search_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$
"""


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunSQL(sql=FOLD_FUNCTION, reverse_sql="DROP FUNCTION IF EXISTS search_fold(text)"),
        migrations.RunSQL(
            sql='CREATE INDEX search_document_title_prefix ON search_searchdocument ((search_fold(title) COLLATE "C"))',
            reverse_sql="DROP INDEX IF EXISTS search_document_title_prefix",
        ),
        migrations.RunSQL(
            sql="CREATE INDEX search_document_title_trgm ON search_searchdocument "
            'USING gist ((search_fold(title) COLLATE "C") gist_trgm_ops(siglen=256))',
            reverse_sql="DROP INDEX IF EXISTS search_document_title_trgm",
        ),
    ]
