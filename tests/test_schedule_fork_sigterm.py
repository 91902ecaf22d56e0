"""A forked read worker under `schedule` still ends on SIGTERM (review): it inherited
the scheduler's handler, which returned in a child, so a pool terminating a stuck
worker (`proc.terminate(); proc.join()`) waited for ever."""

from __future__ import annotations

import multiprocessing
import threading
import time

from reseausync import schedule


class _Schedule:
    reload = None
    running = True
    stop = threading.Event()

    def log(self, text: str) -> None:
        pass


def _stuck() -> None:
    time.sleep(60)


def test_a_forked_worker_under_schedule_ends_on_sigterm() -> None:
    previous = schedule._install_signals(_Schedule())   # type: ignore[arg-type]
    try:
        worker = multiprocessing.get_context("fork").Process(target=_stuck, daemon=True)
        worker.start()
        time.sleep(0.3)                 # the child is running, with the handler
        worker.terminate()
        worker.join(timeout=10)
        alive = worker.is_alive()
        if alive:
            worker.kill()
            worker.join()
    finally:
        schedule._restore_signals(previous)
    assert not alive
