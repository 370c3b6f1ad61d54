; floor.asm - the physical floor for boot times: a boot sector that does
; nothing but end the emulator, so its boot time is the emulator's own start
; up, BIOS and exit, with no kernel at all. Every step is compared with it.
;
;   nasm -f bin floor.asm -o build/floor.img     (bench.py does this)
;
; One image serves both emulators: QEMU ends at the write to isa-debug-exit
; and ignores port 0x8900; Bochs has nothing at port 0xf4 and ends when
; "Shutdown" is written to port 0x8900.

bits 16
org 0x7C00

    cli
    xor ax, ax                  ; lodsb reads DS:SI: make DS zero, as org assumes
    mov ds, ax
    cld

    mov al, 0x10                ; QEMU: isa-debug-exit (-device isa-debug-exit,
    out 0xf4, al                ; iobase=0xf4) exits with status (0x10 << 1) | 1 = 33

    mov dx, 0x8900              ; Bochs: the shutdown port, one byte at a time
    mov si, shutdown
.next:
    lodsb
    test al, al
    jz halt
    out dx, al
    jmp .next

halt:                           ; both exits are asynchronous: wait here for them
    hlt
    jmp halt

shutdown: db "Shutdown", 0

    times 510 - ($ - $$) db 0
    dw 0xAA55                   ; the BIOS boots a sector only with this mark
