# Developer entry points. Each target installs missing Debian packages, configures and builds
# what it needs (Release, ccache when present), then runs.
#
#   make run        build qpow and start a local dev node (qpow node --dev; Ctrl-C stops it)
#   make test       build and run the whole test suite
#   make bench      build and run the benchmarks
#   make sanitize   build with AddressSanitizer + UndefinedBehaviorSanitizer and run the tests
#   make fuzz       build the libFuzzer targets with clang and run each for FUZZ_SECONDS
#   make format     apply clang-format to the sources
#   make clean      remove build/

SHELL := /bin/bash
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
RELEASE_DIR := build/release
SANITIZE_DIR := build/sanitize
FUZZ_DIR := build/fuzz
FUZZ_SECONDS ?= 30
QPOW := $(RELEASE_DIR)/src/app/qpow

.PHONY: all deps configure build run test bench sanitize fuzz format clean

all: build

deps:
	@bash scripts/install-deps

$(RELEASE_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release

$(SANITIZE_DIR)/CMakeCache.txt: | deps
	cmake -S . -B $(SANITIZE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DQPOW_SANITIZE=address,undefined -DQPOW_BUILD_BENCH=OFF

configure: $(RELEASE_DIR)/CMakeCache.txt

build: deps $(RELEASE_DIR)/CMakeCache.txt
	cmake --build $(RELEASE_DIR) -j $(JOBS)

# RUN_ARGS adds flags, e.g. make run RUN_ARGS="--datadir /tmp/qpow-dev --rpc-port 18999".
run: build
	@$(QPOW) --version
	$(QPOW) node --dev $(RUN_ARGS)

test: build
	cd $(RELEASE_DIR) && ctest --output-on-failure -j $(JOBS)

bench: build
	@for b in $(RELEASE_DIR)/bench/bench_*; do echo "== $$b"; $$b; done

sanitize: deps $(SANITIZE_DIR)/CMakeCache.txt
	cmake --build $(SANITIZE_DIR) -j $(JOBS)
	cd $(SANITIZE_DIR) && ctest --output-on-failure -j $(JOBS)

$(FUZZ_DIR)/CMakeCache.txt:
	@bash scripts/install-deps --fuzz
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DQPOW_FUZZ=ON -DQPOW_BUILD_TESTS=OFF -DQPOW_BUILD_BENCH=OFF

fuzz: $(FUZZ_DIR)/CMakeCache.txt
	cmake --build $(FUZZ_DIR) -j $(JOBS)
	@for f in $(FUZZ_DIR)/fuzz/fuzz_*; do \
	  echo "== $$f ($(FUZZ_SECONDS) s)"; mkdir -p $(FUZZ_DIR)/corpus/$$(basename $$f); \
	  $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 $(FUZZ_DIR)/corpus/$$(basename $$f) \
	    2>&1 | tail -n 4 || exit 1; \
	done

format:
	find src tests bench tools -name '*.h' -o -name '*.cpp' | xargs clang-format -i

clean:
	rm -rf build
