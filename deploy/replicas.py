"""N LSTM Explainer replicas on loopback ports behind one nginx, in the foreground.

    make replicas N=2                      # or: python deploy/replicas.py -n 2 --port 8080
    # -> http://127.0.0.1:8080 ; Ctrl-C stops nginx and every replica

nginx (Debian's package; `scripts/ensure_nginx.sh` installs it) runs with its own prefix: its
config (rendered from deploy/nginx.conf.template), pid file, logs, temp files and cache live in
one run directory (a new temporary one unless --run-dir is given). No system service is used
or touched. Tests and benchmarks use `start()` directly:

    with start(2) as dep:                  # dep.url, dep.replicas[i].port, dep.kill(i)
        ...
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
START_TIMEOUT_S = 90.0
# Passive health check: one failed connection takes a replica out for FAIL_TIMEOUT_S, then
# nginx tries it again with a real request.
MAX_FAILS = 1
FAIL_TIMEOUT_S = 10


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def render(template: str, *, run_dir: Path, listen: str, ports: list[int]) -> str:
    """The nginx config for replicas on 127.0.0.1:<ports>, listening on `listen`."""
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails={MAX_FAILS} "
                        f"fail_timeout={FAIL_TIMEOUT_S}s;" for p in ports)
    text = (template.replace("{{RUN_DIR}}", str(run_dir)).replace("{{LISTEN}}", listen)
            .replace("{{SERVERS}}", servers))
    if os.geteuid() == 0:  # nginx's workers drop root; nobody reads no file of ours
        text = text.replace("worker_processes 1;", "user nobody nogroup;\nworker_processes 1;")
    return text


@dataclass
class Replica:
    port: int
    proc: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None


@dataclass
class Deployment:
    url: str
    run_dir: Path
    replicas: list[Replica]
    nginx: subprocess.Popen
    _owns_run_dir: bool = field(default=False, repr=False)

    @property
    def access_log(self) -> Path:
        return self.run_dir / "access.log"

    def replica_at(self, upstream_addr: str) -> int:
        """Index of the replica behind an nginx $upstream_addr such as '127.0.0.1:8502'."""
        port = int(upstream_addr.rsplit(":", 1)[1])
        return next(i for i, r in enumerate(self.replicas) if r.port == port)

    def kill(self, index: int) -> None:
        """Kill replica `index` at once (SIGKILL: no goodbye to its browsers), as a crash would."""
        _stop(self.replicas[index].proc, signal.SIGKILL)

    def stop(self) -> None:
        _stop(self.nginx, signal.SIGQUIT)  # nginx's graceful shutdown
        for r in self.replicas:
            _stop(r.proc, signal.SIGTERM)
        if self._owns_run_dir and os.environ.get("LSTM_KEEP_RUN_DIR") != "1":
            shutil.rmtree(self.run_dir, ignore_errors=True)

    def __enter__(self) -> Deployment:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _stop(proc: subprocess.Popen, sig: int) -> None:
    """Signal the process group (each child was started in its own session) and reap it."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def _spawn(cmd: list[str], log: Path) -> subprocess.Popen:
    with open(log, "wb") as out:
        return subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, deadline: float) -> None:
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{log.name}: exited with {proc.returncode}:\n"
                               f"{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{log.name}: {url} not healthy after {START_TIMEOUT_S:.0f} s:\n"
                               f"{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.1)


def start(n: int = 2, port: int = 0, *, host: str = "127.0.0.1", run_dir: Path | None = None,
          streamlit_args: tuple[str, ...] = ()) -> Deployment:
    """Start n replicas and nginx on host:port (a free port when 0); return once nginx answers
    /_stcore/health. Raises RuntimeError (with the log's tail) when something does not start."""
    nginx = nginx_binary()
    if nginx is None:
        raise RuntimeError("nginx is not installed: run scripts/ensure_nginx.sh "
                           "(Debian: apt-get install nginx)")
    owns = run_dir is None
    run_dir = Path(tempfile.mkdtemp(prefix="lstm-replicas-")) if owns else Path(run_dir)
    (run_dir / "tmp").mkdir(parents=True, exist_ok=True)
    os.chmod(run_dir, 0o755)  # nginx's workers (user nobody under root) use tmp/ and cache/
    port = port or free_port(host)
    replicas: list[Replica] = []
    proxy = None
    try:
        for _ in range(n):
            p = free_port()
            log = run_dir / f"replica-{p}.log"
            cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(p),
                   "--server.address", "127.0.0.1", "--server.headless", "true",
                   "--browser.gatherUsageStats", "false", *streamlit_args]
            replicas.append(Replica(p, _spawn(cmd, log), log))
        deadline = time.monotonic() + START_TIMEOUT_S
        for r in replicas:
            _wait_healthy(r.url, r.proc, r.log, deadline)
        conf = run_dir / "nginx.conf"
        conf.write_text(render(TEMPLATE.read_text(), run_dir=run_dir, listen=f"{host}:{port}",
                               ports=[r.port for r in replicas]))
        base = [nginx, "-p", str(run_dir), "-c", str(conf), "-e", str(run_dir / "error.log")]
        check = subprocess.run([*base, "-t", "-q"], capture_output=True, text=True)
        if check.returncode:
            raise RuntimeError(f"nginx -t refused {conf}:\n{check.stderr}")
        proxy = _spawn(base, run_dir / "nginx.out")
        url = f"http://{host}:{port}"
        _wait_healthy(url, proxy, run_dir / "error.log", time.monotonic() + 20)
        return Deployment(url, run_dir, replicas, proxy, owns)
    except BaseException:
        for proc in [proxy, *(r.proc for r in replicas)]:
            if proc is not None:
                _stop(proc, signal.SIGTERM)
        raise


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", "--replicas", type=int, default=2, help="number of replicas (≥ 1)")
    ap.add_argument("--port", type=int, default=8080, help="nginx's port (default 8080)")
    ap.add_argument("--host", default="127.0.0.1",
                    help="nginx's address (0.0.0.0 to serve the network)")
    ap.add_argument("--run-dir", type=Path, help="config, logs, pid, cache (default: a temp dir)")
    args = ap.parse_args()
    if args.replicas < 1:
        ap.error("--replicas must be at least 1")
    dep = start(args.replicas, args.port, host=args.host, run_dir=args.run_dir)
    stop: list[int] = []
    reported: set[int] = set()
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    print(f"LSTM Explainer: {dep.url}  (nginx, {len(dep.replicas)} replicas on ports "
          f"{', '.join(str(r.port) for r in dep.replicas)}; config, logs: {dep.run_dir})",
          flush=True)
    try:
        while not stop and dep.nginx.poll() is None:
            time.sleep(0.5)
            for r in dep.replicas:
                if not r.alive and r.port not in reported:
                    print(f"replica on port {r.port} exited ({r.proc.returncode}); nginx sends "
                          f"its browsers to the others. Log: {r.log}", flush=True)
                    reported.add(r.port)
    except KeyboardInterrupt:
        pass
    finally:
        dep.stop()
        print("stopped nginx and the replicas", flush=True)


if __name__ == "__main__":
    main()
