"""Collection rules for the whole checkout (pytest reads this before tests/ and annotator/).

The server backend (``annotator/store/pg``) imports psycopg at module level, unlike the other
optional extras (imported inside functions), because every line of it talks to the server. A
core-only venv (``scripts/test-core.sh``) has no psycopg, so its doctest collection skips that
package instead of failing to import it; its tests skip through ``pg_admin_url``.
"""

from __future__ import annotations

import importlib.util

collect_ignore_glob = [] if importlib.util.find_spec("psycopg") else [
    "annotator/store/pg/*",
    # the server-roles tests (ADR 0006) and their kits import psycopg and the pg store at the top
    "tests/core/pg_*_kit.py", "tests/core/test_pg_security.py", "tests/core/test_pg_logins.py",
    "tests/core/test_pg_claim_logins.py",  # imports psycopg and test_pg_logins at the top
]
