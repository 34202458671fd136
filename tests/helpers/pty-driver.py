"""Drives a program through a pseudo-terminal, as a person at a terminal would.

usage: python3 pty-driver.py STEPS_JSON -- PROGRAM ARGS...
STEPS_JSON is a list of {"send": text, "expect": regex, "timeout": seconds, "wait": seconds};
each step sends its text (after waiting `wait` seconds), then reads until `expect` matches the
output received since the step began. Prints one JSON object: the output of every step, whether
each expectation was met, and the program's exit code. Patterns are matched, and output
returned, without terminal control sequences.
"""
import fcntl, json, os, pty, re, select, struct, sys, termios, time

steps = json.loads(sys.argv[1])
argv = sys.argv[sys.argv.index('--') + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', int(os.environ.get('PTY_ROWS', '24')), 100, 0, 0))

ANSI = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]')

def plain(text):
    """The text without terminal control sequences (cursor moves, line clears)."""
    return ANSI.sub('', text)

def read_until(pattern, timeout):
    got = b''
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            got += chunk
            if pattern and re.search(pattern, plain(got.decode('utf8', 'replace'))):
                return got.decode('utf8', 'replace'), True
    return got.decode('utf8', 'replace'), pattern is None

results = []
for step in steps:
    time.sleep(step.get('wait', 0))
    if step.get('send') is not None:
        os.write(fd, step['send'].encode('utf8'))
    # without an expectation, only what comes at once is read
    out, ok = read_until(step.get('expect'), step.get('timeout', 20 if step.get('expect') else 0.3))
    results.append({'send': step.get('send'), 'out': plain(out), 'ok': ok})
    if not ok:
        break

code = None
end = time.monotonic() + 20
while time.monotonic() < end:
    wpid, status = os.waitpid(pid, os.WNOHANG)
    if wpid:
        code = os.waitstatus_to_exitcode(status)
        break
    try:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            os.read(fd, 65536)
    except OSError:
        pass
if code is None:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
print(json.dumps({'steps': results, 'exitCode': code}))
