"""WSGI entry point: ``gunicorn server:app`` serves the release (built first if missing).

Settings come from ``BCLM_*`` environment variables (see ``bclm_kg/web/config.py``).
"""

from bclm_kg.web import create_app
from bclm_kg.web.config import resolve
from bclm_kg.web.serve import prepare_release

prepare_release(resolve()["RELEASE_DIR"])
app = create_app()
