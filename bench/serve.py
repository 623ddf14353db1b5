"""Serve a built site on 127.0.0.1 as a static host would: gzip for text.

    python bench/serve.py SITE_DIR PORT

Python's own http.server sends everything uncompressed, which no real host
does; Lighthouse would then measure a transfer several times larger than a
reader's.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import sys

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    def send_head(self):
        path = self.translate_path(self.path)
        if "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        if self.path.endswith("/") or not any(path.endswith(ext) for ext in COMPRESSIBLE):
            index = path.rstrip("/") + "/index.html"
            if not (self.path.endswith("/") and _exists(index)):
                return super().send_head()
            path = index
        try:
            with open(path, "rb") as handle:
                body = gzip.compress(handle.read(), 6)
        except OSError:
            return super().send_head()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args):
        pass


def _exists(path: str) -> bool:
    try:
        open(path, "rb").close()
        return True
    except OSError:
        return False


def main() -> None:
    site, port = sys.argv[1], int(sys.argv[2])
    handler = functools.partial(GzipHandler, directory=site)
    http.server.ThreadingHTTPServer(("127.0.0.1", port), handler).serve_forever()


if __name__ == "__main__":
    main()
