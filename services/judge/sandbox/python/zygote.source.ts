/**
 * The zygote: trusted Python run as the sandbox's python3 (`-c`), one per prepared submission. It compiles main.py
 * once, then for each run forks a child that runs the compiled program as `python3 main.py` would; the child never
 * shares a run with another, and the judge moves it into the run's own cgroup before it starts. Starting CPython
 * costs ≈17 ms of CPU and a fork ≈1 ms: that is the whole point.
 *
 * The child cannot reach the zygote: it is non-dumpable (no /proc/1/mem, and seccomp refuses ptrace), the
 * namespace's pid 1 (signals it has no handler for never arrive from inside), and the child closes every descriptor
 * but its own three. Between runs the zygote reaps every process and empties the scratch folder.
 *
 * Frames both ways: one byte of kind, four of length (big-endian), the payload. Host → zygote: a run is "T"
 * ("cpuSeconds dataBytes outputBytes argCount fileCount"), an "A" per argument, an "N" and a "B" per file (name,
 * bytes), "I" its standard input, then "G" go once the child sits in its cgroup; end of input ends the zygote.
 * Zygote → host: "R" ready or "C" a compile error, then per run "F" the child's pid in the namespace, "O"/"E" its
 * stdout/stderr as it writes them, "X" its wait status, "D" done (every writer gone).
 *
 * It imports only modules written in C (each Python-level import costs every submission a few milliseconds: json
 * and signal alone doubled the zygote's start), and runs with -S, putting back the exit() and quit() site adds.
 */
export const ZYGOTE_SOURCE = String.raw`
import _ctypes, _signal, _sitebuiltins, builtins, os, resource, select, sys

builtins.exit = _sitebuiltins.Quitter("exit", "Ctrl-D (i.e. EOF)")
builtins.quit = _sitebuiltins.Quitter("quit", "Ctrl-D (i.e. EOF)")

class _Int(_ctypes._SimpleCData):
    _type_ = "i"

class _Function(_ctypes.CFuncPtr):
    _flags_ = _ctypes.FUNCFLAG_CDECL
    _restype_ = _Int

class _Libc:
    _handle = _ctypes.dlopen(None)

PR_SET_DUMPABLE = 4
if _Function(("prctl", _Libc()))(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
    raise SystemExit("prctl(PR_SET_DUMPABLE) failed")
_signal.signal(_signal.SIGINT, _signal.SIG_DFL)

SCRATCH = "/box"

def read_exact(n):
    data = bytearray()
    while len(data) < n:
        chunk = os.read(0, n - len(data))
        if not chunk:
            os._exit(0)
        data += chunk
    return bytes(data)

def receive():
    header = read_exact(5)
    return header[:1], read_exact(int.from_bytes(header[1:], "big"))

def send(kind, payload=b""):
    view = memoryview(kind + len(payload).to_bytes(4, "big") + payload)
    while view:
        view = view[os.write(1, view):]

main_source = open(SCRATCH + "/main.py", "rb").read()
try:
    code = compile(main_source, "main.py", "exec", dont_inherit=True)
except Exception as error:
    import traceback
    send(b"C", "".join(traceback.format_exception_only(type(error), error)).encode())
    os._exit(0)
send(b"R")

def exit_status(error):
    if error.code is None:
        return 0
    if isinstance(error.code, int):
        return error.code & 0xFF
    print(error.code, file=sys.stderr)
    return 1

def run_main(args):
    """What python3 main.py does, from running the module to flushing on the way out."""
    sys.argv = ["main.py", *args]
    main = type(sys)("__main__")
    main.__file__ = "main.py"
    main.__builtins__ = builtins
    sys.modules["__main__"] = main
    try:
        exec(code, main.__dict__)
        status = 0
    except SystemExit as error:
        status = exit_status(error)
    except BaseException as error:
        import traceback
        traceback.print_exception(type(error), error, error.__traceback__.tb_next)
        status = 1
    try:
        if "threading" in sys.modules:
            sys.modules["threading"]._shutdown()
        import atexit
        atexit._run_exitfuncs()
    except SystemExit as error:
        status = exit_status(error)
    except BaseException:
        import traceback
        traceback.print_exc()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            status = 120
    return status

def child(run, go, stdin, out, err):
    try:
        if os.read(go, 1) != b"g":
            os._exit(125)
        os.dup2(stdin, 0)
        os.dup2(out, 1)
        os.dup2(err, 2)
        os.closerange(3, resource.getrlimit(resource.RLIMIT_NOFILE)[1])
        _signal.signal(_signal.SIGINT, _signal.default_int_handler)
        resource.setrlimit(resource.RLIMIT_CPU, (run["cpu"], run["cpu"] + 1))
        resource.setrlimit(resource.RLIMIT_DATA, (run["data"], run["data"]))
        os.chdir(SCRATCH)
    except BaseException:
        os._exit(125)
    os._exit(run_main(run["args"]))

def relay(pid, out, err, output_bytes):
    """Forwards the child's output until every writer has gone, and its wait status as soon as it has one."""
    kinds = {os.pidfd_open(pid): b"X", out: b"O", err: b"E"}
    poller = select.poll()
    for fd in kinds:
        poller.register(fd, select.POLLIN)
    forwarded = 0
    while kinds:
        for fd, _ in poller.poll():
            kind = kinds[fd]
            if kind == b"X":
                send(b"X", str(os.waitpid(pid, 0)[1]).encode())
            else:
                chunk = os.read(fd, 65536)
                if chunk:
                    # Past the limit the judge kills the run; more would only fill the channel.
                    if kind == b"E" or forwarded <= output_bytes:
                        forwarded += len(chunk) if kind == b"O" else 0
                        send(kind, chunk)
                    continue
            poller.unregister(fd)
            os.close(fd)
            del kinds[fd]

def reap():
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return

def empty(folder):
    os.chmod(folder, 0o700)
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            empty(entry.path)
            os.rmdir(entry.path)
        else:
            os.unlink(entry.path)

def receive_run():
    cpu, data, output, arg_count, file_count = map(int, receive()[1].split())
    args = [receive()[1].decode() for _ in range(arg_count)]
    for _ in range(file_count):
        name = receive()[1].decode()
        with open(SCRATCH + "/" + name, "wb") as file:
            file.write(receive()[1])
    return {"cpu": cpu, "data": data, "output": output, "args": args}

while True:
    run = receive_run()
    stdin = os.memfd_create("stdin")
    view = memoryview(receive()[1])
    while view:
        view = view[os.write(stdin, view):]
    os.lseek(stdin, 0, os.SEEK_SET)
    del view
    go_read, go_write = os.pipe()
    out_read, out_write = os.pipe()
    err_read, err_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        child(run, go_read, stdin, out_write, err_write)
    for fd in (go_read, stdin, out_write, err_write):
        os.close(fd)
    send(b"F", str(pid).encode())
    if receive()[0] == b"G":
        os.write(go_write, b"g")
    os.close(go_write)
    relay(pid, out_read, err_read, run["output"])
    reap()
    empty(SCRATCH)
    with open(SCRATCH + "/main.py", "wb") as file:
        file.write(main_source)
    send(b"D")
`;
