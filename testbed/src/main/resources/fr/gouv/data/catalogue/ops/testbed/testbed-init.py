#!/usr/bin/python3
"""PID 1 of a test host: mounts, hostname, sshd on 127.0.0.1:22, and an SSH relay on the host's
address that can add latency (the kernel here has no netem). sshd logs to /var/lib/testbed/sshd.log. Reaps orphans like an init does.
The added delay, in milliseconds, is read from /var/lib/testbed/delay_ms (on the overlay, so
the testbed can set it from outside) for every chunk."""
import asyncio
import os
import signal
import socket
import subprocess
import sys

CONTROL = "/var/lib/testbed/delay_ms"
# not under /var/log: tests mount a small file system there to fill it, and an open log would keep it busy
SSHD_LOG = "/var/lib/testbed/sshd.log"


def setup():
    socket.sethostname(open("/etc/hostname").read().strip())
    for args in (["mount", "-t", "tmpfs", "-o", "mode=0755", "tmpfs", "/run"],
                 ["mount", "-t", "devpts", "-o", "newinstance,ptmxmode=0666,mode=0620", "devpts", "/dev/pts"],
                 ["mount", "--bind", "/dev/pts/ptmx", "/dev/ptmx"],
                 ["mount", "-t", "sysfs", "sysfs", "/sys"]):
        subprocess.run(args, check=False)
    for d in ("/run/sshd", "/run/lock", "/var/lib/testbed"):
        os.makedirs(d, exist_ok=True)
    with open(CONTROL, "w") as f:
        f.write("0\n")
    # VERBOSE logs each connection ("Accepted publickey") and each session ("Starting session:
    # command ..."), so what a tool did on the host can be counted from the host's side.
    subprocess.run(["/usr/sbin/sshd", "-o", "ListenAddress=127.0.0.1:22", "-o", "LogLevel=VERBOSE",
                    "-E", SSHD_LOG], check=True)


def delay():
    try:
        with open(CONTROL) as f:
            return int(f.read().strip() or "0") / 1000.0
    except (OSError, ValueError):
        return 0.0


async def pipe(reader, writer):
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def read():
        while True:
            data = await reader.read(65536)
            queue.put_nowait((loop.time() + delay(), data))
            if not data:
                return

    async def write():
        while True:
            due, data = await queue.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if not data:
                if writer.can_write_eof():
                    writer.write_eof()
                return
            writer.write(data)
            await writer.drain()

    await asyncio.gather(read(), write())


def no_delay(writer):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


async def handle(client_reader, client_writer):
    try:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", 22)
    except OSError:
        client_writer.close()
        return
    no_delay(client_writer)
    no_delay(server_writer)
    await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer),
                         return_exceptions=True)
    for w in (client_writer, server_writer):
        w.close()


def reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


async def main(address):
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGCHLD, reap)
    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, lambda: stop.done() or stop.set_result(None))
    server = await asyncio.start_server(handle, address, 22, reuse_address=True)
    print("testbed-init: ready on %s:22" % address, flush=True)
    async with server:
        await stop


if __name__ == "__main__":
    setup()
    asyncio.run(main(sys.argv[1]))
