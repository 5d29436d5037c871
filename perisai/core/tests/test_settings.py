from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "perisai", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _production_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PERISAI_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="perisai.settings.production",
        SECRET_KEY="x" * 20 + "a-production-secret-with-enough-entropy-1234567890",
        PERISAI_FIELD_KEYS="field-key-2026,field-key-2025",
        PERISAI_BLIND_INDEX_KEY="b" * 48,
        ALLOWED_HOSTS="perisai.example.go.id",
        DATABASE_URL="postgres://perisai:secret@db.internal:5432/perisai",
        PERISAI_VAR_DIR=str(tmp),
    )
    return env


def test_production_settings_pass_check_deploy_with_no_warning(tmp_path: Path) -> None:
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], _production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_console_channel_is_refused_by_the_deploy_check(tmp_path: Path) -> None:
    env = _production_env(tmp_path)
    code = (
        "from django.conf import settings; from django.core.checks import run_checks;"
        "settings.PERISAI_CHANNELS = {'sms': {'TYPE': 'console'}};"
        "print([m.id for m in run_checks(include_deployment_checks=True)])"
    )
    result = _run(["shell", "-c", code], env)
    assert result.returncode == 0, result.stderr
    assert "perisai.E003" in result.stdout.strip().splitlines()[-1]


def test_production_refuses_to_start_without_secrets(tmp_path: Path) -> None:
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    result = _run(["check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_local_secret_key_is_generated_once_under_var(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PERISAI_", "SECRET_KEY"))}
    env.update(DJANGO_SETTINGS_MODULE="perisai.settings.local", PERISAI_VAR_DIR=str(tmp_path))
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = _run(["shell", "-c", code], env)
    second = _run(["shell", "-c", code], env)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and len(first.stdout.strip().splitlines()[-1]) > 40
    assert (tmp_path / "secret_key.txt").stat().st_mode & 0o077 == 0


def test_sqlite_default_uses_wal_and_a_busy_timeout(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PERISAI_", "DATABASE_"))}
    env.update(DJANGO_SETTINGS_MODULE="perisai.settings.local", PERISAI_VAR_DIR=str(tmp_path))
    code = (
        "from django.db import connection; c = connection.cursor();"
        "print(*[c.execute(f'PRAGMA {p}').fetchone()[0]"
        " for p in ('journal_mode', 'busy_timeout', 'synchronous', 'cache_size', 'mmap_size')])"
    )
    result = _run(["shell", "-c", code], env)
    assert result.returncode == 0, result.stderr
    # synchronous 1 = NORMAL (durable against a crash of the process in WAL mode); a 64 MiB cache, 1 GiB mapped.
    assert result.stdout.strip().splitlines()[-1].split() == ["wal", "20000", "1", "-65536", "1073741824"]
