"""The yardstick of the load benchmark: the least a Flask-SQLAlchemy page can do.

One route, ``/``, reads 50 rows of the tracker's ``actions`` table (the same database, through the
ORM) and renders them through a Jinja template compiled once. Served by gunicorn exactly like the
tracker (``scripts/load_benchmark.py`` starts both), so the ratio page/baseline shows what the
tracker costs above the bare stack. Not part of the product: it has no other route.

    DATABASE_URL=sqlite:////tmp/scale.db .venv/bin/gunicorn -w 2 --chdir scripts baseline_app:app
"""

from __future__ import annotations

import os
from datetime import date

import sqlalchemy as sa
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Action(Base):
    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    status: Mapped[str]
    due_date: Mapped[date | None]


PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Acties</title></head>
<body><main><h1>Acties</h1>
<table><thead><tr><th>Nr.</th><th>Actie</th><th>Status</th><th>Deadline</th></tr></thead><tbody>
{% for action in actions %}<tr><td>{{ action.id }}</td><td>{{ action.title }}</td>
<td>{{ action.status }}</td><td>{{ action.due_date or "" }}</td></tr>
{% endfor %}</tbody></table></main></body></html>
"""


def _url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = _url(os.environ["DATABASE_URL"])
    db.init_app(app)
    template = app.jinja_env.from_string(PAGE)  # compiled once, rendered per request

    @app.get("/")
    def index() -> str:
        actions = db.session.scalars(sa.select(Action).order_by(Action.id).limit(50)).all()
        return template.render(actions=actions)

    return app


app = create_app() if os.environ.get("DATABASE_URL") else None
