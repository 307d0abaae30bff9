"""The AWS Query protocol, driven by the botocore service model: parse, validate, serialize.

Requests are form-encoded (`Action=...&Tags.member.1.Key=...`); responses are XML built by
walking the operation's output shape, so no response is written by hand.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET

from botocore.model import OperationModel, Shape, StructureShape


class ApiError(Exception):
    """An AWS error response: code, message and HTTP status (4xx: Sender, 5xx: Receiver)."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


# --- parsing ---------------------------------------------------------------------------------


# Query parameters that are the protocol's, not the operation's (SigV2 and presigned SigV4).
PROTOCOL_PARAMS = frozenset(
    {"Action", "Version", "AWSAccessKeyId", "Signature", "SignatureMethod", "SignatureVersion"}
    | {"Timestamp", "Expires", "SecurityToken"}
)


def parse_params(shape: StructureShape | None, params: Mapping[str, str]) -> dict[str, Any]:
    """Turn flattened query parameters into nested values typed by `shape`.

    A parameter the shape does not name is refused, never dropped: AWS documents nothing for
    unknown parameters, so the simulator takes the stricter behaviour (a client relying on a
    member the model lacks would otherwise get a silently different result).
    """
    used: set[str] = set()
    parsed = _parse_structure(shape, params, "", used) if shape is not None else None
    unknown = sorted(
        name for name in set(params) - used - PROTOCOL_PARAMS if not name.startswith("X-Amz-")
    )
    if unknown:
        raise ApiError(
            "InvalidQueryParameter",
            f"The parameter {unknown[0]} is not recognized by this operation.",
        )
    return parsed if parsed is not None else {}


def _parse(shape: Shape, params: Mapping[str, str], key: str, used: set[str]) -> Any:
    if shape.type_name == "structure":
        assert isinstance(shape, StructureShape)
        return _parse_structure(shape, params, key + ".", used)
    if shape.type_name == "list":
        return _parse_list(shape, params, key, used)
    if shape.type_name == "map":
        return _parse_map(shape, params, key, used)
    if key not in params:
        return None
    used.add(key)
    return _scalar(shape, params[key], key)


def _parse_structure(
    shape: StructureShape, params: Mapping[str, str], prefix: str, used: set[str]
) -> dict[str, Any] | None:
    if prefix and not any(name.startswith(prefix) for name in params):
        return None
    result: dict[str, Any] = {}
    for name, member in shape.members.items():
        value = _parse(member, params, prefix + member.serialization.get("name", name), used)
        if value is not None:
            result[name] = value
    return result


def _parse_list(
    shape: Any, params: Mapping[str, str], key: str, used: set[str]
) -> list[Any] | None:
    if params.get(key) == "":
        used.add(key)
        return []  # botocore sends an empty list as `Key=`
    base = key if shape.serialization.get("flattened") else f"{key}.member"
    items: list[Any] = []
    while True:
        item_key = f"{base}.{len(items) + 1}"
        if not any(name == item_key or name.startswith(item_key + ".") for name in params):
            break
        items.append(_parse(shape.member, params, item_key, used))
    return items or None


def _parse_map(
    shape: Any, params: Mapping[str, str], key: str, used: set[str]
) -> dict[str, Any] | None:
    result: dict[str, Any] = {}
    index = 1
    while f"{key}.entry.{index}.key" in params:
        entry = f"{key}.entry.{index}"
        used.add(f"{entry}.key")
        result[params[f"{entry}.key"]] = _parse(shape.value, params, f"{entry}.value", used)
        index += 1
    return result or None


def _scalar(shape: Shape, raw: str, key: str) -> Any:
    kind = shape.type_name
    try:
        if kind in ("integer", "long"):
            return int(raw)
        if kind in ("float", "double"):
            return float(raw)
        if kind == "boolean":
            return {"true": True, "false": False}[raw.lower()]
        if kind == "timestamp":
            return _parse_timestamp(raw)
        if kind == "blob":
            return base64.b64decode(raw)
    except (ValueError, KeyError) as error:
        raise ApiError("MalformedQueryString", f"Invalid value '{raw}' for {key}.") from error
    return raw


def _parse_timestamp(raw: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        moment = datetime.fromtimestamp(float(raw), UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# --- validation ------------------------------------------------------------------------------


def validate(shape: StructureShape | None, value: Mapping[str, Any]) -> None:
    """Check required members, enums, lengths and ranges as AWS's front end does."""
    if shape is None:
        return
    missing = [name for name in shape.required_members if value.get(name) is None]
    if missing:
        raise ApiError("MissingParameter", f"The request must contain the parameter {missing[0]}.")
    problems: list[str] = []
    _check_structure(shape, value, "", problems)
    if problems:
        count = len(problems)
        noun = "error" if count == 1 else "errors"
        raise ApiError(
            "ValidationError", f"{count} validation {noun} detected: " + "; ".join(problems)
        )


def _check_structure(
    shape: StructureShape, value: Mapping[str, Any], path: str, problems: list[str]
) -> None:
    for name, member in shape.members.items():
        if value.get(name) is not None:
            _check(member, value[name], f"{path}{name[0].lower()}{name[1:]}", problems)


def _check(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    meta = shape.metadata
    if isinstance(shape, StructureShape):
        _check_structure(shape, value, path + ".", problems)
    elif shape.type_name == "list":
        for index, item in enumerate(value, start=1):
            _check(shape.member, item, f"{path}.{index}.member", problems)  # type: ignore[attr-defined]
    elif shape.type_name == "string":
        _check_string(meta, value, path, problems)
    elif shape.type_name in ("integer", "long"):
        _check_range(meta, value, path, problems)


def _check_string(meta: Mapping[str, Any], value: str, path: str, problems: list[str]) -> None:
    fail = f"Value '{value}' at '{path}' failed to satisfy constraint: Member must"
    if "enum" in meta and value not in meta["enum"]:
        problems.append(f"{fail} satisfy enum value set: [{', '.join(meta['enum'])}]")
    if "min" in meta and len(value) < meta["min"]:
        problems.append(f"{fail} have length greater than or equal to {meta['min']}")
    if "max" in meta and len(value) > meta["max"]:
        problems.append(f"{fail} have length less than or equal to {meta['max']}")


def _check_range(meta: Mapping[str, Any], value: int, path: str, problems: list[str]) -> None:
    fail = f"Value '{value}' at '{path}' failed to satisfy constraint: Member must"
    if "min" in meta and value < meta["min"]:
        problems.append(f"{fail} have value greater than or equal to {meta['min']}")
    if "max" in meta and value > meta["max"]:
        problems.append(f"{fail} have value less than or equal to {meta['max']}")


# --- serialization ---------------------------------------------------------------------------


def serialize_result(
    operation: OperationModel, data: Mapping[str, Any] | None, request_id: str
) -> bytes:
    """`<XResponse><XResult>...</XResult><ResponseMetadata>...` from the output shape."""
    namespace = operation.service_model.metadata["xmlNamespace"]
    root = ET.Element(f"{operation.name}Response", xmlns=namespace)
    output = operation.output_shape
    if output is not None:
        wrapper = output.serialization.get("resultWrapper", f"{operation.name}Result")
        result = ET.SubElement(root, wrapper)
        assert isinstance(output, StructureShape)
        _emit_members(result, output, data or {})
    metadata = ET.SubElement(root, "ResponseMetadata")
    ET.SubElement(metadata, "RequestId").text = request_id
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document


def serialize_error(namespace: str, error: ApiError, request_id: str) -> bytes:
    """`<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`."""
    root = ET.Element("ErrorResponse", xmlns=namespace)
    body = ET.SubElement(root, "Error")
    ET.SubElement(body, "Type").text = "Sender" if error.status < 500 else "Receiver"
    ET.SubElement(body, "Code").text = error.code
    ET.SubElement(body, "Message").text = error.message
    ET.SubElement(root, "RequestId").text = request_id
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document


def _emit_members(parent: ET.Element, shape: StructureShape, data: Mapping[str, Any]) -> None:
    unknown = set(data) - set(shape.members)
    if unknown:
        raise ValueError(f"{shape.name} has no members {sorted(unknown)}")
    for name, member in shape.members.items():
        if data.get(name) is not None:
            _emit(parent, member.serialization.get("name", name), member, data[name])


def _emit(parent: ET.Element, name: str, shape: Shape, value: Any) -> None:
    if shape.type_name == "list" and shape.serialization.get("flattened"):
        for item in value:
            _emit(parent, name, shape.member, item)  # type: ignore[attr-defined]
        return
    element = ET.SubElement(parent, name)
    if isinstance(shape, StructureShape):
        _emit_members(element, shape, value)
    elif shape.type_name == "list":
        item_name = shape.member.serialization.get("name", "member")  # type: ignore[attr-defined]
        for item in value:
            _emit(element, item_name, shape.member, item)  # type: ignore[attr-defined]
    elif shape.type_name == "map":
        for key, item in value.items():
            entry = ET.SubElement(element, "entry")
            ET.SubElement(entry, "key").text = str(key)
            _emit(entry, "value", shape.value, item)  # type: ignore[attr-defined]
    else:
        element.text = _scalar_text(shape, value)


def _scalar_text(shape: Shape, value: Any) -> str:
    if shape.type_name == "boolean":
        return "true" if value else "false"
    if shape.type_name == "timestamp":
        return iso8601(value)
    if shape.type_name == "blob":
        return base64.b64encode(value).decode()
    return str(value)


def iso8601(moment: datetime) -> str:
    """AWS's timestamp format: UTC with milliseconds, e.g. 2024-05-01T12:00:00.123Z."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
