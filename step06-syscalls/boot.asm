; boot.asm - the boot sector: the 512 bytes the BIOS loads at 0x7C00.
;
; It asks the BIOS for its memory map, loads the kernel from the disk with
; LBA reads, enables the A20 line, switches the CPU to 32-bit protected mode
; and jumps to the kernel.
; The Makefile assembles it with -DKERNEL_SECTORS=n, the kernel's size, and
; -DFS_SECTORS=n, the size of the file system that follows the kernel.

%assign KERNEL_ADDR 0x10000     ; the kernel is loaded, and linked, at 64 KiB
%assign KERNEL_END  0x80000     ; above 512 KiB the BIOS may keep its EBDA
%assign MAX_SECTORS (KERNEL_END - KERNEL_ADDR) / 512
%assign MEMORY_MAP 0x1000      ; the memory map for the kernel: a 16-bit end
                                ; address, then 24-byte entries from 0x1004, in
                                ; free RAM (0x500-0x7BFF) but off page 0, which C
                                ; compilers treat as the null pointer's page
%assign MAP_ENTRIES 32          ; at most this many entries
%assign CHUNK 64                ; sectors per BIOS call: 32 KiB, so no read
                                ; crosses a 64 KiB DMA boundary

%ifndef FS_SECTORS
  %assign FS_SECTORS 0
%endif
%ifndef KERNEL_SECTORS
  %error assemble with -DKERNEL_SECTORS=n (the Makefile does this)
%elif KERNEL_SECTORS > MAX_SECTORS
  %error kernel too large: KERNEL_SECTORS sectors, the boot sector loads at most MAX_SECTORS (KERNEL_END minus KERNEL_ADDR)
%endif

bits 16
org 0x7C00

    jmp short start
    nop
    times 90 - ($ - $$) db 0    ; room for a BIOS Parameter Block: a BIOS that
                                ; boots a USB stick as a floppy may write here

start:
    cli
    xor ax, ax                  ; the BIOS promises CS:IP = 0x7C00 but not how:
    mov ds, ax                  ; 07C0:0000 and 0000:7C00 are both seen, so
    mov es, ax                  ; set every segment register ourselves
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov sp, 0x7C00              ; the stack grows down from below this sector
    jmp 0:.cs_is_zero
.cs_is_zero:
    sti
    mov [boot_drive], dl        ; the BIOS passes the boot drive in DL

    mov si, msg_boot
    call print

memory_map:                     ; int 15h, EAX=E820h: one entry of the map per call
    mov di, MEMORY_MAP + 4      ; ES:DI, where the BIOS writes the entry
    xor ebx, ebx                ; the continuation value: 0 asks for the first
.next:
    mov eax, 0xE820
    mov edx, 0x534D4150         ; 'SMAP', the signature the call requires
    mov ecx, 24                 ; room for the ACPI 3.0 extended attributes
    mov byte [di + 20], 1       ; bit 0 set: "valid", if the BIOS writes only 20
    int 0x15
    jc .done                    ; carry: no more entries (or no E820 at all)
    add di, 24
    test ebx, ebx               ; EBX = 0 after the last entry
    jz .done
    cmp di, MEMORY_MAP + 4 + 24 * MAP_ENTRIES
    jb .next
.done:
    mov [MEMORY_MAP], di        ; the kernel counts entries from this end address

    mov ah, 0x41                ; int 13h extensions present? (AH=41h, BX=55AAh)
    mov bx, 0x55AA
    mov dl, [boot_drive]
    int 0x13
    jc no_lba
    cmp bx, 0xAA55
    jne no_lba
    test cl, 1                  ; bit 0: "disk address packet" reads supported
    jz no_lba

load_kernel:                    ; read CHUNK sectors at a time until none are left
    mov ax, CHUNK
    cmp [sectors_left], ax
    jae .read
    mov ax, [sectors_left]
.read:
    mov [dap.count], ax
    mov si, dap
    mov ah, 0x42                ; extended read: DS:SI points to the packet
    mov dl, [boot_drive]
    int 0x13
    jc disk_error
    mov ax, [dap.count]
    sub [sectors_left], ax
    add [dap.lba], ax
    shl ax, 5                   ; 512-byte sectors to 16-byte paragraphs
    add [dap.segment], ax
    cmp word [sectors_left], 0
    jne load_kernel

enable_a20:                     ; without A20, address bit 20 is forced to 0
    mov ax, 0x2401              ; ask the BIOS first
    int 0x15
    in al, 0x92                 ; then "fast A20", bit 1 of system control port A
    test al, 2
    jnz .done
    or al, 2
    and al, 0xFE                ; bit 0 would reset the machine
    out 0x92, al
.done:

    cli                         ; no BIOS from here on: its handlers are 16-bit
    lgdt [gdt_descriptor]
    mov eax, cr0
    or eax, 1                   ; CR0.PE: protected mode (Intel SDM 3A, 9.9.1)
    mov cr0, eax
    jmp CODE_SEG:protected_mode ; a far jump loads CS and flushes the prefetch

no_lba:
    mov si, msg_no_lba
    jmp fail
disk_error:
    mov si, msg_disk
fail:
    call print
.halt:
    hlt
    jmp .halt

print:                          ; print the string at DS:SI with the BIOS
    lodsb
    test al, al
    jz .done
    mov ah, 0x0E                ; teletype output
    mov bx, 0x0007
    int 0x10
    jmp print
.done:
    ret

bits 32
protected_mode:
    mov ax, DATA_SEG
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov ss, ax
    mov esp, KERNEL_ADDR        ; a first stack just below the kernel
    jmp KERNEL_ADDR             ; entry.asm's _start is the first byte

; The GDT: a null entry, then flat 4 GiB code and data segments for ring 0
; (Intel SDM 3A, 3.4.5). Base 0, limit 0xFFFFF in 4 KiB units, 32-bit.
gdt:
    dq 0
    dq 0x00CF9A000000FFFF       ; 0x08: code, present, ring 0, execute/read
    dq 0x00CF92000000FFFF       ; 0x10: data, present, ring 0, read/write
gdt_descriptor:
    dw gdt_descriptor - gdt - 1
    dd gdt
CODE_SEG equ 0x08
DATA_SEG equ 0x10

dap:                            ; disk address packet for int 13h AH=42h
    db 16, 0
.count:   dw 0
.offset:  dw 0
.segment: dw KERNEL_ADDR >> 4
.lba:     dq 1                  ; the kernel starts right after this sector

sectors_left: dw KERNEL_SECTORS
boot_drive:   db 0
msg_boot:     db "Booting", 13, 10, 0
msg_no_lba:   db "No LBA disk reads", 0
msg_disk:     db "Disk error", 0

; One active partition covering the kernel. A BIOS that finds it boots a USB
; stick as a hard disk (drive 80h), where LBA reads work. The second one is
; the file system, where the kernel (fs.c) finds it.
    times 0x1BE - ($ - $$) db 0
    db 0x80, 0xFE, 0xFF, 0xFF   ; active; CHS start unused ("use LBA")
    db 0xDA, 0xFE, 0xFF, 0xFF   ; type DAh, "non-filesystem data"; CHS end unused
    dd 1, KERNEL_SECTORS        ; first sector (LBA) and size
    db 0x00, 0xFE, 0xFF, 0xFF   ; not active
    db 0xDA, 0xFE, 0xFF, 0xFF
    dd 1 + KERNEL_SECTORS, FS_SECTORS
    times 510 - ($ - $$) db 0
    dw 0xAA55                   ; the boot signature the BIOS checks
