"""Settings from the environment and the `.env` file of the working directory (the environment wins)."""
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path


def read_dotenv(path):
    """KEY=value lines; single or double quotes around a value are removed; # starts a comment line."""
    values = {}
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return values
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def _version(root):
    revision = root / "REVISION"
    if revision.is_file():
        return revision.read_text().strip()
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5)
        if out.returncode == 0:
            return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return "unknown"


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    port: int
    host: str
    server_mode: str
    client_url: str
    config_repo_api_key: str
    version: str


def load(root=None):
    root = Path(root or os.getcwd())
    values = read_dotenv(root / ".env")
    values.update({k: v for k, v in os.environ.items() if k.startswith("APP_")})
    url = values.get("APP_DATABASE_URL", "")
    if not url:
        raise SystemExit("APP_DATABASE_URL is not set (in the environment or in %s)" % (root / ".env"))
    return Settings(
        database_url=url,
        secret_key=values.get("APP_SECRET_KEY", ""),
        port=int(values.get("APP_PORT", "3579")),
        host=values.get("APP_HOST", "127.0.0.1"),
        server_mode=values.get("APP_SERVER_MODE", "local"),
        client_url=values.get("APP_CLIENT_URL", ""),
        config_repo_api_key=values.get("APP_CONFIG_REPO_API_KEY", ""),
        version=values.get("APP_VERSION") or _version(root),
    )
