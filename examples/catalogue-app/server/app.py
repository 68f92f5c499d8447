"""The ASGI app: health, datasets and tags. Built on Starlette (what FastAPI is made of): Debian
bookworm's python3-fastapi declares a starlette range its own starlette does not satisfy."""
import contextlib

import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from . import db, quirks


def create_app(settings):
    engine = sa.create_engine(settings.database_url, pool_pre_ping=True, future=True)
    expected = db.code_head()

    async def health(request):
        body = {"version": settings.version, "migration": None, "expected_migration": expected}
        if quirks.UNHEALTHY:
            body.update(status="error", error="this version is broken on purpose (v4-unhealthy)")
            return JSONResponse(body, status_code=500)
        if quirks.UNHEALTHY_BEHIND_PROXY and "x-forwarded-for" in request.headers:
            body.update(status="error", error="this version is broken behind a proxy on purpose (v6-unhealthy-behind-nginx)")
            return JSONResponse(body, status_code=500)
        try:
            with engine.connect() as conn:
                body["migration"] = db.database_head(conn)
        except sa.exc.SQLAlchemyError as e:
            body.update(status="error", error="database unreachable: %s" % type(e).__name__)
            return JSONResponse(body, status_code=503)
        if body["migration"] != expected:
            body.update(status="error", error="database at migration %s, code needs %s" % (body["migration"], expected))
            return JSONResponse(body, status_code=503)
        body["status"] = "ok"
        return JSONResponse(body)

    async def list_tags(request):
        with engine.connect() as conn:
            rows = conn.execute(sa.select(db.tags.c.id, db.tags.c.name).order_by(db.tags.c.name, db.tags.c.id))
            return JSONResponse([{"id": r.id, "name": r.name} for r in rows])

    async def list_datasets(request):
        with engine.connect() as conn:
            rows = conn.execute(sa.select(db.datasets).order_by(db.datasets.c.title)).mappings().all()
            links = conn.execute(sa.select(db.dataset_tag.c.dataset_id, db.tags.c.name)
                                 .join(db.tags, db.tags.c.id == db.dataset_tag.c.tag_id)
                                 .order_by(db.tags.c.name)).all()
        names = {}
        for dataset_id, name in links:
            names.setdefault(dataset_id, []).append(name)
        return JSONResponse([dataset_json(r, names.get(r["id"], [])) for r in rows])

    async def get_dataset(request):
        with engine.connect() as conn:
            row = conn.execute(sa.select(db.datasets).where(db.datasets.c.id == request.path_params["id"])).mappings().first()
            if row is None:
                return JSONResponse({"error": "no such dataset"}, status_code=404)
            tag_names = [n for (n,) in conn.execute(
                sa.select(db.tags.c.name).join(db.dataset_tag, db.tags.c.id == db.dataset_tag.c.tag_id)
                .where(db.dataset_tag.c.dataset_id == row["id"]).order_by(db.tags.c.name))]
        return JSONResponse(dataset_json(row, tag_names))

    return Starlette(routes=[
        Route("/health", health),
        Route("/tags", list_tags),
        Route("/datasets", list_datasets),
        Route("/datasets/{id}", get_dataset),
    ], lifespan=lifespan(engine))


def lifespan(engine):
    @contextlib.asynccontextmanager
    async def run(app):
        yield
        engine.dispose()
    return run


def dataset_json(row, tag_names):
    return {"id": row["id"], "title": row["title"], "description": row["description"],
            "organization_siret": row["organization_siret"], "tags": tag_names}
