"""The Elastic Beanstalk errors the simulator answers, with AWS's codes and message texts.

Where AWS documents no message, the text is the one its APIs are seen to return, or a plain
one in the same style (marked "simulator" in a comment where it is our choice).
"""

from __future__ import annotations

from simulator.protocol import ApiError


def invalid(message: str) -> ApiError:
    return ApiError("InvalidParameterValue", message)


def configuration(message: str) -> ApiError:
    # Real EB answers invalid option settings with ConfigurationValidationException (the EB
    # CLI's recorded responses; its code, HTTP 400).
    return ApiError("ConfigurationValidationException", message)


def combination(message: str) -> ApiError:
    return ApiError("InvalidParameterCombination", message)


def no_application(name: str) -> ApiError:
    return invalid(f"No Application named '{name}' found.")


def no_version(label: str) -> ApiError:
    return invalid(f"No Application Version named '{label}' found.")


def no_template(name: str) -> ApiError:
    return invalid(f"No Configuration Template named '{name}' found.")


def no_environment(field: str, value: str) -> ApiError:
    return invalid(f"No Environment found for {field} = '{value}'.")


def not_ready(name: str) -> ApiError:
    return invalid(
        f"Environment named {name} is in an invalid state for this operation. Must be Ready."
    )


def env_exists(name: str) -> ApiError:
    return invalid(f"Environment {name} already exists.")


def cname_taken(prefix: str) -> ApiError:
    return invalid(f"DNS name ({prefix}) is not available.")


def missing_bundle(bucket: str, key: str) -> ApiError:
    # What AWS answers when the source bundle is absent from S3.
    return combination(
        f"Unable to download from S3 location (Bucket: {bucket} Key: {key}). Reason: Not Found"
    )
