"""Benchmark: does a class training at once slow down the students using the explorer?

    .venv/bin/python benchmarks/train_load.py [--quick] [--trainers 20] [--explorers 10]

One server (app.py). Protocol-level clients (benchmarks/run.py's Session: Streamlit's websocket
and protobuf messages, no browser):
  - explorers: sessions on the cell explorer, each editing x(t)[0] in the live cell every
    1-3 s and timing the change -> rerun finished (the rerun that also writes the URL and the
    equations: the "sync" of the design; a run that does not write them counts as an error);
  - trainers: sessions on the Train page that press Train (LSTM and RNN, "remember", the
    page's defaults) and then rerun the live fragment as the browser's run_every timer does.
Phase 1: the explorers alone (baseline). Phase 2: the same explorers while the trainers open
the page and press Train one after another within START_S, then train (the phase's latencies
include that start).
Prints a markdown table: explorer latency median / p95 for both phases, errors, the training
work done, the server's CPU use and the machine's load average (other programs count: the
figures of a loaded machine are noisy and say so). Not a test: it never fails.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import Session, log, machine, med_p95, pct, start_server, stop_server  # noqa: E402

START_S = 10.0  # the students press Train one after another within this time
PROGRESS = re.compile(r"(\d+) of (\d+) updates")


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (and its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """The live child processes of pid (the server's training workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def workers_cpu(pid: int) -> float:
    return sum(cpu_seconds(c) for c in children(pid) if Path(f"/proc/{c}").exists())


class TrainerSession(Session):
    """A student on the Train page: finds the Train button, presses it, then reruns the live
    fragment whenever the server's auto-rerun timer asks."""

    def __init__(self, ws_url: str):
        super().__init__(ws_url)
        self.train_button = ""
        self.fragment, self.interval = "", 0.0
        self.updates = (0, 0)  # (done, total) from the progress bar's text
        self.finished = False

    def on_message(self, fm) -> None:
        kind = fm.WhichOneof("type")
        if kind == "navigation":  # stay on the Train page in the next runs
            self.page_hash = next((p.page_script_hash for p in fm.navigation.app_pages
                                   if p.url_pathname == "Train"), self.page_hash)
        elif kind == "auto_rerun":
            self.fragment, self.interval = fm.auto_rerun.fragment_id, fm.auto_rerun.interval
        elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
            el = fm.delta.new_element
            if el.WhichOneof("type") == "button" and el.button.label == "Train":
                self.train_button = el.button.id
            elif el.WhichOneof("type") == "progress":
                found = PROGRESS.search(el.progress.text)
                if found:
                    self.updates = (int(found[1]), int(found[2]))
                self.finished = not el.progress.text.startswith("Training")

    async def start(self) -> str:
        await self.ws_open()
        err = await self.run(page_name="Train")
        if err or not self.train_button:
            return err or "no Train button on the page"
        return await self.run(triggers=(self.train_button,))

    async def ws_open(self) -> None:
        import websockets

        self.ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"],
                                           max_size=None, open_timeout=60)

    async def keep_training(self, until: float, ticks: list[float], errors: list[str]) -> None:
        while time.monotonic() < until and self.fragment and not self.finished:
            t = time.perf_counter()
            try:
                err = await self.run(fragment=self.fragment, auto=True)
            except Exception as e:  # noqa: BLE001
                err = f"tick: {type(e).__name__}: {e}"[:120]
            took = time.perf_counter() - t
            ticks.append(took)
            if err:
                errors.append(err)
                return
            await asyncio.sleep(max(0.0, self.interval - took))  # setInterval's cadence


async def explorer_user(s: Session, until: float, lat: list[float], errors: list[str],
                        rng: random.Random) -> None:
    k = 0
    while time.monotonic() < until:
        await asyncio.sleep(rng.uniform(1.0, 3.0))
        t = time.perf_counter()
        try:
            err = await s.change(k)  # the live cell's edit of x(t)[0], synced into the URL
        except Exception as e:  # noqa: BLE001
            err = f"{type(e).__name__}: {e}"[:120]
        lat.append(time.perf_counter() - t)
        if err:
            errors.append(err)
        k += 1


async def bench(ws_url: str, pid: int, n_trainers: int, n_explorers: int, base_s: float,
                load_s: float) -> dict:
    rng = random.Random(0)
    out: dict = {"errors": [], "base": [], "load": [], "ticks": []}
    explorers = []
    for _ in range(n_explorers):
        s = Session(ws_url)
        await s.open()
        if s.live is None and s.slider is None:
            out["errors"].append("explorer: no live cell and no slider")
            continue
        explorers.append(s)
    log(f"{len(explorers)} explorers open; baseline for {base_s:.0f} s")
    cpu, wall = cpu_seconds(pid), time.monotonic()
    until = wall + base_s
    await asyncio.gather(*(explorer_user(s, until, out["base"], out["errors"], rng)
                           for s in explorers))
    out["base_cpu"] = (cpu_seconds(pid) - cpu) / (time.monotonic() - wall)
    log(f"baseline: {med_p95(out['base'])}")

    trainers = [TrainerSession(ws_url) for _ in range(n_trainers)]
    log(f"{n_trainers} trainers press Train within {START_S:.0f} s; load phase {load_s:.0f} s")
    load_avg = os.getloadavg()[0]
    cpu, wall, w_cpu = cpu_seconds(pid), time.monotonic(), workers_cpu(pid)
    until = wall + load_s

    async def student(k: int, t: TrainerSession) -> None:
        await asyncio.sleep(START_S * k / n_trainers)  # "everyone, press Train now"
        try:
            err = await t.start()
        except Exception as e:  # noqa: BLE001
            err = f"{type(e).__name__}: {e}"
        if err:
            out["errors"].append(f"start: {err}"[:120])
            return
        await t.keep_training(until, out["ticks"], out["errors"])

    await asyncio.gather(
        *(explorer_user(s, until, out["load"], out["errors"], rng) for s in explorers),
        *(student(k, t) for k, t in enumerate(trainers)))
    out["load_cpu"] = (cpu_seconds(pid) - cpu) / (time.monotonic() - wall)
    out["workers_cpu"] = (workers_cpu(pid) - w_cpu) / (time.monotonic() - wall)
    out["load_avg"] = (load_avg, os.getloadavg()[0])
    out["updates"] = [t.updates for t in trainers]
    out["finished"] = sum(t.finished for t in trainers)
    log(f"under load: {med_p95(out['load'])}")
    await asyncio.gather(*(s.close() for s in [*explorers, *trainers]), return_exceptions=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="shorter phases")
    ap.add_argument("--trainers", type=int, default=20)
    ap.add_argument("--explorers", type=int, default=10)
    args = ap.parse_args()
    base_s, load_s = (15.0, 30.0) if args.quick else (30.0, 90.0)
    info = machine()
    proc, url, _ = start_server("app.py", log_name="bench-train-load")
    try:
        out = asyncio.run(bench(url.replace("http", "ws") + "/_stcore/stream", proc.pid,
                                args.trainers, args.explorers, base_s, load_s))
    finally:
        stop_server(proc)
    done = [d for d, _ in out["updates"]]
    total = sum(t for _, t in out["updates"])
    p95 = pct(out["load"], 0.95) if out["load"] else float("nan")
    print(f"## Training load · {info['date']}\n")
    print(" · ".join(f"{k}: {v}" for k, v in info.items() if k != "date") + "\n")
    print("| measure | value | note |\n|---|---|---|")
    print(f"| explorer change → rerun finished, {args.explorers} explorers alone (median / p95) "
          f"| {med_p95(out['base'])} | baseline, {base_s:.0f} s; server CPU "
          f"{out['base_cpu']:.2f} cores |")
    print(f"| the same while {args.trainers} students train (median / p95) "
          f"| {med_p95(out['load'])} | {load_s:.0f} s; target p95 < 1 s: "
          f"{'yes' if p95 < 1 else 'NO'}; server CPU {out['load_cpu']:.2f} cores |")
    print(f"| a training tick (fragment rerun) under that load (median / p95) "
          f"| {med_p95(out['ticks'])} | every 0.5 s; it only collects a chunk from the "
          f"workers and sends the next (workers' CPU {out['workers_cpu']:.2f} cores, "
          f"niced) |")
    print(f"| training done in {load_s:.0f} s | {sum(done)} of {total} updates "
          f"({sum(done) / load_s:.0f} updates/s in all; per student median "
          f"{statistics.median(done) if done else 0:.0f}) | {out['finished']} of "
          f"{args.trainers} students finished (the page's default cells, 600 updates each) |")
    errors = sorted(set(out["errors"]))
    print(f"| errors | {len(out['errors'])} | {'; '.join(errors)[:200] or 'none'} |")
    print(f"| machine load average (1 min) at the start / end of the load phase "
          f"| {out['load_avg'][0]:.1f} / {out['load_avg'][1]:.1f} | on {os.cpu_count()} cores, "
          f"including other programs on this machine |")


if __name__ == "__main__":
    main()
