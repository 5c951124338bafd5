"""Acceptance (issue 3, Reminders): a due-date reminder is delivered end to end, with real parts.

Production: a real Celery beat and a real Celery worker, started here as subprocesses on Redis,
share this test's database. Beat sends ``send-due-reminders`` every second; the worker runs it,
which creates the notification and queues its delivery on Redis; the worker delivers it, writing
the e-mail to a folder (``LVZHI_NOTIFICATION_EMAIL_BACKEND`` / ``..._FILE_PATH``: the worker is
another process, so Django's in-memory outbox cannot see its mails).

The embedded default: no Redis at all, the in-process scheduler's ``run_due_jobs`` and the task
thread deliver the same reminder.

Without Redis the first test is skipped, except in CI (``CI=true``) where it fails.
"""

import email
import os
import subprocess
import sys
import time
from email.header import decode_header, make_header
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection
from django.utils import timezone

from lvzhi.core.scheduler import run_due_jobs
from lvzhi.notifications import services
from lvzhi.notifications.choices import Channel, DeliveryStatus
from lvzhi.notifications.models import Delivery

from ..factories import UserFactory

pytestmark = pytest.mark.celery

REDIS_URL = os.environ.get("LVZHI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CELERY = str(Path(sys.executable).with_name("celery"))
WAIT_SECONDS = 30
TITLE = "答复第1001号建议"
KIND = "suggestion.reply_due"


def redis_client() -> redis.Redis:
    """The test's Redis database; skipped when unreachable, a failure in CI."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        reason = f"Redis is not reachable at {REDIS_URL} ({error}): the Celery acceptance test needs it"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + "; CI must run it.")
        pytest.skip(reason)
    return client


def database_url_of_this_test() -> str:
    """The database this test runs in (``test_…`` on PostgreSQL, a file on SQLite) as a URL."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return "sqlite:///" + str(Path(db["NAME"]).resolve())
    credentials = quote(db["USER"] or "", safe="") + (
        f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    )
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{db['HOST'] or ''}{port}/{quote(db['NAME'], safe='')}"


def purge_queues(client: redis.Redis) -> None:
    """Drop messages an earlier, interrupted run may have left for a database that is gone."""
    for pattern in ("celery*", "unacked*", "_kombu.binding.*"):
        for key in client.scan_iter(pattern):
            client.delete(key)


class CeleryProcesses:
    """The worker and beat subprocesses, their logs and the folder the worker writes mails to."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.mail_dir = folder / "mail"
        self.mail_dir.mkdir()
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str, *arguments: str, env: dict) -> None:
        log = (self.folder / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(
            [CELERY, "-A", "lvzhi", name, "--loglevel", "INFO", *arguments],
            cwd=self.folder,  # nothing either leaves behind lands in the repository
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                pytest.fail(f"celery {name} exited with {process.returncode}:\n{self.log(name)[-3000:]}")

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@pytest.fixture
def celery_processes(transactional_db, tmp_path):
    """A Celery worker and beat on this test's database and Redis, stopped whatever happens.

    Needs ``transactional_db``: the workers are other processes and see only committed rows. A
    Redis lock makes concurrent runs of this test (another checkout, the other database's pass)
    take turns on the shared Redis database instead of eating each other's messages.
    """
    client = redis_client()
    lock = client.lock("lvzhi:test:celery-acceptance", timeout=180, blocking_timeout=120)
    if not lock.acquire():
        pytest.fail(f"another run of the Celery acceptance test holds {REDIS_URL}")
    purge_queues(client)
    celery = CeleryProcesses(tmp_path)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lvzhi.settings.test",
        "DATABASE_URL": database_url_of_this_test(),
        "REDIS_URL": REDIS_URL,
        "LVZHI_TASK_BACKEND": "celery",
        "LVZHI_REMINDER_INTERVAL_SECONDS": "1",
        "LVZHI_NOTIFICATION_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "LVZHI_NOTIFICATION_EMAIL_FILE_PATH": str(celery.mail_dir),
        "PYTHONUNBUFFERED": "1",
    }
    try:
        celery.start(
            "worker",
            "--pool",
            "solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--hostname",
            f"lvzhi-test-{os.getpid()}@%h",
            env=env,
        )
        celery.start("beat", "--schedule", str(tmp_path / "beat-schedule"), "--max-interval", "1", env=env)
        yield celery
    finally:
        celery.stop()
        purge_queues(client)
        lock.release()


def wait_for(condition, *, celery: CeleryProcesses | None = None):
    """Poll ``condition`` until it returns something, for at most ``WAIT_SECONDS``."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        if celery:
            celery.check_alive()
        time.sleep(0.25)
    logs = (
        "".join(f"\n--- {name} ---\n{celery.log(name)[-3000:]}" for name in celery.processes)
        if celery
        else ""
    )
    pytest.fail(f"not done within {WAIT_SECONDS} s{logs}")


def sent_email_delivery(user) -> Delivery | None:
    return (
        Delivery.objects.filter(
            notification__recipient=user, channel=Channel.EMAIL, status=DeliveryStatus.SENT
        )
        .select_related("notification")
        .first()
    )


def schedule_due_today(target):
    user = UserFactory(username="t-unit-head", email="unit-head@example.org")
    reminder = services.reminder_schedule(
        target=target,
        kind=KIND,
        due_date=timezone.localdate(),
        title=TITLE,
        recipients=[user],
        link="/suggestions/1001/",
    )
    return user, reminder


def assert_delivered(user, reminder, delivery: Delivery) -> None:
    notification = delivery.notification
    assert notification.title == f"{TITLE}（今天到期）"
    assert notification.kind == KIND
    assert notification.dedupe_key == f"reminder:{reminder.pk}:{timezone.localdate().isoformat()}:0"
    assert delivery.attempts == 1
    assert delivery.sent_at is not None
    assert notification.deliveries.get(channel=Channel.IN_APP).status == DeliveryStatus.SENT
    reminder.refresh_from_db()
    assert reminder.last_sent_for == timezone.localdate()


def test_celery_beat_and_worker_deliver_a_due_reminder(celery_processes, target):
    user, reminder = schedule_due_today(target)

    delivery = wait_for(lambda: sent_email_delivery(user), celery=celery_processes)

    assert_delivered(user, reminder, delivery)
    (mail_file,) = celery_processes.mail_dir.iterdir()
    message = email.message_from_bytes(mail_file.read_bytes())
    assert str(make_header(decode_header(message["Subject"]))) == f"【履职】{TITLE}（今天到期）"
    assert message["To"] == "unit-head@example.org"
    # Scheduled by beat, run and delivered by the worker.
    assert "Sending due task send-due-reminders" in celery_processes.log("beat")
    wait_for(
        lambda: "lvzhi.notifications.tasks.deliver[" in celery_processes.log("worker"),
        celery=celery_processes,
    )
    assert "lvzhi.notifications.tasks.send_due_reminders[" in celery_processes.log("worker")


def test_the_embedded_default_delivers_the_same_reminder_without_redis(
    transactional_db, target, settings, monkeypatch, mailoutbox
):
    settings.LVZHI_TASK_BACKEND = "thread"
    settings.REDIS_URL = ""

    def no_broker(*args, **kwargs):
        raise AssertionError("the embedded default must never talk to a Celery broker")

    from lvzhi.celery import app

    monkeypatch.setattr(app, "send_task", no_broker)
    monkeypatch.setattr("celery.app.task.Task.apply_async", no_broker)
    user, reminder = schedule_due_today(target)

    # What `lvzhi run`'s scheduler thread does at its first tick: every job of the beat schedule.
    ran = run_due_jobs({}, time.monotonic())

    assert "send-due-reminders" in ran
    delivery = wait_for(lambda: sent_email_delivery(user))
    assert_delivered(user, reminder, delivery)
    (mail,) = mailoutbox
    assert mail.subject == f"【履职】{TITLE}（今天到期）"
    assert mail.to == ["unit-head@example.org"]
