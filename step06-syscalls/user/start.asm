; start.asm - where every user program begins, before main.
;
; The kernel (or Linux) leaves on the stack what the System V i386 ABI
; says: argc at [esp], then the argv pointers, a NULL, the envp pointers, a
; NULL, and the auxiliary vector. main gets argc and argv; what it returns
; becomes the exit status.

bits 32
section .text
global _start
extern main

_start:
    xor ebp, ebp                ; the outermost frame, for debuggers
    mov eax, [esp]              ; argc
    lea ecx, [esp + 4]          ; argv
    and esp, -16                ; the ABI wants a 16-byte aligned stack at calls
    sub esp, 8
    push ecx
    push eax
    call main
    mov ebx, eax                ; exit_group(main's result)
    mov eax, 252
    int 0x80
    ud2                         ; never reached
