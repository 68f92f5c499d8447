"""Datasets count their views.

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade():
    op.add_column("datasets", sa.Column("views", sa.Integer, nullable=False, server_default="0"))


def downgrade():
    op.drop_column("datasets", "views")
