"""How much of Argo Rollouts' own YAML canarykit loads and runs: examples/, docs/ and test/e2e/.

Run: .venv/bin/python benchmarks/argo_corpus.py PATH [--revision HEAD] [--examples 2]

PATH is an argo-rollouts checkout, or a bare mirror read with `git show` at `--revision`. Every Rollout,
AnalysisTemplate and ClusterAnalysisTemplate document (YAML files, and yaml blocks of the Markdown docs)
is classified (routing of a Rollout: nginx, none, other, blueGreen; providers of a template: prometheus,
web, job, datadog, other), loaded with canarykit.argo, and run when it loads, on a fake clock against local
stand-ins (tests/conformance/corpus_runs.py says which). The table gives per class the documents, how many
load and how many run to a verdict; then run verdicts, measurement phases, and the load and run failures
grouped by message (quoted names and numbers folded), each with an example document.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent / "tests" / "conformance")]

from corpus_runs import Outcome, References, examine  # noqa: E402  (tests/conformance, from here)
from corpus_sources import Corpus, is_whole, providers_of, read_corpus, routing_of  # noqa: E402
from corpus_world import world  # noqa: E402

CLOSED_PORT = "http://127.0.0.1:9"
NO_LEAVING = {"HTTP_PROXY": CLOSED_PORT, "HTTPS_PROXY": CLOSED_PORT, "NO_PROXY": "127.0.0.1"}
"""A request that escapes the stand-ins goes to a closed local port (fails at once), never to the network."""
HAPPY = ("Healthy", "Successful")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`|\b\d+(\.\d+)?\b")


def classes(outcome: Outcome) -> list[str]:
    """The table rows a document counts in: its kind, and its routing or each of its providers."""
    document = outcome.document
    if document.kind == "Rollout":
        nested = [f"routing {routing_of(document.body)}"]
    else:
        nested = [f"provider {name}" for name in sorted(providers_of(document.body)) or ["none"]]
    return [document.kind, *(f"{document.kind}|{row}" for row in nested)]


def examine_all(corpus: Corpus) -> list[Outcome]:
    references = References(corpus.documents)
    with world(corpus.documents) as where:
        os.environ.update(DD_ADDRESS=where.fakes.datadog, DD_API_KEY="fake", DD_APP_KEY="fake")
        os.environ.update(NO_LEAVING)
        return [examine(document, references, where) for document in corpus.documents]


def print_table(outcomes: list[Outcome]) -> None:
    rows: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        for row in classes(outcome):
            rows[row].append(outcome)
    print(f"\n{'class':<26}{'docs':>6}{'whole':>10}{'load':>7}{'ratio':>8}{'run':>7}{'ratio':>8}")
    for kind in ("Rollout", "AnalysisTemplate", "ClusterAnalysisTemplate"):
        nested = sorted(row for row in rows if row.startswith(f"{kind}|"))
        for row in [kind, *nested] if kind in rows else []:
            _print_row(row.replace(f"{kind}|", "  "), rows[row])
    _print_row("all", outcomes)


def _print_row(label: str, outcomes: list[Outcome]) -> None:
    """Documents; whole ones (not snippets, every named template found); of those, loaded and run."""
    complete = [outcome for outcome in outcomes if is_complete(outcome)]
    loaded = sum(outcome.loaded for outcome in complete)
    ran = sum(outcome.ran for outcome in complete)
    whole = len(complete)
    print(
        f"{label:<26}{len(outcomes):>6}{whole:>10}{loaded:>7}{_ratio(loaded, whole):>8}"
        f"{ran:>7}{_ratio(ran, whole):>8}"
    )


def is_complete(outcome: Outcome) -> bool:
    """A whole manifest whose templates are all in the corpus."""
    return is_whole(outcome.document) and not outcome.missing


def print_snippets(outcomes: list[Outcome]) -> None:
    snippets = [outcome for outcome in outcomes if not is_whole(outcome.document)]
    missing = [outcome for outcome in outcomes if outcome.missing and is_whole(outcome.document)]
    elided = sum(outcome.document.elided for outcome in snippets)
    print(f"snippets (elided, or lacking name/selector/template/metrics): {len(snippets)} ({elided} elided),")
    print(f"  of which {sum(o.loaded for o in snippets)} load", end="; ")
    names = sorted({name for outcome in missing for name in outcome.missing})
    print(f"whole Rollouts naming a template found nowhere: {len(missing)} ({', '.join(names) or '-'})")


def _ratio(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def print_runs(outcomes: list[Outcome]) -> None:
    verdicts = Counter(f"{o.document.kind} {o.phase}" for o in outcomes if o.ran)
    print("\nverdicts:", ", ".join(f"{label} {count}" for label, count in sorted(verdicts.items())))
    phases: Counter[str] = sum((o.measurements for o in outcomes), Counter())
    print("measurements:", ", ".join(f"{phase} {count}" for phase, count in phases.most_common()))
    print("promotions played for a human:", sum(o.promotions for o in outcomes))
    unhappy = [(o.message, o.document.label) for o in outcomes if o.ran and o.phase not in HAPPY]
    _print_groups("verdicts other than Healthy/Successful", unhappy, 3)
    errors: Counter[str] = sum((o.errors for o in outcomes), Counter())
    _print_groups("measurement messages", [(message, "") for message in errors.elements()], 0)


def print_failures(outcomes: list[Outcome], examples: int) -> None:
    failed = [(o.load_error or "", o.document.label) for o in outcomes if not o.loaded]
    _print_groups("load failures", failed, examples)
    broken = [(o.run_error or "", o.document.label) for o in outcomes if o.loaded and not o.ran]
    _print_groups("run failures", broken, examples)


def _print_groups(title: str, entries: list[tuple[str, str]], examples: int) -> None:
    """`entries` (message, example document) grouped by folded message, the largest group first."""
    groups: dict[str, list[str]] = defaultdict(list)
    for message, label in entries:
        groups[_folded(message)].append(label)
    print(f"\n{title}: {len(entries)} in {len(groups)} groups")
    for message, labels in sorted(groups.items(), key=lambda entry: -len(entry[1])):
        shown = [label for label in labels[:examples] if label]
        print(f"  {len(labels):>4}x  {message}" + (f"  (e.g. {', '.join(shown)})" if shown else ""))


def _folded(message: str) -> str:
    """The message with quoted names and numbers replaced, so one cause is one group."""
    first = message.replace("<text>: ", "").splitlines()[0] if message else "(no message)"
    return _QUOTED.sub("…", first)[:200]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("path", type=Path, help="an argo-rollouts checkout or bare git mirror")
    parser.add_argument("--revision", default="HEAD", help="revision of a bare mirror (default HEAD)")
    parser.add_argument("--examples", type=int, default=2, help="example documents per failure group")
    options = parser.parse_args()
    logging.getLogger("canarykit").setLevel(logging.ERROR)  # measurement faults are tallied, not logged
    started = time.monotonic()
    corpus = read_corpus(options.path, options.revision)
    elided = sum(document.elided for document in corpus.documents)
    unparsable = len(corpus.unparsable)
    print(f"{options.path} @ {options.revision}: {corpus.sources} sources, {unparsable} not YAML;")
    print(f"{len(corpus.documents)} Rollout/(Cluster)AnalysisTemplate documents, {elided} of them elided")
    outcomes = examine_all(corpus)
    print_table(outcomes)
    print_snippets(outcomes)
    print_runs(outcomes)
    print_failures(outcomes, options.examples)
    print(f"\n{time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
