from django import template

from community.services.profiles import public_name

register = template.Library()


@register.filter
def member_name(user):
    """A person as the public sees them: never an e-mail address, "voormalig lid" once the account is gone."""
    return public_name(user)
