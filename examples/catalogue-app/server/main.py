"""`python -m server.main`: serves the API on APP_HOST:APP_PORT (default 127.0.0.1:3579)."""
import time

import uvicorn

from . import config, quirks
from .app import create_app


def main():
    settings = config.load()
    if quirks.START_DELAY_SECONDS:
        print("starting in %s s" % quirks.START_DELAY_SECONDS, flush=True)
        time.sleep(quirks.START_DELAY_SECONDS)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info",
                proxy_headers=True, forwarded_allow_ips="127.0.0.1")


if __name__ == "__main__":
    main()
