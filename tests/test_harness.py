"""The harness names a broken kernel correctly. Each test builds a copy of
step01 with a broken kmain.c and checks the kind of the failure."""

import os

import pytest

from harness import Failure, Qemu, copy_step, make
from test_step01 import check_red_screen

pytestmark = pytest.mark.group("harness")

BROKEN = {
    "triple fault": """void kmain(void)
{   /* an empty IDT, then an interrupt: #GP, #DF, and a triple fault */
    static const struct { unsigned short limit; unsigned int base; }
        __attribute__((packed)) empty = { 0, 0 };
    __asm__ volatile("lidt %0; int3" : : "m"(empty));
}
""",
    "hang": "void kmain(void) { for (;;) { } }\n",
    "kernel panic": """void kmain(void)
{
    const char *s = "KERNEL PANIC: on purpose\\nstep01: ready\\n";
    while (*s)
        __asm__ volatile("outb %0, $0xe9" : : "a"(*s++));
    for (;;) { }
}
""",
    "wrong output": """void kmain(void)
{   /* a blue screen instead of a red one */
    for (int i = 0; i < 2000; i++)
        ((volatile unsigned short *)0xB8000)[i] = 0x1F20;
    const char *s = "step01: ready\\n";
    while (*s)
        __asm__ volatile("outb %0, $0xe9" : : "a"(*s++));
    for (;;) { }
}
""",
    "build failed": "void kmain(void) { this is not C }\n",
}


def named(kind):
    folder = copy_step("step01", {"kmain.c": BROKEN[kind]}, build=True)
    try:
        make(folder, "all")
        build = os.path.join(folder, "build")
        with Qemu(os.path.join(build, "os.img")) as machine:
            machine.wait_for("step01: ready", timeout=3)
            check_red_screen(machine)
    except Failure as failure:
        if failure.kind != kind:
            raise Failure("wrong output", f"a kernel broken as '{kind}' was named "
                          f"'{failure.kind}':\n{failure}")
        for part in ("Screen:", "Last output lines") if kind != "build failed" else ():
            if part not in failure.report:
                raise Failure("wrong output", f"the '{kind}' report lacks '{part}':\n{failure}")
        return failure
    raise Failure("wrong output", f"a kernel broken as '{kind}' passed the step01 checks")


@pytest.mark.parametrize("kind", BROKEN, ids=[k.replace(" ", "-") for k in BROKEN])
@pytest.mark.title("a broken kernel is named: {kind}")
def test_named(built, kind):
    built("step01")
    named(kind)


@pytest.mark.title("a triple fault report names the faulting instruction")
def test_triple_fault_chain(built):
    built("step01")
    failure = named("triple fault")
    if "breakpoint" not in str(failure) or "kmain+" not in str(failure):
        raise Failure("wrong output", "the report does not name the int3 in kmain:\n" + str(failure))
