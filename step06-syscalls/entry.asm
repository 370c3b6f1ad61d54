; entry.asm - the kernel's first instructions. linker.ld puts them at the
; very start of the image, where the boot sector jumps.

bits 32
section .text.entry
global _start
extern kmain, __bss_start, __bss_end

_start:
    mov edi, __bss_start        ; C promises zeroed globals (C11 6.7.9),
    mov ecx, __bss_end          ; but the image holds no bytes for .bss
    sub ecx, edi
    xor eax, eax
    cld
    rep stosb
    mov esp, stack_top
    call kmain
.halt:                          ; kmain should not return; if it does, stop
    cli
    hlt
    jmp .halt

section .bss
align 16
    resb 16384                  ; the kernel stack, 16 KiB
stack_top:
