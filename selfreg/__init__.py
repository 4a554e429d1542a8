"""selfreg: guided self-registration of competence in Norwegian reception centres."""
from __future__ import annotations

import logging
from typing import Any, Mapping

from flask import Flask

from . import db, i18n, keys
from .config import load_settings
from .resources import templates_dir

__version__ = "0.1.0"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` overrides settings read from ``SELFREG_*`` variables."""
    settings = load_settings()
    app = Flask(
        __name__,
        instance_path=str(settings.instance_path),
        template_folder=str(templates_dir()),
        # Static files are served by selfreg.assets, under content-hashed names.
        static_folder=None,
    )
    app.config.update(settings.flask_config())
    app.config.update(
        SESSION_COOKIE_NAME="selfreg_resident",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # The cookie is set when it changes, not re-sent with every page: ~290 bytes a
        # response that a phone on prepaid data pays for (the 30 days count from sign-in).
        SESSION_REFRESH_EACH_REQUEST=False,
        MAX_CONTENT_LENGTH=256 * 1024,
        MAX_FORM_MEMORY_SIZE=128 * 1024,
        MAX_FORM_PARTS=400,
        WTF_CSRF_TIME_LIMIT=None,
        TEMPLATES_AUTO_RELOAD=False,
    )
    if config:
        app.config.update(config)
    app.config.setdefault("SESSION_COOKIE_SECURE", app.config["SELFREG_PRODUCTION"])

    _trust_proxies(app)
    _configure_logging(app)
    db.init_app(app)
    keys.init_app(app)
    i18n.init_app(app)
    _register_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind N reverse proxies, take the client address and scheme from their headers.

    Only as many hops as configured are trusted: a client cannot forge its address (lock-outs
    count per address) by sending its own X-Forwarded-For. Off (0) by default.
    """
    hops = int(app.config.get("SELFREG_TRUSTED_PROXIES") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _configure_logging(app: Flask) -> None:
    # Request bodies and form values are never logged; see docs/SECURITY.md.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def _register_extensions(app: Flask) -> None:
    # CSRF is checked by every form's validate() inside the view (Flask-WTF), not by a
    # global before-request hook, so that an expired token re-shows the page with what the
    # person typed instead of throwing it away. tests/test_app.py proves each POST checks it.
    from flask_wtf.csrf import generate_csrf

    app.jinja_env.globals["csrf_token"] = generate_csrf
    from . import assets, compression, errors, request_bodies, security, templating
    from .staff import cookies as staff_cookies

    staff_cookies.init_app(app)

    errors.init_app(app)
    request_bodies.init_app(app)
    security.init_app(app)
    compression.init_app(app)
    assets.init_app(app)
    templating.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from .api import bp as api_bp
    from .health import bp as health_bp
    from .resident import bp as resident_bp
    from .staff import bp as staff_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(resident_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(api_bp)


def _register_cli(app: Flask) -> None:
    from .cli import register

    register(app)
