import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

if os.environ.get("LINKWELL_WARM_UP", "1") != "0":
    from config.warmup import warm_up

    warm_up()
