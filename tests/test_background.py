"""The per-process background loops (safety watch, reminders, the journey pass): one per app and
name, none in tests, and a failing pass never stops the loop."""
import logging
import threading

from community import background


class _Stop(BaseException):
    """Ends the test's loop (the loop carries on after ordinary exceptions, by design)."""


def test_a_loop_starts_once_per_name_and_keeps_going_after_a_failed_pass(app, monkeypatch):
    calls, done = [], threading.Event()
    ended = threading.Event()
    others = threading.excepthook

    def thread_ended(args):  # our _Stop is how the test's loop ends; anything else still reports
        if args.exc_type is _Stop:
            ended.set()
        else:
            others(args)

    monkeypatch.setattr(threading, "excepthook", thread_ended)

    def run():
        calls.append(len(calls))
        if len(calls) == 1:
            raise RuntimeError("the database went away")  # the next pass must still come
        if len(calls) == 3:
            done.set()
            raise _Stop

    app.config.update(TESTING=False, TEST_LOOP_SECONDS=0.01)
    try:
        background.start_every(app, "test loop", "TEST_LOOP_SECONDS", 60, run, logging.getLogger("test"))
        background.start_every(app, "test loop", "TEST_LOOP_SECONDS", 60, run, logging.getLogger("test"))
        assert done.wait(5) and ended.wait(5), calls
    finally:
        app.config["TESTING"] = True
    assert calls == [0, 1, 2]  # one loop (a second would have doubled the calls), past its failure
    assert background.started(app, "test loop")


def test_no_loop_in_tests_or_when_set_to_zero(app):
    background.start_every(app, "in tests", "TEST_LOOP_SECONDS", 0.01, lambda: None, logging.getLogger("test"))
    app.config.update(TESTING=False, TEST_LOOP_SECONDS=0)
    try:
        background.start_every(app, "set to zero", "TEST_LOOP_SECONDS", 60, lambda: None, logging.getLogger("test"))
    finally:
        app.config["TESTING"] = True
    assert not background.started(app, "in tests") and not background.started(app, "set to zero")
