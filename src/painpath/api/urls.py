"""Builds the /api/v1 NinjaAPI from every router module in ``painpath.api.routers``.

Each router module defines ``router`` (a ``ninja.Router``) and ``PREFIX`` (e.g. "/patients");
discovery keeps areas of the product from editing one shared file.
"""

from __future__ import annotations

import importlib
import pkgutil

from django.urls import path
from ninja import NinjaAPI

import painpath.api.routers
from painpath.api.errors import install_handlers
from painpath.api.parser import ControlCharacterRefusingParser


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="painpath API",
        version="1",
        urls_namespace="api-v1",
        docs_url="/docs",
        parser=ControlCharacterRefusingParser(),
    )
    for info in sorted(pkgutil.iter_modules(painpath.api.routers.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"painpath.api.routers.{info.name}")
        router = getattr(module, "router", None)
        if router is not None:
            api.add_router(module.PREFIX, router)
    return api


api = build_api()
install_handlers(api)
urlpatterns = [path("api/v1/", api.urls)]
