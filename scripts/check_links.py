#!/usr/bin/env python3
"""Fails when a relative link or image in README.md or docs/*.md points at no file."""
import glob, os, re, sys

bad = []
for doc in ["README.md", *sorted(glob.glob("docs/*.md"))]:
    text = open(doc, encoding="utf-8").read()
    text = re.sub(r"```.*?```", "", text, flags=re.S)  # code blocks are not links
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"^(https?:|mailto:|#)", target):
            continue
        path = os.path.normpath(os.path.join(os.path.dirname(doc), target.split("#")[0]))
        if not os.path.exists(path):
            bad.append(f"{doc}: {target} (no {path})")
if bad:
    print("links that point nowhere:\n  " + "\n  ".join(bad), file=sys.stderr)
    sys.exit(1)
