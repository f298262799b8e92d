"""Static checks of the deployment files (no Docker engine or systemd is needed to run them).

The code the image must contain is derived from the repository: every top-level module or
package reachable by imports from ``bot.py``. Add a package and forget the Dockerfile, and
this fails.
"""

from __future__ import annotations

import ast
import fnmatch
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pytest

from tests.files import ROOT

DOCKERFILE, COMPOSE = ROOT / "Dockerfile", ROOT / "compose.yaml"
UNIT = ROOT / "deploy" / "war-digest-bot.service"
HEALTH_COMMAND = ["python", "-m", "storage", "health"]


# --- helpers: the code the bot needs --------------------------------------------------------

def _imported_tops(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]


def _local_entry(name: str) -> str | None:
    """``name.py`` or ``name/`` when ``name`` is a module of this repository, else None."""
    if (ROOT / f"{name}.py").is_file():
        return f"{name}.py"
    if (ROOT / name / "__init__.py").is_file():
        return f"{name}/"
    return None


def code_the_bot_imports() -> set[str]:
    """Top-level files and packages reachable by imports from bot.py (bot.py included)."""
    found, queue = {"bot.py"}, [ROOT / "bot.py"]
    while queue:
        for name in _imported_tops(queue.pop()):
            entry = _local_entry(name)
            if entry and entry not in found:
                found.add(entry)
                package = entry.endswith("/")
                queue.extend((ROOT / entry).rglob("*.py") if package else [ROOT / entry])
    return found


# --- helpers: tiny readers for the three formats ----------------------------------------------

def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, comments dropped and continued lines joined."""
    joined = re.sub(r"\\\n", " ", "\n".join(
        line for line in text.splitlines() if not line.lstrip().startswith("#")))
    pairs = [line.strip().split(None, 1) for line in joined.splitlines() if line.strip()]
    return [(p[0].upper(), p[1] if len(p) > 1 else "") for p in pairs]


def yaml_paths(text: str) -> dict[str, list[str]]:
    """Flatten block-style YAML mappings into ``{"a.b": [values]}`` (list items included).

    Enough for compose.yaml without a YAML parser (none is in the lock):

    >>> yaml_paths("a:\\n  b: 1\\n  c:\\n    - x\\nd:\\n")
    {'a': [], 'a.b': ['1'], 'a.c': ['x'], 'd': []}
    """
    paths: dict[str, list[str]] = {}
    parents: list[tuple[int, str]] = []
    for line in text.splitlines():
        body = line.strip()
        if not body or body.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        while parents and parents[-1][0] >= indent:
            parents.pop()
        parent = ".".join(key for _, key in parents)
        if body.startswith("- "):
            paths.setdefault(parent, []).append(body[2:].strip())
            continue
        key, _, value = body.partition(":")
        path = f"{parent}.{key}" if parent else key
        paths[path] = [value.strip()] if value.strip() else []
        if not value.strip():
            parents.append((indent, key))
    return paths


def unit_directives(text: str) -> dict[str, dict[str, list[str]]]:
    """``{section: {key: [values]}}``; systemd allows a key more than once."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
        elif line and not line.startswith(("#", ";")):
            key, _, value = line.partition("=")
            current.setdefault(key.strip(), []).append(value.strip())
    return sections


# --- Dockerfile ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def docker() -> list[tuple[str, str]]:
    return dockerfile_instructions(DOCKERFILE.read_text())


def args_of(instructions: list[tuple[str, str]], name: str) -> list[str]:
    return [args for instruction, args in instructions if instruction == name]


def copied_sources(instructions: list[tuple[str, str]]) -> set[str]:
    sources = set()
    for args in args_of(instructions, "COPY"):
        parts = [p for p in args.split() if not p.startswith("--")]
        sources.update(parts[:-1])
    return sources


def test_base_image_is_slim_python_the_project_supports(docker: list[tuple[str, str]]) -> None:
    [base] = args_of(docker, "FROM")
    assert re.fullmatch(r"python:3\.\d+-slim", base)
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    minimum = tuple(int(n) for n in requires.removeprefix(">=").split("."))
    assert tuple(int(n) for n in base.split(":")[1].removesuffix("-slim").split(".")) >= minimum


def test_dependencies_come_from_the_run_lock_with_hashes(docker: list[tuple[str, str]]) -> None:
    installs = [a for a in args_of(docker, "RUN") if "pip install" in a]
    assert installs == [installs[0]] and "-r requirements/run.lock" in installs[0]
    assert "--require-hashes" in installs[0] and "--no-deps" in installs[0]
    assert "requirements/run.lock" in copied_sources(docker)


def test_every_package_the_bot_imports_is_copied(docker: list[tuple[str, str]]) -> None:
    needed = code_the_bot_imports()
    assert {"bot.py", "settings.py", "handlers/", "digest/", "storage/"} <= needed
    copied = {s if s.endswith((".py", ".lock")) else s.rstrip("/") + "/"
              for s in copied_sources(docker)}
    assert needed <= copied
    assert not {"tests/", "bench/", ".env", "data/"} & copied
    assert all((ROOT / source).exists() for source in copied)


def test_runs_as_a_non_root_user(docker: list[tuple[str, str]]) -> None:
    names = [instruction for instruction, _ in docker]
    user = args_of(docker, "USER")[-1]
    assert user not in {"root", "0"} and not user.startswith(("root:", "0:"))
    assert names.index("USER") < names.index("CMD")
    assert max(i for i, n in enumerate(names) if n == "RUN") < names.index("USER")


def test_database_lives_on_the_data_volume(docker: list[tuple[str, str]]) -> None:
    env = " ".join(args_of(docker, "ENV"))
    assert "DATABASE_PATH=/data/bot.db" in env
    assert any('"/data"' in v or v == "/data" for v in args_of(docker, "VOLUME"))


def test_healthcheck_stop_signal_and_command(docker: list[tuple[str, str]]) -> None:
    [check] = args_of(docker, "HEALTHCHECK")
    assert check.split("CMD", 1)[1].strip() == '["python", "-m", "storage", "health"]'
    assert (ROOT / "storage" / "__main__.py").is_file()
    assert args_of(docker, "STOPSIGNAL") == ["SIGTERM"]
    assert args_of(docker, "CMD") == ['["python", "bot.py"]']


def test_dockerignore_keeps_out_secrets_and_non_code_but_not_the_code(
    docker: list[tuple[str, str]]
) -> None:
    patterns = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    assert {".venv", "tests", "bench", ".git", "data", ".env"} <= set(patterns)
    for source in copied_sources(docker):
        name = str(PurePosixPath(source))
        assert not any(fnmatch.fnmatch(name, p) for p in patterns if not p.startswith("!")), name


# --- compose.yaml -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def compose() -> dict[str, list[str]]:
    return yaml_paths(COMPOSE.read_text())


def _services(compose: dict[str, list[str]], *, profile: str | None) -> set[str]:
    """The services ``docker compose`` starts without a profile, or those of ``profile``."""
    names = {path.split(".")[1] for path in compose if path.startswith("services.")}
    return {name for name in names
            if compose.get(f"services.{name}.profiles") == ([f'["{profile}"]'] if profile else None)}


def test_compose_has_one_service_with_env_file_volume_and_restart(compose: dict[str, list[str]]
                                                                   ) -> None:
    services = _services(compose, profile=None)
    assert len(services) == 1
    service = f"services.{services.pop()}"
    assert compose[f"{service}.env_file"] == [".env"]
    assert compose[f"{service}.restart"] == ["unless-stopped"]
    assert compose[f"{service}.environment.DATABASE_PATH"] == ["/data/bot.db"]
    [volume] = compose[f"{service}.volumes"]
    name, _, mount = volume.partition(":")
    assert mount == "/data" and f"volumes.{name}" in compose  # a named volume, declared


def test_compose_workers_profile_runs_two_workers_on_postgresql(compose: dict[str, list[str]]
                                                                 ) -> None:
    assert _services(compose, profile="workers") == {"postgres", "worker"}
    [url] = compose["services.worker.environment.DATABASE_URL"]
    assert url.startswith("postgresql://bot:") and url.endswith("@postgres:5432/bot")
    assert compose["services.worker.deploy.replicas"] == ["2"]
    assert compose["services.worker.depends_on.postgres.condition"] == ["service_healthy"]
    assert compose["services.worker.restart"] == ["unless-stopped"]
    [volume] = compose["services.postgres.volumes"]
    assert f"volumes.{volume.partition(':')[0]}" in compose
    # From .env (docs/deploy.md); the postgres image refuses to start without one.
    assert compose["services.postgres.environment.POSTGRES_PASSWORD"] == ["${POSTGRES_PASSWORD:-}"]


def test_compose_healthcheck_is_the_image_healthcheck(compose: dict[str, list[str]]) -> None:
    for service in ("bot", "worker"):
        assert compose[f"services.{service}.healthcheck.test"] == [
            '["CMD", "python", "-m", "storage", "health"]']


# --- systemd unit -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def unit() -> dict[str, dict[str, list[str]]]:
    return unit_directives(UNIT.read_text())


def test_unit_runs_the_venv_python_as_a_dedicated_user(unit: dict[str, dict[str, list[str]]]
                                                        ) -> None:
    service = unit["Service"]
    [workdir], [exec_start] = service["WorkingDirectory"], service["ExecStart"]
    assert exec_start == f"{workdir}/.venv/bin/python bot.py"
    assert service["User"][0] not in {"root", "0"} and service["EnvironmentFile"]
    assert service["Restart"] == ["on-failure"]
    assert unit["Install"]["WantedBy"] == ["multi-user.target"]


def test_unit_is_hardened_and_can_write_its_database(unit: dict[str, dict[str, list[str]]]) -> None:
    service = unit["Service"]
    hardening = {"NoNewPrivileges": "yes", "ProtectSystem": "strict", "PrivateTmp": "yes"}
    for key, value in hardening.items():
        assert service[key] == [value]
    [database] = [e.split("=", 1)[1] for e in service["Environment"]
                  if e.startswith("DATABASE_PATH=")]
    writable = " ".join(service["ReadWritePaths"]).split()
    assert str(PurePosixPath(database).parent) in writable


def test_unit_leaves_time_for_a_graceful_stop(unit: dict[str, dict[str, list[str]]]) -> None:
    service = unit["Service"]
    assert service["KillSignal"] == ["SIGTERM"]
    [timeout] = service["TimeoutStopSec"]
    # tests/e2e/test_e2e_shutdown.py shows the bot stops in well under 10 s.
    assert int(timeout.removesuffix("s")) >= 20


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    # The venv python does not exist here; verify checks ExecStart is executable.
    text = re.sub(r"^ExecStart=\S+", f"ExecStart={sys.executable}", UNIT.read_text(), flags=re.M)
    (tmp_path / UNIT.name).write_text(text)
    result = subprocess.run(["systemd-analyze", "verify", str(tmp_path / UNIT.name)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_the_yaml_reader_follows_nesting_and_skips_comments() -> None:
    text = ("# top\ns:\n  bot:\n    env_file: .env  \n"
            "    ports:\n      - 1:1\n      - 2:2\nv:\n  x:\n")
    assert yaml_paths(text) == {"s": [], "s.bot": [], "s.bot.env_file": [".env"],
                                "s.bot.ports": ["1:1", "2:2"], "v": [], "v.x": []}
