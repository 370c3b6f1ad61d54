"""step05-malloc: the BIOS memory map, paging on at the ready line, a page
fault's crash screen, the heap's self-test, and the heap commands typed on
the console: meminfo, alloc, free, fill and oom."""

import os
import re
import subprocess

import pytest

from harness import STOPPED, Failure, boot, command, expect, step_dir

pytestmark = pytest.mark.group("step05")

BLOCK_1000 = 1024       # kmalloc(1000): 8-byte header, 1 guard byte, 16-byte multiple


def meminfo(machine):
    out = command(machine, "meminfo")
    m = re.search(r"heap +(\d+) bytes\r\nin use +(\d+) bytes in (\d+) blocks?\r\n"
                  r"free +(\d+) bytes in (\d+) blocks?, the largest (\d+)", out)
    expect(m, f"meminfo printed no heap figures: {out!r}", machine)
    size, used, used_blocks, free, free_blocks, largest = map(int, m.groups())
    expect(used + free == size, f"meminfo: {used} in use + {free} free is not the heap's "
           f"{size} bytes", machine)
    return dict(used=used, used_blocks=used_blocks, free=free, free_blocks=free_blocks,
                largest=largest)


def alloc(machine, n):
    out = command(machine, f"alloc {n}")
    m = re.search(rf"kmalloc\({n}\) = (0x[0-9a-f]+)", out)
    expect(m, f"alloc {n} printed no pointer: {out!r}", machine)
    address = int(m.group(1), 16)
    expect(address % 16 == 0, f"kmalloc({n}) = {address:#x} is not 16-byte aligned", machine)
    return address


def caller_in_console(machine, text):
    """The 'Called from 0x...' address must be a line of console.c."""
    m = re.search(r"Called from (0x[0-9a-f]+)", text)
    expect(m, f"the message does not give the caller's address: {text!r}", machine)
    elf = os.path.join(step_dir("step05"), "build", "kernel.elf")
    line = subprocess.run(["addr2line", "-e", elf, m.group(1)], stdout=subprocess.PIPE,
                          text=True).stdout
    expect("console.c" in line, f"the caller {m.group(1)} is {line.strip()}, not in "
           "console.c, which called kfree", machine)


@pytest.mark.title("the BIOS memory map is printed, and the heap sits in usable RAM above 1 MiB")
def test_memory_map(shared_machine):
    machine = shared_machine
    out = machine.serial()
    regions = re.findall(r"BIOS-e820: \[mem 0x([0-9a-f]{16})-0x([0-9a-f]{16})\] (\w+)", out)
    expect(len(regions) >= 3, f"fewer than 3 memory map lines on serial:\n{out}", machine)
    usable = [(int(a, 16), int(b, 16)) for a, b, kind in regions if kind == "usable"]
    expect((0, 0x9fbff) in usable, f"no usable low memory 0-0x9fbff in {regions}", machine)
    heap = re.search(r"heap: (\d+) KiB at 0x([0-9a-f]{8})-0x([0-9a-f]{8})", out)
    expect(heap, "no 'heap: N KiB at ...' line", machine)
    start, last = int(heap.group(2), 16), int(heap.group(3), 16)
    expect(start >= 0x100000 and any(a <= start and last <= b for a, b in usable),
           f"the heap {start:#x}-{last:#x} is not inside a usable region above 1 MiB",
           machine)
    expect(re.search(r"heap self-test: \d+ checks passed", out),
           "the heap self-test did not report passing", machine)


@pytest.mark.title("selftest NONCE: the heap checks itself again, and says so with the nonce")
def test_selftest_nonce(machine):
    nonce = os.urandom(4).hex()
    at_boot = re.search(r"heap self-test: (\d+) checks passed", machine.serial())
    expect(at_boot, "the self-test at boot did not pass", machine)
    alloc(machine, 300)             # the heap is no longer empty
    out = command(machine, f"selftest {nonce}")
    expect(f"heap self-test {nonce}: {at_boot.group(1)} checks passed" in out,
           f"selftest {nonce} did not pass all {at_boot.group(1)} checks: {out!r}", machine)


KERNEL_END = 0x08000000    # the kernel maps at most the first 128 MiB


@pytest.mark.title("paging is on at the ready line: CR0.PG set, the RAM mapped one to one")
def test_paging_on(shared_machine):
    machine = shared_machine
    cr0 = machine.registers()["CR0"]
    expect(cr0 & 0x80000000, f"CR0 is {cr0:#010x} at the prompt: PG (bit 31) is clear, "
           "so paging is off", machine)
    out = machine.serial()
    pages = re.search(r"pages: 0x([0-9a-f]{8})-0x([0-9a-f]{8})", out)
    mapped = re.search(r"paging on: 0x00000000-0x([0-9a-f]{8}) one to one", out)
    expect(pages and mapped, "no 'pages: ...' and 'paging on: ...' lines on serial", machine)
    expect(int(mapped.group(1), 16) >= int(pages.group(2), 16),
           f"the pages end at {pages.group(2)}, above the mapped memory's end "
           f"{mapped.group(1)}", machine)


@pytest.mark.title("crash pf: a page fault, with CR2 naming the address read")
def test_crash_page_fault(machine):
    command(machine, "crash pf", wait_for=STOPPED)
    serial = machine.serial()
    expect("KERNEL PANIC: page fault (exception 14)" in serial,
           "serial lacks 'KERNEL PANIC: page fault (exception 14)'", machine)
    detail = "cr2 0xc0001000: the address of a read, page not present"
    expect(detail in serial, f"the crash report lacks {detail!r}", machine)
    expect(machine.screen().find(detail), f"the crash screen lacks {detail!r}", machine)


def heap_for(memory):
    """The heap's first byte and the pages' last with -m memory, and the first
    and last byte of the largest usable piece of the BIOS memory map between
    1 MiB and 4 GiB."""
    with boot("step05", memory=memory) as machine:
        out = machine.serial()
        heap = re.search(r"heap: (\d+) KiB at 0x([0-9a-f]{8})-0x[0-9a-f]{8}; "
                         r"pages: 0x[0-9a-f]{8}-0x([0-9a-f]{8})", out)
        expect(heap, "no 'heap: N KiB at ...; pages: ...' line", machine)
        pieces = []
        for a, b, kind in re.findall(r"BIOS-e820: \[mem 0x([0-9a-f]{16})-0x([0-9a-f]{16})\] "
                                     r"(\w+)", out):
            start, end = max(int(a, 16), 2**20), min(int(b, 16) + 1, 2**32)
            if kind == "usable" and end > start:
                pieces.append((end - start, start, end - 1))
        expect(pieces, f"no usable memory between 1 MiB and 4 GiB in the map:\n{out}", machine)
        _, start, last = max(pieces)
        return (int(heap.group(2), 16), int(heap.group(3), 16)), (start, last)


@pytest.mark.title("the heap and pages follow the RAM QEMU is given (-m 64M, 256M, and 8G, "
                   "whose largest region lies above 4 GiB)")
def test_heap_follows_ram(built):
    built("step05")
    for memory in ("64M", "256M", "8G"):
        (start, last), best = heap_for(memory)
        # The largest usable piece between 1 MiB and 4 GiB (the kernel sits below
        # 1 MiB): a 32-bit pointer reaches no higher. The kernel maps at most
        # 128 MiB, so the pages end there.
        want = (best[0], min(best[1], KERNEL_END - 1))
        if (start, last) != want:
            raise Failure("wrong output", f"with -m {memory} the heap and pages are "
                          f"{start:#x}-{last:#x}; the largest usable piece of the memory "
                          f"map between 1 MiB and 4 GiB is {best[0]:#x}-{best[1]:#x}, "
                          f"so they should be {want[0]:#x}-{want[1]:#x}")


@pytest.mark.title("meminfo before and after alloc and free: the figures add up, blocks merge back")
def test_meminfo_alloc_free(machine):
    before = meminfo(machine)
    expect(before["used_blocks"] == 0 and before["free_blocks"] == 1,
           f"after boot the heap should be one free block: {before}", machine)
    blocks = [alloc(machine, 1000) for _ in range(3)]
    expect(blocks[1] - blocks[0] == BLOCK_1000 and blocks[2] - blocks[1] == BLOCK_1000,
           f"three kmalloc(1000) are not {BLOCK_1000} bytes apart: "
           f"{[hex(b) for b in blocks]}", machine)
    during = meminfo(machine)
    expect(during["used"] == 3 * BLOCK_1000 and during["used_blocks"] == 3,
           f"after three kmalloc(1000), meminfo says {during}", machine)
    command(machine, f"free {blocks[1]:#x}")
    holed = meminfo(machine)
    expect(holed["free_blocks"] == 2 and holed["used_blocks"] == 2,
           f"freeing the middle block should leave 2 free blocks: {holed}", machine)
    command(machine, f"free {blocks[0]:#x}")
    command(machine, f"free {blocks[2]:#x}")
    after = meminfo(machine)
    expect(after == before, f"after freeing all: {after}; at boot: {before}", machine)


@pytest.mark.title("out of memory: kmalloc returns NULL, the kernel stays up, all is freed")
def test_out_of_memory(machine):
    before = meminfo(machine)
    out = command(machine, "oom")
    m = re.search(r"kmalloc\(65536\) returned NULL after (\d+) blocks", out)
    expect(m, f"oom did not report NULL from kmalloc: {out!r}", machine)
    expected = before["free"] // (65536 + 16)
    expect(abs(int(m.group(1)) - expected) <= 2, f"oom got {m.group(1)} blocks of 64 KiB "
           f"from a heap with {before['free']} free bytes", machine)
    expect(meminfo(machine) == before, "oom did not give all its memory back", machine)
    out = command(machine, "alloc 100")
    expect("= 0x" in out, f"the heap does not work after oom: {out!r}", machine)


@pytest.mark.title("freed again after it merged into the free block before it: refused, "
                   "the heap stays whole")
def test_free_after_merge(machine):
    """The merged block's old header lies inside a free block now: it must not
    still say 'in use', or a second kfree would free it again."""
    a, b = alloc(machine, 1000), alloc(machine, 1000)
    alloc(machine, 1000)                    # keeps b away from the top
    command(machine, f"free {a:#x}")
    command(machine, f"free {b:#x}")        # merges into a's block
    merged = meminfo(machine)
    out = command(machine, f"free {b:#x}")
    expect("ignored" in out, f"the second kfree({b:#x}), after its block merged into the "
           f"one before, was not refused: {out!r}", machine)
    expect(meminfo(machine) == merged, "the heap changed after a kfree it refused", machine)


@pytest.mark.title("double free: a warning with the caller's address; the kernel goes on")
def test_double_free(machine):
    p = alloc(machine, 100)
    command(machine, f"free {p:#x}")
    out = command(machine, f"free {p:#x}")
    expect(f"kfree({p:#x}): double free" in out, f"no double free warning: {out!r}",
           machine)
    caller_in_console(machine, out)
    meminfo(machine)


@pytest.mark.title("invalid free: pointers kmalloc never returned are named and ignored")
def test_invalid_free(machine):
    p = alloc(machine, 100)
    cases = {p + 16: "it points 16 bytes into the block at",
             0x50000: "it is outside the heap",
             p + 4: "it is not 16-byte aligned"}
    for address, reason in cases.items():
        out = command(machine, f"free {address:#x}")
        expect(f"kfree({address:#x}): not a pointer kmalloc returned: {reason}" in out,
               f"free {address:#x} should say '{reason}': {out!r}", machine)
        caller_in_console(machine, out)
    state = meminfo(machine)
    expect(state["used_blocks"] == 1, f"the live block was lost: {state}", machine)


@pytest.mark.title("overrun over the guard byte: reported and repaired, the heap still works")
def test_overrun_guard(machine):
    p = alloc(machine, 100)
    q = alloc(machine, 100)
    # A kmalloc(100) block is 112 bytes, or up to 31 more when a free
    # block was too small to split; q's header then ends p's block.
    expect(112 <= q - p < 144, f"kmalloc(100) gave {p:#x} and then {q:#x}: "
           "not one block after the other", machine)
    # The room, 103 bytes or more, and the guard byte: the block's last byte
    command(machine, f"fill {p:#x} {q - p - 8}")
    out = command(machine, f"free {p:#x}")
    expect(f"kfree({p:#x}): buffer overrun" in out and "repaired" in out,
           f"an overrun over the guard byte was not reported: {out!r}", machine)
    caller_in_console(machine, out)
    state = meminfo(machine)
    expect(state["used_blocks"] == 1, f"the heap is wrong after the repair: {state}",
           machine)


@pytest.mark.title("overrun over the next header: a panic names the block and the damage")
def test_overrun_header(machine):
    p = alloc(machine, 100)
    alloc(machine, 100)
    command(machine, f"fill {p:#x} 116")   # room, guard byte, and the next header
    command(machine, f"free {p:#x}", wait_for=STOPPED)
    out = machine.serial()
    expect(f"KERNEL PANIC: heap damaged: something wrote past the end of the 103-byte "
           f"block at {p:#x}" in out, "the panic does not name the overrun block",
           machine)
    expect("magic 0xaaaaaaaa" in out, "the panic does not show the damaged magic", machine)
