"""WSGI entry point: ``gunicorn server:app`` serves the release (built first if missing).

Where the data, release and store live comes from ``BCLM_DATA_DIR``, ``BCLM_RELEASE_DIR`` and
``BCLM_STORE`` (see ``bclm_kg/project.py``); the service's other settings from ``BCLM_*``
variables (see ``bclm_kg/web/config.py``).
"""

from bclm_kg.build import prepare_release
from bclm_kg.project import Project
from bclm_kg.web import create_app

project = Project.resolve()
app = create_app({"RELEASE_DIR": prepare_release(project), "STORE_PATH": project.store_path,
                  "STORE_URL": project.store_url})
