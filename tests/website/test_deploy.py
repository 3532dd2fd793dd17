import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def test_models_and_migrations_agree(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _database_url():
    s = connection.settings_dict
    return (
        f"postgresql://{s['USER']}:{s['PASSWORD']}@/{s['NAME']}?host={s['HOST']}"
        if s["HOST"].startswith("/")
        else f"postgresql://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    )


def _manage(*args, secret):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.production",
        "SECRET_KEY": secret,
        "DATABASE_URL": _database_url(),
        "ALLOWED_HOSTS": "alliantie.example",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_deploy_check_is_clean_with_production_settings(db):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", secret=secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("secret", ["", "kort", "dev-only-not-secret-0a3c6f1b" * 3])
def test_production_refuses_to_start_without_a_real_secret(db, secret):
    result = _manage("check", secret=secret)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr
