# cairn: build, demo and test entry points.
#
#   make deps    install the Debian packages and the tests' npm packages (scripts/install-deps)
#   make build   release build of the cairn binary: build/release/src/cli/cairn
#   make demo    run the example migrations up, status, down, status
#                (against sqlite:demo.db, or $CAIRN_DATABASE_URL when it is set)
#   make test    debug build with -Werror, then every test against a throwaway PostgreSQL
#   make clean   remove build trees and the demo database
#
# JOBS=N overrides the parallelism (default: the number of cores).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build

JOBS ?= $(shell nproc 2>/dev/null || echo 2)

RELEASE_DIR := build/release
TEST_DIR    := build/test
CAIRN       := $(RELEASE_DIR)/src/cli/cairn
MIGRATIONS  := examples/migrations
DEMO_DB     := demo.db

# -O1 keeps the test build quick to compile while the tests still run at a fair speed
TEST_CXX_FLAGS := -O1 -g

.PHONY: all deps build demo test clean

all: build

deps:
	@scripts/install-deps

build: deps
	@cmake -S . -B $(RELEASE_DIR) -G Ninja --log-level=WARNING \
	  -DCMAKE_BUILD_TYPE=Release -DCAIRN_BUILD_TESTS=OFF
	@cmake --build $(RELEASE_DIR) --target cairn -j $(JOBS)

demo: build
	@if [[ -n "$${CAIRN_DATABASE_URL:-}" ]]; then \
	  url=$$CAIRN_DATABASE_URL; echo "demo database: \$$CAIRN_DATABASE_URL"; \
	else \
	  rm -f $(DEMO_DB) $(DEMO_DB)-journal $(DEMO_DB)-wal $(DEMO_DB)-shm $(DEMO_DB).cairn-lock; \
	  url=sqlite:$(DEMO_DB); echo "demo database: $$url (fresh)"; \
	fi; \
	step() { echo; echo "== cairn $$*"; $(CAIRN) -m $(MIGRATIONS) -d "$$url" "$$@"; }; \
	step up; \
	step status; \
	step down; \
	step status

test: deps
	@cmake -S . -B $(TEST_DIR) -G Ninja --log-level=WARNING \
	  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="$(TEST_CXX_FLAGS)" -DCMAKE_C_FLAGS_DEBUG="$(TEST_CXX_FLAGS)" \
	  -DCAIRN_WERROR=ON -DCAIRN_BUILD_TESTS=ON
	@ninja -C $(TEST_DIR) -j $(JOBS)
	@scripts/test-postgres -- \
	  ctest --test-dir $(TEST_DIR) --output-on-failure --no-tests=error --timeout 300 -j $(JOBS)

clean:
	rm -rf build $(DEMO_DB) $(DEMO_DB)-journal $(DEMO_DB)-wal $(DEMO_DB)-shm $(DEMO_DB).cairn-lock
