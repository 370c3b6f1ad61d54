# The course's top level. Each stepNN-*/ folder is a complete kernel with its
# own Makefile; these targets pick a step or run across all of them.
#
#   make run [STEP=NN]     boot the latest finished step (or step NN) in QEMU
#   make test              every test of every finished step, and the harness
#   make debug [STEP=NN]   QEMU stopped at the start, gdb attached, break at kmain
#   make bochs [STEP=NN]   boot in Bochs
#   make screenshots       the book's screenshots, from real runs
#   make bench [ARGS=...]  step05's kernel heap against glibc malloc, on the host
#   make book              the book: book/out/html/, book/out/book.pdf, book/out/book.epub
#   make clean

FINISHED := $(patsubst %/Makefile,%,$(sort $(wildcard step*-*/Makefile)))
STEP     ?= $(patsubst step%,%,$(firstword $(subst -, ,$(lastword $(FINISHED)))))
STEP_DIR := $(firstword $(filter step$(STEP)-% step0$(STEP)-%,$(FINISHED)))

run debug bochs: check-step
	@$(MAKE) --no-print-directory -C $(STEP_DIR) $@

test:
	@tools/need test
	@python3 tests/run.py $(if $(T),-k "$(T)")

book:
	@tools/need book
	@python3 book/build.py $(if $(BOOK_OUT),--out "$(BOOK_OUT)")

screenshots:
	@tools/need run
	@for dir in $(FINISHED); do tools/screenshot $$dir book/images/$$dir.png || exit 1; done

bench:
	@$(MAKE) --no-print-directory -s -C bench
	@bench/build/heap_bench $(ARGS)

check-step:
	@if [ -z "$(STEP_DIR)" ]; then \
	    echo "error: no finished step $(STEP). Finished steps: $(FINISHED)"; exit 1; fi

clean:
	@for dir in $(FINISHED); do $(MAKE) --no-print-directory -C $$dir clean; done

.PHONY: run debug bochs test book screenshots bench check-step clean
