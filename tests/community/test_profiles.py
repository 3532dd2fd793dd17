"""A member edits their own profile at /mijn-profiel/: fields, expertise, photo, contact, visibility, newsletter."""

from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from PIL import Image

from community.models import Profile, ProfileVisibility
from community.services import CommunityError
from community.services.profiles import PHOTO_MAX_BYTES, profile_update
from tests.community.factories import member
from tests.factories import ThemeFactory, editor

pytestmark = pytest.mark.django_db

URL = "/mijn-profiel/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def image_file(name="foto.jpg", *, kind="JPEG", size=(1200, 800), mode="RGB", **save_options):
    buffer = BytesIO()
    Image.new(mode, size, "teal").save(buffer, format=kind, **save_options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{kind.lower()}")


def form_data(**changes):
    data = {
        "display_name": "Anouk de Vries",
        "organisation": "Gemeente Utrecht",
        "organisation_type": "gemeente",
        "role": "Informatieadviseur",
        "region": "utrecht",
        "bio": "Ik werk aan actieve openbaarmaking.",
        "tags": "open data, Woo",
        "visibility": "public",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_visitor_is_sent_to_the_login_page(client, settings):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == resolve_url(settings.LOGIN_URL) + "?next=/mijn-profiel/"


def test_the_form_shows_current_values_with_labels(client):
    user = member(display_name="Bram Jansen", organisation="Provincie Gelderland", tags=["archieven"])
    client.force_login(user)
    html = client.get(URL).content.decode()
    assert html.count("<h1") == 1
    assert 'value="Bram Jansen"' in html and 'value="Provincie Gelderland"' in html
    assert 'value="archieven"' in html
    for field in ("display_name", "organisation", "organisation_type", "role", "region", "bio", "tags", "photo"):
        assert f'for="id_{field}"' in html
    assert "<legend>Wie mag je profiel zien?</legend>" in html
    assert "Verwijder mijn foto" not in html  # nothing to remove yet


def test_a_member_without_a_profile_gets_one_on_first_visit(client):
    from tests.factories import UserFactory

    user = UserFactory(first_name="Fatima", last_name="El Amrani")
    client.force_login(user)
    assert client.get(URL).status_code == 200
    assert Profile.objects.get(user=user).display_name == "Fatima El Amrani"


def test_saving_the_profile_stores_every_field(client):
    user = member(display_name="Oud")
    privacy, data = ThemeFactory(name="Privacy"), ThemeFactory(name="Open data")
    ThemeFactory(name="Archieven")
    client.force_login(user)
    response = client.post(URL, form_data(expertise=[privacy.pk, data.pk], open_to_contact="on"))
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Je profiel is opgeslagen."]
    profile = Profile.objects.get(user=user)
    assert profile.display_name == "Anouk de Vries"
    assert profile.organisation == "Gemeente Utrecht"
    assert profile.organisation_type == "gemeente"
    assert profile.role == "Informatieadviseur"
    assert profile.region == "utrecht"
    assert profile.bio == "Ik werk aan actieve openbaarmaking."
    assert profile.open_to_contact is True
    assert profile.visibility == ProfileVisibility.PUBLIC
    assert set(profile.expertise.all()) == {privacy, data}
    assert sorted(tag.name for tag in profile.tags.all()) == ["Woo", "open data"]


def test_unchecking_removes_themes_tags_and_contact(client):
    theme = ThemeFactory()
    user = member(open_to_contact=True, expertise=[theme], tags=["lakken"])
    client.force_login(user)
    client.post(URL, form_data(tags=""))
    profile = Profile.objects.get(user=user)
    assert profile.open_to_contact is False
    assert not profile.expertise.exists() and not profile.tags.exists()


def test_newsletter_opt_in_is_stored_with_its_date_and_cleared_when_off(client):
    user = member()
    client.force_login(user)
    client.post(URL, form_data(newsletter="on"))
    opted_in_at = Profile.objects.get(user=user).newsletter_opt_in_at
    assert opted_in_at is not None
    client.post(URL, form_data(newsletter="on", display_name="Nog steeds ingeschreven"))
    assert Profile.objects.get(user=user).newsletter_opt_in_at == opted_in_at
    client.post(URL, form_data())
    assert Profile.objects.get(user=user).newsletter_opt_in_at is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"display_name": ""}, "Dit is een verplicht veld."),
        ({"visibility": "iedereen-behalve-jan"}, "Selecteer een geldige keuze."),
        ({"organisation_type": "sekte"}, "Selecteer een geldige keuze."),
        ({"bio": "x" * 1501}, "niet meer dan 1500 tekens"),
        ({"tags": ", ".join(f"woord{n}" for n in range(21))}, "Kies hoogstens 20 trefwoorden."),
        ({"tags": "a" * 101}, "hoogstens 100 tekens"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client, changes, message):
    user = member(display_name="Onveranderd", visibility=ProfileVisibility.MEMBERS)
    client.force_login(user)
    response = client.post(URL, form_data(**changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and message in html
    profile = Profile.objects.get(user=user)
    assert profile.display_name == "Onveranderd" and profile.visibility == ProfileVisibility.MEMBERS


def stored_photo(user):
    profile = Profile.objects.get(user=user)
    profile.photo.open("rb")
    try:
        data = profile.photo.read()
    finally:
        profile.photo.close()
    return profile, data


def test_a_photo_is_resized_re_encoded_and_stripped_of_metadata(client):
    user = member()
    client.force_login(user)
    exif = Image.Exif()
    exif[0x010E] = "Geheime locatie"  # ImageDescription
    exif[0x8825] = {1: "N", 2: (52.0, 5.0, 0.0)}  # GPS
    upload = image_file("vakantie met naam.jpg", size=(1600, 900), exif=exif, comment=b"camera-serienummer")
    original = upload.read()
    upload.seek(0)
    assert b"Geheime locatie" in original and b"camera-serienummer" in original
    response = client.post(URL, form_data(photo=upload))
    assert response.status_code == 302
    profile, data = stored_photo(user)
    assert "vakantie" not in profile.photo.name and profile.photo.name.endswith(".jpg")
    assert b"Geheime locatie" not in data and b"camera-serienummer" not in data
    image = Image.open(BytesIO(data))
    assert image.format == "JPEG"
    assert max(image.size) == 400 and image.size == (400, 225)
    assert not image.getexif() and "exif" not in image.info and "comment" not in image.info


def test_png_and_webp_keep_their_type_and_transparency(client):
    user = member()
    client.force_login(user)
    client.post(URL, form_data(photo=image_file("logo.png", kind="PNG", mode="RGBA", size=(300, 500))))
    profile, data = stored_photo(user)
    image = Image.open(BytesIO(data))
    assert (image.format, image.mode) == ("PNG", "RGBA") and image.size == (240, 400)
    client.post(URL, form_data(photo=image_file("foto.webp", kind="WEBP", size=(100, 100))))
    profile, data = stored_photo(user)
    image = Image.open(BytesIO(data))
    assert image.format == "WEBP" and image.size == (100, 100)  # small photos are not enlarged


def test_a_new_photo_replaces_the_old_file_and_the_photo_can_be_removed(
    client, media_root, django_capture_on_commit_callbacks
):
    user = member()
    client.force_login(user)
    with_commit = django_capture_on_commit_callbacks
    with with_commit(execute=True):
        client.post(URL, form_data(photo=image_file()))
    first = Profile.objects.get(user=user).photo.name
    with with_commit(execute=True):
        client.post(URL, form_data(photo=image_file("tweede.png", kind="PNG")))
    second = Profile.objects.get(user=user).photo.name
    assert second != first
    assert not (media_root / first).exists() and (media_root / second).exists()
    assert "Verwijder mijn foto" in client.get(URL).content.decode()
    with with_commit(execute=True):
        client.post(URL, form_data(remove_photo="on"))
    assert not Profile.objects.get(user=user).photo
    assert not (media_root / second).exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("foto.jpg", b"dit is tekst en geen foto", content_type="image/jpeg"),
            "Dit bestand is geen foto die we kunnen lezen.",
        ),
        (image_file("bewegend.gif", kind="GIF"), "Dit bestandstype kan niet. Kies een foto in JPEG-, PNG- of WebP"),
        (image_file("scan.bmp", kind="BMP"), "Dit bestandstype kan niet."),
        (
            # A real JPEG, padded past the limit: the size alone refuses it.
            SimpleUploadedFile(
                "groot.jpg",
                image_file().read() + b"\0" * PHOTO_MAX_BYTES,
                content_type="image/jpeg",
            ),
            "dat is te groot. Kies een foto van hoogstens 5 MB.",
        ),
        (
            SimpleUploadedFile("kapot.png", image_file(kind="PNG").read()[:60], content_type="image/png"),
            "Dit bestand is geen foto die we kunnen lezen.",
        ),
    ],
    ids=["not-an-image", "gif", "bmp", "too-large", "truncated"],
)
def test_a_bad_photo_is_refused_with_a_dutch_message_and_nothing_is_saved(client, media_root, upload, message):
    user = member(display_name="Onveranderd")
    client.force_login(user)
    response = client.post(URL, form_data(photo=upload))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and 'href="#id_photo"' in html
    profile = Profile.objects.get(user=user)
    assert profile.display_name == "Onveranderd" and not profile.photo
    assert not list(media_root.rglob("*.*"))


def test_the_service_refuses_to_edit_someone_elses_profile():
    owner, other = member(display_name="Eigenaar"), member()
    with pytest.raises(CommunityError, match="alleen je eigen profiel"):
        profile_update(actor=other, profile=owner.profile, display_name="Gekaapt")
    assert Profile.objects.get(user=owner).display_name == "Eigenaar"


def test_editors_may_edit_any_profile_through_the_service():
    owner = member(display_name="Eigenaar")
    profile_update(actor=editor(), profile=owner.profile, display_name="Door de redactie")
    assert Profile.objects.get(user=owner).display_name == "Door de redactie"


def test_the_service_checks_its_input_too():
    user = member(display_name="Onveranderd")
    with pytest.raises(CommunityError):
        profile_update(actor=user, profile=user.profile, display_name="Nieuw", visibility="geheim")
    with pytest.raises(CommunityError, match="hoogstens 5 MB"):
        too_large = SimpleUploadedFile("groot.jpg", b"\xff" * (PHOTO_MAX_BYTES + 1))
        profile_update(actor=user, profile=user.profile, display_name="Nieuw", photo=too_large)
    with pytest.raises(TypeError):
        profile_update(actor=user, profile=user.profile, newsletter_opt_in_at=None)
    assert Profile.objects.get(user=user).display_name == "Onveranderd"
