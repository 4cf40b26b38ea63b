#!/usr/bin/env python3
"""The HTML report in a real browser: headless Chromium loads the file offline.

Usage: report_browser_test.py STORYSIFT_CLI SHARED_DATA_DIR WORK_DIR

Clusters the seeds among the BBC articles plus two hostile records, writes
`cluster --html` and `dedup --html`, and checks with Debian's chromium:
  - the DOM (--dump-dom) holds the seeds' story with its three articles
    among BBC stories, and the dedup page its copy pairs;
  - no script error: the page's own error counter and the console log;
  - no network request: a net log shows none made by the page (a probe page
    that does fetch proves the check sees page requests);
  - hostile titles, sources and urls stay text and run nothing;
  - 1280px and 390px screenshots are not blank (the 1280px one is
    docs/report.png);
  - a two-day `--state` run badges the seeds' story "new".
Exits 77 (skipped) when chromium or the shared data is absent.
"""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib

SKIP = 77


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


HOSTILE = [
    {"id": "evil-1",
     "title": "<img src=x onerror=\"document.title='PWNED1'\"> Hostile <b>headline</b>",
     "source": "\"><svg onload=\"document.title='PWNED2'\">", "url": "javascript:alert(1)",
     "text": "The quick brown fox jumps over the lazy dog near the riverbank while the "
             "farmers watch the harvest moon rise over the valley and the river shines "
             "silver in the night air above the sleeping town."},
    {"id": "evil-2",
     "title": "</script><script>document.title='PWNED3'</script>",
     "source": "Evil Wire", "url": "https://example.com/a?b=<c>&d=\"e\"",
     "text": "The quick brown fox jumps over the lazy dog near the riverbank while the "
             "farmers watch the harvest moon rise over the valley and the river shines "
             "silver in the night air above the sleeping town."},
]


def chromium_args(work, name, extra):
    return ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-extensions", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-default-apps",
            "--hide-scrollbars", "--user-data-dir=" + os.path.join(work, "profile-" + name),
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--log-net-log=" + os.path.join(work, name + ".netlog.json"),
            "--enable-logging=stderr", "--v=0"] + extra


def run_chromium(work, name, url, extra):
    """Runs chromium on url; returns (stdout, stderr, net log)."""
    proc = subprocess.run(chromium_args(work, name, extra + [url]), capture_output=True,
                          text=True, timeout=120)
    with open(os.path.join(work, name + ".netlog.json"), encoding="utf-8") as f:
        netlog = json.load(f)
    return proc.stdout, proc.stderr, netlog


def page_requests(netlog):
    """URLs of network requests the page made (its origin is file://), as
    opposed to the browser's own background requests."""
    types = {v: k for k, v in netlog["constants"]["logEventTypes"].items()}
    urls = []
    for e in netlog["events"]:
        if types.get(e["type"]) != "URL_REQUEST_START_JOB":
            continue
        p = e.get("params", {})
        by_page = (p.get("initiator") in ("null",) or str(p.get("initiator", "")).startswith("file")
                   or "file://" in str(p.get("network_isolation_key", "")))
        if by_page and not re.match(r"(file|data|about|blob):", p.get("url", "")):
            urls.append(p["url"])
    return urls


def console_errors(stderr):
    return [l for l in stderr.splitlines() if "CONSOLE" in l or "Uncaught" in l
            or "Refused to" in l]


def png_colours(path):
    """(distinct colours, share of the commonest) of an 8-bit RGB(A) PNG."""
    with open(path, "rb") as f:
        data = f.read()
    check(data[:8] == b"\x89PNG\r\n\x1a\n", path + " is not a PNG")
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            check(depth == 8 and colour in (2, 6), "unexpected PNG format")
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    counts = {}
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if ftype == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif ftype == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif ftype == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif ftype == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], prev[i - bpp] if i >= bpp else 0
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        for x in range(0, stride, bpp * 2):  # every other pixel is plenty
            px = bytes(line[x:x + 3])
            counts[px] = counts.get(px, 0) + 1
        prev = line
    total = sum(counts.values())
    return len(counts), max(counts.values()) / total


def story_chunks(dom):
    """The HTML of each story card drawn in <main> (cards do not nest)."""
    main = dom[dom.index("<main"):dom.index("</main>")]
    return main.split('<li class="story"')[1:]


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    cli, shared, work = sys.argv[1:]
    if shutil.which("chromium") is None:
        print("SKIP: chromium is not installed (apt-get install -y chromium)")
        return SKIP
    seeds, bbc = os.path.join(shared, "seeds"), os.path.join(shared, "bbc", "bbc.jsonl")
    if not os.path.isdir(seeds) or not os.path.isfile(bbc):
        print("SKIP: shared data (seeds, bbc) not found under " + shared)
        return SKIP
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    hostile = os.path.join(work, "hostile.jsonl")
    with open(hostile, "w", encoding="utf-8") as f:
        for rec in HOSTILE:
            f.write(json.dumps(rec) + "\n")
    report = os.path.join(work, "stories.html")
    # The three articles, not the folder: its README.md describes the same
    # event by name and rightly joins their story.
    seed_files = sorted(os.path.join(seeds, n) for n in os.listdir(seeds) if n.endswith(".txt"))
    subprocess.run([cli, "cluster"] + seed_files + [bbc, hostile, "-q", "-o",
                    os.path.join(work, "stories.jsonl"), "--html", report], check=True)
    size = os.path.getsize(report)
    check(size < 3_000_000, "report of 2,231 articles is %d bytes" % size)
    seed_ids = sorted(n for n in os.listdir(seeds) if n.endswith(".txt"))
    check(len(seed_ids) == 3, "expected three seed articles")

    # The check sees what a page fetches and what its scripts throw.
    probe = os.path.join(work, "probe.html")
    with open(probe, "w") as f:
        f.write('<!DOCTYPE html><img src="http://probe.invalid/x.png">'
                '<script>fetch("https://probe2.invalid/");throw new Error("probe-error")</script>')
    _, err, net = run_chromium(work, "probe", "file://" + probe, ["--dump-dom"])
    check(any("probe.invalid" in u for u in page_requests(net)),
          "net log check does not see a page's request")
    check(any("probe-error" in l for l in console_errors(err)),
          "console check does not see a script error")

    def load(name, fragment):
        dom, err, net = run_chromium(work, name, "file://" + report + fragment, ["--dump-dom"])
        with open(os.path.join(work, name + ".dom.html"), "w", encoding="utf-8") as f:
            f.write(dom)
        check('data-ready="1"' in dom, name + ": the page script did not finish")
        check('data-errors="0"' in dom, name + ": the page counted script errors")
        check(not console_errors(err), name + ": console: %s" % console_errors(err)[:3])
        check(not page_requests(net), name + ": the page made requests: %s" % page_requests(net))
        return dom

    # Most recent first: the seeds (the only dated story), then BBC by size.
    dom = load("stories", "#sort=recent&open=all")
    chunks = story_chunks(dom)
    check(len(chunks) == 100, "expected a first page of 100 stories, got %d" % len(chunks))
    seed_story = [c for c in chunks if any(s in c for s in seed_ids)]
    check(len(seed_story) == 1, "seed articles in %d stories" % len(seed_story))
    check(all(s in seed_story[0] for s in seed_ids), "the seeds' story lacks a seed")
    check(seed_story[0].count('<li class="article') == 3, "the seeds' story has not 3 articles")
    check("3 articles" in seed_story[0], "the seeds' story does not say 3 articles")
    bbc_stories = [c for c in chunks
                   if re.search(r"(business|politics|sport|tech|entertainment)/\d{3}", c)]
    check(len(bbc_stories) == 99, "%d BBC stories drawn beside the seeds'" % len(bbc_stories))
    check("Yukos sues four firms" in dom, "BBC's Yukos story is missing")

    # Hostile text is text: no element made from it, no script run from it.
    dom = load("hostile", "#q=hostile&open=all")
    check('data-shown="1"' in dom, "the search did not find the hostile story alone")
    check("PWNED" not in re.search(r"<title>(.*?)</title>", dom, re.S).group(1),
          "a hostile title ran a script")
    body = dom[dom.index("<main"):dom.index("</main>")]
    check("<img" not in body and "<svg onload" not in body and "<b>" not in body,
          "hostile markup became elements")
    check("&lt;img src=x onerror=" in body, "the hostile title is not shown as text")
    check("&lt;/script&gt;&lt;script&gt;document.title='PWNED3'" in body,
          "the script-closing title is not shown as text")
    check('href="javascript' not in body and "example.com" not in body,
          "an unsafe url became a link")
    check("+1 copy" in body and "<mark>" in body,
          "the hostile copy is not collapsed with its passage")

    # Screenshots at desktop and phone width, the seeds' story open.
    seed_id = re.search(r'id="story-(s\d+)"', seed_story[0]).group(1)
    shot_url = "file://" + report + "#sort=recent&open=" + seed_id
    for width, height in ((1280, 900), (390, 844)):
        png = os.path.join(work, "report-%d.png" % width)
        _, err, net = run_chromium(work, "shot%d" % width, shot_url,
                                   ["--window-size=%d,%d" % (width, height), "--screenshot=" + png])
        check(os.path.isfile(png), "no screenshot at %dpx" % width)
        colours, commonest = png_colours(png)
        print("screenshot %dpx: %d colours, commonest %.0f%%" % (width, colours, commonest * 100))
        check(colours >= 50 and commonest < 0.95, "the %dpx screenshot is blank" % width)
        check(not console_errors(err), "console at %dpx: %s" % (width, console_errors(err)[:3]))
        check(not page_requests(net), "requests at %dpx" % width)

    # A daily run: the seeds arrive on day 2 and carry the "new" badge.
    state = os.path.join(work, "state")
    for day, inputs in (("1", [hostile]), ("2", seed_files)):
        subprocess.run([cli, "cluster"] + inputs + ["--state", state, "-q", "-o",
                        os.path.join(work, "day%s.jsonl" % day), "--html",
                        os.path.join(work, "day%s.html" % day)], check=True)
    report = os.path.join(work, "day2.html")
    dom = load("daily", "#open=all")
    cards = story_chunks(dom)
    check(len(cards) == 2, "day 2 shows %d stories, not 2" % len(cards))
    new = [c for c in cards if seed_ids[0] in c]
    check(len(new) == 1 and '<span class="badge badge-new">new</span>' in new[0],
          "the seeds' story on day 2 has no new badge")
    badges = re.findall(r'class="badge badge-(\w+)"', "".join(cards))
    check(set(badges) <= {"new", "updated", "merged", "archived"}, "badges: %s" % badges)

    # dedup --html: BBC's copy pairs side by side with shared passages.
    dedup = os.path.join(work, "dedup.html")
    subprocess.run([cli, "dedup", bbc, hostile, "-q", "-o", os.path.join(work, "dedup.jsonl"),
                    "--html", dedup], check=True)
    dom, err, net = run_chromium(work, "dedup", "file://" + dedup + "#open=all", ["--dump-dom"])
    check('data-ready="1"' in dom and 'data-errors="0"' in dom, "dedup page script failed")
    check(not console_errors(err) and not page_requests(net), "dedup page: errors or requests")
    pairs = dom.count('<div class="pair">')
    check(pairs >= 50, "only %d copy pairs drawn" % pairs)
    check(dom.count("<mark>") >= pairs, "shared passages not highlighted")
    check("similarity 0." in dom or "similarity 1.00" in dom, "no similarity shown")
    print("ok: %d bytes, seeds story %s, %d BBC stories, %d dedup pairs" %
          (size, seed_id, len(bbc_stories), pairs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
