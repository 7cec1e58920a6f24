"""Benchmark: training a tiny LSTM and a basic RNN on "remember" (issue 15's figures).

    .venv/bin/python benchmarks/train.py [--quick] [--sweep]

Prints markdown tables:
  1. LSTM, seq_len 50, hidden 8, seeds 0-4: held-out accuracy, the update where it first reached
     0.95, CPU seconds (process time, one core) and wall seconds. Target: >= 0.95 on seeds 0, 1, 2,
     each within 30 s of one core.
  2. The basic RNN with the same budget (updates, batch, lr, data) on seeds 0-4, and the mean gap
     to the LSTM. Target: the RNN averages >= 0.15 below the LSTM; the spread is shown.
  3. (--sweep) the LSTM with forget-bias initialisation 1.0 against the default, seeds 0-2.
  4. Batched against one-example-at-a-time forward + backward (T = 50, H = 8, B = 32).
Wall time depends on what else runs on the machine; the CPU time is the figure to compare.
Not a test: it never fails.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lstm_core import LSTMParams, unroll, unroll_backward  # noqa: E402
from lstm_core.training import (  # noqa: E402
    DEFAULT_FORGET_BIAS_INIT,
    DEFAULT_LR,
    DEFAULT_STEPS,
    Trainer,
)

SEQ_LEN, HIDDEN = 50, 8


def run(cell: str, seed: int, **options) -> dict:
    cpu, wall = time.process_time(), time.perf_counter()
    trainer = Trainer(cell, "remember", seq_len=SEQ_LEN, hidden_size=HIDDEN, seed=seed,
                      snapshot_every=50, **options)
    trainer.advance()
    result = trainer.result()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    updates, acc = result.accuracy_curve
    reached = updates[np.flatnonzero(acc >= 0.95)]
    return {"cell": cell, "seed": seed, "accuracy": result.accuracy, "cpu": cpu, "wall": wall,
            "reached": int(reached[0]) if reached.size else None,
            "fb": result.settings.forget_bias_init, "steps": result.settings.steps}


def table(rows: list[dict]) -> None:
    print("| cell | forget-bias init | seed | updates | held-out accuracy | first >= 0.95 at "
          "| CPU s | wall s |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        reached = "never" if r["reached"] is None else f"update {r['reached']}"
        fb = r["fb"] if r["cell"] == "lstm" else "-"
        print(f"| {r['cell']} | {fb} | {r['seed']} | {r['steps']} | {r['accuracy']:.3f} "
              f"| {reached} | {r['cpu']:.1f} | {r['wall']:.1f} |", flush=True)


def batched_speed() -> None:
    rng = np.random.default_rng(0)
    params = LSTMParams.random(1, HIDDEN, seed=0)
    B = 32
    xs = rng.uniform(-1, 1, (SEQ_LEN, B, 1))
    zeros = np.zeros((B, HIDDEN))
    dhs = rng.normal(size=(SEQ_LEN, B, HIDDEN))

    def batched():
        unroll_backward(unroll(params, xs, zeros, zeros), dhs)

    def one_by_one():
        for k in range(B):
            unroll_backward(unroll(params, xs[:, k], zeros[k], zeros[k]), dhs[:, k])

    for name, fn in (("batched (one code path, B = 32)", batched), ("one example at a time",
                                                                     one_by_one)):
        times = []
        for _ in range(5):
            t = time.process_time()
            fn()
            times.append(time.process_time() - t)
        per_seq = statistics.median(times) / B * 1e3
        print(f"| {name} | {per_seq:.2f} ms per sequence |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="seeds 0-2 only, no RNN gap")
    parser.add_argument("--sweep", action="store_true", help="also forget-bias init 1.0")
    args = parser.parse_args()
    seeds = [0, 1, 2] if args.quick else [0, 1, 2, 3, 4]
    print(f"# Training on 'remember', seq_len {SEQ_LEN}, hidden {HIDDEN}: {DEFAULT_STEPS} "
          f"updates, batch 32, Adam lr {DEFAULT_LR}, clip 1.0, forget-bias init "
          f"{DEFAULT_FORGET_BIAS_INIT}\n")
    lstm = [run("lstm", s) for s in seeds]
    table(lstm)
    ok = all(r["accuracy"] >= 0.95 and r["cpu"] <= 30 for r in lstm[:3])
    print(f"\nLSTM seeds 0-2 all >= 0.95 within 30 s CPU: {'yes' if ok else 'NO'}\n")
    if not args.quick:
        rnn = [run("rnn", s) for s in seeds]
        table(rnn)
        gap = [a["accuracy"] - b["accuracy"] for a, b in zip(lstm, rnn)]
        accs = [r["accuracy"] for r in rnn]
        print(f"\nRNN accuracy over seeds 0-4: mean {statistics.mean(accs):.3f}, min "
              f"{min(accs):.3f}, max {max(accs):.3f}; LSTM mean "
              f"{statistics.mean(r['accuracy'] for r in lstm):.3f}; mean gap "
              f"{statistics.mean(gap):.3f} (target >= 0.15): "
              f"{'yes' if statistics.mean(gap) >= 0.15 else 'NO'}\n")
    if args.sweep:
        table([run("lstm", s, forget_bias_init=1.0) for s in (0, 1, 2)])
        print()
    print("| forward + backward through time, T = 50, H = 8 | CPU |")
    print("|---|---|")
    batched_speed()


if __name__ == "__main__":
    main()
