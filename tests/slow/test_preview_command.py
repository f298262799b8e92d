"""``python -m digest preview`` run as a reader runs it: the digest and the progress lines
it prints, disabled outlines skipped, a file that is not OPML refused in one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from digest.feeds.sources import Source, dump_opml
from tests import preview_feeds
from tests.files import ROOT
from tests.pageserver import PageServer

served = preview_feeds.served  # the fixture, for this module's tests


def _cli(server: PageServer, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FETCH_ALLOW_PRIVATE_HOSTS": server.host_port}
    return subprocess.run([sys.executable, "-m", "digest", "preview", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_command_prints_the_digest_and_progress(served, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server, sources = served
    opml = tmp_path / "feeds.opml"
    opml.write_bytes(dump_opml(sources))
    result = _cli(server, "--sources", str(opml), "--since", "24h", "--limit", "7")
    assert result.returncode == 0, result.stderr
    assert "Zaporizhzhia" in result.stdout and "Ivan Fedorov" in result.stdout
    assert "Reported by Alpha, Beta" in result.stdout or "Reported by Beta, Alpha" in result.stdout
    assert "sourdough" not in result.stdout
    assert "fetching 4/4 feeds…" in result.stderr and "feed Broken failed" in result.stderr
    assert "Traceback" not in result.stderr


def test_command_skips_disabled_outlines_and_refuses_bad_files(served, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server, sources = served
    opml = tmp_path / "feeds.opml"
    opml.write_bytes(dump_opml([s if s.name != "Broken" else Source(
        s.name, s.feed_url, s.language, s.kind, False) for s in sources]))
    result = _cli(server, "--sources", str(opml))
    assert result.returncode == 0 and "fetching 3/3 feeds…" in result.stderr
    (tmp_path / "bad.opml").write_text("<html>not opml</html>")
    result = _cli(server, "--sources", str(tmp_path / "bad.opml"))
    assert result.returncode == 1 and "cannot read sources" in result.stderr
    assert "Traceback" not in result.stderr
