"""Members' profiles and the messages they send each other through the directory."""

import uuid
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from community.mail import absolute_url, send_templated
from community.models import ContactMessage, Profile
from community.services import CommunityError
from website.access import is_editor

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_SIDE = 400
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
PROFILE_FIELDS = frozenset(
    ["display_name", "organisation", "organisation_type", "role", "region", "bio", "open_to_contact", "visibility"]
)
TAG_MAX_LENGTH = 100
TAGS_MAX = 20


def profile_for(user) -> Profile:
    """The member's profile, created from their account on first use."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        pass
    profile, _ = Profile.objects.get_or_create(
        user=user, defaults={"display_name": user.get_full_name() or user.get_username()}
    )
    return profile


@transaction.atomic
def profile_create_at_signup(
    *, user, display_name, organisation="", organisation_type="anders", newsletter=False, consent=True
) -> Profile:
    now = timezone.now()
    profile = profile_for(user)
    profile.display_name = display_name
    profile.organisation = organisation
    profile.organisation_type = organisation_type
    profile.privacy_consent_at = now if consent else None
    profile.newsletter_opt_in_at = now if newsletter else None
    profile.save()
    return profile


def _one_line(text):
    return " ".join(str(text).split())


def _check_length(model, field_name, value):
    """Model TextFields do not enforce their max_length themselves."""
    field = model._meta.get_field(field_name)
    if len(value) > field.max_length:
        raise CommunityError(
            _("%(field)s mag hoogstens %(limit)d tekens lang zijn (nu %(length)d).")
            % {"field": str(field.verbose_name).capitalize(), "limit": field.max_length, "length": len(value)}
        )


def _unreadable_photo():
    return CommunityError(_("Dit bestand is geen foto die we kunnen lezen. Kies een JPEG-, PNG- of WebP-bestand."))


def photo_prepare(upload) -> ContentFile:
    """Check an uploaded photo and re-encode it: at most 400×400 pixels, without any metadata.

    Only the pixels travel into the new file, so EXIF (location, camera), comments and colour
    profiles stay behind, and a file that merely claims to be an image never reaches the storage.
    """
    if upload.size > PHOTO_MAX_BYTES:
        raise CommunityError(
            _("De foto is %(size).1f MB; dat is te groot. Kies een foto van hoogstens 5 MB.")
            % {"size": upload.size / (1024 * 1024)}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            kind = probe.format
            probe.verify()
        if kind not in PHOTO_FORMATS:
            raise CommunityError(_("Dit bestandstype kan niet. Kies een foto in JPEG-, PNG- of WebP-formaat."))
        upload.seek(0)
        with Image.open(upload) as original:
            if original.width * original.height > PHOTO_MAX_PIXELS:
                raise CommunityError(_("De foto heeft te veel pixels. Kies een kleinere foto."))
            image = ImageOps.exif_transpose(original)
            image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    except CommunityError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _unreadable_photo() from None
    has_alpha = kind != "JPEG" and (image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    pixels_only = Image.new(image.mode, image.size)
    pixels_only.paste(image)
    buffer = BytesIO()
    pixels_only.save(buffer, format=kind, **({"optimize": True} if kind == "PNG" else {"quality": 85}))
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.{PHOTO_FORMATS[kind]}")


def _checked_tags(tags):
    names = [name.strip() for name in tags if name.strip()]
    if len(names) > TAGS_MAX:
        raise CommunityError(_("Kies hoogstens %(count)d trefwoorden.") % {"count": TAGS_MAX})
    if any(len(name) > TAG_MAX_LENGTH for name in names):
        raise CommunityError(_("Een trefwoord is hoogstens %(count)d tekens lang.") % {"count": TAG_MAX_LENGTH})
    return names


def profile_update(
    *, actor, profile, expertise=None, tags=None, photo=None, remove_photo=False, newsletter=None, **fields
) -> Profile:
    """A member edits their own profile (editors may edit any). Arguments left out stay as they are.

    `fields` are the plain profile fields (PROFILE_FIELDS); `photo` is an uploaded file, checked and
    re-encoded by photo_prepare; `newsletter` switches the opt-in and records when it was given.
    """
    if not (actor.is_authenticated and actor.is_active and (actor.pk == profile.user_id or is_editor(actor))):
        raise CommunityError(_("Je kunt alleen je eigen profiel bewerken."))
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise TypeError(f"profile_update() got unexpected fields: {', '.join(sorted(unknown))}")
    if "bio" in fields:
        _check_length(Profile, "bio", fields["bio"])
    tags = _checked_tags(tags) if tags is not None else None
    new_photo = photo_prepare(photo) if photo else None

    with transaction.atomic():
        profile = Profile.objects.select_for_update().get(pk=profile.pk)
        for name, value in fields.items():
            setattr(profile, name, value)
        try:
            profile.full_clean(exclude=["user", "photo", "expertise"])
        except ValidationError as error:
            raise CommunityError(" ".join(error.messages)) from None
        if newsletter is not None:
            if not newsletter:
                profile.newsletter_opt_in_at = None
            elif profile.newsletter_opt_in_at is None:
                profile.newsletter_opt_in_at = timezone.now()
        old_photo = profile.photo.name
        if new_photo is not None:
            profile.photo.save(new_photo.name, new_photo, save=False)
        elif remove_photo:
            profile.photo = ""
        profile.save()
        if expertise is not None:
            profile.expertise.set(expertise)
        if tags is not None:
            profile.tags.set(tags)
        if old_photo and old_photo != profile.photo.name:
            storage = profile.photo.storage
            transaction.on_commit(lambda: storage.delete(old_photo))
    return profile


def contact_refusal(*, actor, receiver) -> str | None:
    """Why `actor` may not write to `receiver` through the directory, or None when they may."""
    if not (actor.is_authenticated and actor.is_active):
        return _("Log in om een lid een bericht te sturen.")
    if actor.pk == receiver.pk:
        return _("Je kunt jezelf geen bericht sturen.")
    profile = Profile.objects.visible_to(actor).filter(user=receiver).first()
    if profile is None:
        return _("Dit lid is niet te bereiken.")
    if not profile.open_to_contact:
        return _("Dit lid wil geen berichten via de ledenlijst ontvangen.")
    return None


def contact_send(*, actor, receiver, subject, body) -> ContactMessage:
    """Mail a member who is open to contact. Neither address is revealed: the receiver gets a reply link."""
    refusal = contact_refusal(actor=actor, receiver=receiver)
    if refusal:
        raise CommunityError(refusal)
    subject, body = _one_line(subject), str(body).strip()
    if not subject or not body:
        raise CommunityError(_("Vul een onderwerp en een bericht in."))
    _check_length(ContactMessage, "body", body)
    with transaction.atomic():
        message = ContactMessage(sender=actor, receiver=receiver, subject=subject, body=body)
        try:
            message.full_clean(exclude=["sender", "receiver", "reply_token"])
        except ValidationError as error:
            raise CommunityError(" ".join(error.messages)) from None
        message.save()
        sender_profile = profile_for(actor)
        send_templated(
            to=[receiver.email],
            subject=_("Bericht van %(name)s: %(subject)s") % {"name": sender_profile.display_name, "subject": subject},
            template="community/email/contact_message.txt",
            context={
                "message": message,
                "sender_name": sender_profile.display_name,
                "sender_organisation": sender_profile.organisation,
                "receiver_name": profile_for(receiver).display_name,
                "reply_url": absolute_url(reverse("community:contact_reply", kwargs={"token": message.reply_token})),
                "sender_url": absolute_url(sender_profile.get_absolute_url()),
            },
        )
    return message


def contact_reply(*, actor, message, body) -> ContactMessage:
    """The receiver answers; by doing so they choose to share their address with the sender."""
    if not actor.is_authenticated or actor.pk != message.receiver_id:
        raise CommunityError(_("Alleen de ontvanger kan op dit bericht antwoorden."))
    sender = message.sender
    if not sender.is_active or profile_for(sender).deleted_at:
        raise CommunityError(_("De afzender is geen lid meer; je antwoord kan niet worden bezorgd."))
    body = str(body).strip()
    if not body:
        raise CommunityError(_("Schrijf een antwoord."))
    _check_length(ContactMessage, "body", body)
    with transaction.atomic():
        message = ContactMessage.objects.select_for_update().get(pk=message.pk)
        if message.replied_at is None:
            message.replied_at = timezone.now()
            message.save(update_fields=["replied_at"])
        replier_name = profile_for(actor).display_name
        send_templated(
            to=[sender.email],
            subject=_("Antwoord van %(name)s: %(subject)s") % {"name": replier_name, "subject": message.subject},
            template="community/email/contact_reply.txt",
            context={
                "message": message,
                "body": body,
                "replier_name": replier_name,
                "replier_email": actor.email,
                "sender_name": profile_for(sender).display_name,
            },
            reply_to=[actor.email],
        )
    return message


FORMER_MEMBER_PREFIX = "voormalig-lid-"


def is_anonymised(user) -> bool:
    return (
        not user.is_active and user.get_username().startswith(FORMER_MEMBER_PREFIX) and not user.has_usable_password()
    )


def public_name(user) -> str:
    """How a person is named in public: their profile's name, else their account's; "voormalig lid" once gone."""
    if user is None or user.pk is None or is_anonymised(user):
        return _("voormalig lid")
    try:
        profile = user.profile
    except Profile.DoesNotExist:
        profile = None
    if profile is not None and profile.deleted_at is None:
        return profile.display_name
    return user.get_full_name() or user.get_username()
