"""Benchmark: many classrooms on replicas behind nginx (issue 17). Prints markdown tables.

    .venv/bin/python benchmarks/replicas.py [--quick] [--seconds 60] [--only sh]

(s) scale-out: 100 simulated students on one replica against 200 on two, both behind the same
    nginx (deploy/replicas.py). A student keeps a session open (its WebSocket, through nginx with
    its own route cookie, as a browser has) and changes a value every 2-4 s (uniformly drawn).
    Per setup: changes done, errors, throughput per replica, latency of a change (sent → the
    rerun finished, which includes the URL update the run sends), server memory.
(h) one hog: a tab holding an arrow key down (a change every 1/30 s, sent without waiting, as
    the keyboard repeats) among 10 students on one replica, with the per-session rerun limit
    (ui/ratelimit.py) on and off: the students' latency and the hog's finished runs per second.

The students are protocol-level clients (benchmarks/run.py's Session: Streamlit's WebSocket and
protobuf messages, no browser), running in this process on the same machine as the servers:
the figures include that client load. Not a test: it reports and goes on.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from run import (  # noqa: E402
    Session,
    log,
    machine,
    med_p95,
    pct,
    publish,
    rss_mb,
    student_loop,
)

from deploy.replicas import Deployment, start  # noqa: E402

PAUSE_S = (2.0, 4.0)  # a student's pause between two changes
HOG_CLASS = 10  # students beside the hog: few enough that one replica keeps up without it
OPEN_CONCURRENCY = 8  # sessions opened at once during the ramp-up (a class arriving)


class Student(Session):
    """A browser tab behind nginx: its route cookie goes with the WebSocket, so nginx keeps it
    on one replica, as it does a real browser's."""

    def __init__(self, base_url: str):
        super().__init__(base_url.replace("http://", "ws://") + "/_stcore/stream")
        self.origin = base_url
        self.route = secrets.token_hex(16)  # what nginx's $request_id cookie looks like

    async def open(self, query: str = "") -> None:
        import websockets

        self.ws = await websockets.connect(
            self.ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=60,
            ping_interval=None,  # a browser sends no pings (it answers the server's)
            origin=self.origin, additional_headers={"Cookie": f"lstm_route={self.route}"})
        await self.run(query=query)

    async def change(self, k: int) -> str:
        """The k-th change: on the home page what the live cell sends once the hand rests
        (run.Session.change); on a page with a slider, the slider one step up or back."""
        if self.live is not None:
            return await super().change(k)
        _, v0, step, _, hi, _ = self.slider
        v1 = v0 + step if v0 + step <= hi else v0 - step
        return await self.run(value=v1 if k % 2 == 0 else v0)


class Hog(Student):
    """A tab holding an arrow key down: a slider change every 1/30 s (keyboard repeat), sent
    without waiting for the previous run, as the browser does."""

    async def hold_key(self, end: float) -> tuple[int, int]:
        """Press until `end`; returns (presses sent, runs that finished their work)."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        completed = 0

        async def drain() -> None:
            nonlocal completed
            while True:
                fm = ForwardMsg()
                fm.ParseFromString(await self.ws.recv())
                if fm.WhichOneof("type") == "script_finished" and fm.script_finished in (0, 3):
                    completed += 1

        reader = asyncio.create_task(drain())
        presses = 0
        while time.monotonic() < end:
            msg = BackMsg()
            msg.rerun_script.page_script_hash = self.page_hash
            if self.live is not None:  # a client sending live-cell syncs at key-repeat rate
                element, data = self.live  # (the browser's debounce would send none)
                x = list(data["x"])
                x[0] = round(x[0] + 0.05 * (presses % 20 - 10), 4)
                msg.rerun_script.widget_states.widgets.append(self.trigger(
                    element, "edit", {"seq": presses + 1, "values": {"x": x}}))
                fragment = self.live_fragment
            else:
                wid, v0, step, lo, hi, fragment = self.slider
                w = msg.rerun_script.widget_states.widgets.add()
                w.id = wid
                w.double_array_value.data.append(
                    min(hi, max(lo, v0 + step * (presses % 20 - 10))))
            if fragment:
                msg.rerun_script.fragment_id = fragment
            await self.ws.send(msg.SerializeToString())
            presses += 1
            await asyncio.sleep(1 / 30)
        await asyncio.sleep(1.0)  # the last run finishes
        reader.cancel()
        return presses, completed


async def open_all(base_url: str, n: int, errors: list[str]) -> list[Student]:
    sem = asyncio.Semaphore(OPEN_CONCURRENCY)

    async def one() -> Student | None:
        async with sem:
            s = Student(base_url)
            try:
                await s.open("preset=remember")
                if s.slider is None and s.live is None:
                    raise RuntimeError("no slider and no live cell on the page")
                return s
            except Exception as e:  # noqa: BLE001 - counted, reported
                errors.append(f"open: {type(e).__name__}: {e}"[:120])
                return None

    return [s for s in await asyncio.gather(*(one() for _ in range(n))) if s is not None]


async def drive(students: list[Student], seconds: float, errors: list[str],
                hog: Hog | None = None) -> dict:
    """Every student changes a value every 2-4 s for `seconds`; the hog, if any, holds an
    arrow key down. Returns latencies (s) per student route and the hog's finished runs."""
    lat: dict[str, list[float]] = {s.route: [] for s in students}
    hog_runs = 0
    end = time.monotonic() + seconds

    def recorder(s: Student):
        def record(err: str, latency: float) -> None:
            if err:
                errors.append(err)
            else:
                lat[s.route].append(latency)
        return record

    async def hogging(s: Hog) -> None:
        nonlocal hog_runs
        hog_runs = (await s.hold_key(end))[1]

    await asyncio.gather(*(student_loop(s, end, PAUSE_S, recorder(s)) for s in students),
                         *([hogging(hog)] if hog else []))
    return {"lat": lat, "hog_runs": hog_runs}


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def replica_of_routes(dep: Deployment) -> dict[str, int]:
    """route cookie -> replica index, from nginx's access log (a WebSocket is logged when it
    closes)."""
    out = {}
    for line in dep.access_log.read_text().splitlines():
        m = re.search(r'"GET /_stcore/stream[^"]*" \d+ route=(\S+) upstream=(.*?) upstream_st',
                      line)
        if m:
            out[m[1]] = dep.replica_at(m[2].split(", ")[-1])
    return out


async def scale_run(dep: Deployment, n: int, seconds: float) -> dict:
    errors: list[str] = []
    t0 = time.perf_counter()
    students = await open_all(dep.url, n, errors)
    opened_s = time.perf_counter() - t0
    rss = [rss_mb(r.proc.pid) for r in dep.replicas]
    log(f"(s) {len(students)}/{n} students open on {len(dep.replicas)} replica(s) in "
        f"{opened_s:.0f} s; RSS {', '.join(f'{x:.0f}' for x in rss)} MB")
    cpu0, client0 = [cpu_s(r.proc.pid) for r in dep.replicas], time.process_time()
    out = await drive(students, seconds, errors)
    cpu = [(cpu_s(r.proc.pid) - c) / seconds for r, c in zip(dep.replicas, cpu0)]
    client_cpu = (time.process_time() - client0) / seconds
    await asyncio.gather(*(s.close() for s in students), return_exceptions=True)
    await asyncio.sleep(1.0)  # let nginx log the closed WebSockets
    where = replica_of_routes(dep)
    per = [0] * len(dep.replicas)
    per_students = [0] * len(dep.replicas)
    for route, xs in out["lat"].items():
        if route in where:
            per[where[route]] += len(xs)
            per_students[where[route]] += 1
    all_lat = [x for xs in out["lat"].values() for x in xs]
    return {"n": n, "opened": len(students), "errors": errors, "lat": all_lat, "per": per,
            "per_students": per_students, "seconds": seconds, "rss": rss, "opened_s": opened_s,
            "cpu": cpu, "client_cpu": client_cpu, "load": os.getloadavg()[0]}


def section_s(seconds: float, scale: float) -> list[dict]:
    rows = []
    for replicas, students in ((1, round(100 * scale)), (2, round(200 * scale))):
        with start(replicas) as dep:
            rows.append(asyncio.run(scale_run(dep, students, seconds)))
            rows[-1]["replicas"] = replicas
        r = rows[-1]
        log(f"(s) {students} students / {replicas} replica(s): {len(r['lat'])} changes, "
            f"{len(r['errors'])} errors, latency {med_p95(r['lat'])}")
    return rows


async def hog_run(dep: Deployment, n: int, seconds: float, with_hog: bool = True) -> dict:
    errors: list[str] = []
    students = await open_all(dep.url, n, errors)
    hog = Hog(dep.url)
    await hog.open("preset=remember")
    if not with_hog:
        await hog.close()
    cpu0 = cpu_s(dep.replicas[0].proc.pid)
    out = await drive(students, seconds, errors, hog=hog if with_hog else None)
    cpu = (cpu_s(dep.replicas[0].proc.pid) - cpu0) / seconds
    await asyncio.gather(*(s.close() for s in [hog, *students]), return_exceptions=True)
    lat = [x for xs in out["lat"].values() for x in xs]
    return {"lat": lat, "hog_rate": out["hog_runs"] / seconds, "errors": errors, "cpu": cpu}


def section_h(seconds: float, scale: float) -> list[tuple[str, dict]]:
    rows = []
    n = max(3, round(HOG_CLASS * scale))
    for label, env, with_hog in (("no hog (baseline)", None, False),
                                 ("hog, limit on (5 runs/s, burst 20)", None, True),
                                 ("hog, limit off", "0", True)):
        saved = os.environ.pop("LSTM_RERUNS_PER_S", None)
        if env is not None:
            os.environ["LSTM_RERUNS_PER_S"] = env  # inherited by the replica only
        try:
            with start(1) as dep:
                rows.append((label, asyncio.run(hog_run(dep, n, seconds, with_hog))))
        finally:
            os.environ.pop("LSTM_RERUNS_PER_S", None)
            if saved is not None:
                os.environ["LSTM_RERUNS_PER_S"] = saved
        r = rows[-1][1]
        log(f"(h) {label}: hog {r['hog_rate']:.1f} reruns/s, students {med_p95(r['lat'])}, "
            f"{len(r['errors'])} errors")
    return rows


def table_s(rows: list[dict]) -> list[str]:
    lines = ["### Scale-out: students on replicas behind nginx", "",
             "| setup | changes done | errors | changes/s per replica | change → synced "
             "(median / p95) | server RSS per replica | CPU per replica (cores) | "
             "client CPU (cores) · load after |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        per = " · ".join(f"{c / r['seconds']:.1f} ({k} students)"
                         for c, k in zip(r["per"], r["per_students"]))
        err = sorted(set(r["errors"]))
        lines.append(
            f"| {r['opened']}/{r['n']} students, {r['replicas']} replica"
            f"{'s' if r['replicas'] > 1 else ''} | {len(r['lat'])} in {r['seconds']:.0f} s | "
            f"{len(r['errors'])}{' (' + '; '.join(err)[:120] + ')' if err else ''} | {per} | "
            f"{med_p95(r['lat'])} | {' · '.join(f'{x:.0f} MB' for x in r['rss'])} | "
            f"{' · '.join(f'{x:.2f}' for x in r['cpu'])} | "
            f"{r['client_cpu']:.2f} · {r['load']:.1f} |")
    lines += ["", "Each student changes one value (the live cell's x(t)[0]) every 2-4 s; "
              "'synced' = the rerun finished (its URL update included), measured by the client."]
    if len(rows) == 2 and rows[0]["lat"] and rows[1]["lat"]:
        one, two = (sum(r["per"]) / r["seconds"] / r["replicas"] for r in rows)
        lines.append(f"Throughput per replica: {one:.1f} changes/s (1 replica) vs {two:.1f} "
                     f"(2 replicas); p95 {pct(rows[0]['lat'], .95) * 1000:.0f} ms vs "
                     f"{pct(rows[1]['lat'], .95) * 1000:.0f} ms.")
    return lines + [""]


def table_h(rows: list[tuple[str, dict]], n: int) -> list[str]:
    lines = [f"### One tab holding an arrow key down (30 changes/s) among {n} students, one "
             "replica", "", "| run | replica CPU (cores) | hog's finished runs/s | "
             "students' change → synced (median / p95) | errors |", "|---|---|---|---|---|"]
    for label, r in rows:
        lines.append(f"| {label} | {r['cpu']:.2f} | {r['hog_rate']:.1f} | {med_p95(r['lat'])} | "
                     f"{len(r['errors'])} |")
    return lines + [""]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="a tenth of the students, 15 s runs")
    ap.add_argument("--seconds", type=float, default=60.0, help="driving time per setup")
    ap.add_argument("--only", default="sh", help="sections: s (scale-out), h (hog)")
    args = ap.parse_args()
    scale, seconds = (0.1, 15.0) if args.quick else (1.0, args.seconds)
    random.seed(17)
    info = machine()
    started = time.monotonic()
    lines = [f"## Replicas benchmark · {info['date']}", "",
             " · ".join(f"{k}: {v}" for k, v in info.items() if k != "date"), ""]
    if "s" in args.only:
        lines += table_s(section_s(seconds, scale))
    if "h" in args.only:
        lines += table_h(section_h(seconds, scale), max(3, round(HOG_CLASS * scale)))
    publish(lines, started, "replicas")


if __name__ == "__main__":
    main()
