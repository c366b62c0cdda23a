"""The Dask runner: chunks are vectorized on the workers of a Dask cluster (a local
multi-process one, or an existing one by scheduler address); the vectors come back in input
order and are assigned by the same `StoryIndex` as the local runner, so both give the same
stories for the same input. Vectorizing is most of the work; assignment is sequential by
nature (each article sees the stories of the articles before it).

At most ``in_flight`` chunks are out at once, so memory stays bounded however long the input.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from newsfuse.errors import ConfigError, MissingModel
from newsfuse.model import Article
from newsfuse.stories.core import StoryIndex, vectorize_packed


@dataclass(frozen=True, slots=True)
class Settings:
    workers: int = 2  # local cluster size, one thread per worker process
    scheduler: str | None = None  # e.g. tcp://host:8786; overrides workers
    processes: bool = True  # False: worker threads in this process (for tests)
    in_flight: int = 4  # chunks submitted ahead of assignment

    def __post_init__(self) -> None:
        if self.workers < 1 or self.in_flight < 1:
            raise ConfigError("--workers and in_flight must be at least 1")


def cluster(
    chunks: Iterable[Sequence[Article]], index: StoryIndex, settings: Settings | None = None
) -> Iterator[list[int]]:
    """The story of every article, one list per input chunk, in order."""
    settings = settings or Settings()
    with ExitStack() as stack:
        client = _client(settings, stack)
        pending: deque[Any] = deque()
        for chunk in chunks:
            pending.append(client.submit(vectorize_packed, list(chunk), pure=False))
            if len(pending) >= settings.in_flight:
                yield index.assign_all(pending.popleft().result().unpack())
        while pending:
            yield index.assign_all(pending.popleft().result().unpack())


def _client(settings: Settings, stack: ExitStack) -> Any:
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:
        raise MissingModel("Dask is not installed; pip install 'newsfuse[all]'") from err
    if settings.scheduler:
        try:
            client = Client(settings.scheduler, timeout="10s")  # type: ignore[no-untyped-call]
            return stack.enter_context(client)
        except (OSError, TimeoutError, ValueError) as err:
            raise ConfigError(
                f"cannot reach the Dask scheduler at {settings.scheduler} ({err}); "
                "check the address, e.g. tcp://host:8786"
            ) from err
    local = stack.enter_context(
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=settings.workers,
            threads_per_worker=1,
            processes=settings.processes,
            # A random port: a fixed one (8787) fails when another Dask process holds it, and
            # dashboard_address=None still starts the scheduler's HTTP server on 8787.
            dashboard_address=":0",
            silence_logs=40,  # logging.ERROR: keep worker chatter off the user's stderr
        )
    )
    client = Client(local)  # type: ignore[no-untyped-call]
    return stack.enter_context(client)


__all__ = ["Settings", "cluster"]
