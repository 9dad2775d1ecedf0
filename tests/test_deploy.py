"""The production settings pass Django's deployment checklist and refuse to start without a key."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def manage(args: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def production_environment(tmp_path: Path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "SECURE_SSL_REDIRECT"}
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="jiedao.config.settings.production",
        JIEDAO_VAR_DIR=str(tmp_path / "var"),
    )
    return environment


def test_check_deploy_passes_without_warnings(production_environment):
    production_environment.update(
        SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="jiedao.wenyan.gov.cn"
    )

    result = manage(["check", "--deploy", "--fail-level", "WARNING"], production_environment)

    assert result.returncode == 0, result.stderr
    assert result.stdout == "System check identified no issues (0 silenced).\n"
    assert "WARNING" not in result.stderr


def test_production_refuses_to_start_without_a_secret_key(production_environment, tmp_path):
    production_environment.update(ALLOWED_HOSTS="jiedao.wenyan.gov.cn")

    result = manage(["check"], production_environment)

    assert result.returncode != 0
    assert (
        "django.core.exceptions.ImproperlyConfigured: SECRET_KEY must be set in the environment "
        "for production." in result.stderr
    )
    # It refused before writing anything, such as a locally generated key.
    assert not (tmp_path / "var" / "secret_key").exists()


def test_production_refuses_an_empty_secret_key(production_environment):
    production_environment.update(SECRET_KEY="", ALLOWED_HOSTS="jiedao.wenyan.gov.cn")

    result = manage(["check"], production_environment)

    assert result.returncode != 0
    assert "SECRET_KEY must be set in the environment for production." in result.stderr


def test_collectstatic_builds_the_manifest_for_production(production_environment, tmp_path):
    # The manifest storage refuses a script that names a file we did not ship (a source map),
    # which would stop `make demo` and every production deployment.
    production_environment.update(
        SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="jiedao.wenyan.gov.cn"
    )

    result = manage(["collectstatic", "--no-input", "-v", "0"], production_environment)

    assert result.returncode == 0, result.stderr
    static_root = tmp_path / "var" / "static"
    assert (static_root / "staticfiles.json").exists()
    assert (static_root / "vendor" / "leaflet" / "leaflet.js").exists()
