"""Measures the release build (dist/): its size, raw and gzipped; what the browser fetches to show
the first screen and a share link (wasm and JS, gzip -9: the page's bundle, not the engine's
worker); and its time to first render in headless Chromium on localhost. Prints Markdown for
the docs.

Usage: python3 scripts/measure.py [LOADS]   (after `trunk build --release`; scripts/bench.sh runs it)

Time to first render is the `powertune-rendered` performance mark, set right after the app has
mounted (src/main.rs), in ms since navigation start. The first load is cold (nothing cached);
the others reuse the browser cache, as a returning user does.
"""
import glob
import gzip
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread

loads = int(sys.argv[1]) if len(sys.argv) > 1 else 15
os.chdir(os.path.join(os.path.dirname(__file__), ".."))

print("| file | raw | gzip -9 | .br as shipped |")
print("|---|---:|---:|---:|")
total_raw = total_gz = total_br = 0
# Every file a visitor may fetch, the demo account's data set (dist/lambda-benchmark/, fetched
# when the demo account is shown) included.
for path in sorted(glob.glob("dist/**/*", recursive=True)):
    if os.path.isdir(path) or path.endswith((".gz", ".br")):
        continue
    data = open(path, "rb").read()
    gz = len(gzip.compress(data, 9))
    br = os.path.getsize(path + ".br") if os.path.exists(path + ".br") else 0
    total_raw += len(data)
    total_gz += gz
    total_br += br
    name = os.path.relpath(path, "dist")
    print(f"| {name} | {len(data) / 1024:.0f} KB | {gz / 1024:.0f} KB | {br / 1024:.0f} KB |")
print(f"| **total** | **{total_raw / 1024:.0f} KB** | **{total_gz / 1024:.0f} KB** | **{total_br / 1024:.0f} KB** |")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


site_port, driver_port = free_port(), free_port()
server = ThreadingHTTPServer(("127.0.0.1", site_port), partial(Quiet, directory="dist"))
Thread(target=server.serve_forever, daemon=True).start()
driver = subprocess.Popen(["chromedriver", f"--port={driver_port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
base = f"http://127.0.0.1:{driver_port}"


def call(method, path, body=None):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode() if body is not None else None, method=method,
                                 headers={"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(req).read())["value"]


try:
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/status")
            break
        except OSError:
            time.sleep(0.1)
    args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic", "--window-size=1280,900"]
    session = call("POST", "/session", {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}}}})["sessionId"]
    s = f"/session/{session}"
    times = []
    for i in range(loads):
        call("POST", f"{s}/url", {"url": "about:blank"})
        call("POST", f"{s}/url", {"url": f"http://127.0.0.1:{site_port}/"})
        for _ in range(200):
            mark = call("POST", f"{s}/execute/sync", {"script": "const m = performance.getEntriesByName('powertune-rendered'); return m.length ? m[0].startTime : null;", "args": []})
            if mark is not None:
                break
            time.sleep(0.02)
        else:
            sys.exit("the app never rendered (no powertune-rendered mark)")
        times.append(mark)
    # What the first screen fetched, then what opening a share link (the sample result) adds.
    fetched_js = "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname);"
    gz_of = lambda names: sum(len(gzip.compress(open("dist" + n, "rb").read(), 9)) for n in names)
    code = lambda names: sorted({n for n in names if n.endswith((".wasm", ".js"))})
    time.sleep(1)
    first = code(call("POST", f"{s}/execute/sync", {"script": fetched_js, "args": []}))
    call("POST", f"{s}/execute/sync", {"script": "document.getElementById('sample-result').click();", "args": []})
    for _ in range(200):
        if call("POST", f"{s}/execute/sync", {"script": "return !!document.querySelector('#results, .results');", "args": []}):
            break
        time.sleep(0.05)
    else:
        sys.exit("the sample result never rendered")
    time.sleep(1)
    shared = code(call("POST", f"{s}/execute/sync", {"script": fetched_js, "args": []}))
    call("DELETE", s)
    print()
    print(f"The first screen fetches {gz_of(first):,} bytes of wasm and JS (gzip -9): {', '.join(n.lstrip('/') for n in first)}; "
          f"with the sample result opened, {gz_of(shared):,} bytes: {', '.join(n.lstrip('/') for n in shared)}.")
    warm = times[1:]
    print()
    print(f"Time to first render, headless Chromium on localhost: cold {times[0]:.0f} ms; "
          f"cached median {statistics.median(warm):.0f} ms (min {min(warm):.0f}, max {max(warm):.0f}, {len(warm)} loads)")
finally:
    driver.terminate()
    server.shutdown()
