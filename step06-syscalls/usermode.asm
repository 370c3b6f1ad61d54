; usermode.asm - into ring 3, and back to the kernel when the program ends.
;
; user_enter saves the kernel's registers, as setjmp would, and starts the
; program with iret. The program then runs until it exits or faults; the
; kernel, on another stack (the TSS's esp0), calls user_return, which puts
; the saved registers back, so user_enter seems to return its status.

%include "gdt.inc"               ; USER_CODE, USER_DATA, from gdt.h (see the Makefile)

bits 32
section .text
global user_enter, user_return

; int user_enter(uint32_t eip, uint32_t esp)
user_enter:
    push ebp                    ; the registers C expects a call to keep
    push ebx
    push esi
    push edi
    mov [kernel_esp], esp
    mov eax, [esp + 20]         ; eip
    mov ecx, [esp + 24]         ; esp
    mov dx, USER_DATA
    mov ds, dx
    mov es, dx
    mov fs, dx
    mov gs, dx
    ; The frame iret pops to change privilege (Intel SDM 3A, 6.12.1): the
    ; user's SS and ESP, EFLAGS with interrupts on (IF, 0x200), CS and EIP.
    push USER_DATA
    push ecx
    push 0x202
    push USER_CODE
    push eax
    xor eax, eax                ; the program starts with clean registers,
    xor ebx, ebx                ; and edx = 0 says "no exit function" (ABI)
    xor ecx, ecx
    xor edx, edx
    xor esi, esi
    xor edi, edi
    xor ebp, ebp
    iret

; _Noreturn void user_return(int status)
user_return:
    xor edx, edx                ; fs and gs may hold the program's TLS entry,
    mov fs, dx                  ; which the next program's start clears: an
    mov gs, dx                  ; interrupt would then reload a void selector
    mov eax, [esp + 4]          ; user_enter's return value
    mov esp, [kernel_esp]
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret

section .bss
kernel_esp: resd 1
