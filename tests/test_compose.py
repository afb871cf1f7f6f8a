"""docker-compose.yml, checked without Docker: its structure, and that every service command is
a real `monitor` command with real options (`monitor <command> --help` exits 0)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from monitor.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_services_of_a_scaled_deployment(compose):
    services = compose["services"]
    assert {"db", "migrate", "scheduler", "worker"} <= set(services)
    db = services["db"]
    assert db["image"].startswith("postgres:")
    assert any(v.endswith(":/var/lib/postgresql/data") for v in db["volumes"])
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert set(compose["volumes"]) >= {v.split(":")[0] for v in db["volumes"]}
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["migrate"]["restart"] == "no"
    for name in ("scheduler", "worker"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["scheduler"]["command"][:2] == ["run", "--scheduler-only"]
    assert services["worker"]["command"][0] == "worker"
    worker = services["worker"]
    assert "container_name" not in worker and "ports" not in worker, "`--scale worker=3` needs neither"


def test_config_read_only_and_secrets_from_the_env_file(compose):
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name in ("migrate", "scheduler", "worker"):
        svc = compose["services"][name]
        assert "./config:/config:ro" in svc["volumes"], name
        assert svc["env_file"] == ".env" or ".env" in svc["env_file"], name
        url = svc["environment"]["MONITOR_DATABASE_URL"]
        assert url.startswith("postgresql+psycopg://") and "@db:5432/" in url and "${POSTGRES_PASSWORD" in url
        assert "/config" in svc["command"]
    assert "POSTGRES_PASSWORD=" in example
    assert "${POSTGRES_PASSWORD" in compose["services"]["db"]["environment"]["POSTGRES_PASSWORD"]
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert 'ENTRYPOINT ["monitor"]' in dockerfile


@pytest.mark.parametrize("service", ["migrate", "scheduler", "worker"])
def test_each_command_is_a_real_cli_command(compose, service, capsys):
    command = compose["services"][service]["command"]
    words = [w for w in command if not w.startswith("-") and w != "/config"]
    assert main([*command, "--help"]) == 0
    usage = capsys.readouterr().out
    assert f" {' '.join(words)} [OPTIONS]" in usage, usage
    assert main([*command, "--no-such-option"]) == 2  # the parser really checks this command's options
