"""Forms of the member directory: editing your profile, filtering the directory, writing to a member."""

from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField
from taggit.models import Tag

from community.models import ContactMessage, OrganisationType, Profile, ProfileVisibility, Region
from community.selectors import directory_tags
from community.services import CommunityError
from community.services.profiles import TAG_MAX_LENGTH, TAGS_MAX, photo_prepare
from knowledge.models import Theme

PHOTO_TYPES = "image/jpeg,image/png,image/webp"


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Naam"), max_length=120, help_text=_("Zo zien andere leden en bezoekers je in de ledenlijst.")
    )
    organisation = forms.CharField(label=_("Organisatie"), max_length=160, required=False)
    organisation_type = forms.ChoiceField(label=_("Soort organisatie"), choices=OrganisationType.choices)
    role = forms.CharField(label=_("Functie of rol"), max_length=160, required=False)
    region = forms.ChoiceField(
        label=_("Regio"), choices=[("", _("Geen regio opgeven")), *Region.choices], required=False
    )
    bio = forms.CharField(
        label=_("Over mij"),
        max_length=Profile._meta.get_field("bio").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Een korte introductie: waar werk je aan, waarover wil je kennis delen? Hoogstens 1500 tekens."),
    )
    expertise = forms.ModelMultipleChoiceField(
        label=_("Expertise: thema's"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = TagField(
        label=_("Expertise: trefwoorden"),
        required=False,
        help_text=_("Gescheiden door komma's, bijvoorbeeld: open data, Woo, archieven."),
    )
    photo = forms.FileField(
        label=_("Foto"),
        required=False,
        widget=forms.FileInput(attrs={"accept": PHOTO_TYPES}),
        help_text=_("JPEG, PNG of WebP, hoogstens 5 MB. We verkleinen de foto tot 400 bij 400 pixels."),
    )
    remove_photo = forms.BooleanField(label=_("Verwijder mijn foto"), required=False)
    open_to_contact = forms.BooleanField(
        label=_("Andere leden mogen mij een bericht sturen"),
        required=False,
        help_text=_(
            "Berichten komen via de alliantie in je mailbox; je e-mailadres blijft verborgen tot je zelf antwoordt."
        ),
    )
    visibility = forms.ChoiceField(
        label=_("Wie mag je profiel zien?"), choices=ProfileVisibility.choices, widget=forms.RadioSelect
    )
    newsletter = forms.BooleanField(label=_("Stuur mij de nieuwsbrief over open overheid"), required=False)

    def __init__(self, *args, profile, **kwargs):
        initial = {
            "display_name": profile.display_name,
            "organisation": profile.organisation,
            "organisation_type": profile.organisation_type,
            "role": profile.role,
            "region": profile.region,
            "bio": profile.bio,
            "expertise": list(profile.expertise.all()),
            "tags": list(profile.tags.all()),
            "open_to_contact": profile.open_to_contact,
            "visibility": profile.visibility,
            "newsletter": profile.newsletter_opt_in_at is not None,
        }
        super().__init__(*args, initial=initial, **kwargs)
        if not profile.photo:
            del self.fields["remove_photo"]

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        if len(tags) > TAGS_MAX:
            raise forms.ValidationError(_("Kies hoogstens %(count)d trefwoorden."), params={"count": TAGS_MAX})
        if any(len(tag) > TAG_MAX_LENGTH for tag in tags):
            raise forms.ValidationError(
                _("Een trefwoord is hoogstens %(count)d tekens lang."), params={"count": TAG_MAX_LENGTH}
            )
        return tags

    def clean_photo(self):
        upload = self.cleaned_data["photo"]
        if not upload:
            return None
        try:
            return photo_prepare(upload)
        except CommunityError as error:
            raise forms.ValidationError(error.message) from None


class DirectoryFilterForm(forms.Form):
    """Filters of /leden/ as a GET form; an invalid value is reported and that filter left out."""

    zoek = forms.CharField(label=_("Zoek op naam of organisatie"), max_length=100, required=False)
    soort = forms.ChoiceField(
        label=_("Soort organisatie"),
        choices=[("", _("Alle soorten")), *OrganisationType.choices],
        required=False,
    )
    thema = forms.ModelChoiceField(
        label=_("Thema"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        empty_label=_("Alle thema's"),
        required=False,
    )
    trefwoord = forms.ModelChoiceField(
        label=_("Trefwoord"),
        queryset=Tag.objects.none(),
        to_field_name="slug",
        empty_label=_("Alle trefwoorden"),
        required=False,
    )
    regio = forms.ChoiceField(label=_("Regio"), choices=[("", _("Alle regio's")), *Region.choices], required=False)

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trefwoord"].queryset = directory_tags(viewer=viewer)

    def filters(self) -> dict:
        """The valid filters, as keyword arguments of selectors.directory_profiles."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "query": data.get("zoek", "").strip(),
            "organisation_type": data.get("soort", ""),
            "theme": data.get("thema"),
            "tag": data.get("trefwoord"),
            "region": data.get("regio", ""),
        }


class ContactForm(forms.Form):
    subject = forms.CharField(label=_("Onderwerp"), max_length=ContactMessage._meta.get_field("subject").max_length)
    body = forms.CharField(
        label=_("Bericht"),
        max_length=ContactMessage._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Het lid ziet je naam en organisatie, niet je e-mailadres."),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Je antwoord"),
        max_length=ContactMessage._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Met je antwoord krijgt de afzender ook je e-mailadres, zodat jullie verder kunnen mailen."),
    )
