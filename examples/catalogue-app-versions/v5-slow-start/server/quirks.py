"""Behaviours the example versions switch on to rehearse failures (see examples/make-app-repo)."""
# v4-unhealthy: the server starts but its health check fails.
UNHEALTHY = False
# v5-slow-start: seconds before the server accepts connections.
START_DELAY_SECONDS = 5
# v6-unhealthy-behind-nginx: /health fails for requests that came through a proxy (X-Forwarded-For),
# while it answers on the server's own port: only a check through nginx sees it.
UNHEALTHY_BEHIND_PROXY = False
