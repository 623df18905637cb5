"""Pipelining benchmark (see scripts/bench.sh).

"run" is the engine's own elapsed time (first request to end of cleanup), "process" the whole
CLI process including start-up and credential loading.

Model (latencies as injected): each configuration update takes U = 1 s; size i's invocations
take E_i = ceil(n / c) × d_i, where d_i is the mean measured duration of size i (cold starts
included), n = 50 invocations and c = 10 in flight per size.

- Critical path of the pipelined schedule: the updates are a chain, and size i's invocations can
  start once its own update is done: CP = max((N + 1) × U, max_i((i + 1) × U + E_i)).
- The original's phase-serial schedule: all N + 1 updates first, then every size at once:
  PS = (N + 1) × U + max_i E_i.
"""
import json
import math
import os
import subprocess
import sys
import tempfile
import time

SIZES = [256, 512, 1024, 1536, 2048, 3008]
N_INVOCATIONS = 50
PER_SIZE = 10
UPDATE_S = 1.0
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 3

emulator = subprocess.Popen(
    ["target/release/lambda-emulator", "--port", "0", "--seed", "11", "--time-scale", "1", "--update-ms", str(int(UPDATE_S * 1000))],
    stdout=subprocess.PIPE,
    stderr=subprocess.DEVNULL,
    text=True,
)
try:
    creds = json.loads(emulator.stdout.readline())
    env = {
        "PATH": os.environ["PATH"],
        "HOME": tempfile.mkdtemp(),
        "AWS_ACCESS_KEY_ID": creds["accessKeyId"],
        "AWS_SECRET_ACCESS_KEY": creds["secretAccessKey"],
        "AWS_SESSION_TOKEN": creds["sessionToken"],
        "AWS_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump({"lambdaARN": "arn:aws:lambda:us-east-1:123456789012:function:image-resizer", "num": N_INVOCATIONS,
                   "powerValues": SIZES, "parallelInvocation": True}, f)
        input_path = f.name
    rows = []
    for run in range(RUNS):
        start = time.monotonic()
        out = subprocess.run(
            ["target/release/powertune", "run", "--quiet", "--full", "--input", input_path, "--endpoint-url", creds["endpoint"],
             "--max-concurrency", str(PER_SIZE * len(SIZES)), "--per-size-concurrency", str(PER_SIZE)],
            env=env, capture_output=True, text=True, check=True,
        )
        process = time.monotonic() - start
        full = json.loads(out.stdout)["powertune"]
        wall = full["elapsedMs"] / 1000
        result = full["result"]
        means = [s["detail"]["duration"]["mean"] / 1000 for s in result["sizes"]]
        waves = math.ceil(N_INVOCATIONS / PER_SIZE)
        e = [waves * d for d in means]
        n = len(SIZES)
        cp = max((n + 1) * UPDATE_S, max((i + 1) * UPDATE_S + e[i] for i in range(n)))
        ps = (n + 1) * UPDATE_S + max(e)
        rows.append((wall, cp, ps, process))
        print(f"run {run + 1}: run {wall:.2f} s (process {process:.2f} s), critical path {cp:.2f} s ({wall / cp:.2f}×), phase-serial {ps:.2f} s ({wall / ps:.2f}×)")
    wall, cp, ps, process = (sorted(col)[len(col) // 2] for col in zip(*rows))
    print(f"median of {RUNS}: run {wall:.2f} s = {wall / cp:.2f}× the critical path ({cp:.2f} s), {wall / ps:.2f}× the phase-serial schedule ({ps:.2f} s); whole process {process:.2f} s = {process / cp:.2f}× / {process / ps:.2f}×")
finally:
    emulator.terminate()
