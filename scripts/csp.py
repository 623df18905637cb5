"""Trunk post-build hook: allows Trunk's inline loader script in the Content-Security-Policy.

index.html carries the policy with the placeholder 'sha256-TRUNK-LOADER'; Trunk generates the
inline <script type="module"> that starts the wasm, so its hash is only known after the build.
This puts the script's SHA-256 in place of the placeholder (a hash, not 'unsafe-inline', so no
other inline script can run).
"""
import base64
import hashlib
import os
import re
import sys

path = os.path.join(os.environ.get("TRUNK_STAGING_DIR", "dist"), "index.html")
html = open(path, encoding="utf-8").read()
scripts = re.findall(r"<script type=\"module\">(.*?)</script>", html, flags=re.S)
if len(scripts) != 1:
    sys.exit(f"csp.py: expected one inline module script in {path}, found {len(scripts)}")
digest = base64.b64encode(hashlib.sha256(scripts[0].encode("utf-8")).digest()).decode()
if "'sha256-TRUNK-LOADER'" not in html:
    sys.exit(f"csp.py: no 'sha256-TRUNK-LOADER' placeholder in {path}")
html = html.replace("'sha256-TRUNK-LOADER'", f"'sha256-{digest}'")
open(path, "w", encoding="utf-8").write(html)
