"""Post-generation hooks the page factories share: ``tags=[...]`` and ``audiences=[...]``.

Each saves the page after changing it, so the search index and the page's own derived fields see
the change, as an editor's save would.
"""

import factory


@factory.post_generation
def tags(page, create, extracted, **kwargs):
    if extracted:
        page.tags.add(*extracted)
        page.save()


@factory.post_generation
def audiences(page, create, extracted, **kwargs):
    if extracted:
        page.audiences.set(extracted)
        page.save()
