"""Alembic environment: the URL from the app's settings; every migration of a run in one transaction,
so a failing migration leaves the database at the revision it had."""
from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context

from server import config as app_config

cfg = context.config
if cfg.config_file_name is not None and cfg.attributes.get("configure_logger", True):
    fileConfig(cfg.config_file_name)

url = cfg.attributes.get("database_url") or app_config.load().database_url
engine = sa.create_engine(url, future=True)
with engine.connect() as connection:
    context.configure(connection=connection, transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
