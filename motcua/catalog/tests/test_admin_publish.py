"""Administrators publish a new version (e.g. a changed workflow) from the admin, validated."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from motcua.catalog.models import Procedure


@pytest.mark.django_db
def test_publish_new_version_from_admin(catalogue):
    client = Client()
    assert client.login(username="admin", password="motcua-demo")
    procedure = Procedure.objects.get(code="1.001193")
    url = f"/admin/catalog/procedure/{procedure.pk}/publish/"
    page = client.get(url)
    assert page.status_code == 200
    body = json.loads(page.context["form"].initial["body"])
    assert body["code"] == "1.001193"

    body["workflow"][1]["hours"] = 40  # 1 working day = 8 hours: refused
    r = client.post(url, {"body": json.dumps(body)})
    assert r.status_code == 200
    assert "workflow_exceeds_time_limit" in r.content.decode()
    procedure.refresh_from_db()
    assert procedure.current.version == 1

    body["workflow"][1]["hours"] = 3
    r = client.post(url, {"body": json.dumps(body)})
    assert r.status_code == 302
    procedure.refresh_from_db()
    assert procedure.current.version == 2
    assert procedure.current.workflow[1]["hours"] == 3
    assert procedure.versions.get(version=1).workflow[1]["hours"] == 4  # the published version is unchanged

    r = client.post(url, {"body": "{not json"})
    assert r.status_code == 200 and "errornote" in r.content.decode()
