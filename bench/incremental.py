#!/usr/bin/env python3
"""Edit-to-served latency of a running `blog run`.

Appends a line to a post K times and measures, for each edit, the time from the file write until the service
serves the result: for a post in the main feed, until GET /feed.json returns new bytes (polled with
If-None-Match); for a post in no feed, until /healthz reports a newer build. Prints p50/p90/max per post.

usage: incremental.py BASE_URL POSTS_DIR [K]
"""
import http.client
import json
import os
import statistics
import sys
import time
import urllib.parse


def main():
    base, posts, k = sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 20
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port)

    def get(path, headers=None):
        conn.request("GET", path, headers=headers or {})
        r = conn.getresponse()
        body = r.read()
        return r.status, r.getheader("ETag"), body

    files = sorted(f for f in os.listdir(posts) if f.endswith(".md"))
    newest, oldest = files[-1], files[0]  # gen-corpus names files by date: the newest is in the main feed, the oldest in none
    for name, probe in ((newest, "feed"), (oldest, "health")):
        samples = []
        for i in range(k):
            _, etag, _ = get("/feed.json")
            built = json.loads(get("/healthz")[2])["lastBuild"]
            t0 = time.perf_counter()
            with open(os.path.join(posts, name), "a", encoding="utf-8") as f:
                f.write("\nedit %d %d\n" % (i, time.time_ns()))
            while True:
                if probe == "feed":
                    status, _, _ = get("/feed.json", {"If-None-Match": etag})
                    done = status == 200
                else:
                    done = json.loads(get("/healthz")[2])["lastBuild"] != built
                if done:
                    break
                if time.perf_counter() - t0 > 10:
                    sys.exit("no change served within 10 s after editing " + name)
            samples.append((time.perf_counter() - t0) * 1000)
            time.sleep(0.3)
        samples.sort()
        print("%-8s %-60s p50 %6.1f ms  p90 %6.1f ms  max %6.1f ms  (%d edits)" % (
            "in-feed" if probe == "feed" else "no-feed", name[:60], statistics.median(samples),
            samples[int(len(samples) * 0.9) - 1], samples[-1], len(samples)))


if __name__ == "__main__":
    main()
