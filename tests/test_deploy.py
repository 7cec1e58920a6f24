"""The replica deployment over plain HTTP and WebSockets (no browser): nginx's sticky routing,
failover, static compression and caching, and the hardening of a public deployment (XSRF, CORS
protection, upload and message sizes). The `replicas` fixture is in tests/conftest.py."""

from __future__ import annotations

import base64
import os
import re
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from deploy.replicas import ROOT, TEMPLATE, render

ROUTE = "lstm_route"


def get(url: str, headers: dict[str, str] | None = None, method: str = "GET",
        data: bytes | None = None):
    """(status, headers, body) of one request; HTTP errors are returned, not raised."""
    req = urllib.request.Request(url, headers=headers or {}, method=method, data=data)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def route_cookie(headers) -> str | None:
    """The Set-Cookie header nginx adds for the route (Streamlit may set its XSRF cookie too)."""
    return next((c for c in headers.get_all("Set-Cookie") or [] if c.startswith(f"{ROUTE}=")),
                None)


def log_lines(dep, route: str) -> list[str]:
    return [ln for ln in dep.access_log.read_text().splitlines() if f"route={route} " in ln]


def answered_by(dep, path: str, route: str | None = None) -> str:
    """Ask nginx for `path`, with the route cookie if given (else nginx draws one and sets it);
    return the replica that answered, from nginx's access log."""
    before = len(log_lines(dep, route)) if route else 0
    status, headers, _ = get(dep.url + path, {"Cookie": f"{ROUTE}={route}"} if route else {})
    assert status == 200
    route = route or route_cookie(headers).split(";")[0].split("=")[1]
    deadline = time.monotonic() + 10
    while len(lines := log_lines(dep, route)) <= before:  # nginx logs just after answering
        assert time.monotonic() < deadline, f"no log line for route {route}"
        time.sleep(0.02)
    return re.search(r"upstream=(.*?) upstream_status=", lines[-1])[1].split(", ")[-1]


def ws_url(base: str) -> str:
    return base.replace("http://", "ws://") + "/_stcore/stream"


def open_ws(base: str, origin: str | None, host: str | None = None):
    headers = {"Host": host} if host else None
    return connect(ws_url(base), origin=origin, subprotocols=["streamlit"],
                   additional_headers=headers, open_timeout=30, max_size=None)


# ------------------------------------------------------------------------------ nginx routing
def test_new_browser_gets_a_route_cookie_and_keeps_it(replicas):
    status, headers, _ = get(replicas.url + "/")
    assert status == 200
    cookie = route_cookie(headers)
    assert re.fullmatch(rf"{ROUTE}=[0-9a-f]{{32}}; Path=/; HttpOnly; SameSite=Lax", cookie)
    route = cookie.split(";")[0].split("=")[1]
    _, again, _ = get(replicas.url + "/", {"Cookie": f"{ROUTE}={route}"})
    assert route_cookie(again) is None  # nginx sets it once


def test_one_route_one_replica_and_new_routes_spread(replicas):
    served = {answered_by(replicas, "/_stcore/health", "fixed-route") for _ in range(20)}
    assert len(served) == 1
    # 40 browsers without the cookie yet: each gets a random route; all on one replica would
    # happen with probability 2 * 2**-40
    spread = {answered_by(replicas, "/_stcore/health") for _ in range(40)}
    assert spread == {f"127.0.0.1:{r.port}" for r in replicas.replicas}


def test_static_files_are_compressed_and_cached_by_nginx(replicas):
    _, _, html = get(replicas.url + "/")
    js = re.search(rb'/static/js/index\.[^"]+\.js', html)[0].decode()
    plain = get(replicas.url + js)
    first = get(replicas.url + js, {"Accept-Encoding": "gzip"})
    second = get(replicas.url + js, {"Accept-Encoding": "gzip"})
    assert second[1]["Content-Encoding"] == "gzip"
    assert second[1]["X-Cache-Status"] == "HIT"  # the replicas serve each file once
    assert "immutable" in second[1]["Cache-Control"]
    assert len(second[2]) < len(plain[2]) / 2
    assert first[0] == second[0] == 200


def test_a_dead_replica_fails_over_at_once(fresh_replicas):
    dep = fresh_replicas(2)
    route = "student-42"
    before = answered_by(dep, "/_stcore/health", route)
    dep.kill(dep.replica_at(before))
    # the calls a reconnecting tab makes first, then the WebSocket: all on the survivor
    for path in ("/_stcore/health", "/_stcore/host-config", "/"):
        assert answered_by(dep, path, route) != before
    with open_ws(dep.url, origin=dep.url) as ws:
        ws.send(b"")  # an empty BackMsg is valid protobuf; the session stays open
        assert ws.protocol.state.name == "OPEN"


def test_config_renders_one_server_line_per_replica(tmp_path):
    text = render(TEMPLATE.read_text(), run_dir=tmp_path, listen="127.0.0.1:9", ports=[1, 2, 3])
    assert [int(p) for p in re.findall(r"server 127\.0\.0\.1:(\d+) max_fails=", text)] == [1, 2, 3]
    code = re.sub(r"#.*", "", text)
    assert "{{" not in code and "ip_hash" not in code
    assert "proxy_set_header Host $http_host;" in code


# -------------------------------------------------------------------------------- hardening
def test_websocket_from_another_site_is_refused(replicas):
    for base in (replicas.url, replicas.replicas[0].url):
        with pytest.raises(InvalidStatus) as refused:
            open_ws(base, origin="http://evil.example")
        assert refused.value.response.status_code == 403
        with open_ws(base, origin=base):  # the app's own pages may
            pass


def handshake_status(port: int, host: str, origin: str) -> int:
    """Status of a raw WebSocket handshake on 127.0.0.1:port with these Host and Origin."""
    request = (f"GET /_stcore/stream HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\n"
               "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
               f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n"
               "Sec-WebSocket-Protocol: streamlit\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(request.encode())
        return int(s.recv(1024).split(b" ", 2)[1])


def test_host_without_port_breaks_the_websocket(replicas):
    """Why nginx passes Host $http_host: with `$host` the port is dropped, and Streamlit
    refuses the page's own WebSocket as cross-origin (loopback origins are always allowed, so
    this uses a public name, as a real deployment has)."""
    port = replicas.replicas[0].port
    origin = "http://lstm.example.org:8080"
    assert handshake_status(port, "lstm.example.org:8080", origin) == 101  # $http_host
    assert handshake_status(port, "lstm.example.org", origin) == 403  # $host


def test_no_cross_origin_read_access(replicas):
    for base in (replicas.url, replicas.replicas[0].url):
        _, headers, _ = get(base + "/_stcore/host-config", {"Origin": "http://evil.example"})
        assert headers.get("Access-Control-Allow-Origin") in (None, base)


def test_upload_needs_the_xsrf_token(replicas):
    status, _, _ = get(replicas.url + "/_stcore/upload_file/some-session/some-file",
                       {"Content-Type": "application/octet-stream"}, "PUT", b"{}")
    assert status == 403


def test_upload_larger_than_a_scenario_file_is_refused_by_nginx(replicas):
    status, _, _ = get(replicas.url + "/_stcore/upload_file/some-session/some-file",
                       {"Content-Type": "application/octet-stream"}, "PUT", b"x" * 200_000)
    assert status == 413


def test_oversized_websocket_frame_closes_the_connection(replicas):
    for base in (replicas.url, replicas.replicas[0].url):
        with open_ws(base, origin=base) as ws:
            ws.send(b"\x00" * 1_100_000)  # maxWidgetStateSize = 1 MB
            with pytest.raises(ConnectionClosed) as closed:
                ws.recv(timeout=30)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009


def test_streamlit_config_is_hardened():
    """The values the tests above rely on, with the limits the docs state."""
    import tomllib

    server = tomllib.loads(Path(ROOT / ".streamlit" / "config.toml").read_text())["server"]
    assert server["enableXsrfProtection"] is True and server["enableCORS"] is True
    assert server["corsAllowedOrigins"] == []
    assert server["maxUploadSize"] == 1 and server["maxWidgetStateSize"] == 1
    assert 1 <= server["maxMessageSize"] <= 8
