"""Collection rules for the whole checkout (pytest reads this before tests/ and annotator/).

The server backend (``annotator/store/pg``) imports psycopg at module level, unlike the other
optional extras (imported inside functions), because every line of it talks to the server. A
core-only venv (``scripts/test-core.sh``) has no psycopg, so its doctest collection skips that
package instead of failing to import it; its tests skip through ``pg_admin_url``.
"""

from __future__ import annotations

import importlib.util

collect_ignore_glob = [] if importlib.util.find_spec("psycopg") else ["annotator/store/pg/*"]
