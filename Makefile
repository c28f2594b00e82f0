# Tool versions are pinned here and in tools/go.mod (oapi-codegen) and
# tools/speclint/package-lock.json (Redocly CLI, Spectral).
GOLANGCI_LINT_VERSION := v2.15.0
BENCHSTAT_VERSION     := v0.0.0-20260908200009-22c9c6c9d4da

# bash with pipefail, so that a failing command before a pipe fails the recipe.
SHELL       := /bin/bash
.SHELLFLAGS := -o pipefail -c

BIN         := $(CURDIR)/bin
GOLANGCI    := $(BIN)/golangci-lint-$(GOLANGCI_LINT_VERSION)
BENCHSTAT   := $(BIN)/benchstat-$(BENCHSTAT_VERSION)
SPECLINT    := tools/speclint/node_modules/.bin
FUZZTIME    ?= 20s
BENCHCOUNT  ?= 6

# The spec linters send no telemetry and print no update notices.
export REDOCLY_TELEMETRY := off
export REDOCLY_SUPPRESS_UPDATE_NOTICE := true
export DO_NOT_TRACK := 1

.PHONY: all generate check-generated vet test demo lint lint-go lint-spec fuzz bench clean

all: lint test

## generate: regenerate api/api.gen.go from openapi.yaml
generate:
	go generate ./...

## check-generated: fail when api/api.gen.go differs from what openapi.yaml generates
check-generated:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	sed "s#^output:.*#output: $$tmp/api.gen.go#" api/cfg.yaml > "$$tmp/cfg.yaml" && \
	go tool -modfile=tools/go.mod oapi-codegen -config "$$tmp/cfg.yaml" openapi.yaml && \
	if ! diff -u api/api.gen.go "$$tmp/api.gen.go" > "$$tmp/diff"; then \
		head -40 "$$tmp/diff"; \
		echo "api/api.gen.go is stale: run 'make generate' and commit the result" >&2; \
		exit 1; \
	fi

vet:
	go vet ./...

## test: vet, the generation drift check and every test with the race detector
test: vet check-generated
	go test -race -count=1 ./...

## demo: walk through a rollout against the fake org that ships with the module
demo:
	go run ./cmd/agentpools demo

lint: lint-go lint-spec

lint-go: $(GOLANGCI)
	$(GOLANGCI) run ./...

lint-spec: $(SPECLINT)/redocly
	$(SPECLINT)/redocly lint openapi.yaml
	$(SPECLINT)/spectral lint --fail-severity=warn --ruleset .spectral.yaml openapi.yaml

$(GOLANGCI):
	mkdir -p $(BIN)
	GOBIN=$(BIN) go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	mv $(BIN)/golangci-lint $@

$(SPECLINT)/redocly: tools/speclint/package.json tools/speclint/package-lock.json
	cd tools/speclint && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

## fuzz: run every fuzz test for FUZZTIME each
fuzz:
	@set -e; for pkg in $$(go list ./...); do \
		for target in $$(go test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "fuzz $$pkg $$target"; \
			go test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) $$pkg; \
		done; \
	done

## bench: run the benchmarks BENCHCOUNT times and summarize them with benchstat
bench: $(BENCHSTAT)
	cd benchmarks && go test -run '^$$' -bench . -benchmem -count $(BENCHCOUNT) ./... | tee $(CURDIR)/bin/bench.txt
	$(BENCHSTAT) -col /client bin/bench.txt

$(BENCHSTAT):
	mkdir -p $(BIN)
	GOBIN=$(BIN) go install golang.org/x/perf/cmd/benchstat@$(BENCHSTAT_VERSION)
	mv $(BIN)/benchstat $@

clean:
	rm -rf $(BIN) tools/speclint/node_modules
