"""`CommandProvider`: a local command as a metric, with the job provider's phases and no Kubernetes.

Exit status 0 is Successful and any other Failed, as Argo judges a Job by its pod's exit code; the
metric's conditions are not used. Past `timeout` the command's process group gets SIGTERM, then SIGKILL
after `kill_grace`, and the measurement is Failed, as a Job past its `activeDeadlineSeconds` is
(DeadlineExceeded). A command that cannot start is an Error measurement, retried as Argo retries errors.
A Failed measurement's message ends with the last `output_chars` characters of the command's stdout and
stderr; `secrets` (and their escaped forms) are hidden there and in the command line kept as metadata.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
from collections.abc import Iterable, Mapping, Sequence

from canarykit.analysis.phases import Phase
from canarykit.errors import ProviderError, SpecError
from canarykit.providers.base import Observation
from canarykit.providers.process import Finished, run_with_deadline
from canarykit.providers.redaction import Redactor

DEFAULT_TIMEOUT = 600.0
"""Seconds a command may run (the job provider's default wait)."""
KILL_GRACE = 5.0
"""Seconds between SIGTERM and SIGKILL when a command outlives its timeout."""
OUTPUT_CHARS = 1000
"""Characters of output kept for a Failed measurement's message."""


class CommandProvider:
    """Runs `argv` (no shell) once per measurement, in `cwd`, with `env` added to the inherited one."""

    def __init__(
        self,
        argv: Sequence[str],
        timeout: float = DEFAULT_TIMEOUT,
        env: Mapping[str, str] | None = None,
        cwd: str | os.PathLike[str] | None = None,
        secrets: Iterable[str] = (),
        kill_grace: float = KILL_GRACE,
        output_chars: int = OUTPUT_CHARS,
    ) -> None:
        self.argv = _checked_argv(argv)
        self.timeout = _positive(timeout, "timeout")
        self.kill_grace = _positive(kill_grace, "kill_grace")
        self.env = _checked_env(env)
        self.cwd = None if cwd is None else os.fspath(cwd)
        self.output_chars = max(int(output_chars), 0)
        self._redactor = Redactor(secrets)
        _check_runnable(self.argv[0], self.cwd, self._environment())

    def __repr__(self) -> str:
        return f"CommandProvider({self.redact(shlex.join(self.argv))!r}, timeout={self.timeout:g})"

    def redact(self, text: str) -> str:
        """`text` with the provider's secrets hidden."""
        return self._redactor.redact(text)

    def measure(self, query: str | None, at: float) -> Observation:
        """Run the command to its end or its timeout; its exit status decides the phase."""
        try:
            finished = run_with_deadline(
                self.argv, self.timeout, self._environment(), self.cwd, self.kill_grace, self.output_chars * 4
            )
        except OSError as error:
            raise ProviderError(f"cannot run {self.argv[0]!r}: {error.strerror or error}") from None
        return self._observation(finished)

    def _environment(self) -> dict[str, str]:
        return {**os.environ, **self.env}

    def _observation(self, finished: Finished) -> Observation:
        metadata = {"command": self.redact(shlex.join(self.argv))}
        code = finished.returncode
        if code is not None:
            metadata["exit-code"] = str(code)
        if code == 0:
            return Observation(value=0, text="0", metadata=metadata, phase=Phase.SUCCESSFUL)
        message = _failure(code, self.timeout) + self._output(finished.output)
        value = code if code is not None and code > 0 else None
        text = "" if value is None else str(value)
        return Observation(value=value, text=text, metadata=metadata, phase=Phase.FAILED, message=message)

    def _output(self, output: str) -> str:
        """`: <last output characters>`, secrets hidden before the cut; empty without output."""
        text = self.redact(output).strip()
        if not text or not self.output_chars:
            return ""
        cut = text[-self.output_chars :]
        return f": {'…' if len(cut) < len(text) else ''}{cut}"


def _failure(code: int | None, timeout: float) -> str:
    if code is None:
        return (
            f"DeadlineExceeded: the command was active longer than its timeout ({timeout:g}s) and was stopped"
        )
    if code < 0:
        return f"the command was ended by {signal.Signals(-code).name}"
    return f"exit status {code}"


def _checked_argv(argv: Sequence[str]) -> tuple[str, ...]:
    if isinstance(argv, str | bytes) or not argv or not all(isinstance(arg, str) for arg in argv):
        raise SpecError("command must be a non-empty list of strings (the program, then its arguments)")
    return tuple(argv)


def _positive(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise SpecError(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)


def _checked_env(env: Mapping[str, str] | None) -> dict[str, str]:
    given = dict(env or {})
    for key, value in given.items():
        if not isinstance(key, str) or not isinstance(value, str) or not key or "=" in key:
            raise SpecError(f"env must map variable names to strings; {key!r} does not")
    return given


def _check_runnable(program: str, cwd: str | None, environment: Mapping[str, str]) -> None:
    """`SpecError` when `program` cannot be found, as the shell would say it."""
    if cwd is not None and not os.path.isdir(cwd):
        raise SpecError(f"cwd {cwd!r} is not a directory")
    if os.sep in program:
        path = program if os.path.isabs(program) else os.path.join(cwd or os.getcwd(), program)
        found = os.path.isfile(path) and os.access(path, os.X_OK)
    else:
        found = shutil.which(program, path=environment.get("PATH", os.defpath)) is not None
    if not found:
        raise SpecError(f"command not found: {program!r}")
