"""Tables (SQLAlchemy Core) and the migration head the code expects."""
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory

metadata = sa.MetaData()

organizations = sa.Table(
    "organizations", metadata,
    sa.Column("siret", sa.String(14), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
)
catalogs = sa.Table(
    "catalogs", metadata,
    sa.Column("organization_siret", sa.String(14), sa.ForeignKey("organizations.siret"), primary_key=True),
)
users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("email", sa.Text, nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("organization_siret", sa.String(14), sa.ForeignKey("organizations.siret"), nullable=False),
)
tags = sa.Table(
    "tags", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
)
formats = sa.Table(
    "formats", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.Text, nullable=False, unique=True),
)
datasets = sa.Table(
    "datasets", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("organization_siret", sa.String(14), sa.ForeignKey("organizations.siret"), nullable=False),
)
dataset_tag = sa.Table(
    "dataset_tag", metadata,
    sa.Column("dataset_id", sa.String(36), sa.ForeignKey("datasets.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("tag_id", sa.String(36), sa.ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(database_url=None):
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    if database_url:
        cfg.attributes["database_url"] = database_url
    return cfg


def code_head():
    """The migration revision this code needs."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def database_head(connection):
    """The revision the database is at (None before the first migration)."""
    try:
        return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except sa.exc.ProgrammingError:
        connection.rollback()
        return None
