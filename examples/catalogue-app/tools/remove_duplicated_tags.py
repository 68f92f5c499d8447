"""`python -m tools.remove_duplicated_tags`: merges tags whose names differ only by case or
surrounding spaces into the oldest (smallest id), moving their datasets onto it."""
import sys

import sqlalchemy as sa

from server import config, db


def main():
    engine = sa.create_engine(config.load().database_url, future=True)
    removed = 0
    with engine.begin() as conn:
        groups = {}
        for tag_id, name in conn.execute(sa.select(db.tags.c.id, db.tags.c.name).order_by(db.tags.c.id)):
            groups.setdefault(name.strip().lower(), []).append(tag_id)
        for name, ids in groups.items():
            keep, duplicates = ids[0], ids[1:]
            for dup in duplicates:
                conn.execute(sa.text(
                    "INSERT INTO dataset_tag (dataset_id, tag_id) SELECT dataset_id, :keep FROM dataset_tag"
                    " WHERE tag_id = :dup ON CONFLICT DO NOTHING"), {"keep": keep, "dup": dup})
                conn.execute(db.tags.delete().where(db.tags.c.id == dup))
                removed += 1
                print("merged tag %s into %s (%s)" % (dup, keep, name))
    print("remove_duplicated_tags: %d removed" % removed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
