"""serve.py — starting `itstrat serve` for the HTTP tests (api_schema.py,
permissions.py): a free loopback port, stderr kept in a file, five tries."""
import os
import socket
import subprocess
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def start(itstrat, db, name, args=(), slow=1.0):
    """Starts ITSTRAT serve --db DB [ARGS] and waits until it accepts
    connections; its stderr goes to NAME.stderr beside DB. Returns (proc,
    port, stderr file); exits the test with a message if it never starts."""
    for _ in range(5):
        port = free_port()
        err = open(os.path.join(os.path.dirname(db), name + ".stderr"), "w")
        proc = subprocess.Popen([itstrat, "serve", "--db", db, "--listen", "127.0.0.1:%d" % port]
                                + list(args) + ["--quiet"],
                                stdout=subprocess.DEVNULL, stderr=err)
        deadline = time.time() + 30 * slow
        while time.time() < deadline and proc.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return proc, port, err
            except OSError:
                time.sleep(0.05)
        proc.kill()
        proc.wait()
        err.close()
    raise SystemExit("%s: the server did not start" % name)
