"""The query UI at / (vendored YASGUI, no CDN, no remote autocompletion) and its examples."""

from __future__ import annotations

import json

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from diplograph.server.examples import load_examples

bp = Blueprint("ui", __name__)


def render_ui() -> Response:
    """The YASGUI page; also what GET /sparql answers to a browser (Accept: text/html)."""
    examples = load_examples()
    config = {
        "endpoint": request.url_root.rstrip("/") + url_for("sparql.endpoint"),
        "examples": [
            {"name": e.name, "title": e.title, "description": e.description, "query": e.query}
            for e in examples
        ],
    }
    html = render_template("index.html", examples=examples, config_json=_script_safe_json(config))
    resp = Response(html, mimetype="text/html")
    resp.vary.add("Accept")
    resp.headers["Cache-Control"] = "no-cache"
    return resp


def _script_safe_json(data: object) -> str:
    """JSON that cannot end its <script> element early (queries may contain '</script>')."""
    text = json.dumps(data, ensure_ascii=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@bp.route("/", methods=["GET"])
def index() -> Response:
    return render_ui()


@bp.route("/queries.json", methods=["GET"])
def queries() -> Response:
    return jsonify(
        [
            {"name": e.name, "title": e.title, "description": e.description, "query": e.query}
            for e in load_examples()
        ]
    )
