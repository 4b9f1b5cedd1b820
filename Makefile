# auctionsim: make run | make test | make bench | make lint
GO ?= go
BIN := bin/auctionsim

.PHONY: run build test bench lint fuzz clean

run: build
	./$(BIN)

build:
	$(GO) build -o $(BIN) ./cmd/auctionsim

test:
	$(GO) vet ./...
	$(GO) test -race ./...

# Benchmarks: figures go into BENCHMARKS.md with the command that made them.
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

lint:
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...

clean:
	rm -rf bin
