"""WSGI entry point, used by gunicorn (`gunicorn config.wsgi`)."""

import os

# One BLAS thread per web process (numpy's vector searches, discovery): the workers are
# the parallelism, and BLAS threads spinning beside them slow every request under load.
# Set before numpy is first imported; commands (fitting) keep every core.
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

from django.core.wsgi import get_wsgi_application  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()
