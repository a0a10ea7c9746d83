package io.leadline.sandbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.annotations.AfterClass;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * Hostile candidates in the real sandbox, one worker so that each is followed on the same worker by
 * a probe. Every candidate must end as a failure, leave the host as it was (canary files, the
 * parent's keys, its processes, a listener on loopback) and leave the worker clean and quick for
 * the next candidate.
 */
public class AdversarialTest {
  private static final double TIMEOUT = 3.0;

  /**
   * Run after every hostile candidate on the same worker: nothing but the namespace's init, the
   * worker and the probe runs, and its scratch folder is new and empty.
   */
  private static final String PROBE =
      """
      import os
      pids = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())
      judge = os.getppid()
      worker = int(open('/proc/%d/stat' % judge).read().rsplit(')', 1)[1].split()[1])
      assert pids == sorted({1, worker, judge, os.getpid()}), pids
      assert os.listdir('.') == [], os.listdir('.')
      """;

  private CodeExecutor executor;
  private long hostProcesses;
  private Path canaryDir;
  private Path canary;
  private Path homeCanary;

  @BeforeClass
  public void start() throws IOException {
    executor = CodeExecutor.start(SandboxOptions.isolated(1));
    hostProcesses = ProcessHandle.current().descendants().count();
    canaryDir = Files.createDirectories(Path.of("target", "canary")).toAbsolutePath();
    canary = canaryDir.resolve("canary.txt");
    Files.writeString(canary, "canary", UTF_8);
    homeCanary = Files.createTempFile("leadline-canary", ".txt");
    Files.writeString(homeCanary, "canary", UTF_8);
  }

  @AfterClass(alwaysRun = true)
  public void stop() throws IOException {
    if (executor != null) {
      executor.close();
    }
    Files.deleteIfExists(homeCanary);
  }

  /** After every hostile candidate: the host is untouched and the next candidate runs clean. */
  @AfterMethod
  public void hostUntouchedAndNextCandidateFast() throws IOException {
    assertEquals(Files.readString(canary, UTF_8), "canary", canary.toString());
    assertEquals(Files.readString(homeCanary, UTF_8), "canary", homeCanary.toString());
    ExecResult probe = executor.run(PROBE, TIMEOUT, Limits.DEFAULT);
    assertEquals(probe.result(), "passed", "probe after the candidate");
    assertTrue(probe.seconds() < 1.0, "the probe took " + probe.seconds() + " s");
    assertEquals(ProcessHandle.current().descendants().count(), hostProcesses, "host processes");
  }

  private ExecResult run(String program) {
    return run(program, TIMEOUT);
  }

  private ExecResult run(String program, double timeout) {
    ExecResult result = executor.run(program, timeout, Limits.DEFAULT);
    assertFalse(result.passed(), result.toString());
    return result;
  }

  @Test
  public void seesNoneOfTheParentsEnvironment() {
    assertEquals(System.getenv("OPENAI_API_KEY"), "sk-leadline-canary-7f3a", "surefire sets it");
    ExecResult result =
        run(
            """
            import os
            print(sorted(os.environ))
            for pid in os.listdir('/proc'):
                try:
                    print(open('/proc/%s/environ' % pid, 'rb').read())
                except OSError:
                    pass
            print(os.environ['OPENAI_API_KEY'])
            """);
    assertEquals(result.result(), "failed: 'OPENAI_API_KEY'");
    // Only what bwrap sets, PWD from --chdir, and the reference guard's OMP_NUM_THREADS.
    assertTrue(
        result.output().startsWith("['HOME', 'LANG', 'OMP_NUM_THREADS', 'PATH', 'PWD']"),
        result.output());
    assertFalse(result.output().contains("canary"), result.output());
  }

  @Test
  public void cannotReachALoopbackListener() throws IOException {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ExecResult result =
          run(
              """
              import socket
              socket.create_connection(('127.0.0.1', %d), timeout=1).sendall(b'leak')
              """
                  .formatted(listener.getLocalPort()));
      assertTrue(result.result().startsWith("failed: [Errno"), result.result());
      listener.setSoTimeout(200);
      expectThrows(SocketTimeoutException.class, listener::accept);
    }
  }

  @Test
  public void hasNoNetworkAtAll() {
    ExecResult result =
        run(
            """
            import socket
            socket.create_connection(('1.1.1.1', 80), timeout=1)
            """);
    assertTrue(result.result().startsWith("failed: [Errno"), result.result());
  }

  @Test
  public void cannotWriteOrDeleteFilesOutsideItsScratchFolder() {
    ExecResult result =
        run(
            """
            import posix
            errors = []
            for path in (%s, %s, '/usr/leadline-was-here', '/run/leadline/worker.py'):
                try:
                    open(path, 'w').write('pwned')
                except OSError as e:
                    errors.append(type(e).__name__)
                try:
                    posix.unlink(path)
                except OSError as e:
                    errors.append(type(e).__name__)
            raise RuntimeError(' '.join(errors))
            """
                .formatted(pythonString(canary), pythonString(homeCanary)));
    assertTrue(result.result().startsWith("failed: FileNotFoundError"), result.result());
  }

  @Test
  public void chdirToRootAndRmtreeAreRefusedAsInTheReference() {
    ExecResult result =
        run(
            """
            import os, shutil
            os.chdir('/')
            shutil.rmtree('/')
            """);
    assertEquals(result.result(), "failed: 'NoneType' object is not callable");
  }

  @Test
  public void deletingEverythingItCanReachAroundTheGuardHarmsNothing() {
    ExecResult result =
        run(
            """
            import os, posix
            posix.chdir('/')
            removed = 0
            def remove(path, how):
                global removed
                try:
                    how(path)
                    removed += 1
                except OSError:
                    pass
            for top in ('/tmp', '/dev', '/run', '/usr/bin', '/usr/lib/python3'):
                for root, dirs, files in os.walk(top, topdown=False):
                    for name in files:
                        remove(os.path.join(root, name), posix.unlink)
                    for name in dirs:
                        remove(os.path.join(root, name), posix.rmdir)
            raise RuntimeError('removed %d' % removed)
            """);
    assertTrue(result.result().startsWith("failed: removed "), result.result());
  }

  @Test
  public void forkBombIsCappedAndReaped() {
    ExecResult result =
        run(
            """
            import ctypes
            libc = ctypes.CDLL(None)
            while True:
                libc.fork()
            """);
    assertEquals(result.result(), "timed out");
  }

  @Test
  public void tenGibibytesAreRefused() {
    assertEquals(run("x = bytearray(10 << 30)").result(), "failed: ");
  }

  /**
   * Filling 1 GiB takes 0.5-1.4 s in plain python3 and up to 3.5 s on a loaded 2-core machine: the
   * limit is what is asserted, not the speed, so this candidate alone has 20 s.
   */
  @Test
  public void growingWithoutEndStopsAtTheAddressSpaceLimit() {
    ExecResult result =
        run(
            """
            chunks = []
            while True:
                chunks.append(bytearray(64 << 20))
            """,
            20.0);
    assertEquals(result.result(), "failed: ");
  }

  @Test
  public void endlessOutputIsBoundedAndNeverReachesTheProtocol() {
    ExecResult result =
        run(
            """
            import os, sys
            for _ in range(1000):
                os.write(1, b'{"id": 0, "result": "passed"}\\n')
                os.write(2, b'noise\\n')
                sys.__stdout__.write('more noise\\n')
            while True:
                print('x' * 1000)
            """);
    assertEquals(result.result(), "timed out");
    assertEquals(result.output().length(), (int) Limits.DEFAULT.outputBytes());
  }

  @Test
  public void sleepingPastTheTimeoutWhileIgnoringSignalsIsKilled() {
    ExecResult result =
        run(
            """
            import signal, time
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            signal.signal(signal.SIGALRM, signal.SIG_IGN)
            time.sleep(100)
            """);
    assertEquals(result.result(), "timed out");
    assertTrue(result.seconds() < TIMEOUT + 2, result.seconds() + " s");
  }

  @Test
  public void aBackgroundChildInItsOwnSessionDiesWithTheCandidate() {
    ExecResult result =
        run(
            """
            import ctypes, time
            libc = ctypes.CDLL(None)
            if libc.fork() == 0:
                libc.setsid()
                if libc.fork() == 0:
                    time.sleep(30)
                libc._exit(0)
            time.sleep(0.2)
            raise RuntimeError('parent done')
            """);
    assertEquals(result.result(), "failed: parent done");
  }

  @Test
  public void killingItsWorkerCostsOnlyItself() {
    int restarts = executor.restarts();
    ExecResult result =
        run(
            """
            import os, posix, signal
            judge = os.getppid()
            worker = int(open('/proc/%d/stat' % judge).read().rsplit(')', 1)[1].split()[1])
            posix.kill(worker, signal.SIGKILL)
            """);
    assertEquals(result.result(), "timed out");
    assertEquals(executor.restarts(), restarts + 1);
  }

  /**
   * Its parent is the zygote that forked it: killing it changes no verdict, and a new one forks the
   * next.
   */
  @Test
  public void killingTheProcessThatForkedItIsNoPass() {
    ExecResult result =
        wrongAnswerWith("import os, posix, signal\nposix.kill(os.getppid(), signal.SIGKILL)\n");
    assertEquals(result.result(), "failed: ");
  }

  /**
   * The test runs in the worker: a candidate gone between its calls is timed out, not the worker.
   */
  @Test
  public void exitingBetweenTheTestsCallsIsTimedOutAndCostsNoWorker() {
    int restarts = executor.restarts();
    ExecResult result =
        judged(
            "import os, threading, time\n",
            "def f(x):\n"
                + "    threading.Thread(target=lambda: (time.sleep(0.01), os._exit(0))).start()\n"
                + "    return x\n",
            "def check(candidate):\n"
                + "    import time\n"
                + "    assert candidate(1) == 1\n"
                + "    time.sleep(0.2)\n"
                + "    assert candidate(1) == 1\n");
    assertEquals(result.result(), "timed out");
    assertEquals(executor.restarts(), restarts);
  }

  /** The test runs in the worker: what it prints or reads is the reference's swallowed streams. */
  @Test
  public void aTestThatPrintsOrReadsStdinTouchesNoRequest() {
    int restarts = executor.restarts();
    String prints = "def check(candidate):\n    print('checking')\n    assert candidate(1) == 1\n";
    String reads = "def check(candidate):\n    input()\n";
    ExecResult printed = judged("def f(x):\n", "    return x\n", prints);
    ExecResult read = judged("def f(x):\n", "    return x\n", reads);
    assertEquals(printed.result(), "passed");
    assertEquals(read.result(), "failed: ");
    assertEquals(executor.restarts(), restarts);
  }

  /** Each test starts from the same state: what one changes is put back before the next. */
  @Test
  public void whatATestChangesIsPutBackForTheNext() {
    String changes =
        "def check(candidate):\n"
            + "    import os, random, sys\n"
            + "    random.seed(7)\n"
            + "    sys.setrecursionlimit(60)\n"
            + "    os.environ['LEADLINE_LEFT'] = 'x'\n";
    String seesNone =
        "def check(candidate):\n"
            + "    import os, sys\n"
            + "    assert sys.getrecursionlimit() > 60\n"
            + "    assert 'LEADLINE_LEFT' not in os.environ\n";
    // Each draws from the random state every test starts with, so both draw the same number.
    String draws =
        "def check(candidate):\n    import random\n    raise RuntimeError(random.random())\n";
    assertEquals(judged("def f(x):\n", "    return x\n", changes).result(), "passed");
    assertEquals(judged("def f(x):\n", "    return x\n", seesNone).result(), "passed");
    String first = judged("def f(x):\n", "    return x\n", draws).result();
    assertTrue(first.startsWith("failed: 0."), first);
    assertEquals(judged("def f(x):\n", "    return x\n", draws).result(), first);
  }

  /** Stopping its zygote costs the candidate nothing but its own wrong answer. */
  @Test
  public void stoppingTheZygoteDelaysNothing() {
    ExecResult result =
        wrongAnswerWith("import os, posix, signal\nposix.kill(os.getppid(), signal.SIGSTOP)\n");
    assertEquals(result.result(), "failed: ");
    assertTrue(result.seconds() < 2.0, result.seconds() + " s");
  }

  /** Lowered limits of its zygote and worker (a process of the same user may) bind no later one. */
  @Test
  public void lowerLimitsOfTheZygoteAndWorkerBindNoLaterCandidate() {
    int restarts = executor.restarts();
    ExecResult result =
        wrongAnswerWith(
            "import os, sys\n"
                + "del sys.modules['resource']\n"
                + "import resource\n"
                + "zygote = os.getppid()\n"
                + "worker = int(open('/proc/%d/stat' % zygote).read().rsplit(')', 1)[1].split()[1])\n"
                + "for pid in (zygote, worker):\n"
                + "    resource.prlimit(pid, resource.RLIMIT_FSIZE, (1000, 1000))\n");
    assertEquals(result.result(), "failed: ");
    assertEquals(executor.restarts(), restarts + 1, "the worker was replaced");
  }

  /** A module of the candidate's is given to the test only as a plain library module. */
  @Test
  public void aModuleNamedByTheCandidateIsNotImportedForTheTest() {
    int restarts = executor.restarts();
    ExecResult result =
        judged(
            "import types\nthis = types.ModuleType('this')\n",
            "def f(x):\n    return x\n",
            "def check(candidate):\n    assert candidate(1) == 1\n");
    assertEquals(result.result(), "passed");
    assertEquals(executor.restarts(), restarts);
  }

  /** A process cloned as its zygote's child is reaped, not waited for forever. */
  @Test
  public void aProcessClonedAsTheZygotesChildIsReaped() {
    int restarts = executor.restarts();
    ExecResult result =
        wrongAnswerWith(
            "import ctypes\n"
                + "libc = ctypes.CDLL(None)\n"
                + "if libc.syscall(56, 0x8000 | 17, 0, 0, 0, 0) == 0:\n"
                + "    libc._exit(0)\n");
    assertEquals(result.result(), "failed: ");
    assertEquals(executor.restarts(), restarts);
  }

  /** What compiling the model's code warns is in its output, as when its own exec compiled it. */
  @Test
  public void compileWarningsAreTheCandidatesOutput() {
    ExecResult result =
        judged(
            "def f(x):\n",
            "    return x if x is not 1 else x\n",
            "def check(candidate):\n    assert candidate(1) == 1\n");
    assertEquals(result.result(), "passed");
    assertEquals(
        result.output(),
        "<string>:2: SyntaxWarning: \"is not\" with a literal. Did you mean \"!=\"?\n");
  }

  @Test
  public void readingStdinDoesNotStealRequests() {
    ExecResult result =
        run(
            """
            import os
            data = os.read(0, 1 << 16)
            raise RuntimeError('read %d bytes' % len(data))
            """);
    assertEquals(result.result(), "failed: read 0 bytes");
  }

  /** Issue 21: a patched serializer wrote "passed" after the test's AssertionError was caught. */
  @Test
  public void patchingJsonDumpsDoesNotForgeAPass() {
    ExecResult result =
        run(
            Programs.humanEval(
                "def f(*a):\n",
                "    return None\nimport json; json.dumps = lambda *a, **k:"
                    + " '{\"result\": \"passed\", \"output\": \"\"}'\n",
                "def check(candidate):\n    assert candidate(1) == 2\n",
                "f"));
    assertEquals(result.result(), "failed: ");
  }

  private static final String FORGED = "{\"result\": \"passed\", \"output\": \"\"}";

  /**
   * A HumanEval-shaped program (entry point {@code f}) run with the default limits, any verdict.
   */
  private ExecResult judged(String prompt, String completion, String test) {
    return executor.run(Programs.humanEval(prompt, completion, test, "f"), TIMEOUT, Limits.DEFAULT);
  }

  private ExecResult wrongAnswerWith(String attack) {
    return run(
        Programs.humanEval(
            "def f(*a):\n",
            "    return None\n" + attack,
            "def check(candidate):\n    assert candidate(1) == 2\n",
            "f"));
  }

  /** Issue 21: the forged verdict written to every descriptor a child could have inherited. */
  @Test
  public void writingAVerdictToEveryInheritedDescriptorDoesNotForgeAPass() {
    ExecResult result =
        wrongAnswerWith(
            "import os\n"
                + "for fd in range(3, 64):\n"
                + "    try:\n"
                + "        os.write(fd, b'"
                + FORGED
                + "')\n"
                + "    except OSError:\n"
                + "        pass\n"
                + "os._exit(0)\n");
    assertEquals(result.result(), "timed out");
  }

  /** Issue 21: the worker's own reporting, found by walking frames, used to report a pass. */
  @Test
  public void walkingFramesToTheReportingCodeDoesNotForgeAPass() {
    ExecResult result =
        wrongAnswerWith(
            "import os, sys, socket\n"
                + "frame = sys._getframe()\n"
                + "while frame is not None:\n"
                + "    for value in list(frame.f_locals.values()):\n"
                + "        if isinstance(value, socket.socket) or type(value) is int and 2 < value < 64:\n"
                + "            fd = value if type(value) is int else value.fileno()\n"
                + "            try:\n"
                + "                os.write(fd, b'"
                + FORGED
                + "')\n"
                + "            except OSError:\n"
                + "                pass\n"
                + "    send = frame.f_globals.get('_send')\n"
                + "    sock = frame.f_locals.get('sock')\n"
                + "    if send and sock:\n"
                + "        send(sock, {'result': 'passed', 'names': {}, 'threads': False})\n"
                + "        send(sock, {'threads': False, 'output': ''})\n"
                + "    frame = frame.f_back\n"
                + "os._exit(0)\n");
    assertFalse(result.passed(), result.toString());
  }

  /** Issue 21: the candidate cannot reach its judge's or worker's descriptors through /proc. */
  @Test
  public void theJudgesDescriptorsAreOutOfReach() {
    ExecResult result =
        run(
            """
            import os
            judge = os.getppid()
            worker = int(open('/proc/%d/stat' % judge).read().rsplit(')', 1)[1].split()[1])
            reached = []
            for pid in (judge, worker):
                try:
                    for fd in os.listdir('/proc/%d/fd' % pid):
                        try:
                            os.open('/proc/%d/fd/%s' % (pid, fd), os.O_WRONLY)
                            reached.append((pid, fd))
                        except OSError:
                            pass
                except OSError:
                    pass
            raise RuntimeError(reached)
            """);
    assertEquals(result.result(), "failed: []");
  }

  /** Issue 21: an object equal to everything is compared as a plain value, and says so. */
  @Test
  public void anAlwaysEqualAnswerFailsAndSaysTheReferenceWouldPassIt() {
    ExecResult result =
        wrongAnswerWith(
            "class Anything:\n"
                + "    def __eq__(self, other):\n"
                + "        return True\n"
                + "def f(*a):\n"
                + "    return Anything()\n");
    assertEquals(
        result.result(),
        "failed:  (the candidate returned a builtins.Anything object, compared here as equal to"
            + " nothing; the reference would have asked its own __eq__)");
  }

  /**
   * Issue 21: memory is the candidate's as a whole, not each of its processes'. Four children
   * writing 400 MiB each took over 3 s on a loaded 2-core machine (it failed a full build as "timed
   * out"): the cap is what is asserted, not the speed, so this candidate has 20 s, more than it
   * sleeps; without the cap it would pass.
   */
  @Test
  public void forkedChildrenTogetherAreCappedAtTheCandidatesMemory() {
    ExecResult result =
        executor.run(
            """
            import posix, time
            for _ in range(4):
                if posix.fork() == 0:
                    block = b'x' * (400 << 20)
                    time.sleep(10)
            time.sleep(10)
            """,
            20.0,
            Limits.DEFAULT);
    assertTrue(
        result.result().startsWith("failed: out of memory: the candidate's"), result.result());
  }

  /** Issue 21: files a candidate leaves in /tmp (or at the root) are gone for the next one. */
  @Test
  public void theNextCandidateFindsTmpEmptyAndTheRootReadOnly() {
    ExecResult first =
        run(
            """
            import os
            open('/tmp/left-behind', 'w').write('x')
            os.makedirs('/tmp/folder/inner')
            open('/tmp/folder/inner/file', 'w').write('x')
            try:
                open('/left-at-root', 'w').write('x')
            except OSError as e:
                raise RuntimeError(type(e).__name__)
            """);
    assertEquals(first.result(), "failed: OSError");
    ExecResult second =
        executor.run(
            """
            import os
            left = [n for n in os.listdir('/tmp') if not n.startswith('leadline-exec-')]
            assert left == [], left
            assert not os.path.exists('/left-at-root')
            """,
            TIMEOUT,
            Limits.DEFAULT);
    assertEquals(second.result(), "passed");
  }

  private static String pythonString(Path path) {
    return "'" + path.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
