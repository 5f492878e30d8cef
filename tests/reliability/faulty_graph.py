"""The fake Graph server with one more fault: an answer cut off in the middle of its JSON."""
from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer

from tests.connectors.fake_graph import FakeGraph, _GraphHandler


class FaultyGraph(FakeGraph):
    """The fake Graph server, able also to answer the next call with a truncated JSON body."""

    malformed: int = 0

    def start(self) -> str:
        """Serve like FakeGraph, with the truncated-body fault in front."""
        fake = self

        class Handler(_GraphHandler):
            graph = fake

            def _serve(self, method: str, params: dict[str, str]) -> None:
                if fake.malformed > 0:
                    fake.malformed -= 1
                    fake.calls.append((method, self.path, params))
                    return self._send(200, b'{"data": [{"id": "1047', "application/json; charset=UTF-8")
                return super()._serve(method, params)

        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        return self.base_url
