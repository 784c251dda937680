import subprocess
import sys

import pytest

from linkwell.operations.tests.serve.servers import ROOT, production_env


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """Static files collected once as production collects them (hashed names, compressed)."""
    root = tmp_path_factory.mktemp("static")
    done = subprocess.run(
        [sys.executable, "-m", "linkwell.cli", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=production_env(STATIC_ROOT=str(root), DATABASE_URL="sqlite:///unused.sqlite3"),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return root
