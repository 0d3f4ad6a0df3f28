#!/usr/bin/env python3
"""Python's side of ProcPool's benchmark (bench/ProcPool.Bench runs it in the same run).

multiprocessing.Pool and concurrent.futures.ProcessPoolExecutor with 2 workers, the spawn start method (the
only one on Windows and macOS, and the one that starts a fresh interpreter, as ProcPool starts a fresh runtime),
over the same workloads as the .NET side. Standard library only. Prints one JSON object: each figure's raw
samples (the caller computes min/median/max), so both sides summarize the same way.

    python3 bench/python/pool_baseline.py [--quick]
    python3 bench/python/pool_baseline.py --serve-starts   # one Pool(2) start per "start" line on stdin, ms on stdout

The second form lets the caller alternate Python's pool starts with its own, so both are measured in the same
minute of a shared host (whose speed drifts more between minutes than between neighbouring starts).
"""
import array
import json
import multiprocessing as mp
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor

WORKERS = 2


def add(a, b):
    return a + b


def square(x):
    return x * x


def identity(x):
    return x


def pid_after(seconds):
    # Holds the worker briefly, so two calls sent together land on two different workers.
    time.sleep(seconds)
    return os.getpid()


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return float("nan")


def pool_start_ms(ctx):
    """(a) Pool(2) until every worker has answered a task."""
    t0 = time.perf_counter()
    pool = ctx.Pool(WORKERS)
    seen = set()
    while len(seen) < WORKERS:
        pending = [pool.apply_async(pid_after, (0.001,)) for _ in range(WORKERS)]
        seen.update(r.get() for r in pending)
    elapsed = (time.perf_counter() - t0) * 1000.0
    pool.terminate()
    pool.join()
    return elapsed


def executor_start_ms(ctx):
    t0 = time.perf_counter()
    ex = ProcessPoolExecutor(WORKERS, mp_context=ctx)
    seen = set()
    while len(seen) < WORKERS:
        pending = [ex.submit(pid_after, 0.001) for _ in range(WORKERS)]
        seen.update(f.result() for f in pending)
    elapsed = (time.perf_counter() - t0) * 1000.0
    ex.shutdown()
    return elapsed


def apply_async_tasks_per_s(pool, n):
    """(b) n trivial add calls, all in flight."""
    t0 = time.perf_counter()
    pending = [pool.apply_async(add, (i, i)) for i in range(n)]
    for i, r in enumerate(pending):
        if r.get() != 2 * i:
            raise AssertionError("wrong result")
    return n / (time.perf_counter() - t0)


def map_items_per_s(pool, n, chunk):
    """(c) map over n ints with a fixed chunk size."""
    items = list(range(n))
    t0 = time.perf_counter()
    out = pool.map(square, items, chunksize=chunk)
    elapsed = time.perf_counter() - t0
    if len(out) != n or out[-1] != (n - 1) * (n - 1):
        raise AssertionError("wrong map result")
    return n / elapsed


def latencies_us(call, n):
    """(d) n sequential round trips; returns (p50, p99) in microseconds."""
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        if call(i) != i + 1:
            raise AssertionError("wrong result")
        times.append((time.perf_counter() - t0) * 1e6)
    times.sort()
    return percentile(times, 50), percentile(times, 99)


def raw_pipe_p50_us(n):
    """The floor under any blocking round trip between two processes on this machine: one byte over two os.pipe()s
    to a forked child and back, with C-level reads and writes (no pool, no pickling)."""
    r1, w1 = os.pipe()
    r2, w2 = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(w1)
        os.close(r2)
        for _ in range(n):
            os.write(w2, os.read(r1, 1))
        os._exit(0)
    os.close(r1)
    os.close(w2)
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        os.write(w1, b"x")
        os.read(r2, 1)
        times.append((time.perf_counter() - t0) * 1e6)
    os.waitpid(pid, 0)
    os.close(w1)
    os.close(r2)
    times.sort()
    return percentile(times, 50)


def payload_mb_per_s(pool, payload, size_bytes):
    """(f) one round trip of payload through an identity task: MB of payload / seconds."""
    t0 = time.perf_counter()
    back = pool.apply(identity, (payload,))
    elapsed = time.perf_counter() - t0
    if len(back) != len(payload):
        raise AssertionError("payload came back short")
    return size_bytes / 1e6 / elapsed


def serve_starts():
    ctx = mp.get_context("spawn")
    for line in sys.stdin:
        if line.strip() != "start":
            break
        sys.stdout.write(f"{pool_start_ms(ctx):.3f}\n")
        sys.stdout.flush()


def main():
    if "--serve-starts" in sys.argv:
        serve_starts()
        return
    quick = "--quick" in sys.argv
    reps = dict(start=3, throughput=3, map=3, latency=3, payload=5) if quick else \
        dict(start=8, throughput=7, map=7, latency=3, payload=15)
    ctx = mp.get_context("spawn")
    out = {"python": sys.version.split()[0], "start_method": "spawn", "workers": WORKERS, "samples": {}}
    samples = out["samples"]

    def record(key, value):
        samples.setdefault(key, []).append(value)

    # First, while this process has no threads yet (it forks).
    for _ in range(reps["latency"]):
        record("raw_pipe_p50_us", raw_pipe_p50_us(5000))

    for _ in range(reps["start"]):
        record("pool_start_ms", pool_start_ms(ctx))
        record("executor_start_ms", executor_start_ms(ctx))

    with ctx.Pool(WORKERS) as pool:
        pool.starmap(add, [(0, 0)] * 4)  # both workers up
        record("idle_worker_rss_mb", max(rss_mb(p.pid) for p in pool._pool))
        apply_async_tasks_per_s(pool, 2000)  # warm-up
        for _ in range(reps["throughput"]):
            record("apply_async_tasks_per_s", apply_async_tasks_per_s(pool, 20_000))
        map_items_per_s(pool, 1_000_000, 1000)  # warm-up, as on the .NET side
        for _ in range(reps["map"]):
            record("map_items_per_s", map_items_per_s(pool, 1_000_000, 1000))
        for _ in range(reps["latency"]):
            p50, p99 = latencies_us(lambda i: pool.apply(add, (i, 1)), 5000)
            record("apply_p50_us", p50)
            record("apply_p99_us", p99)
        data = os.urandom(8 * 1024 * 1024)
        doubles = array.array("d", (i * 0.5 for i in range(1_000_000)))
        payload_mb_per_s(pool, data, len(data))  # warm-up
        for _ in range(reps["payload"]):
            record("bytes_8mb_mb_per_s", payload_mb_per_s(pool, data, len(data)))
            record("doubles_1m_mb_per_s", payload_mb_per_s(pool, doubles, 8 * len(doubles)))

    with ProcessPoolExecutor(WORKERS, mp_context=ctx) as ex:
        ex.submit(add, 0, 0).result()
        for _ in range(reps["latency"]):
            p50, p99 = latencies_us(lambda i: ex.submit(add, i, 1).result(), 5000)
            record("executor_p50_us", p50)
            record("executor_p99_us", p99)

    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
