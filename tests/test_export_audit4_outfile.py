"""`export -o` on what is not a regular file (qa4_roundtrip #2).

Before: `-o /dev/stdout` and `-o >(...)` ended in a traceback (no folder for the
temporary file), a named pipe or a device node was replaced by a regular file (the
pipe's reader waited for ever; as root, `-o /dev/null` would replace the system's
/dev/null), and `-o -` wrote a file named "-".
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from reseausync.cli.outfile import open_descriptor
from tests.conftest import run_cli

HEADER = "id,display_name,"


def export_cmd(db: str, target: str) -> list[str]:
    return [sys.executable, "-m", "reseausync", "--db", db, "export", "--format", "csv",
            "-o", target]


def env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("RESEAUSYNC_")}


def test_dev_stdout_is_the_pipe_it_names(imported: str) -> None:
    done = subprocess.run(export_cmd(imported, "/dev/stdout"), capture_output=True,
                          text=True, env=env(), timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(HEADER) and "Traceback" not in done.stderr


def test_dev_stdout_after_append_redirection_appends(imported: str, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("kept line\n")
    with log.open("a") as out:
        done = subprocess.run(export_cmd(imported, "/dev/stdout"), stdout=out,
                              stderr=subprocess.PIPE, text=True, env=env(), timeout=120)
    assert done.returncode == 0, done.stderr
    text = log.read_text()
    assert text.startswith("kept line\n" + HEADER)


def test_a_descriptor_given_by_the_shell_is_written(imported: str) -> None:
    """`-o >(wc -l)`: bash passes /dev/fd/63, the write end of a pipe."""
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(export_cmd(imported, f"/dev/fd/{write_end}"),
                            pass_fds=(write_end,), stderr=subprocess.PIPE, env=env())
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        received = pipe.read().decode("utf-8")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert received.startswith(HEADER)


def test_a_named_pipe_is_written_not_replaced(imported: str, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE, text=True)
    try:
        done = subprocess.run(export_cmd(imported, str(fifo)), capture_output=True,
                              text=True, env=env(), timeout=120)
        received, _ = reader.communicate(timeout=30)
    finally:
        reader.kill()
        reader.wait()
    assert done.returncode == 0, done.stderr
    assert received.startswith(HEADER)
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_device_node_is_written_not_replaced(imported: str, tmp_path: Path) -> None:
    """A copy of /dev/null's node in scratch: never the system's own."""
    node = tmp_path / "fakenull"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    done = run_cli("--db", imported, "export", "--format", "csv", "-o", str(node))
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(node.stat().st_mode)


def test_a_socket_is_refused(imported: str, tmp_path: Path) -> None:
    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        done = run_cli("--db", imported, "export", "--format", "csv", "-o", str(path))
        assert done.returncode == 2, done.stderr
        assert "not a file" in done.stderr
        assert stat.S_ISSOCK(path.stat().st_mode)


def test_dash_is_stdout(imported: str, tmp_path: Path) -> None:
    done = run_cli("--db", imported, "export", "--format", "csv", "-o", "-", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(HEADER)
    assert not (tmp_path / "-").exists()


def test_a_regular_file_is_still_replaced_whole(imported: str, tmp_path: Path) -> None:
    target = tmp_path / "clean.csv"
    target.write_text("old\n")
    inode = target.stat().st_ino
    done = run_cli("--db", imported, "export", "--format", "csv", "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert target.read_text().startswith(HEADER)
    assert target.stat().st_ino != inode          # renamed over, not written in place


@pytest.mark.parametrize(("path", "fd"), [
    ("/dev/stdout", 1), ("/dev/stderr", 2), ("/dev/fd/7", 7), ("/proc/self/fd/3", 3),
    ("/proc/{pid}/fd/4", 4), ("/proc/thread-self/fd/5", 5),
    ("/tmp/export.csv", None), ("relative/out.csv", None), ("/dev/fd", None),
    ("/proc/self/fd/x", None)])
def test_open_descriptor(path: str, fd: int | None) -> None:
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("no /proc")
    # the pid is filled in here: a test id must be the same in every xdist worker
    assert open_descriptor(path.format(pid=os.getpid())) == fd


def test_another_process_descriptor_is_not_ours() -> None:
    other = os.getppid()
    assert open_descriptor(f"/proc/{other}/fd/1") is None
