# auctionsim: make run | make test | make test-long | make bench | make lint
GO ?= go
BIN := bin/auctionsim

.PHONY: run build test test-long bench bench-floor bench-memory lint golden clean

run: build
	./$(BIN)

# The version auctionsim version prints: git describe, empty outside a git
# checkout (a tarball), where the binary falls back to its build's own
# information (cli.Version). Stamped with -X, which works whether or not
# the build stamps VCS information (-buildvcs=false).
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null)

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/auctionsim

# The fast tier, under the race detector: the long statistical tests skip
# themselves under -short and run in test-long.
test:
	$(GO) vet ./...
	$(GO) test -race -short -timeout 30m ./...

# The long tier: every test, the long statistical ones included, without
# the race detector.
test-long:
	$(GO) test -timeout 30m ./...

# Benchmarks: figures go into BENCHMARKS.md with the command that made them.
bench:
	$(GO) test -short -run '^$$' -bench . -benchmem ./...

# The engine against its floor on the perf world (BENCHMARKS.md, "The
# floor"): BenchmarkFloorRatio alternates the two and reports engine/floor;
# BenchmarkFloorRatioPipeline adds the engine with its draw pipeline on a
# second core, in wall time (BENCHMARKS.md, "A draw pipeline").
bench-floor:
	$(GO) test ./sim -run '^$$' -bench 'Floor|EnginePerf' -benchtime 1000000x -count 5 -benchmem

# The engine's memory after 1M and after 100M auctions (a minute or two).
bench-memory:
	$(GO) test -run '^$$' -bench MemoryFlat -benchtime 1x ./sim

# staticcheck, pinned, when the module proxy serves it (a machine offline
# warns and goes on: gofmt and vet still gate).
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

lint:
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...
	@if $(GO) run $(STATICCHECK) -version >/dev/null 2>&1; then \
		echo "$(GO) run $(STATICCHECK) ./..."; $(GO) run $(STATICCHECK) ./...; \
	else echo "warning: staticcheck could not be fetched; skipped" >&2; fi

# The command line's outputs against BASE's (a revision, HEAD by default)
# over a fixed set of deterministic commands, wall-clock figures masked
# (.ci/golden): a change's every difference must be one it meant.
BASE ?= HEAD

golden:
	.ci/golden $(BASE)

clean:
	rm -rf bin
