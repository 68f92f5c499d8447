"""Initial schema: organizations, catalogs, users, tags, formats, datasets; the default organization.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade():
    op.create_table("organizations",
                    sa.Column("siret", sa.String(14), primary_key=True),
                    sa.Column("name", sa.Text, nullable=False))
    op.create_table("catalogs",
                    sa.Column("organization_siret", sa.String(14), sa.ForeignKey("organizations.siret"), primary_key=True))
    op.create_table("users",
                    sa.Column("id", sa.String(36), primary_key=True),
                    sa.Column("email", sa.Text, nullable=False, unique=True),
                    sa.Column("password_hash", sa.Text, nullable=False),
                    sa.Column("role", sa.String(16), nullable=False),
                    sa.Column("organization_siret", sa.String(14), sa.ForeignKey("organizations.siret"), nullable=False))
    op.create_table("tags",
                    sa.Column("id", sa.String(36), primary_key=True),
                    sa.Column("name", sa.Text, nullable=False))
    op.create_table("formats",
                    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                    sa.Column("name", sa.Text, nullable=False, unique=True))
    op.create_table("datasets",
                    sa.Column("id", sa.String(36), primary_key=True),
                    sa.Column("title", sa.Text, nullable=False),
                    sa.Column("description", sa.Text, nullable=False),
                    sa.Column("organization_siret", sa.String(14), sa.ForeignKey("organizations.siret"), nullable=False))
    op.create_table("dataset_tag",
                    sa.Column("dataset_id", sa.String(36), sa.ForeignKey("datasets.id", ondelete="CASCADE"), primary_key=True),
                    sa.Column("tag_id", sa.String(36), sa.ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True))
    op.execute("INSERT INTO organizations (siret, name) VALUES ('00000000000000', 'Organisation par défaut')")


def downgrade():
    for table in ("dataset_tag", "datasets", "formats", "tags", "users", "catalogs", "organizations"):
        op.drop_table(table)
