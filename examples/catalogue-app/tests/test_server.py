"""The API, the migrations and the tools against a real PostgreSQL: TEST_DATABASE_URL names an
empty database the tests may wipe (its public schema is dropped and recreated)."""
import asyncio
import io
import json
import os
import tempfile
import unittest
from contextlib import redirect_stdout
from unittest import mock

import sqlalchemy as sa
from alembic import command

from server import config, db
from server.app import create_app
from tools import initdata, remove_duplicated_tags

URL = os.environ.get("TEST_DATABASE_URL")

INITDATA = """
organizations:
  - params: {name: "Organisation par défaut", siret: "00000000000000"}
  - params: {name: "Ministère des tests", siret: "11111111111111"}
catalogs:
  - params: {organization_siret: "11111111111111"}
users:
  - id: "4a7416da-a392-4229-bb0d-fd6ac6fcba94"
    params: {organization_siret: "00000000000000", email: admin@catalogue.test, password: __env__}
    extras: {role: ADMIN}
tags:
  - id: "t-health"
    params: {name: "Santé"}
  - id: "t-health-dup"
    params: {name: " santé "}
  - id: "t-money"
    params: {name: "Finances"}
formats: []
datasets:
  - id: "d-budget"
    params: {organization_siret: "11111111111111", title: "Budget 2024", description: "Dépenses", tag_ids: ["t-money"]}
  - id: "d-hospitals"
    params: {organization_siret: "11111111111111", title: "Hôpitaux", description: "Lits", tag_ids: ["t-health", "t-health-dup"]}
"""


def call(app, path):
    """One GET through the ASGI app, without a server: (status, JSON body)."""
    messages = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        messages.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": [],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 3579)}
    asyncio.run(app(scope, receive, send))
    status = next(m["status"] for m in messages if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    return status, json.loads(body)


@unittest.skipUnless(URL, "TEST_DATABASE_URL names no database")
class ServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        engine = sa.create_engine(URL, future=True)
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
        cls.env = mock.patch.dict(os.environ, {"APP_DATABASE_URL": URL, "APP_VERSION": "test-version",
                                               "TOOLS_PASSWORDS": json.dumps({"admin@catalogue.test": "s3cret"})})
        cls.env.start()
        cls.app = create_app(config.load(tempfile.mkdtemp()))

    @classmethod
    def tearDownClass(cls):
        cls.env.stop()

    def quiet(self, fn, *args):
        with redirect_stdout(io.StringIO()) as out:
            result = fn(*args)
        return result, out.getvalue()

    def test_1_health_refuses_an_unmigrated_database(self):
        status, body = call(self.app, "/health")
        self.assertEqual(503, status)
        self.assertIsNone(body["migration"])
        self.assertEqual(db.code_head(), body["expected_migration"])

    def test_2_migrations_then_health_reports_version_and_head(self):
        cfg = db.alembic_config(URL)
        cfg.attributes["configure_logger"] = False
        command.upgrade(cfg, "head")
        status, body = call(self.app, "/health")
        self.assertEqual(200, status, body)
        self.assertEqual({"status": "ok", "version": "test-version", "migration": db.code_head(),
                          "expected_migration": db.code_head()}, body)
        command.upgrade(cfg, "head")  # a second run is a no-op

    def test_3_initdata_is_idempotent_and_reads_passwords_from_the_environment(self):
        with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
            f.write(INITDATA)
        _, first = self.quiet(initdata.main, ["--no-input", f.name])
        self.assertIn("initdata: 8 created", first)
        _, second = self.quiet(initdata.main, ["--no-input", f.name])
        self.assertIn("initdata: 0 created", second)
        engine = sa.create_engine(URL, future=True)
        with engine.connect() as conn:
            hashed = conn.execute(sa.select(db.users.c.password_hash)).scalar()
        engine.dispose()
        self.assertTrue(hashed.startswith("pbkdf2_sha256$"))
        self.assertNotIn("s3cret", hashed)

    def test_4_a_missing_password_without_input_stops_with_a_message(self):
        with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
            f.write("users:\n  - params: {organization_siret: '00000000000000', email: x@y.test, password: __env__}\n")
        with self.assertRaises(SystemExit) as stop:
            self.quiet(initdata.main, ["--no-input", f.name])
        self.assertIn("no password for x@y.test in TOOLS_PASSWORDS", str(stop.exception))

    def test_5_datasets_and_tags_api(self):
        status, datasets = call(self.app, "/datasets")
        self.assertEqual(200, status)
        self.assertEqual(["Budget 2024", "Hôpitaux"], [d["title"] for d in datasets])
        self.assertEqual([" santé ", "Santé"], datasets[1]["tags"])
        status, tags = call(self.app, "/tags")
        self.assertEqual(3, len(tags))
        self.assertEqual(404, call(self.app, "/datasets/nope")[0])

    def test_6_remove_duplicated_tags_merges_into_the_oldest(self):
        _, out = self.quiet(remove_duplicated_tags.main)
        self.assertIn("remove_duplicated_tags: 1 removed", out)
        status, dataset = call(self.app, "/datasets/d-hospitals")
        self.assertEqual(["Santé"], dataset["tags"])
        _, again = self.quiet(remove_duplicated_tags.main)
        self.assertIn("remove_duplicated_tags: 0 removed", again)


class ConfigTest(unittest.TestCase):
    def test_dotenv_values_and_the_environment_winning(self):
        with tempfile.TemporaryDirectory() as root:
            with open(os.path.join(root, ".env"), "w") as f:
                f.write("# comment\nAPP_DATABASE_URL='postgresql://u:p%40ss@db/x'\nAPP_PORT=4000\nAPP_SECRET_KEY=\"k=v\"\n")
            with mock.patch.dict(os.environ, {"APP_PORT": "4100", "APP_VERSION": "v"}):
                s = config.load(root)
        self.assertEqual("postgresql://u:p%40ss@db/x", s.database_url)
        self.assertEqual(4100, s.port)
        self.assertEqual("k=v", s.secret_key)

    def test_no_database_url_is_a_clear_stop(self):
        with tempfile.TemporaryDirectory() as root, mock.patch.dict(os.environ, {}, clear=True):
            with self.assertRaises(SystemExit) as stop:
                config.load(root)
        self.assertIn("APP_DATABASE_URL is not set", str(stop.exception))


if __name__ == "__main__":
    unittest.main()
