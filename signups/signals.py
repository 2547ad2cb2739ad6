"""When an editor raises an occurrence's capacity, waiting people move into the new seats."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from home.models import Occurrence


@receiver(post_save, sender=Occurrence, dispatch_uid="signups_fill_free_seats")
def fill_seats_after_edit(sender, instance, created, raw=False, **kwargs):
    if raw or created or not instance.signup_enabled:
        return
    from .models import Signup, SignupStatus

    if not Signup.objects.filter(occurrence_id=instance.pk, status=SignupStatus.WAITING).exists():
        return
    from .services import fill_free_seats

    transaction.on_commit(lambda: fill_free_seats(instance.pk))
