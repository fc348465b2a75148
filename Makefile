# itstrat — the two commands a new user needs:
#   make run    install what is missing, build, load the demo strategy, serve it
#   make test   install what is missing, build, run every test, then all again
#               under AddressSanitizer + UndefinedBehaviorSanitizer
# Everything is built by CMake; this file only strings the steps together.

BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
DEMO_DB    ?= demo.db
DEMO_JSON  := data/demo/ilo-it-strategy-2018-21.json
ITSTRAT    := $(BUILD)/itstrat

.PHONY: all deps build asan run demo test test-fast test-asan fuzz bench clean

all: build

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DITSTRAT_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j$(JOBS)

# The demo database is rebuilt from the committed document every time, so
# `make run` always shows exactly what data/demo holds.
demo: build
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	@$(ITSTRAT) import --db $(DEMO_DB) $(DEMO_JSON)

LISTEN ?= 127.0.0.1:8080

run: demo
	@$(ITSTRAT) summary --db $(DEMO_DB)
	@echo
	@$(ITSTRAT) init --db $(DEMO_DB)
	@echo
	@echo "Open http://$(LISTEN)/ in a browser: the demo strategy is public, no login needed."
	@echo "To edit, sign in at http://$(LISTEN)/login as admin with the password just above"
	@echo "(a new one each 'make run'; add people with 'itstrat user add LOGIN --role ROLE --db $(DEMO_DB)')."
	@$(ITSTRAT) serve --db $(DEMO_DB) --listen $(LISTEN)

test: test-fast test-asan

test-fast: build
	@ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

test-asan: asan
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j$(JOBS)

# libFuzzer targets (clang); runs each for FUZZ_SECONDS on its corpus.
FUZZ_SECONDS ?= 60
fuzz: deps
	@CC=clang cmake -S . -B build-fuzz -DITSTRAT_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build build-fuzz -j$(JOBS)
	@for t in build-fuzz/fuzz_*; do n=$${t##*/fuzz_}; mkdir -p fuzz/corpus/$$n; \
	  echo "== $$t ($(FUZZ_SECONDS) s)"; \
	  $$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 fuzz/corpus/$$n || exit 1; done

bench: build
	@bash bench/run.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
