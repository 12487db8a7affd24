"""Diplograph's publishing server: SPARQL 1.1 Protocol, dumps, entity pages, query UI, ops.

``create_app`` builds the Flask app; ``diplograph.server.run.run_server`` serves it with
waitress (a production WSGI server). See docs/server.md for every setting.
"""

from __future__ import annotations

import atexit
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask

from diplograph.server.settings import resolve

if TYPE_CHECKING:
    from diplograph.server.result_cache import ResultCache


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app for the store named by ``config`` (STORE or STORE_PATH)."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    from diplograph.server import dumps, errors, hooks, ops, pages, sparql, ui
    from diplograph.server.dataset import VersionedSource, open_source
    from diplograph.server.metrics import Metrics
    from diplograph.server.state import ServerState

    settings = resolve(config)
    if settings.get("STORE") is not None:
        source = VersionedSource(settings["STORE"])
    elif settings.get("STORE_PATH"):
        source = open_source(settings["STORE_PATH"])
    else:
        raise ValueError("create_app needs STORE or STORE_PATH")
    base = str(settings["BASE_IRI"])
    if not base.endswith("/"):
        raise ValueError(f"BASE_IRI must end with '/' (got {base!r})")

    # Explicit paths: Flask cannot locate a package mapped by package-dir in editable installs.
    here = Path(__file__).resolve().parent
    app = Flask(__name__, root_path=str(here), instance_path=str(here / "instance"))
    app.config.update(settings)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.url_map.strict_slashes = False
    if settings["TRUST_PROXY"]:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_prefix=1
        )
    st = ServerState(
        settings=settings,
        source=source,
        metrics=Metrics(),
        result_cache=_result_cache(settings),
    )
    app.extensions["diplograph"] = st
    atexit.register(st.close)

    errors.install(app)
    hooks.install(app)
    for module in (sparql, dumps, pages, ui, ops):
        app.register_blueprint(module.bp)
    return app


def _result_cache(settings: Mapping[str, Any]) -> ResultCache | None:
    """The answer cache, unless turned off or the data lives in a remote store, which other
    clients may change without a new version here."""
    from diplograph.server.result_cache import ResultCache
    from diplograph.store.remote import RemoteStore

    size = int(settings["RESULT_CACHE_SIZE"])
    if size <= 0 or isinstance(settings.get("STORE"), RemoteStore):
        return None
    return ResultCache(size)


__all__ = ["create_app"]
