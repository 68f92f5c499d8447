"""`python -m tools.initdata [--no-input] FILE`: creates the organizations, catalogs, users, tags,
formats and datasets of FILE that do not exist yet (idempotent). A user's `password: __env__` is
taken from TOOLS_PASSWORDS, a JSON object mapping emails to passwords."""
import argparse
import hashlib
import json
import os
import secrets
import sys
import uuid

import sqlalchemy as sa
import yaml

from server import config, db
from server.config import read_dotenv


def hash_password(password):
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, 260000)
    return "pbkdf2_sha256$260000$%s$%s" % (salt.hex(), digest.hex())


def passwords():
    raw = os.environ.get("TOOLS_PASSWORDS") or read_dotenv(".env").get("TOOLS_PASSWORDS") or "{}"
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as e:
        raise SystemExit("TOOLS_PASSWORDS is not valid JSON: %s" % e)
    if not isinstance(value, dict):
        raise SystemExit("TOOLS_PASSWORDS must be a JSON object of email: password")
    return value


class Loader:
    def __init__(self, conn, no_input):
        self.conn = conn
        self.no_input = no_input
        self.created = 0
        self.passwords = None

    def exists(self, table, **where):
        q = sa.select(sa.func.count()).select_from(table)
        for column, value in where.items():
            q = q.where(table.c[column] == value)
        return self.conn.execute(q).scalar() > 0

    def insert(self, table, what, **values):
        self.conn.execute(table.insert().values(**values))
        self.created += 1
        print("created %s" % what)

    def password_for(self, email, given):
        if given != "__env__":
            return given
        if self.passwords is None:
            self.passwords = passwords()
        if email in self.passwords:
            return self.passwords[email]
        if self.no_input:
            raise SystemExit("no password for %s in TOOLS_PASSWORDS (password: __env__) and --no-input given" % email)
        return input("password for %s: " % email)

    def load(self, data):
        for item in data.get("organizations") or []:
            p = item["params"]
            if not self.exists(db.organizations, siret=p["siret"]):
                self.insert(db.organizations, "organization %s" % p["siret"], siret=p["siret"], name=p["name"])
        for item in data.get("catalogs") or []:
            siret = item["params"]["organization_siret"]
            if not self.exists(db.catalogs, organization_siret=siret):
                self.insert(db.catalogs, "catalog of %s" % siret, organization_siret=siret)
        for item in data.get("users") or []:
            p, extras = item["params"], item.get("extras") or {}
            if not self.exists(db.users, email=p["email"]):
                self.insert(db.users, "user %s" % p["email"], id=item.get("id") or str(uuid.uuid4()), email=p["email"],
                            password_hash=hash_password(self.password_for(p["email"], p["password"])),
                            role=extras.get("role", "USER"), organization_siret=p["organization_siret"])
        for item in data.get("tags") or []:
            p = item["params"]
            tag_id = item.get("id") or str(uuid.uuid5(uuid.NAMESPACE_URL, "tag:" + p["name"]))
            if not self.exists(db.tags, id=tag_id):
                self.insert(db.tags, "tag %s" % p["name"], id=tag_id, name=p["name"])
        for item in data.get("formats") or []:
            name = item["params"]["name"] if isinstance(item, dict) else str(item)
            if not self.exists(db.formats, name=name):
                self.insert(db.formats, "format %s" % name, name=name)
        for item in data.get("datasets") or []:
            p = item["params"]
            dataset_id = item.get("id") or str(uuid.uuid5(uuid.NAMESPACE_URL, "dataset:" + p["title"]))
            if self.exists(db.datasets, id=dataset_id):
                continue
            self.insert(db.datasets, "dataset %s" % p["title"], id=dataset_id, title=p["title"],
                        description=p.get("description", ""), organization_siret=p["organization_siret"])
            for tag_id in p.get("tag_ids") or []:
                self.conn.execute(db.dataset_tag.insert().values(dataset_id=dataset_id, tag_id=tag_id))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.initdata")
    parser.add_argument("--no-input", action="store_true", help="never prompt (passwords from TOOLS_PASSWORDS)")
    parser.add_argument("file")
    args = parser.parse_args(argv)
    try:
        with open(args.file, encoding="utf-8") as f:
            data = yaml.safe_load(f) or {}
    except OSError as e:
        raise SystemExit("cannot read %s: %s" % (args.file, e.strerror))
    except yaml.YAMLError as e:
        raise SystemExit("%s is not valid YAML: %s" % (args.file, e))
    engine = sa.create_engine(config.load().database_url, future=True)
    with engine.begin() as conn:
        loader = Loader(conn, args.no_input)
        loader.load(data)
    print("initdata: %d created" % loader.created)
    return 0


if __name__ == "__main__":
    sys.exit(main())
