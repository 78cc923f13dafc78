"""The hint of the server's root in the app's HTML page (ui/page/server_root.py), as ASGI
middleware over a stand-in app. The browser reading it is tested in tests/test_browser.py."""

import pytest
from streamlit import config

from ui.page import server_root
from ui.page.site import PAGES

PAGE = b"<!DOCTYPE html><html><head><meta charset='UTF-8'></head><body></body></html>"


def request(path: str, method: str = "GET", encoding: bytes | None = b"gzip, br") -> dict:
    headers = [(b"host", b"example.org")]
    if encoding is not None:
        headers.append((b"accept-encoding", encoding))
    return {"type": "http", "method": method, "path": path, "headers": headers}


def answer(chunks: list[bytes], content_type: bytes, status: int = 200, gzip: bool = False):
    """A stand-in app answering every request with ``chunks``; it records the request."""
    seen = {}

    async def app(scope, receive, send):
        seen["scope"] = scope
        headers = [(b"content-type", content_type),
                   (b"content-length", str(sum(map(len, chunks))).encode())]  # fmt: skip
        if gzip:
            headers.append((b"content-encoding", b"gzip"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        for i, chunk in enumerate(chunks):
            await send({"type": "http.response.body", "body": chunk,
                        "more_body": i < len(chunks) - 1})  # fmt: skip

    return app, seen


def finish(coroutine) -> None:
    """Run ``coroutine`` to its end without an event loop (another test may have left one
    running in this thread): the middleware over the stand-in app never waits for anything,
    so one step ends it."""
    with pytest.raises(StopIteration):
        coroutine.send(None)


def through(app, scope) -> tuple[dict, bytes]:
    """The middleware's answer to ``scope``: (its start message, the whole body)."""
    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    finish(server_root.ServerRootHint(app)(scope, receive, send))
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0], body


def test_the_script_goes_first_in_the_head_and_names_the_page():
    hinted = server_root.with_hint(PAGE, "lab")
    assert hinted.startswith(b"<!DOCTYPE html><html><head><script>")
    assert hinted.endswith(b"</script><meta charset='UTF-8'></head><body></body></html>")
    assert hinted.replace(server_root.script("lab").encode(), b"") == PAGE
    assert 'parts.pop() !== "lab"' in server_root.script("lab")
    assert server_root.with_hint(b"no head here", "lab") == b"no head here"


def test_every_page_of_the_site_has_its_segment():
    assert server_root.PAGE_SEGMENTS == {page.url_path or "overview" for page in PAGES}


@pytest.mark.parametrize(
    "path, segment",
    [("/", None), ("/activations", "activations"), ("/lab/", "lab"), ("/overview", "overview"),
     ("/gl/lab", None), ("/static/js/index.js", None), ("/favicon.png", None),
     ("/_stcore/health", None), ("/activations/_stcore/host-config", None),
     ("/media/abc", None), ("/nowhere", None)],
)  # fmt: skip
def test_only_a_get_of_a_page_address_names_a_page(path, segment):
    assert server_root.page_segment(request(path)) == segment
    assert server_root.page_segment(request(path, method="POST")) is None
    assert server_root.page_segment({**request(path), "type": "websocket"}) is None


@pytest.fixture
def served_under_lab():
    """The server's ``server.baseUrlPath`` is ``lab``, spelled like one of the pages."""
    config.set_option("server.baseUrlPath", "lab")
    yield
    config.set_option("server.baseUrlPath", "")


@pytest.mark.parametrize(
    "path, segment",
    [("/lab", None), ("/lab/", None), ("/lab/lab", "lab"), ("/lab/activations", "activations"),
     ("/activations", None), ("/labs/activations", None)],
)  # fmt: skip
def test_under_a_base_path_its_root_is_no_page(served_under_lab, path, segment):
    assert server_root.page_segment(request(path)) == segment


def test_a_page_comes_uncompressed_with_the_hint_whole_in_several_chunks():
    app, seen = answer([PAGE[:20], PAGE[20:50], PAGE[50:]], b"text/html; charset=utf-8")
    start, body = through(app, request("/activations"))
    assert body == server_root.with_hint(PAGE, "activations")
    headers = dict(start["headers"])
    assert headers[b"content-length"] == str(len(body)).encode()
    assert start["status"] == 200
    asked = dict(seen["scope"]["headers"])
    assert b"accept-encoding" not in asked and asked[b"host"] == b"example.org"


@pytest.mark.parametrize(
    "path, content_type, status, gzip",
    [("/activations", b"text/html", 404, False),  # not the page: left as it is
     ("/activations", b"text/html", 200, True),  # compressed by someone else: left as it is
     ("/activations", b"application/json", 200, False),
     ("/static/js/index.js", b"text/html", 200, False),  # not a page request at all
     ("/", b"text/html", 200, False)],  # the root: Streamlit's own search finds it at once
)  # fmt: skip
def test_any_other_answer_passes_unchanged(path, content_type, status, gzip):
    app, seen = answer([PAGE], content_type, status, gzip)
    start, body = through(app, request(path))
    assert body == PAGE
    assert dict(start["headers"])[b"content-length"] == str(len(PAGE)).encode()
    assert start["status"] == status
