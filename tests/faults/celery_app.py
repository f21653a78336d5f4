"""The project's Celery app, for the workers the fault tests start: the same tasks and settings, with faults
noticed sooner.

`celery -A tests.faults.celery_app worker` — only timings differ from production:

- kombu looks for messages of a dead worker every second (in production every 100 s, its default), so a
  message unacknowledged for longer than the visibility timeout (CELERY_VISIBILITY_TIMEOUT, 5 s in these
  tests) comes back within seconds;
- the import tasks retry after at most a second (in production: 15 s, doubled per try, with jitter).
"""

from celery.app import autoretry

from factcheck.celery import app

app.conf.broker_transport_options = {
    **app.conf.broker_transport_options,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}


def at_most_a_second(*, factor, retries, maximum, full_jitter=False):
    return 1


autoretry.get_exponential_backoff_interval = at_most_a_second
