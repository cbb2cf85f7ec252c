"""The server's side of the handlers' file port, and where download links point."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings


def download_base(settings: Settings) -> str:
    """Where /download/{token} links point: the public URL, else the listening address."""
    server = settings.server
    if server.public_url:
        return server.public_url.rstrip("/")
    return f"http://{server.host}:{server.port}"


class DataDirFiles:
    """The `FileStore` of the server: files under the data directory."""

    def __init__(self, data_path: Path):
        self.data_path = data_path

    def save(self, folder: str, filename: str, content: bytes) -> str:
        rel = Path(folder) / filename
        path = self.data_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return rel.as_posix()
