from home.models import SignupMode
from signups.models import AgeGroup
from signups.services import Applicant, sign_up


def enable_signup(occurrence, mode=SignupMode.FIRST_COME, capacity=10, **fields):
    occurrence.signup_mode = mode
    occurrence.capacity = capacity
    for name, value in fields.items():
        setattr(occurrence, name, value)
    occurrence.save()
    return occurrence


def phone(number: int) -> str:
    """Obviously fake mobile numbers: 13800000001, 13800000002, …"""
    return f"138{number:08d}"


def applicant(number: int, **fields) -> Applicant:
    values = {"name": f"居民{number}", "phone": phone(number), "age_group": AgeGroup.ADULT}
    values.update(fields)
    return Applicant(**values)


def add_signup(occurrence, number: int, **fields):
    return sign_up(occurrence.pk, applicant(number, **fields))
