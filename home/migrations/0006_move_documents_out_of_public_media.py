"""Document files saved by earlier releases under MEDIA_ROOT (or the bucket's public prefix) move
to the private location they are read from now (home/storage.py)."""

from django.db import migrations


def move_files(apps, schema_editor):
    from home.storage import move_documents_out_of_public_media

    Document = apps.get_model("wagtaildocs", "Document")
    move_documents_out_of_public_media(Document.objects.values_list("file", flat=True))


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0005_occurrence_page_start_index"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(move_files, migrations.RunPython.noop)]
