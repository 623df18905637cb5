"""Groups twiggy's CSV of a wasm (with names) by crate; prints a Markdown table.

Usage: python3 scripts/size_by_crate.py TOP.csv   (scripts/size_by_crate.sh makes the CSV)
"""
import collections, csv, re, sys

# A function or data item belongs to the crate its path starts with; a trait impl
# (`<T as crate::Trait>`) to the trait's crate when the type has no path.
groups = {
    "AWS SDK (aws-sdk-lambda, aws-smithy-*, aws-runtime, aws-sigv4, aws-types, http, regex-lite, tracing)":
        re.compile(r"^(aws_|http$|http_body|regex_lite|tracing)"),
    "Leptos (tachys, reactive_graph, leptos*, send_wrapper, any_spawner)":
        re.compile(r"^(tachys|reactive_graph|leptos|send_wrapper|any_spawner|or_poisoned)"),
    "the app's crates (powertune-web, -tuner, -aws)": re.compile(r"^powertune_"),
    "plotters": re.compile(r"^plotters"),
    "serde, serde_json, csv, postcard": re.compile(r"^(serde|csv|postcard)"),
    "the standard library (core, alloc, std, hashbrown, dlmalloc)":
        re.compile(r"^(core|alloc|std|hashbrown|dlmalloc|compiler_builtins)"),
    "wasm-bindgen, js-sys, web-sys": re.compile(r"^(wasm_bindgen|js_sys|web_sys)"),
}
sizes = collections.Counter()
total = 0
for row in csv.DictReader(open(sys.argv[1])):
    name, size = re.sub(r"\[[0-9a-f]+\]", "", row["Name"]), int(row["ShallowSize"])
    if name.startswith(("custom section", '"function names"')) or "function names" in name:
        continue
    total += size
    if name.startswith(("data segment", "data[")):
        sizes["data (strings, tables)"] += size
        continue
    m = re.match(r"^<?<?&?(?:mut )?(?:dyn )?([a-z_][a-z0-9_]*)::", name) or re.match(
        r"^<?[A-Za-z_][A-Za-z0-9_]* as ([a-z_][a-z0-9_]*)::", name)
    crate = m.group(1) if m else ""
    group = next((g for g, rx in groups.items() if crate and rx.match(crate)), "other (other crates, unnamed generic code)")
    sizes[group] += size
print(f"| part | KB | share |")
print("|---|---:|---:|")
for group, size in sizes.most_common():
    print(f"| {group} | {size / 1024:.0f} | {100 * size / total:.0f} % |")
print(f"| **total code and data** | **{total / 1024:.0f}** | |")
