/* args: print the arguments the program was started with, and exit with
 * their count, to show the stack the kernel built (argc, argv). */
#include "lib.h"

int main(int argc, char **argv)
{
    print("argc = ");
    print_number(argc);
    print("\n");
    for (int i = 1; i < argc; i++) {
        print("argv[");
        print_number(i);
        print("] = ");
        print(argv[i]);
        print("\n");
    }
    return argc - 1;
}
