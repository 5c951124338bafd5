"""Progress of long jobs, kept in the cache so it can be read while the job's transaction is open."""

from dataclasses import asdict, dataclass

from django.core.cache import cache


@dataclass
class Progress:
    done: int = 0
    total: int = 0
    stage: str = ""

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0


def _key(kind: str, object_id: int) -> str:
    return f"lvzhi:progress:{kind}:{object_id}"


def progress_set(kind: str, object_id: int, *, done: int, total: int, stage: str) -> None:
    cache.set(_key(kind, object_id), asdict(Progress(done, total, stage)), timeout=3600)


def progress_get(kind: str, object_id: int) -> Progress:
    data = cache.get(_key(kind, object_id))
    return Progress(**data) if data else Progress()
