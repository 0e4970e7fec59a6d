"""The garbage collector's pause is one switch for the whole process: blocks that overlap
in different threads (gunicorn's gthread workers) never leave it off."""

import gc
import threading

import pytest

from peg.memoria import senza_raccolta


@pytest.fixture(autouse=True)
def raccolta_attiva():
    gc.enable()
    yield
    gc.enable()


def test_two_blocks_that_interleave_leave_the_collector_on():
    # A starts, B starts, A ends, B ends: with one flag per block B remembered "off".
    a, b = senza_raccolta(), senza_raccolta()
    a.__enter__()
    b.__enter__()
    a.__exit__(None, None, None)
    assert not gc.isenabled()  # B is still running
    b.__exit__(None, None, None)
    assert gc.isenabled()


def test_blocks_in_threads_leave_the_collector_on():
    partiti, fine = threading.Barrier(4), threading.Event()

    def blocco():
        with senza_raccolta():
            partiti.wait()
            fine.wait()

    threads = [threading.Thread(target=blocco) for _ in range(3)]
    for t in threads:
        t.start()
    partiti.wait()
    assert not gc.isenabled()
    fine.set()
    for t in threads:
        t.join()
    assert gc.isenabled()


def test_a_collector_paused_by_someone_else_stays_paused():
    gc.disable()
    with senza_raccolta():
        pass
    assert not gc.isenabled()


def test_an_error_in_the_block_still_turns_it_back_on():
    with pytest.raises(ValueError), senza_raccolta():
        raise ValueError
    assert gc.isenabled()
