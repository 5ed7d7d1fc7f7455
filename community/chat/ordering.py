"""One sender at a time per group, from the insert until the broadcast has gone out.

Without it, two messages committed a moment apart can be broadcast in the opposite order, and a
client that drops between them and catches up 'after the newest id it saw' would miss one. Held
across commit and emit, ids, commits and broadcasts all run in the same order.

Senders in this process queue on a lock in this process. With REDIS_URL (several processes) the
one at the head of that queue then also takes the group's lock in Redis. Redis locks are polled,
so letting every waiting thread poll Redis burns the CPU the holder needs and, under load, feeds
on itself; with the local lock first, at most one thread per process polls.
"""
import logging
import threading
import time
from contextlib import contextmanager

import redis
from flask import current_app

WAIT_SECONDS = 5  # a stuck holder is given up on; the send then fails cleanly and can be retried
HOLD_SECONDS = 10  # a crashed holder's Redis lock expires on its own
_locks: dict[int, threading.Lock] = {}
_locks_guard = threading.Lock()


class Busy(Exception):
    pass


def _redis_client():
    client = current_app.extensions.get("chat_order_redis")
    if client is None:
        client = current_app.extensions["chat_order_redis"] = redis.Redis.from_url(current_app.config["REDIS_URL"])
    return client


def _local_lock(group_id: int) -> threading.Lock:
    lock = _locks.get(group_id)
    if lock is None:
        with _locks_guard:
            lock = _locks.setdefault(group_id, threading.Lock())
    return lock


@contextmanager
def in_order(group_id: int):
    deadline = time.monotonic() + WAIT_SECONDS
    local = _local_lock(group_id)
    if not local.acquire(timeout=WAIT_SECONDS):
        raise Busy
    try:
        if current_app.config.get("REDIS_URL"):
            with _shared_lock(group_id, max(0.0, deadline - time.monotonic())):
                yield
        else:
            yield
    finally:
        local.release()


@contextmanager
def _shared_lock(group_id: int, wait_seconds: float):
    # Holders keep it for a few milliseconds, so poll often (redis-py's default is 100 ms).
    lock = _redis_client().lock(f"common-ground:chat:order:{group_id}", timeout=HOLD_SECONDS,
                                blocking_timeout=wait_seconds, sleep=0.002)
    try:
        acquired = lock.acquire()
    except redis.exceptions.ConnectionError:
        # Redis is down. Storing the message (and any escalation) matters more than keeping its
        # broadcast in order with other processes' for a moment: go on under the local lock.
        logging.getLogger(__name__).warning("Redis unreachable; group %s's sends ordered in this process only",
                                            group_id)
        yield
        return
    if not acquired:
        raise Busy
    try:
        yield
    finally:
        try:
            lock.release()
        except redis.exceptions.LockError:  # held past HOLD_SECONDS; it has expired already
            pass
