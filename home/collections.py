"""The shared media collection every editor, moderator and community worker can choose from."""

from wagtail.models import Collection

SHARED_COLLECTION = "共享素材"


def shared_collection() -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=SHARED_COLLECTION).first()
    return existing or root.add_child(name=SHARED_COLLECTION)
