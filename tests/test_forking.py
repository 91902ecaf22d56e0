"""forking.Helpers.map: answers in order, this process's share done by `here`, and a
helper that fails has its message done here."""

from __future__ import annotations

import os

from reseausync.forking import Helpers


def test_map_answers_in_order_with_this_process_doing_the_first_by_here() -> None:
    with Helpers(lambda n: ("helper", n * n, os.getpid()), 2) as helpers:
        out = helpers.map([1, 2, 3], here=lambda n: ("here", n * n, os.getpid()))
    assert [(who, value) for who, value, _ in out] == [("here", 1), ("helper", 4),
                                                        ("helper", 9)]
    assert out[0][2] == os.getpid() and {out[1][2], out[2][2]}.isdisjoint({os.getpid()})


def test_a_failing_helper_has_its_message_done_here_and_gets_no_more() -> None:
    def handler(n: int) -> int:
        if n == 2:
            raise ValueError("broken")
        return n * 10

    with Helpers(handler, 2) as helpers:
        assert helpers.map([1, 2, 3], here=lambda n: -n) == [-1, -2, 30]
        assert helpers.map([4, 5, 6], here=lambda n: -n) == [-4, -5, 60]   # helper 0 gone
