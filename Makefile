# The course's top level. Each stepNN-*/ folder is a complete kernel with its
# own Makefile; these targets pick a step or run across all of them.
#
#   make run [STEP=NN]     boot the latest finished step (or step NN) in QEMU
#   make test [T=words]    every check of every finished step, the harness, the book
#                          and the bench, on pytest (T: pytest -k, such as T=bochs)
#                          SLOW=1: also the workshop's checks that grade a copy of
#                          the course per exercise and per wrong solution
#   make debug [STEP=NN]   QEMU stopped at the start, gdb attached, break at kmain
#   make bochs [STEP=NN]   boot in Bochs
#   make grade [STEP=NN] [T=exercise-or-words]
#                          the autograder: points per test, a score per step
#   make workshop OUT=dir  a student tree: every exercise replaced by its stub
#   make carry             in a student tree: copy each exercise's solution from its own
#                          step into the later steps' copies (grade, test, run, debug
#                          and bochs do it first)
#   make screenshots       the book's screenshots, from real runs, each with its text (a
#                          test compares them with a new run: redo after changing what they show)
#   make bench [QUICK=1] [RUNS=n] [OUT=dir] [ARGS=...]
#                          each step against the floor: boot times, builds, sizes, lines,
#                          the heap, step06 in the book's page in a browser;
#                          one table, bench/results.md and results.svg
#   make book              the book: book/out/html/, book/out/book.pdf, book/out/book.epub
#                          the teacher's edition here, the student's in a student tree
#                          (EDITION=student or reference: either one by hand)
#   make fresh             make run and make test as a new learner: on a brand-new Debian
#                          root with only git, make and sudo, from a clone of HEAD
#   make clean

# STEP given on the command line (or in the environment) limits grade to that step.
GRADE_STEP = $(if $(filter command line environment,$(origin STEP)),--step $(STEP))

# Debian's pytest (/usr/bin/pytest), on every core; the tests tell the learner
# how to reproduce a failure from the folder make was typed in ($(PWD)).
PYTEST = OS_TEST_ORIGIN="$(PWD)" pytest tests -n auto --dist loadgroup

FINISHED := $(patsubst %/Makefile,%,$(sort $(wildcard step*-*/Makefile)))
STEP     ?= $(patsubst step%,%,$(firstword $(subst -, ,$(lastword $(FINISHED)))))
STEP_DIR := $(firstword $(filter step$(STEP)-% step0$(STEP)-%,$(FINISHED)))

# A brand-new machine may have no python3 yet: only a student tree needs carry.
run debug bochs: check-step
	@! command -v python3 >/dev/null || tools/carry --quiet
	@$(MAKE) --no-print-directory -C $(STEP_DIR) $@

test:
	@tools/need test
	@tools/carry --quiet
	@$(PYTEST) $(if $(T),-k "$(T)") $(if $(SLOW),--slow) $(ARGS)

book:
	@tools/need book
	@python3 book/build.py $(if $(BOOK_OUT),--out "$(BOOK_OUT)") $(if $(EDITION),--edition $(EDITION))

grade:
	@tools/need test
	@tools/carry --quiet
	@$(PYTEST) --grade -q --tb=no -rN $(GRADE_STEP) $(if $(T),-k "$(T)") $(ARGS) $(GRADE_ARGS)

carry:
	@tools/carry

workshop:
	@if [ -z "$(OUT)" ]; then echo "usage: make workshop OUT=folder"; exit 2; fi
	@tools/workshop "$(OUT)"

screenshots:
	@tools/need run
	@tools/screenshots

bench:
	@tools/need run && tools/need bochs && tools/need build CC=clang && tools/need build CC=gcc \
	    && tools/need book && tools/need test
	@# Debian's python3, which sees the python3-* packages tools/need installs
	@# (the browser's run drives the book's page with the tests' selenium code).
	@/usr/bin/python3 bench/bench.py $(if $(QUICK),--quick) $(if $(RUNS),--runs $(RUNS)) \
	    $(if $(OUT),--out "$(OUT)") $(if $(ARGS),--heap-args "$(ARGS)")

fresh:
	@tools/fresh

check-step:
	@if [ -z "$(STEP_DIR)" ]; then \
	    echo "error: no finished step $(STEP). Finished steps: $(FINISHED)"; exit 1; fi

# tests/build/: the copies of the steps that the tests keep from run to run.
clean:
	@for dir in $(FINISHED); do $(MAKE) --no-print-directory -C $$dir clean; done
	@rm -rf tests/build

.PHONY: run debug bochs test grade carry workshop book screenshots bench fresh check-step clean
