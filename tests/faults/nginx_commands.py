"""nginx commands with a fault built in, for a router's `check_command` or `reload_command`."""

from __future__ import annotations

from pathlib import Path


def broken_while(flag: Path, command: tuple[str, ...]) -> tuple[str, ...]:
    """`command`, failing (exit 1) while `flag` exists."""
    script = 'if [ -e "$0" ]; then echo "broken by the fault matrix" >&2; exit 1; fi; exec "$@"'
    return ("sh", "-c", script, str(flag), *command)


def held_at_stable(include: Path, held: Path, release: Path, command: tuple[str, ...]) -> tuple[str, ...]:
    """`command`, held back while `include` sends the canary nothing (a rollback's check): it writes its
    pid to `held` and waits (at most 2 min) until `release` exists."""
    script = (
        'if grep -q "down;  # canary" "$0"; then echo $$ > "$1"; n=0; '
        'while [ ! -e "$2" ] && [ $n -lt 2400 ]; do sleep 0.05; n=$((n+1)); done; fi; shift 2; exec "$@"'
    )
    return ("sh", "-c", script, str(include), str(held), str(release), *command)


def failing_times(flag: Path, times: int, command: tuple[str, ...]) -> tuple[str, ...]:
    """`command`, failing (exit 1) its first `times` runs once `flag` exists (each failure adds a line)."""
    script = (
        'if [ -e "$0" ] && [ $(wc -l < "$0") -lt "$1" ]; then echo failed >> "$0"; '
        'echo "broken by the fault matrix" >&2; exit 1; fi; shift; exec "$@"'
    )
    return ("sh", "-c", script, str(flag), str(times), *command)


def journaled(journal: Path, command: tuple[str, ...]) -> tuple[str, ...]:
    """`command`, appending a `reload` entry to the fault matrix's `journal` each time it succeeds."""
    entry = '{"life": 0, "rollout": "nginx", "pid": %d, "mono": 0, "event": "reload"}\\n'
    script = f'"$@"; code=$?; [ $code -ne 0 ] || printf \'{entry}\' $$ >> "$0"; exit $code'
    return ("sh", "-c", script, str(journal), *command)


def held_when_armed(
    include: Path, armed: Path, held: Path, release: Path, command: tuple[str, ...]
) -> tuple[str, ...]:
    """`held_at_stable`, but only once `armed` exists (blue-green's first checks already send no traffic
    to the canary: the preview's, before the active switch)."""
    script = (
        'if [ -e "$3" ] && grep -q "down;  # canary" "$0"; then echo $$ > "$1"; n=0; '
        'while [ ! -e "$2" ] && [ $n -lt 2400 ]; do sleep 0.05; n=$((n+1)); done; fi; shift 3; exec "$@"'
    )
    return ("sh", "-c", script, str(include), str(held), str(release), str(armed), *command)
