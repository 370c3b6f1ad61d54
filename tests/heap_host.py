"""step05's kernel heap (heap.c), tested on the host: tests/host builds it into
an ordinary program with AddressSanitizer and UBSan, which tries each function
at its edges and with misuse, then checks random operations against a model."""

from harness import test
# format_host builds in tests/host too, under a lock, so builds never overlap.
from format_host import run_host_test


def run_heap_test(*args):
    return run_host_test("heap_test", "heap", *args)


@test("step05", "heap: unit and misuse tests on the host (ASan, UBSan)")
def heap_unit_tests():
    run_heap_test("-u")


@test("step05", "heap: 1,000,000 random operations against a model (ASan, UBSan)")
def heap_model():
    run_heap_test("-m", "1000000")
