"""Argo's `{{args.name}}` substitution, with its error messages.

Arguments are substituted into the JSON form of a metric, values JSON-string-escaped, tags trimmed of inner
white space; any tag other than `args.<name>` is an error, as is an argument without a value. An arg with
`valueFrom.secretKeyRef` is read from the cluster given (`ClusterAccess`); its value is masked as `*****` in
the repr of the merged args and, through `MaskedProvider`, in every measurement message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import quote

from canarykit.argo.cluster import ClusterAccess
from canarykit.argo.models import Argument, SecretKeyRef
from canarykit.errors import ArgumentError, ProviderError, UnsupportedFeature
from canarykit.providers.base import MetricProvider, Observation

_TAG = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
MASK = "*****"
"""What a value read from a Secret becomes in any message (Argo's redaction)."""


class Arguments(dict[str, str]):
    """Argument values by name; `secrets` are the values read from Secrets, shown as `*****` in `repr()`."""

    def __init__(self, values: Mapping[str, str], secrets: Iterable[str] = ()) -> None:
        super().__init__(values)
        self.secrets = frozenset(secret for secret in secrets if secret)

    def __repr__(self) -> str:
        shown = {name: MASK if value in self.secrets else value for name, value in self.items()}
        return f"Arguments({shown!r})"


def merge_arguments(
    declared: Sequence[Argument],
    supplied: Mapping[str, str] | None,
    path: str = "spec.args",
    cluster: ClusterAccess | None = None,
) -> Arguments:
    """Declared args with supplied values overriding by name; supplied names not declared are ignored.

    A `secretKeyRef` arg is read from `cluster` even when a value is supplied (Argo's `resolveArgs` reads
    the Secret over it); without a cluster a supplied value stands in, and none is `UnsupportedFeature`.
    Raises `ArgumentError` (`args.<name> was not resolved`) for a declared arg left without a value.
    """
    supplied = dict(supplied or {})
    values: dict[str, str] = {}
    secrets: list[str] = []
    for index, argument in enumerate(declared):
        where = f"{path}[{index}]"
        reference = argument.value_from.secret_key_ref if argument.value_from else None
        if reference is not None and cluster is not None:
            values[argument.name] = _read_secret(cluster, reference, f"{where}.valueFrom.secretKeyRef")
            secrets.append(values[argument.name])
        elif argument.name in supplied:
            values[argument.name] = str(supplied[argument.name])
        elif argument.value is not None:
            values[argument.name] = argument.value
        elif reference is not None:
            message = secret_needs_cluster(argument.name, reference)
            raise UnsupportedFeature(message, f"{where}.valueFrom.secretKeyRef")
        elif argument.value_from is not None:
            message = f"args.{argument.name}: valueFrom is not supported; pass the value in args="
            raise UnsupportedFeature(message, f"{where}.valueFrom")
        else:
            raise ArgumentError(f"args.{argument.name} was not resolved", where)
    return Arguments(values, secrets)


def secret_needs_cluster(name: str, reference: SecretKeyRef) -> str:
    """Why a `secretKeyRef` arg cannot be resolved without a cluster, and the two ways out."""
    return (
        f'args.{name} reads key "{reference.key}" of Secret "{reference.name}", which needs a cluster: '
        "pass cluster=canarykit.kube.KubeCluster(api, namespace) to load() or load_analysis_template(), "
        f"or give args.{name} a value"
    )


def _read_secret(cluster: ClusterAccess, reference: SecretKeyRef, path: str) -> str:
    try:
        return cluster.read_secret(reference.name, reference.key)
    except ArgumentError as error:
        raise ArgumentError(f"Unable to resolve metric arguments: {error.reason}", path) from None


def tags_in(document: Any) -> list[str]:
    """Every `{{...}}` tag (trimmed) in the JSON form of `document`."""
    return [match.strip() for match in _TAG.findall(json.dumps(document))]


def has_tags(value: Any) -> bool:
    """Whether `value` is a string holding a `{{...}}` tag."""
    return isinstance(value, str) and _TAG.search(value) is not None


def check_tags(document: Any, declared: Sequence[str], path: str) -> None:
    """Fail early on tags that could never resolve: not `args.*`, or naming an undeclared arg.

    As Argo's substitution, the message names the last such tag in the metric's JSON.
    """
    unresolved = [tag for tag in tags_in(document) if not tag.startswith("args.") or tag[5:] not in declared]
    if unresolved:
        message = f"Unable to resolve metric arguments: failed to resolve {{{{{unresolved[-1]}}}}}"
        raise ArgumentError(message, path)


def substitute(document: Any, values: Mapping[str, str]) -> Any:
    """`document` with every `{{args.x}}` replaced by its value (Argo's ResolveQuotedArgs)."""

    def replace(match: re.Match[str]) -> str:
        tag = match.group(1).strip()
        name = tag.removeprefix("args.")
        if not tag.startswith("args.") or name not in values:
            raise ArgumentError(f"Unable to resolve metric arguments: failed to resolve {{{{{tag}}}}}")
        return json.dumps(values[name])[1:-1]

    return json.loads(_TAG.sub(replace, json.dumps(document)))


class SecretMask:
    """Replaces secret values (as given, JSON- and URL-escaped) with `*****` in any text, longest first."""

    def __init__(self, secrets: Iterable[str]) -> None:
        forms = {form for secret in secrets if secret for form in _forms(secret)}
        ordered = sorted(forms, key=lambda form: (-len(form), form))
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def __repr__(self) -> str:
        return "SecretMask()"

    def __bool__(self) -> bool:
        return self._pattern is not None

    def __call__(self, text: str) -> str:
        return text if self._pattern is None else self._pattern.sub(MASK, text)


def _forms(secret: str) -> set[str]:
    return {
        secret,
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        quote(secret, safe=""),
    }


class MaskedProvider:
    """A metric's provider whose faults, value texts, metadata and repr never show its args' secrets."""

    def __init__(self, provider: MetricProvider, mask: SecretMask) -> None:
        self.provider, self.mask = provider, mask

    def __repr__(self) -> str:
        return self.mask(repr(self.provider))

    def __getattr__(self, name: str) -> Any:
        if name == "provider":  # not set yet (a copy being made): no recursion
            raise AttributeError(name)
        return getattr(self.provider, name)  # a provider's optional hooks (clean-up...) stay reachable

    def measure(self, query: str | None, at: float) -> Observation:
        try:
            observed = self.provider.measure(query, at)
        except Exception as fault:  # re-raised with its text masked; take_measurement makes it an Error
            raise ProviderError(self.mask(str(fault) or type(fault).__name__)) from None
        metadata = {
            key: self.mask(text) if isinstance(text, str) else text for key, text in observed.metadata.items()
        }
        text, message = self.mask(observed.text), self.mask(observed.message)
        return replace(observed, text=text, metadata=metadata, message=message)

    def redact(self, text: str) -> str:
        """The provider's own redaction (header values...), then the secrets masked as Argo masks them."""
        inner = getattr(self.provider, "redact", None)
        return self.mask(inner(text) if callable(inner) else text)


def mask_secrets(provider: MetricProvider, values: Mapping[str, str]) -> MetricProvider:
    """`provider` masking the secrets among `values` (an `Arguments`), or as it is when there are none."""
    mask = SecretMask(getattr(values, "secrets", ()))
    return MaskedProvider(provider, mask) if mask else provider
