; interrupts.asm - the first instructions of every interrupt and exception.
;
; The CPU pushes EFLAGS, CS and EIP, and for some exceptions an error code
; (Intel SDM 3A, 6.13). Each stub below makes the stack look the same for all
; 256 vectors: it pushes a zero where the CPU pushes no error code, then its
; vector number. The common part saves the registers and calls C with a
; pointer to them: a struct regs (interrupts.h).

%include "gdt.inc"               ; KERNEL_DATA, from gdt.h (see the Makefile)

bits 32
section .text
extern interrupt_dispatch

; 256 stubs, isr0 to isr255. Vectors 8, 10-14, 17, 21, 29 and 30 come with
; an error code from the CPU; the others get a zero in its place.
%assign i 0
%rep 256
isr %+ i:
%if !(i == 8 || (i >= 10 && i <= 14) || i == 17 || i == 21 || i == 29 || i == 30)
    push 0                      ; no error code from the CPU: push one
%endif
    push i                      ; the vector number
    jmp isr_common
%assign i i + 1
%endrep

isr_common:
    pushad                      ; eax, ecx, edx, ebx, esp, ebp, esi, edi
    push ds
    push es
    push fs
    push gs
    mov ax, KERNEL_DATA         ; the kernel's data segment
    mov ds, ax
    mov es, ax
    cld                         ; C code expects the direction flag clear
    push esp                    ; the argument: a pointer to struct regs
    call interrupt_dispatch
    add esp, 4
    pop gs
    pop fs
    pop es
    pop ds
    popad
    add esp, 8                  ; drop the vector number and error code
    iret

; The stubs' addresses, for idt.c.
section .rodata
global isr_stubs
isr_stubs:
%assign i 0
%rep 256
    dd isr %+ i
%assign i i + 1
%endrep
