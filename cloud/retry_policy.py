"""Which mutating EB calls botocore may retry by itself after an error of unknown outcome.

botocore's retry modes resend a call after a 5xx, a timeout or a reset connection, and such an
error may come after EB carried the call out (only the response was lost). Per call:

- CreateConfigurationTemplate, CreateEnvironment, CreateApplicationVersion: the retry helps.
  The names are unique, so a resend of a call that happened is refused ("already exists") and
  the step reconciles by looking the resource up (`states.shared.outcome_unknown`); a resend of
  one that did not happen simply does it.
- DeleteConfigurationTemplate, TerminateEnvironment: the retry helps. A resend of a call that
  happened is refused ("not found", "invalid state" while Terminating); the step then sees it
  gone or going.
- SwapEnvironmentCNAMEs: the retry hurts. A resend sent after the first swap completed swaps
  the CNAMEs back (silently undoing the swap); sent while it runs, it is refused with "Must be
  Ready", hiding that the first one happened. So only throttling and failed connects (proof
  the call never ran) are retried; the step decides the rest from what EB shows.
- UpdateEnvironment: the retry hurts in the same way (a second deployment, or "invalid state"
  hiding the first); retried only like the swap.
"""

from __future__ import annotations

from typing import Any

from botocore import exceptions as bc
from botocore.client import BaseClient

from cloud.translate import THROTTLING_CODES

NOT_RESENT_BY_BOTOCORE = frozenset({"SwapEnvironmentCNAMEs", "UpdateEnvironment"})
# Failures before the request left this machine: it cannot have been carried out.
NEVER_SENT = (bc.ConnectTimeoutError, bc.EndpointConnectionError)


def limit_resends(client: BaseClient) -> None:
    """Register, for each call of NOT_RESENT_BY_BOTOCORE, a handler that vetoes botocore's
    retry unless the attempt provably did not run. More specific events are emitted first, and
    a False answer ends the search for a retry delay."""
    service = client.meta.service_model.service_id.hyphenize()
    for operation in sorted(NOT_RESENT_BY_BOTOCORE):
        client.meta.events.register(
            f"needs-retry.{service}.{operation}",
            _veto_unless_refused,  # type: ignore[arg-type]  # botocore reads its answer
            unique_id=f"bluegreen-no-resend-{operation}",
        )


def _veto_unless_refused(
    response: tuple[Any, dict[str, Any]] | None = None,
    caught_exception: Exception | None = None,
    **_: Any,
) -> bool | None:
    """None (let botocore's policy decide) for throttling and failed connects; else False."""
    if caught_exception is not None:
        return None if isinstance(caught_exception, NEVER_SENT) else False
    if response is None:
        return None
    code = (response[1].get("Error") or {}).get("Code")
    if code in THROTTLING_CODES or response[0].status_code == 429:
        return None
    return False if response[0].status_code >= 500 else None
