"""What the API server checks in every object's metadata: the name's syntax, label and annotation keys."""

from __future__ import annotations

import json
import re
from typing import Any

from canarykit.testing.kube.field_errors import INVALID, TOO_LONG, FieldError

_SUBDOMAIN = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
_LABEL_1035 = r"[a-z]([-a-z0-9]*[a-z0-9])?"
_QUALIFIED_NAME = r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_LABEL_VALUE = r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?"
_SUBDOMAIN_PROBLEM = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    f"'{_SUBDOMAIN}')"
)
_LABEL_1035_PROBLEM = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
    f"character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
    f"validation is '{_LABEL_1035}')"
)
_NAME_PROBLEM = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    f"alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    f"'{_QUALIFIED_NAME}')"
)
_VALUE_PROBLEM = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
    f"start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used "
    f"for validation is '{_LABEL_VALUE}')"
)
DNS_1035_KINDS = frozenset({"Service"})
"""Kinds whose names must be DNS-1035 labels; every other kind here takes an RFC 1123 subdomain."""
_ANNOTATIONS_MAX_BYTES = 256 * 1024


def metadata_errors(kind: str, metadata: Any) -> list[FieldError]:
    """The problems of an object's metadata: a bad name, bad label keys or values, bad annotation keys."""
    if not isinstance(metadata, dict):
        return []
    errors = _name_errors(kind, metadata.get("name"))
    labels = metadata.get("labels") or {}
    for key, value in labels.items() if isinstance(labels, dict) else ():
        errors.extend(_key_errors("metadata.labels", key))
        errors.extend(_label_value_errors(value))
    annotations = metadata.get("annotations") or {}
    if isinstance(annotations, dict):
        for key in annotations:
            errors.extend(_key_errors("metadata.annotations", key))
        if len(json.dumps(annotations)) > _ANNOTATIONS_MAX_BYTES:
            errors.append(
                FieldError("metadata.annotations", TOO_LONG, detail="must have at most 262144 bytes")
            )
    return errors


def _name_errors(kind: str, name: Any) -> list[FieldError]:
    """A Service name is a DNS-1035 label (63 characters at most), any other an RFC 1123 subdomain (253)."""
    if not isinstance(name, str) or not name:
        return []
    pattern, problem, limit = (_LABEL_1035, _LABEL_1035_PROBLEM, 63)
    if kind not in DNS_1035_KINDS:
        pattern, problem, limit = (_SUBDOMAIN, _SUBDOMAIN_PROBLEM, 253)
    errors = []
    if len(name) > limit:
        errors.append(FieldError("metadata.name", INVALID, name, f"must be no more than {limit} characters"))
    if not re.fullmatch(pattern, name):
        errors.append(FieldError("metadata.name", INVALID, name, problem))
    return errors


def _key_errors(field: str, key: str) -> list[FieldError]:
    """A label or annotation key: `[prefix/]name`, the prefix a DNS subdomain, the name 63 characters long."""
    prefix, _, name = key.rpartition("/")
    errors = []
    if "/" in prefix or (key.count("/") and not prefix):
        errors.append(
            FieldError(field, INVALID, key, "a qualified name must consist of a name and an optional prefix")
        )
    elif prefix and (len(prefix) > 253 or not re.fullmatch(_SUBDOMAIN, prefix)):
        errors.append(FieldError(field, INVALID, key, f"prefix part {_SUBDOMAIN_PROBLEM}"))
    if len(name) > 63:
        errors.append(FieldError(field, INVALID, key, "name part must be no more than 63 characters"))
    if not re.fullmatch(_QUALIFIED_NAME, name):
        errors.append(FieldError(field, INVALID, key, _NAME_PROBLEM))
    return errors


def _label_value_errors(value: Any) -> list[FieldError]:
    """A label value: a string of 63 characters at most, empty or alphanumeric at both ends."""
    if not isinstance(value, str):
        return [FieldError("metadata.labels", INVALID, value, "label values must be strings")]
    errors = []
    if len(value) > 63:
        errors.append(FieldError("metadata.labels", INVALID, value, "must be no more than 63 characters"))
    if not re.fullmatch(_LABEL_VALUE, value):
        errors.append(FieldError("metadata.labels", INVALID, value, _VALUE_PROBLEM))
    return errors
