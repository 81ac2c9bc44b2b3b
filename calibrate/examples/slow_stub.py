"""A slow third-party HTTP API on 127.0.0.1, for the example apps' /partner view: every GET
waits STUB_DELAY_MS (default 50) and answers 200 with a small JSON body. Threaded, so it
answers concurrent callers in parallel as a real remote service would.

    /usr/bin/python3 slow_stub.py PORT [DELAY_MS]

Prints "ready PORT" on stdout once it listens.
"""
import http.server
import socketserver
import sys
import time


class Handler(http.server.BaseHTTPRequestHandler):
    delay_s = 0.05

    def do_GET(self):
        time.sleep(self.delay_s)
        body = b'{"status": "ok"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256


def main():
    port = int(sys.argv[1])
    Handler.delay_s = (float(sys.argv[2]) if len(sys.argv) > 2 else 50.0) / 1000
    with Server(("127.0.0.1", port), Handler) as server:
        print("ready", port, flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
