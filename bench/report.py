#!/usr/bin/env python3
"""Turns a bench/results/<date-time>.json of bench/run.sh into the gateway-benchmark section of
docs/performance.md (between the BEGIN/END gateway-benchmark markers; the rest of the file is left
alone) and docs/performance-chart.svg (gateway/direct ratio per row, plain SVG text).

  python3 bench/report.py [--cold-start COLD.txt] bench/results/X.json docs/performance.md \
      docs/performance-chart.svg

--cold-start: the summary bench/cold-start.sh wrote in the same run; its figures are merged into
X.json (key "cold_start", the JSON file is rewritten) and into the targets table. A missing or
unreadable file is recorded as not measured.
"""
import html
import json
import os
import re
import statistics
import sys

BEGIN = "<!-- BEGIN gateway-benchmark -->"
END = "<!-- END gateway-benchmark -->"
SEGMENT = 65552  # one encrypted 64 KiB segment: 65,536 bytes of data + 16-byte tag
RANGE = 100 * 1024
CPU_PUT = 2.0  # issue 20: gateway CPU-seconds per GiB encrypted (AES-256-GCM, 64 KiB segments)
CPU_GET = 0.6  # issue 20: gateway CPU-seconds per GiB decrypted
LARGE_RATIO = 0.80  # issues 10 (single stream) and 20 (single stream and 8 streams, SDK and plain)
SMALL_RATIO = 0.60  # issue 20 (issue 10 asked 0.70), 1 KiB and 64 KiB at concurrency 16
SMALL_RATIO_10 = 0.70
P50_OVERHEAD_MS = 1.0  # issue 20 (issue 10 asked 2 ms), 1 KiB at concurrency 1
P50_OVERHEAD_MS_10 = 2.0
READY_MS = 2000  # issue 20: `java -jar` to /ready with the embedded store
FIRST_500_OVERHEAD_MS = 2.0  # issue 20: p50 overhead of the first 500 1 KiB GETs after a start
CACHED = "java -XX:AOTCache -jar"
UNCACHED = "java -jar"

# The lines bench/cold-start.sh (ColdStartBench) prints: one per start, then one median per variant.
START_LINE = re.compile(
    r"^(?P<variant>java -jar|java -XX:AOTCache -jar)\s+/live\s+(?P<live_ms>\d+) ms\s+/ready\s+"
    r"(?P<ready_ms>\d+) ms\s+CPU to ready\s+(?P<cpu_s>[\d.]+) s\s+first (?P<gets>\d+) GETs p50 "
    r"(?P<p50_ms>[\d.]+) / p90 (?P<p90_ms>[\d.]+) ms \(direct (?P<direct_p50_ms>[\d.]+) / "
    r"(?P<direct_p90_ms>[\d.]+), p50 overhead (?P<p50_overhead_ms>[-+][\d.]+) ms\)"
    r"(?:\s+gateway CPU during them (?P<gets_cpu_s>[\d.]+) s \(JIT threads (?P<gets_jit_cpu_s>[\d.]+) s\))?"
    r"\s+load (?P<load>\S+)")
MEDIAN_LINE = re.compile(
    r"^(?P<variant>java -jar|java -XX:AOTCache -jar)\s+median of (?P<runs>\d+): /live (?P<live_ms>\d+) "
    r"ms, /ready (?P<ready_ms>\d+) ms \(target <= \d+ ms: \w+\), CPU to ready (?P<cpu_s>[\d.]+) s; "
    r"first (?P<gets>\d+) GETs p50 overhead (?P<p50_overhead_ms>[-+][\d.]+) ms \(target <= \d+ ms: "
    r"\w+\), p90 overhead (?P<p90_overhead_ms>[-+][\d.]+) ms")


def number(v):
    return int(v) if re.fullmatch(r"[-+]?\d+", v) else float(v)


def parse_cold_start(path):
    """The figures of a bench/cold-start.sh summary, or a "not measured" record saying why."""
    if not path or not os.path.exists(path):
        return {"status": "not measured", "reason": f"no cold-start summary ({path or 'none given'})"}
    text = open(path).read()
    starts, variants = [], {}
    for line in text.splitlines():
        m = START_LINE.match(line)
        if m:
            starts.append({k: (v if k in ("variant", "load") else number(v))
                           for k, v in m.groupdict().items() if v is not None})
            continue
        m = MEDIAN_LINE.match(line)
        if m:
            variants[m["variant"]] = {k: number(v) for k, v in m.groupdict().items() if k != "variant"}
    for name, v in variants.items():
        mine = [x for x in starts if x["variant"] == name]
        for key in ("p50_ms", "p90_ms", "direct_p50_ms", "direct_p90_ms"):
            v[key] = round(statistics.median(x[key] for x in mine), 2) if mine else None
    head = re.search(r"(\d+) run\(s\) per variant, (\d+) cores, load average (\S+)", text)
    end = re.search(r"load average at the end: (\S+)", text)
    doc = {"source": path, "runs_per_variant": int(head[1]) if head else None,
           "cpus": int(head[2]) if head else None, "loadavg_at_start": head[3] if head else None,
           "loadavg_at_end": end[1] if end else None, "variants": variants, "starts": starts}
    if not variants:
        doc.update(status="not measured", reason=f"no medians in {path} (the cold-start run failed?)")
    elif CACHED not in variants:
        doc["cached_missing"] = "no AOT cache (target/s3-encryption-gateway.aot; scripts/aot-cache.sh makes it)"
    return doc


def metric(row_id):
    if row_id.startswith("small") or row_id.startswith("ranged"):
        return "req_per_s", "req/s"
    if row_id.startswith(("large", "multipart", "text")):
        return "mb_per_s", "MB/s"
    if row_id.startswith("LIST"):
        return "seconds", "s"
    return None, ""


def ratio(row_id, d, g):
    """Gateway relative to direct, higher is better (for LIST: direct time / gateway time)."""
    key, _ = metric(row_id)
    if key is None or not d or not g or key not in d or key not in g:
        return None
    if key == "seconds":
        return d[key] / g[key] if g[key] else None
    return g[key] / d[key] if d[key] else None


def fmt(v, digits=1):
    if v is None:
        return "–"
    if isinstance(v, int):
        return f"{v:,}"
    return f"{v:,.{digits}f}"


def status(m):
    return m.get("status") if isinstance(m, dict) else None


def verdict(ok, quick):
    if ok is None:
        return "not measured"
    return ("met" if ok else "**missed**") + (" (quick run)" if quick else "")


def cold_start_targets(doc):
    """Issue 20's cold-start targets, judged on the start with the AOT cache (the image build makes
    it, and it is the tool the issue names); the start without it is shown beside."""
    cs = doc.get("cold_start")
    if not cs or cs.get("status") == "not measured":
        why = (cs or {}).get("reason", "bench/cold-start.sh was not run")
        return [("20", "Cold start: `java -jar` to /ready, embedded store", f"≤ {READY_MS:,} ms, judged with the AOT cache",
                 f"not measured: {why}", None),
                ("20", "Cold start: first 500 1 KiB GETs, p50 overhead over direct", f"≤ {FIRST_500_OVERHEAD_MS:g} ms, judged with the AOT cache",
                 f"not measured: {why}", None)]
    v = cs["variants"]
    c, u = v.get(CACHED), v.get(UNCACHED)

    def beside(m, key, unit, limit, digits):
        if not m:
            return "without the cache: not measured"
        val = m[key]
        shown = f"{val:+.{digits}f}" if key.endswith("overhead_ms") else f"{val:,.{digits}f}"
        return (f"without the cache {shown}{unit} ({'met' if val <= limit else 'missed'} there)")

    out = []
    if c:
        out.append(("20", "Cold start: `java -jar` to /ready, embedded store", f"≤ {READY_MS:,} ms, judged with the AOT cache",
                    f"{c['ready_ms']:,} ms with `-XX:AOTCache` (median of {c['runs']}; /live {c['live_ms']:,} ms, "
                    f"{fmt(c['cpu_s'], 2)} CPU-s to ready); {beside(u, 'ready_ms', ' ms', READY_MS, 0)}",
                    c["ready_ms"] <= READY_MS))
        out.append(("20", "Cold start: first 500 1 KiB GETs, p50 overhead over direct",
                    f"≤ {FIRST_500_OVERHEAD_MS:g} ms, judged with the AOT cache",
                    f"{c['p50_overhead_ms']:+.2f} ms with `-XX:AOTCache` (median of {c['runs']}; p50 "
                    f"{fmt(c['p50_ms'], 2)} vs {fmt(c['direct_p50_ms'], 2)} ms direct); "
                    f"{beside(u, 'p50_overhead_ms', ' ms', FIRST_500_OVERHEAD_MS, 2)}",
                    c["p50_overhead_ms"] <= FIRST_500_OVERHEAD_MS))
    else:
        why = cs.get("cached_missing", "no cached start measured")
        out.append(("20", "Cold start: `java -jar` to /ready, embedded store", f"≤ {READY_MS:,} ms, judged with the AOT cache",
                    f"not measured with the cache ({why}); {beside(u, 'ready_ms', ' ms', READY_MS, 0)}", None))
        out.append(("20", "Cold start: first 500 1 KiB GETs, p50 overhead over direct",
                    f"≤ {FIRST_500_OVERHEAD_MS:g} ms, judged with the AOT cache",
                    f"not measured with the cache ({why}); {beside(u, 'p50_overhead_ms', ' ms', FIRST_500_OVERHEAD_MS, 2)}", None))
    return out


def targets(doc, alg):
    """(issue, target, threshold, measured, ok) per target; ok None = not measured in this run."""
    rows = {r["id"]: r for r in doc["rows"]}
    proc = doc["gateway_process"].get(alg, {})
    out = []

    # Issue 20: the gateway's own CPU per GiB over the large-object rows (user + system of its
    # process from /proc/<pid>/stat; includes JIT compilation and GC).
    for op, key, limit in (("PUT", "cpu_seconds_per_gib_encrypted", CPU_PUT),
                           ("GET", "cpu_seconds_per_gib_decrypted", CPU_GET)):
        v = proc.get(key)
        aes = doc["gateway_process"].get("AES256-GCM", {}).get(key)
        if alg == "AES256-GCM" or aes is None:
            out.append(("20", f"Gateway CPU per GiB, large {op} rows", f"≤ {limit} CPU-s",
                        f"{fmt(v, 2)} CPU-s per GiB", v is not None and v <= limit))
        elif alg.startswith("CHACHA20"):
            out.append(("20", f"Gateway CPU per GiB, large {op} rows, against AES-256-GCM", "≤ 1.5 × AES",
                        f"{fmt(v, 2)} vs {fmt(aes, 2)} CPU-s per GiB ({fmt(v / aes if v and aes else None, 2)} ×)",
                        bool(v is not None and aes and v <= 1.5 * aes)))
        else:
            out.append(("20", f"Gateway CPU per GiB, large {op} rows ({alg}; the target is for AES-256-GCM)",
                        f"≤ {limit} CPU-s", f"{fmt(v, 2)} CPU-s per GiB", v is not None and v <= limit))
        pv = proc.get(key + "_presigned")
        if pv is not None and alg == "AES256-GCM":
            out.append(("20", f"Gateway CPU per GiB, large presigned {op} rows (plain client)", f"≤ {limit} CPU-s",
                        f"{fmt(pv, 2)} CPU-s per GiB", pv <= limit))
    if alg == next(iter(doc["gateway_process"])):
        if not any(a.startswith("CHACHA20") for a in doc["gateway_process"]):
            out.append(("20", "Gateway CPU per GiB, large PUT and GET rows, ChaCha20-Poly1305 against AES-256-GCM",
                        "≤ 1.5 × AES", f"not measured: no ChaCha20-Poly1305 gateway in {doc['mode']} mode "
                        "(`bench/run.sh --full` runs one)", None))
        out += cold_start_targets(doc)

    for op in ("PUT", "GET"):
        for rid in [k for k in rows if k.startswith(f"large {op} ")]:
            streams = rid.rsplit(" x", 1)[1]
            d, g = rows[rid]["direct"], rows[rid]["gateway"][alg]
            r = ratio(rid, d, g)
            size = rid[len(f"large {op} "):rid.rindex(" x")]
            label = "single stream" if streams == "1" else f"{streams} streams"
            out.append(("10, 20" if streams == "1" else "20",
                        f"Large {op} throughput, {label}, {size}, SDK client"
                        + (" (signed chunked uploads)" if op == "PUT" else ""),
                        f"≥ {LARGE_RATIO:.2f} × direct",
                        f"{fmt(r, 2)} × ({fmt(g.get('mb_per_s'))} vs {fmt(d.get('mb_per_s'))} MB/s)",
                        None if r is None else r >= LARGE_RATIO))
    plain = [k for k in rows if "presigned" in k]
    for rid in plain:
        d, g = rows[rid]["direct"], rows[rid]["gateway"][alg]
        r = ratio(rid, d, g)
        out.append(("20", f"{rid}, plain client", f"≥ {LARGE_RATIO:.2f} × direct",
                    f"{fmt(r, 2)} × ({fmt(g.get('mb_per_s'))} vs {fmt(d.get('mb_per_s'))} MB/s)",
                    None if r is None else r >= LARGE_RATIO))
    if not plain:
        out.append(("20", "Large PUT and GET, single stream and 8 streams, plain client (presigned, unsigned payload)",
                    f"≥ {LARGE_RATIO:.2f} × direct",
                    "not measured: the harness has no plain-client row yet (measured by hand with curl in "
                    "\"Where the CPU goes\" above)", None))

    cap = proc.get("xmx256m_check")
    if cap:
        ok = bool(cap.get("completed"))
        measured = (f"{cap['streams']} × {fmt(cap['object_bytes'] // 2**20)} MiB PUT and GET through a gateway "
                    f"capped at -Xmx256m: {'completed' if ok else 'FAILED: ' + str(cap.get('failure'))} "
                    f"({fmt(cap.get('put_mb_per_s'))} / {fmt(cap.get('get_mb_per_s'))} MB/s, "
                    f"{cap.get('gcs_during_large_rows')} GCs); with -Xmx512m G1 used up to "
                    f"{fmt(proc.get('heap_high_water_mib'))} MiB before a GC")
        out.append(("10, 20", "Gateway heap high-water, any object size", "≤ 256 MiB", measured, ok))
    else:
        heap = proc.get("heap_high_water_mib")
        out.append(("10, 20", "Gateway heap high-water (large rows)", "≤ 256 MiB",
                    f"{fmt(heap)} MiB used before GC (after GC ≤ {fmt(proc.get('heap_after_gc_max_mib'))} MiB)",
                    None if heap is None else heap <= 256))
    for op in ("PUT", "GET"):
        rid = f"small {op} 1 KiB c=1"
        if rid in rows:
            d, g = rows[rid]["direct"], rows[rid]["gateway"][alg]
            over = g["p50_ms"] - d["p50_ms"]
            out.append(("10, 20", f"Small 1 KiB {op} p50 overhead, concurrency 1",
                        f"≤ {P50_OVERHEAD_MS:g} ms (issue 20; issue 10: ≤ {P50_OVERHEAD_MS_10:g} ms)",
                        f"{over:+.2f} ms ({g['p50_ms']:.2f} vs {d['p50_ms']:.2f} ms); issue 10's "
                        f"{P50_OVERHEAD_MS_10:g} ms: {'met' if over <= P50_OVERHEAD_MS_10 else 'missed'}",
                        over <= P50_OVERHEAD_MS))
    for rid in [k for k in rows if k.startswith("small") and k.endswith("c=16")]:
        d, g = rows[rid]["direct"], rows[rid]["gateway"][alg]
        r = ratio(rid, d, g)
        out.append(("10, 20", f"Small {rid[6:-5]} throughput, concurrency 16",
                    f"≥ {SMALL_RATIO:.2f} × direct (issue 20; issue 10: {SMALL_RATIO_10:.2f})",
                    f"{fmt(r, 2)} × ({fmt(g['req_per_s'])} vs {fmt(d['req_per_s'])} req/s); issue 10's "
                    f"{SMALL_RATIO_10:.2f}: {'met' if r is not None and r >= SMALL_RATIO_10 else 'missed'}",
                    None if r is None else r >= SMALL_RATIO))
    rid = next((k for k in rows if k.startswith("ranged")), None)
    if rid:
        d, g = rows[rid]["direct"], rows[rid]["gateway"][alg]
        r = ratio(rid, d, g)
        out.append(("10, 20", "Ranged 100 KiB throughput", "≥ 0.70 × direct",
                    f"{fmt(r, 2)} × ({fmt(g['req_per_s'])} vs {fmt(d['req_per_s'])} req/s)",
                    None if r is None else r >= 0.70))
        limit = RANGE + 2 * SEGMENT
        b = g.get("backend_bytes_per_request")
        out.append(("10", "Ranged 100 KiB: backend bytes per request", f"≤ {limit:,} (100 KiB + 2 segments)",
                    f"{fmt(b)} bytes incl. response headers (direct {fmt(d.get('backend_bytes_per_request'))}); "
                    f"{fmt(g['backend_requests'] / max(1, g['requests']), 2)} backend requests per GET",
                    None if b is None else b <= limit))
    rid = next((k for k in rows if k.startswith("LIST")), None)
    if rid:
        d, g = rows[rid]["direct"], rows[rid]["gateway"][alg]
        out.append(("10", f"{rid}: backend requests", "= direct",
                    f"{g['backend_requests']} vs {d['backend_requests']} (keys listed {g['keys']} vs {d['keys']})",
                    g["backend_requests"] == d["backend_requests"] and g["keys"] == d["keys"]))
    return out


def cold_start_section(cs):
    """The cold-start figures of the run (bench/cold-start.sh, after the throughput rows)."""
    lines = ["### Cold start (this run)", ""]
    if not cs or cs.get("status") == "not measured":
        return lines + [f"Not measured in this run: {(cs or {}).get('reason', 'bench/cold-start.sh was not run')}.", ""]
    lines += [f"`bench/cold-start.sh {cs['runs_per_variant']}`, run after the throughput rows (their gateways "
              "and backend stopped): the jar started in trial mode (embedded store, `java -jar`) "
              f"{cs['runs_per_variant']} time(s) without and with its AOT cache (`scripts/aot-cache.sh`), "
              "alternately; for each start the ms until `/live` and `/ready` answer, the process's CPU-seconds "
              "at `/ready`, and the first 500 1 KiB GETs through it paired with 500 sent directly to an "
              "S3Proxy 2.9 in the harness. Medians over the starts; load average "
              f"`{cs.get('loadavg_at_start')}` at its start, `{cs.get('loadavg_at_end')}` at its end "
              f"(summary: `{cs['source']}`).", "",
              "| Start | Runs | /live ms | /ready ms | CPU-s to ready | First 500 GETs p50 / p90 ms | "
              "Direct p50 / p90 ms | p50 overhead ms | p90 overhead ms |",
              "|---|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for name in (UNCACHED, CACHED):
        v = cs["variants"].get(name)
        if not v:
            lines.append(f"| `{name}` | – | – | – | – | – | – | – | – |")
            continue
        lines.append(f"| `{name}` | {v['runs']} | {v['live_ms']:,} | {v['ready_ms']:,} | {fmt(v['cpu_s'], 2)} | "
                     f"{fmt(v['p50_ms'], 2)} / {fmt(v['p90_ms'], 2)} | {fmt(v['direct_p50_ms'], 2)} / "
                     f"{fmt(v['direct_p90_ms'], 2)} | {v['p50_overhead_ms']:+.2f} | {v['p90_overhead_ms']:+.2f} |")
    return lines + [""]


def first_large_text(p):
    put, get = p.get("first_large_put_seconds"), p.get("first_large_get_seconds")
    if put is None:
        return ""
    return (f" The process's first streaming PUT and GET (64 MiB, SDK, unmeasured warm-up right before "
            f"these rows; the small rows run only the in-memory path): {fmt(put, 2)} s and {fmt(get, 2)} s.")


def cap_text(p):
    cap = p.get("xmx256m_check")
    if not cap:
        return ""
    return (f" The same {cap['streams']} parallel {cap['object_bytes'] // 2**20} MiB PUTs and GETs through a "
            f"gateway started with -Xmx256m: {'completed' if cap.get('completed') else 'failed'}, "
            f"{fmt(cap.get('put_mb_per_s'))} MB/s PUT and {fmt(cap.get('get_mb_per_s'))} MB/s GET, "
            f"{cap.get('gcs_during_large_rows')} GCs, heap before a GC at most "
            f"{fmt(cap.get('heap_high_water_mib'))} MiB, RSS high-water {fmt(cap.get('rss_high_water_mib'))} MiB.")


def markdown(doc, json_path, svg_path, md_path):
    algs = list(doc["gateway_process"].keys())
    s = doc["settings"]
    quick = doc["mode"] != "full"
    lines = [BEGIN, "", "## Gateway benchmark (end to end)", "",
             "Generated by `bench/run.sh` from "
             f"[`{os.path.relpath(json_path, os.path.dirname(md_path))}`]"
             f"({os.path.relpath(json_path, os.path.dirname(md_path))}) by `bench/report.py`; "
             "do not edit by hand between the markers.", "",
             f"Mode **{doc['mode']}**, run {doc['started']} → {doc['finished']}, "
             f"{doc['host']['cpus']} CPUs, Java {doc['host']['java']}, load average at start "
             f"`{doc['host']['loadavg_at_start']}`, at end `{doc['loadavg_at_end']}`.", "",
             f"Client: {s['client']}. Backend: {s['backend']}; the direct client goes through the same "
             "counting proxy, so both paths pay for it. Each row runs directly and then through the gateway, "
             "one right after the other, so the drifting load of a shared machine hits both sides alike. "
             "Gateway: the fat jar in its own JVM "
             f"({s['gateway_jvm']}). Small-object cells run {s['cell_seconds']} s each (at most "
             f"{s['max_requests_per_cell']:,} requests) after an unmeasured warm-up; large objects are "
             f"{' and '.join(str(b // 2**20) + ' MiB' for b in s.get('large_object_sizes', [s['large_object_bytes']]))}, single stream and {s['parallel_streams']} parallel "
             f"streams; ranged GETs read 100 KiB at random offsets of a "
             f"{s['ranged_object_bytes'] // 2**20} MiB object at concurrency {s['ranged_concurrency']}; "
             + (f"multipart rows upload an object of the large size in {s['part_size'] // 2**20} MiB parts, "
                f"{s['part_threads']} at a time, and read it back in one GET; text rows PUT and GET "
                f"{s['text_bytes'] // 2**20} MiB of log lines (compressible) as text/plain; "
                if "part_size" in s else "")
             + f"LIST pages {s['list_keys']:,} keys by 1,000 (measured on the second listing). "
             "MB/s are 10^6 bytes/s. Ratio = gateway / direct "
             "(for LIST: direct time / gateway time, so above 1 is always better).", ""]
    lines += cold_start_section(doc.get("cold_start"))
    for alg in algs:
        lines += [f"### {alg}", "",
                  "| Row | Unit | Direct | Gateway | Ratio | Direct p50 / p99 ms | Gateway p50 / p99 ms | Notes |",
                  "|---|---|--:|--:|--:|--:|--:|---|"]
        for r in doc["rows"]:
            rid, d, g = r["id"], r["direct"], r["gateway"].get(alg) or {}
            key, unit = metric(rid)
            st = status(g) or status(d)
            if key is None:
                lines.append(f"| {rid} | – | – | – | – | – | – | {st or ''} |")
                continue
            notes = []
            if g.get("gateway_access_log_p50_ms"):
                notes.append(f"p50 inside the gateway (its access log) {fmt(g['gateway_access_log_p50_ms'], 2)} ms")
            if "backend_bytes_per_request" in d:
                notes.append(f"backend bytes/request {fmt(d['backend_bytes_per_request'])} direct, "
                             f"{fmt(g.get('backend_bytes_per_request'))} gateway")
            if "backend_requests" in d and rid.startswith("LIST"):
                notes.append(f"backend requests {d['backend_requests']} direct, {g.get('backend_requests')} gateway")
                if g.get("backend_requests_first_listing", g.get("backend_requests")) != g.get("backend_requests"):
                    notes.append(f"the gateway's first listing of the bucket: {g['backend_requests_first_listing']} "
                                 "(it lists its multipart indexes once per bucket when BACKEND_MULTIPART_ETAGS=false)")
            if "backend_stored_bytes" in d:
                notes.append(f"backend stores {fmt(d['backend_stored_bytes'])} bytes direct, "
                             f"{fmt(g.get('backend_stored_bytes'))} gateway")
            if "parts" in d:
                notes.append(f"{d['parts']} parts")
            errs = (d.get("errors") or 0) + (g.get("errors") or 0)
            if errs:
                notes.append(f"{errs} errors")
            lat = lambda m: f"{fmt(m.get('p50_ms'), 2)} / {fmt(m.get('p99_ms'), 2)}" if "p50_ms" in m else "–"
            digits = 2 if key == "seconds" else 1
            lines.append(f"| {rid} | {unit} | {fmt(d.get(key), digits)} | {fmt(g.get(key), digits)} | "
                         f"{fmt(ratio(rid, d, g), 2)} | {lat(d)} | {lat(g)} | {'; '.join(notes)} |")
        p = doc["gateway_process"][alg]
        lines += ["", "Gateway process during the large-object rows: heap high-water "
                  f"{fmt(p.get('heap_high_water_mib'))} MiB (largest heap use before a GC, from `-Xlog:gc`; "
                  f"largest heap after a GC {fmt(p.get('heap_after_gc_max_mib'))} MiB, an upper bound of the live set since young GCs leave old-generation garbage; committed up to "
                  f"{fmt(p.get('heap_committed_max_mib'))} MiB, {p.get('gcs_during_large_rows')} GCs), "
                  f"RSS high-water (VmHWM) {fmt(p.get('rss_high_water_mib'))} MiB, CPU "
                  f"{fmt(p.get('cpu_seconds_per_gib_encrypted'), 2)} s per GiB encrypted (PUT rows) and "
                  f"{fmt(p.get('cpu_seconds_per_gib_decrypted'), 2)} s per GiB decrypted (GET rows) with the SDK client, "
                  f"{fmt(p.get('cpu_seconds_per_gib_encrypted_presigned'), 2)} / "
                  f"{fmt(p.get('cpu_seconds_per_gib_decrypted_presigned'), 2)} with the plain client (presigned rows), "
                  "user + system from `/proc/<pid>/stat` (includes HTTP, signing and backend I/O, not "
                  "only the cipher)." + first_large_text(p) + cap_text(p), "",
                  f"Targets of issues 10 and 20 ({alg}; the Issue column says which issue asks for "
                  "each, where both do with different thresholds the row is judged on issue 20's):", ""]
        if quick:
            lines += ["Judged on a **quick run** (short cells, 64 MiB large objects, "
                      f"{(doc.get('cold_start') or {}).get('runs_per_variant') or 'no'} cold start(s) per variant): "
                      "every met/missed below is marked \"(quick run)\" and is indicative only; issue 20's "
                      "targets are judged on a full run (`bench/run.sh --full`).", ""]
        lines += ["| Issue | Target | Threshold | Measured | Met |", "|---|---|---|---|---|"]
        missed, unmeasured = [], []
        for issue, name, threshold, measured, ok in targets(doc, alg):
            lines.append(f"| {issue} | {name} | {threshold} | {measured} | {verdict(ok, quick)} |")
            if ok is None:
                unmeasured.append(name)
            elif not ok:
                missed.append(name)
        lines.append("")
        if missed:
            lines += [f"Missed in this run: {'; '.join(missed)}. Why, and what was done about it: see "
                      "\"Where the gateway stands\" above (the analysis is written by hand; this section "
                      "is generated).", ""]
        if unmeasured:
            lines += [f"Not measured by this run: {'; '.join(unmeasured)}.", ""]
        if not missed and not unmeasured:
            lines += ["All targets met in this run.", ""]
    lines += [f"![Gateway/direct ratio per row]({os.path.relpath(svg_path, os.path.dirname(md_path))})", "",
              END]
    return "\n".join(lines) + "\n"


def svg(doc):
    bars = []
    for alg in doc["gateway_process"]:
        for r in doc["rows"]:
            g = r["gateway"].get(alg)
            v = ratio(r["id"], r["direct"], g)
            label = f"{r['id']}" + (f" [{alg}]" if len(doc['gateway_process']) > 1 else "")
            if v is not None:
                bars.append((label, v))
            elif status(g):
                bars.append((label, status(g)))
    top = max([1.2] + [v for _, v in bars if not isinstance(v, str)])
    left, width, bar_h, gap, head = 330, 480, 16, 6, 50
    height = head + len(bars) * (bar_h + gap) + 40
    total_w = left + width + 80
    x = lambda v: left + v / top * width
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_w}" height="{height}" '
           f'viewBox="0 0 {total_w} {height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{total_w}" height="{height}" fill="white"/>',
           f'<text x="10" y="20" font-size="14" font-weight="bold">Gateway / direct, higher is better '
           f'({html.escape(doc["mode"])} run {html.escape(doc["started"][:16])}Z)</text>',
           '<text x="10" y="38" fill="#555">Rates: gateway/direct. LIST: direct time/gateway time. '
           'Dashed: 0.6, 0.7 and 0.8 targets, solid: parity.</text>']
    for v, dash in ((0.6, "4,3"), (0.7, "4,3"), (0.8, "4,3"), (1.0, None)):
        d = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{x(v):.1f}" y1="{head - 4}" x2="{x(v):.1f}" y2="{height - 30}" '
                   f'stroke="#888"{d}/>')
        out.append(f'<text x="{x(v):.1f}" y="{height - 15}" text-anchor="middle" fill="#555">{v:g}</text>')
    for i, (label, v) in enumerate(bars):
        y = head + i * (bar_h + gap)
        if isinstance(v, str):
            out.append(f'<text x="{left - 8}" y="{y + bar_h - 4}" text-anchor="end" fill="#777">'
                       f'{html.escape(label)}</text>')
            out.append(f'<text x="{left + 4}" y="{y + bar_h - 4}" fill="#777">{html.escape(v)}</text>')
            continue
        colour = "#2e7d32" if v >= 0.8 else ("#f9a825" if v >= 0.7 else "#c62828")
        out.append(f'<text x="{left - 8}" y="{y + bar_h - 4}" text-anchor="end">{html.escape(label)}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{max(1.0, x(v) - left):.1f}" height="{bar_h}" '
                   f'fill="{colour}"/>')
        out.append(f'<text x="{x(v) + 4:.1f}" y="{y + bar_h - 4}">{v:.2f}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    args = sys.argv[1:]
    cold = None
    if args[:1] == ["--cold-start"]:
        cold, args = args[1], args[2:]
    json_path, md_path, svg_path = args[:3]
    with open(json_path) as f:
        doc = json.load(f)
    if cold is not None:
        doc["cold_start"] = parse_cold_start(cold)
        with open(json_path, "w") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
    section = markdown(doc, json_path, svg_path, md_path)
    text = open(md_path).read() if os.path.exists(md_path) else "# Performance\n"
    if BEGIN in text and END in text:
        rest = text[text.index(END) + len(END):].lstrip("\n")
        text = text[: text.index(BEGIN)] + section + ("\n" + rest if rest else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(md_path, "w") as f:
        f.write(text)
    with open(svg_path, "w") as f:
        f.write(svg(doc))
    print(section)


if __name__ == "__main__":
    main()
