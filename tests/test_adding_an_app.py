"""docs/DEVELOPING.md's 'Adding a capability' is all a new app needs: the sample app (tests/sample_app)
is made of those files only, and installing it (tests/settings_sample.py) puts its permissions, menu,
API router, person panel and merge hook to work, and its routes in the permission matrix."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings


def test_an_installed_app_takes_part_with_nothing_else_registered() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["LAOMO_TESTING"] = "true"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:xdist",
            "-p",
            "no:cacheprovider",
            "--ds=tests.settings_sample",
            "tests/sample_app",
            "core/tests/test_extensions.py",
            "core/tests/test_permission_matrix.py",
            "-k",
            "sample or every_route or foreign_key or imports_no_domain_app",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    tail = run.stdout[-3000:] + run.stderr[-2000:]
    assert run.returncode == 0, tail
    # 4 sample tests, 2 matrix routes x 11 members, the route list, the merge-hook and import checks
    assert run.stdout.splitlines()[-1].startswith("29 passed"), tail
