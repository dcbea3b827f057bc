"""Reading one key of a Secret, as Argo's analysis controller does for `valueFrom.secretKeyRef` args."""

from __future__ import annotations

import base64
import binascii

from canarykit.errors import ArgumentError
from canarykit.kube.client import KubeAPI

SECRETS = "secrets"


def read_secret(api: KubeAPI, namespace: str, name: str, key: str) -> str:
    """The text of `key` in Secret `namespace/name`; `ArgumentError` with Argo's message when it is missing.

    Argo's texts: `secrets "<name>" not found` and `key '<key>' does not exist in secret '<name>'`. The value
    is never logged nor put in any message; bytes that are not UTF-8 become U+FFFD, as Go's JSON encoding
    of the substituted metric makes them.
    """
    secret = api.get(SECRETS, namespace, name)
    if secret is None:
        raise ArgumentError(f'secrets "{name}" not found')
    data = secret.get("data") or {}
    if not isinstance(data, dict) or key not in data:
        raise ArgumentError(f"key '{key}' does not exist in secret '{name}'")
    return _decode(data[key], name, key)


def _decode(encoded: object, name: str, key: str) -> str:
    """Base64 `data` as the API serves it; anything else is a malformed Secret (named, value not shown)."""
    try:
        if not isinstance(encoded, str):
            raise ValueError("not a string")
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ArgumentError(f"key '{key}' of secret '{name}' is not valid base64") from None
    return raw.decode("utf-8", errors="replace")
