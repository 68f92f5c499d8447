"""A migration that fails (on purpose): the table it alters does not exist.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade():
    op.add_column("datasets", sa.Column("licence", sa.Text, nullable=True))
    op.add_column("no_such_table", sa.Column("oops", sa.Integer))


def downgrade():
    op.drop_column("datasets", "licence")
