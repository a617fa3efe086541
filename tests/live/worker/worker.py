"""Worker for the live test suite (`tests/tests/live`).

The live scenarios schedule runs and crons of one workflow on a real Hatchet,
and the engine only accepts those for a workflow that some worker has
registered. This worker registers that workflow, `live-echo`, and
`live-echo-sync`, which only the cron-sync scenario uses (a sync looks at
every cron of its workflow, so it needs one of its own). Each has a single
task, named as the workflow (as `hatchet-fake` names the one task of each
workflow it knows), returns the run's input unchanged under the key `echo`.

The workflow stays registered when the worker stops. The transcripts in
`tests/live/transcripts/` were recorded with the worker stopped after it
registered, so that runs stay queued, as runs of `hatchet-fake` do.

Run it, with the `hatchet-sdk` pinned in `requirements.txt`, while the suite
runs against a real Hatchet:

    HATCHET_CLIENT_TOKEN=... HATCHET_CLIENT_TLS_STRATEGY=none \
        python tests/live/worker/worker.py

The SDK reads the rest of its settings from `HATCHET_CLIENT_*` variables as
usual (e.g. `HATCHET_CLIENT_HOST_PORT` for the engine's gRPC address when the
token's `grpc_broadcast_address` claim is not the one to use). The suite then
needs `HATCHET_LIVE_WORKFLOW=live-echo` (and finds `live-echo-sync` by that
name plus `-sync`).
"""

from typing import Any

from hatchet_sdk import Context, Hatchet

WORKFLOW_NAME = "live-echo"
SYNC_WORKFLOW_NAME = f"{WORKFLOW_NAME}-sync"

hatchet = Hatchet()

# `input_validator=dict` accepts any JSON object as the run's input.
live_echo = hatchet.workflow(name=WORKFLOW_NAME, input_validator=dict)
live_echo_sync = hatchet.workflow(name=SYNC_WORKFLOW_NAME, input_validator=dict)


@live_echo.task(name=WORKFLOW_NAME)
def echo(input: dict[str, Any], ctx: Context) -> dict[str, Any]:
    return {"echo": input}


@live_echo_sync.task(name=SYNC_WORKFLOW_NAME)
def echo_sync(input: dict[str, Any], ctx: Context) -> dict[str, Any]:
    return {"echo": input}


def main() -> None:
    worker = hatchet.worker("live-echo-worker", workflows=[live_echo, live_echo_sync])
    worker.start()


if __name__ == "__main__":
    main()
