"""Breaking a state directory for real: read-only (a read-only bind mount as root, else mode 0555) and
full (a tiny tmpfs, filled; root only: elsewhere the case cannot run and says so)."""

from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path

from fault_lab import Lab

TMPFS_SIZE = "256k"


class CannotRunHere(Exception):
    """This machine cannot set the fault up (e.g. mounting needs root); the case reports it, not passes."""


def mount_tmpfs(lab: Lab, directory: Path) -> None:
    """A `TMPFS_SIZE` tmpfs on `directory`, unmounted when the lab closes."""
    if os.geteuid() != 0:
        raise CannotRunHere("a full disk needs a tiny tmpfs, and mounting one needs root")
    _mount(lab, directory, "-t", "tmpfs", "-o", f"size={TMPFS_SIZE},mode=0755", "canarykit-faults")


def fill_tmpfs(directory: Path) -> None:
    """Write a filler file into `directory` until its file system has no space left."""
    chunk = b"\0" * 4096
    with (directory / "filler").open("wb", buffering=0) as filler:
        try:
            while True:
                filler.write(chunk)
        except OSError as error:
            if error.errno != errno.ENOSPC:
                raise


def read_only(lab: Lab, directory: Path) -> None:
    """Make `directory` read-only for this process: a read-only bind mount as root, mode 0555 otherwise."""
    if os.geteuid() != 0:
        directory.chmod(0o555)
        lab.cleanup(lambda: directory.chmod(0o755))
        return
    _mount(lab, directory, "--bind", str(directory))
    _run("mount", "-o", "remount,bind,ro", str(directory))


def writable_again(directory: Path) -> None:
    """Undo `read_only`."""
    if _mounted(directory):
        _run("umount", str(directory))
    else:
        directory.chmod(0o755)


def _mount(lab: Lab, directory: Path, *options: str) -> None:
    try:
        _run("mount", *options, str(directory))
    except subprocess.CalledProcessError as error:
        raise CannotRunHere(f"cannot mount on {directory}: {error.stderr.strip()}") from None
    lab.cleanup(lambda: _unmount(directory))


def _unmount(directory: Path) -> None:
    if _mounted(directory):
        subprocess.run(["umount", "-l", str(directory)], check=False, capture_output=True)


def _mounted(directory: Path) -> bool:
    """Whether something is mounted on `directory` (a bind mount of itself too, unlike `os.path.ismount`)."""
    mount_points = (line.split()[4] for line in Path("/proc/self/mountinfo").read_text().splitlines())
    return str(directory) in mount_points


def _run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, text=True)
