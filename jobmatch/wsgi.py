import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobmatch.settings")
application = get_wsgi_application()


def _warm_skills() -> None:
    """Build the skills taxonomy (a few seconds) while the server starts, so the first skill
    suggestion someone asks for does not wait for it. Only servers import this module."""
    from matching.engine import load_taxonomy

    load_taxonomy()


threading.Thread(target=_warm_skills, name="warm-skills", daemon=True).start()
