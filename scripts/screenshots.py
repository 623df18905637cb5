"""Takes the README's screenshots: the built app (dist/) in headless Chromium through WebDriver.

Usage: python3 scripts/screenshots.py OUTDIR   (after `trunk build --release`)
"""
import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread

out = sys.argv[1] if len(sys.argv) > 1 else "docs"
os.makedirs(out, exist_ok=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


site_port, driver_port = free_port(), free_port()
class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", site_port), partial(Quiet, directory="dist"))
Thread(target=server.serve_forever, daemon=True).start()
driver = subprocess.Popen(["chromedriver", f"--port={driver_port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
base = f"http://127.0.0.1:{driver_port}"


def call(method, path, body=None):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode() if body is not None else None, method=method,
                                 headers={"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(req).read())["value"]


try:
    for _ in range(50):
        try:
            urllib.request.urlopen(base + "/status")
            break
        except OSError:
            time.sleep(0.1)
    args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic", "--window-size=1280,1800"]
    session = call("POST", "/session", {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}}}})["sessionId"]
    s = f"/session/{session}"

    def find(css):
        for _ in range(100):
            found = call("POST", f"{s}/elements", {"using": "css selector", "value": css})
            if found:
                # W3C element reference (chromedriver may also use the legacy "ELEMENT" key).
                return next(iter(found[0].values()))
            time.sleep(0.1)
        raise SystemExit(f"{css} never appeared")

    def shot(name):
        with open(os.path.join(out, name), "wb") as f:
            f.write(base64.b64decode(call("GET", f"{s}/screenshot")))

    call("POST", f"{s}/url", {"url": f"http://127.0.0.1:{site_port}/"})
    num = find("#num")
    call("POST", f"{s}/element/{num}/clear", {})
    call("POST", f"{s}/element/{num}/value", {"text": "20"})
    call("POST", f"{s}/element/{find('#start')}/click", {})
    for _ in range(200):
        if call("POST", f"{s}/elements", {"using": "css selector", "value": "#results"}):
            break
        time.sleep(0.1)
    time.sleep(0.5)
    shot("results.png")
    link = call("GET", f"{s}/element/{find('#share-link')}/property/value")
    call("POST", f"{s}/url", {"url": f"http://127.0.0.1:{site_port}/#gAAAAQACAAQABsAL;ZooQR4yvkUa/pQRGRC5zRaADHUVjOftE;QdWhOEMkoziDT5Q4xhiIOMYYiDi6RNc4"})
    time.sleep(1)
    shot("original-link.png")
    print(f"share link: {len(link)} characters")
    call("DELETE", s)
finally:
    driver.terminate()
    server.shutdown()
