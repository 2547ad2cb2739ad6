"""Settings per environment: production refuses to start half-configured and passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k" * 10 + "Zq8#v2!Lm0^pT7&xR4@bN9*eW1%yU6$cD3-hF5+gJ8=sA2"


def _run(args, **extra_env):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "ALLOWED_HOSTS"}
    }
    env.update(DJANGO_SETTINGS_MODULE="zzsite.settings.production", **extra_env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _run(["manage.py", "check"], ALLOWED_HOSTS="learning.zhengzhou.example")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _run(["manage.py", "check"], SECRET_KEY=STRONG_KEY)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_check_deploy_is_clean_when_configured():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="learning.zhengzhou.example",
        TRUSTED_PROXY_HOPS="1",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_production_check_deploy_warns_without_a_client_address_rule():
    """Behind the proxy with no TRUSTED_PROXY_HOPS, every limiter would see one address."""
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="learning.zhengzhou.example",
    )
    assert result.returncode != 0
    assert "home.W001" in result.stderr + result.stdout
    assert "TRUSTED_PROXY_HOPS" in result.stderr + result.stdout


def test_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert settings.WAGTAIL_SITE_NAME == "郑州终身学习网"


def test_production_derives_the_public_address_and_refuses_a_local_one():
    derived = _run(
        [
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.PUBLIC_BASE_URL)",
        ],
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="localhost,learning.zhengzhou.example",
    )
    # (the shell may first say how many objects it imported)
    assert derived.stdout.strip().splitlines()[-1] == "https://learning.zhengzhou.example"
    local = _run(
        ["manage.py", "check"],
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="learning.zhengzhou.example",
        PUBLIC_BASE_URL="http://localhost:8000",
    )
    assert local.returncode != 0
    assert "home.E103" in local.stderr
    missing = _run(["manage.py", "check"], SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="localhost")
    assert missing.returncode != 0
    assert "home.E102" in missing.stderr


def test_a_site_on_local_media_starts_without_the_s3_client_or_the_pdf_library():
    # Each is tens of MB in every worker (README "Performance"); they load where they are used.
    code = (
        "import sys, django; django.setup();"
        "from django.urls import get_resolver; get_resolver().url_patterns;"
        "import zzsite.wsgi;"
        "print(sorted({'boto3', 'botocore', 'reportlab', 'pypinyin'} & set(sys.modules)))"
    )
    done = _run(
        ["-c", code],
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="xuexi.example.cn",
        PUBLIC_BASE_URL="https://xuexi.example.cn",
        S3_BUCKET="",
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
