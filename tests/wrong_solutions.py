"""Wrong solutions, as a student might write them: for each exercise, edits to
its reference solution, (old text, new text) pairs, each old text found once
in the region. tests/test_wrong_solutions.py puts each into every copy of the
region and proves that the exercise's tests then lose points. A wrong
solution that earns full marks means the exercise's tests must get stronger;
it never leaves this list."""

WRONG = {
    "step01-paint": {
        "the last cell left out": [("i < COLS * ROWS;", "i < COLS * ROWS - 1;")],
        "character and attribute swapped": [("WHITE_ON_RED << 8 | ' '", "' ' << 8 | WHITE_ON_RED")],
    },
    "step01-message": {
        "one column to the left": [("row[4 + i]", "row[3 + i]")],
        "no attribute: black on black": [("WHITE_ON_RED << 8 | msg[i]", "msg[i]")],
    },
    "step01-halt": {
        "a busy loop, never halted": [('    for (;;)\n        __asm__ volatile("hlt");',
                                       "    for (;;)\n        ;")],
        "interrupts on before halting, with no IDT": [('volatile("hlt")',
                                                       'volatile("sti; hlt")')],
    },
    "step02-scroll": {
        "the last row not blanked": [("    for (int i = 0; i < VGA_COLS; i++)\n"
                                      "        VGA_TEXT[(VGA_ROWS - 1) * VGA_COLS + i] = cell(' ');\n",
                                      "")],
        "the row not moved back onto the screen": [("    row = VGA_ROWS - 1;\n", "")],
    },
    "step02-cursor": {
        "high and low bytes swapped": [("outb(CRTC_DATA, pos >> 8);\n    outb(CRTC_INDEX, CURSOR_LOW);\n"
                                        "    outb(CRTC_DATA, pos & 0xFF);",
                                        "outb(CRTC_DATA, pos & 0xFF);\n    outb(CRTC_INDEX, CURSOR_LOW);\n"
                                        "    outb(CRTC_DATA, pos >> 8);")],
        "row and column swapped": [("row * VGA_COLS + col", "col * VGA_COLS + row")],
    },
    "step02-tab-backspace": {
        "a tab at a stop stays there": [("(col + 8) & ~7", "(col + 7) & ~7")],
        "backspace past column 0": [("        if (col > 0)                /* never back past the "
                                     "start of the row */\n            col--;",
                                     "        col--;")],
    },
    "step03-negative": {
        "the minus sign forgotten": [('n < 0 ? "-" : ""', '""')],
        "zero printed as -0": [('n < 0 ? "-" : ""', 'n <= 0 ? "-" : ""')],
    },
    "step03-snprintf": {
        "no room kept for the NUL": [("b->used + 1 < b->size", "b->used < b->size")],
        "one byte too few": [("b->used + 1 < b->size", "b->used + 2 < b->size")],
    },
    "step03-panic": {
        "not in white on red": [("    vga_set_colour(VGA_WHITE, VGA_RED);\n", "")],
        "the message itself forgotten": [("    kformat(console_out, 0, fmt, args);\n", "")],
    },
    "step04-shift-caps": {
        "Shift with Caps Lock still upper case": [
            ("    else if (caps_lock && c >= 'A' && c <= 'Z')\n"
             "        c += 'a' - 'A';         /* Shift with Caps Lock gives lower case */\n", "")],
        "the right Shift key forgotten": [("shift_left || shift_right", "shift_left")],
    },
    "step04-ticks": {
        "seconds in thousands of ticks": [("t / TIMER_HZ,", "t / 1000,")],
        "the dropped keys not counted": [("keyboard_dropped());", "0);")],
    },
    "step04-crash-registers": {
        "cs and eflags swapped": [("r->eip, r->cs, r->eflags", "r->eip, r->eflags, r->cs")],
        "the error code left out": [('    kprintf("  error code 0x%08x\\n", r->error);\n', "")],
    },
    "step05-coalesce": {
        "the freed block not marked free before merging": [("    b->magic = BLOCK_FREE;\n", "")],
        "never merged with the block after": [("    if (after->magic == BLOCK_FREE) {\n"
                                               "        unlist(after);",
                                               "    if (0) {\n        unlist(after);")],
        "never merged with the block before": [("    if (before) {", "    if (0 && before) {")],
    },
    "step05-double-free": {
        "any block not in use called a double free": [("if (b->magic == BLOCK_FREE) {",
                                                       "if (b->magic != BLOCK_USED) {")],
        "warned, then freed again": [("caller);\n        return NULL;\n    }",
                                      "caller);\n    }")],
    },
    "step05-memmap": {
        "the 4 GiB limit forgotten": [("        if (to > 0x100000000ull)\n"
                                       "            to = 0x100000000ull;", "")],
        "a region wholly below 1 MiB counted, its size wrapped": [
            ("if (to > from && to - from > best_size)", "if (to - from > best_size)")],
    },
    "step06-write-check": {
        "only the first byte checked": [("user_in(va, n)", "user_in(va, 1)")],
        "said, but not stopped": [("    if (!buf)\n        return -EFAULT;",
                                   "    if (!buf)\n        kprintf(\"write: bad pointer\\n\");")],
    },
    "step06-brk": {
        "shrinking unmaps nothing": [("    for (uint32_t page = new_top; page < old_top; "
                                      "page += PAGE_SIZE)\n        paging_unmap_user(page);\n", "")],
        "the last partial page not mapped": [("new_top = PGROUNDUP(want)",
                                              "new_top = want & ~(PAGE_SIZE - 1)")],
    },
    "step06-kill": {
        "only page faults end the program": [("r->vector < EXCEPTIONS && from_user",
                                              "r->vector == 14 && from_user")],
        "general protection and page faults only": [("r->vector < EXCEPTIONS && from_user",
                                                     "(r->vector == 13 || r->vector == 14) "
                                                     "&& from_user")],
    },
}
