"""Posting the site's proposal form the way a browser does, and deciding in the admin the way an editor does."""

import uuid

from django.urls import reverse
from wagtail.models import Page, TaskState

from community.contributions.forms import ArticleContributionForm
from knowledge.merge import page_content


def form_data(content, *, base_revision=None, page_path="", edit_summary="Verbeterd", token=None, action="versturen"):
    """The POST of the proposal form holding `content` (knowledge.merge's shape), as the browser would send it."""
    initial = ArticleContributionForm.initial_for(content)
    data = {key: value for key, value in initial.items() if value is not None and key != "themes"}
    data["themes"] = [str(theme_id) for theme_id in content.get("themes", [])]
    data.update(
        token=token or uuid.uuid4().hex,
        edit_summary=edit_summary,
        page_path=page_path,
        actie=action,
        soort="artikel",
    )
    if base_revision is not None:
        data["base_revision"] = str(base_revision)
    return data


def edit_data(page, *, change=None, **kwargs):
    """The edit form as a member opens it now (the live version), with `change(content)` applied."""
    page = Page.objects.get(pk=page.pk).specific
    revision = page.live_revision
    content = page_content(revision.as_object(), stream_fields=["body"])
    if change:
        change(content)
    return form_data(content, base_revision=revision.pk, page_path=page.url_path, **kwargs)


def new_article(title="Open data bij waterschappen", text="Waterschappen publiceren steeds meer open data."):
    return {
        "title": title,
        "summary": "Hoe waterschappen open data delen.",
        "themes": [],
        "tags": ["open data"],
        "body": [
            {"type": "heading", "value": {"text": "Waarom", "level": "h2"}, "id": str(uuid.uuid4())},
            {"type": "paragraph", "value": f"<p>{text}</p>", "id": str(uuid.uuid4())},
        ],
    }


def propose_new(client, content=None, **kwargs):
    return client.post(
        reverse("community:contribution_new", args=["artikel"]), form_data(content or new_article(), **kwargs)
    )


def propose_edit(client, page, data):
    return client.post(reverse("community:contribution_edit", args=[page.pk]), data)


def decide(editor_client, contribution, action, comment=""):
    """An editor approves ("approve") or asks for changes ("reject") in the admin's workflow."""
    task_state = TaskState.objects.get(workflow_state=contribution.workflow_state, status=TaskState.STATUS_IN_PROGRESS)
    url = reverse("wagtailadmin_pages:workflow_action", args=[contribution.page_id, action, task_state.pk])
    return editor_client.post(url, {"comment": comment} if comment else {})
