"""Members' profiles and werkgroepen. Writes go through community.services; views only read here."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from website.access import is_editor

INVITATION_LIFETIME = timedelta(days=14)


class OrganisationType(models.TextChoices):
    RIJKSOVERHEID = "rijksoverheid", _("Rijksoverheid")
    PROVINCIE = "provincie", _("Provincie")
    GEMEENTE = "gemeente", _("Gemeente")
    WATERSCHAP = "waterschap", _("Waterschap")
    UITVOERINGSORGANISATIE = "uitvoeringsorganisatie", _("Uitvoeringsorganisatie")
    MAATSCHAPPELIJK = "maatschappelijke-organisatie", _("Maatschappelijke organisatie")
    INWONER = "inwoner", _("Inwoner")
    JOURNALIST = "journalist", _("Journalist")
    WETENSCHAP = "wetenschap", _("Wetenschap")
    BEDRIJF = "bedrijf", _("Bedrijf")
    ANDERS = "anders", _("Anders")


class Region(models.TextChoices):
    LANDELIJK = "landelijk", _("Landelijk")
    DRENTHE = "drenthe", "Drenthe"
    FLEVOLAND = "flevoland", "Flevoland"
    FRIESLAND = "friesland", "Fryslân"
    GELDERLAND = "gelderland", "Gelderland"
    GRONINGEN = "groningen", "Groningen"
    LIMBURG = "limburg", "Limburg"
    NOORD_BRABANT = "noord-brabant", "Noord-Brabant"
    NOORD_HOLLAND = "noord-holland", "Noord-Holland"
    OVERIJSSEL = "overijssel", "Overijssel"
    UTRECHT = "utrecht", "Utrecht"
    ZEELAND = "zeeland", "Zeeland"
    ZUID_HOLLAND = "zuid-holland", "Zuid-Holland"
    CARIBISCH = "caribisch-nederland", _("Caribisch Nederland")
    BUITENLAND = "buitenland", _("Buiten Nederland")


class ProfileVisibility(models.TextChoices):
    PUBLIC = "public", _("Iedereen")
    MEMBERS = "members", _("Alleen ingelogde leden")
    HIDDEN = "hidden", _("Niemand behalve de redactie")


class ProfileQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Who sees a profile on the site: visitors public ones, members also members-only ones, and
        everyone their own. Hidden profiles appear nowhere else; editors find them in the admin."""
        profiles = self.filter(user__is_active=True, deleted_at__isnull=True)
        if user.is_authenticated:
            return profiles.filter(
                Q(visibility__in=[ProfileVisibility.PUBLIC, ProfileVisibility.MEMBERS]) | Q(user=user)
            )
        return profiles.filter(visibility=ProfileVisibility.PUBLIC)


class TaggedProfile(TaggedItemBase):
    content_object = models.ForeignKey("community.Profile", on_delete=models.CASCADE, related_name="tagged_items")


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(_("naam"), max_length=120)
    organisation = models.CharField(_("organisatie"), max_length=160, blank=True)
    organisation_type = models.CharField(
        _("soort organisatie"), max_length=40, choices=OrganisationType.choices, default=OrganisationType.ANDERS
    )
    role = models.CharField(_("functie of rol"), max_length=160, blank=True)
    region = models.CharField(_("regio"), max_length=40, choices=Region.choices, blank=True)
    bio = models.TextField(_("over mij"), max_length=1500, blank=True)
    expertise = models.ManyToManyField(
        "knowledge.Theme", blank=True, related_name="experts", verbose_name=_("expertise (thema's)")
    )
    tags = TaggableManager(_("expertise (trefwoorden)"), through=TaggedProfile, blank=True)
    photo = models.ImageField(_("foto"), upload_to="profielen/", blank=True)
    open_to_contact = models.BooleanField(_("open voor contact"), default=False)
    visibility = models.CharField(
        _("wie mag je profiel zien"),
        max_length=10,
        choices=ProfileVisibility.choices,
        default=ProfileVisibility.MEMBERS,
    )
    newsletter_opt_in_at = models.DateTimeField(_("nieuwsbrief aangevraagd op"), null=True, blank=True)
    privacy_consent_at = models.DateTimeField(_("privacyverklaring geaccepteerd op"), null=True, blank=True)
    blocked_at = models.DateTimeField(_("geblokkeerd op"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("account verwijderd op"), null=True, blank=True)
    # Trust (see community.services.trust): a watched member's contributions wait for an editor.
    trusted_at = models.DateTimeField(_("vertrouwd sinds"), null=True, blank=True)
    approved_contributions = models.PositiveIntegerField(_("goedgekeurde bijdragen"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("profiel")
        verbose_name_plural = _("profielen")

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("community:member", kwargs={"pk": self.pk})

    def visible_to(self, user) -> bool:
        return Profile.objects.filter(pk=self.pk).visible_to(user).exists()


class GroupJoinPolicy(models.TextChoices):
    OPEN = "open", _("Open: iedereen kan meedoen")
    REQUEST = "request", _("Op verzoek: een coördinator beslist")
    INVITATION = "invitation", _("Alleen op uitnodiging")


class GroupVisibility(models.TextChoices):
    PUBLIC = "public", _("Openbaar")
    MEMBERS = "members", _("Alleen voor leden van de alliantie")
    SECRET = "secret", _("Geheim: alleen deelnemers weten dat de groep bestaat")


class GroupStatus(models.TextChoices):
    PROPOSED = "proposed", _("Voorgesteld")
    ACTIVE = "active", _("Actief")
    REJECTED = "rejected", _("Afgewezen")


class WorkingGroupQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=GroupStatus.ACTIVE)

    def visible_to(self, user):
        """Who may know a werkgroep exists: public ones to all, members-only to members, secret to its members."""
        groups = self.active()
        if is_editor(user):
            return groups
        if not user.is_authenticated:
            return groups.filter(visibility=GroupVisibility.PUBLIC)
        return groups.filter(~Q(visibility=GroupVisibility.SECRET) | Q(memberships__user=user)).distinct()


class WorkingGroup(models.Model):
    name = models.CharField(_("naam"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("beschrijving"))
    themes = models.ManyToManyField(
        "knowledge.Theme", blank=True, related_name="working_groups", verbose_name=_("thema's")
    )
    join_policy = models.CharField(
        _("deelname"), max_length=12, choices=GroupJoinPolicy.choices, default=GroupJoinPolicy.OPEN
    )
    visibility = models.CharField(
        _("zichtbaarheid"), max_length=10, choices=GroupVisibility.choices, default=GroupVisibility.PUBLIC
    )
    status = models.CharField(_("status"), max_length=10, choices=GroupStatus.choices, default=GroupStatus.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_groups",
        verbose_name=_("voorgesteld door"),
    )
    access_group = models.OneToOneField(
        Group,
        on_delete=models.PROTECT,
        related_name="working_group",
        help_text=_("De Django-groep waarmee pagina's tot deze werkgroep worden beperkt."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("werkgroep")
        verbose_name_plural = _("werkgroepen")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("community:group", kwargs={"slug": self.slug})


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Deelnemer")
    COORDINATOR = "coordinator", _("Coördinator")


class Membership(models.Model):
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rol"), max_length=12, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_group")]
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")

    def __str__(self):
        return f"{self.user} in {self.group}"


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("In behandeling")
    ACCEPTED = "accepted", _("Geaccepteerd")
    DECLINED = "declined", _("Afgewezen")


class JoinRequest(models.Model):
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests")
    message = models.TextField(_("toelichting"), max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"], condition=Q(status="pending"), name="one_pending_request_per_group"
            ),
        ]
        ordering = ["-created_at"]
        verbose_name = _("verzoek om deel te nemen")
        verbose_name_plural = _("verzoeken om deel te nemen")

    def __str__(self):
        return f"{self.user} → {self.group}"


def _invitation_token():
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mailadres"))
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")

    def __str__(self):
        return f"{self.email} → {self.group}"

    @property
    def expires_at(self):
        return self.created_at + INVITATION_LIFETIME

    def is_usable(self) -> bool:
        return self.accepted_at is None and timezone.now() < self.expires_at


class ContactMessage(models.Model):
    """A message between members; addresses stay hidden until the receiver replies."""

    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_messages")
    receiver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="received_messages")
    subject = models.CharField(_("onderwerp"), max_length=150)
    body = models.TextField(_("bericht"), max_length=4000)
    reply_token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    created_at = models.DateTimeField(auto_now_add=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("contactbericht")
        verbose_name_plural = _("contactberichten")

    def __str__(self):
        return self.subject


class Notification(models.Model):
    """One line in a member's notification list ("Meldingen"); e-mail is sent beside it, not instead."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(_("bericht"), max_length=300)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("gelezen op"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")

    def __str__(self):
        return self.message


class ModerationStatus(models.TextChoices):
    PENDING = "pending", _("Wacht op goedkeuring")
    PUBLISHED = "published", _("Gepubliceerd")
    REJECTED = "rejected", _("Afgewezen")
    HIDDEN = "hidden", _("Verborgen")
    WITHDRAWN = "withdrawn", _("Ingetrokken")


class ModeratedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ModerationStatus.PUBLISHED)

    def visible_to(self, user):
        """Published items; an author also sees their own waiting ones; editors see all but withdrawn."""
        if is_editor(user):
            return self.exclude(status=ModerationStatus.WITHDRAWN)
        if user is not None and user.is_authenticated:
            return self.filter(Q(status=ModerationStatus.PUBLISHED) | Q(author=user, status=ModerationStatus.PENDING))
        return self.published()


class ModeratedContent(models.Model):
    """What every member-written item that is not a page shares (answers, comments, reactions).

    Pages go through Wagtail's workflow instead (community.contributions). Status changes go through
    community.services.moderation, which applies the trust rules and tells the author.
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("auteur")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ModerationStatus.choices, default=ModerationStatus.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("geplaatst op"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(_("toelichting bij de beslissing"), blank=True)

    objects = ModeratedQuerySet.as_manager()

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        raise NotImplementedError

    def moderation_label(self) -> str:
        """A short description for the moderation queue and notifications; subclasses refine it."""
        return str(self)


# Contributions and moderation live in their own modules; Django finds their models through this one.
from community.contributions.models import *  # noqa: E402,F403
from community.moderation.models import *  # noqa: E402,F403
