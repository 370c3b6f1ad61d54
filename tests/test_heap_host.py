"""step05's kernel heap (heap.c), tested on the host: tests/host builds it into
an ordinary program with AddressSanitizer and UBSan, which tries each function
at its edges and with misuse, then checks random operations against a model."""

import pytest

# test_format_host builds in tests/host too, under a lock, so builds never overlap.
from test_format_host import run_host_test

pytestmark = pytest.mark.group("step05")


def run_heap_test(*args):
    return run_host_test("heap_test", "heap", *args)


@pytest.mark.title("heap: unit and misuse tests on the host (ASan, UBSan)")
def test_heap_unit():
    run_heap_test("-u")


@pytest.mark.title("heap: 1,000,000 random operations against a model (ASan, UBSan)")
def test_heap_model():
    run_heap_test("-m", "1000000")
