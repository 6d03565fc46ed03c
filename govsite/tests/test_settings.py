"""Production refuses to start without its secrets; the embedded defaults are Chinese."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "www.example.gov.cn",
    "DATABASE_URL": "postgres://govsite@127.0.0.1:5432/govsite",
}


def load_production(env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    clean["DJANGO_SETTINGS_MODULE"] = "govsite.settings.production"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        env={**clean, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV))
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = load_production(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and missing in result.stderr


def test_production_starts_with_everything_given():
    result = load_production(PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
