"""URLs of the benchmark's django-oscar shop: the whole shop at the root, static files served."""

from django.apps import apps
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),  # Oscar's templates link the language switcher
    path("", include(apps.get_app_config("oscar").urls[0])),
] + staticfiles_urlpatterns()
