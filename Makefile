# What people type. The logic lives in Maven and the code; see README.md.
MVN ?= mvn -B

.PHONY: build run test format clean

## build: compile, package and install every module (no tests)
build:
	$(MVN) -q install -DskipTests

## run: start the whole platform on localhost (API on :8000); Ctrl-C stops it
run: build
	$(MVN) -q -pl dev/stack exec:exec

## test: unit, reconciler and end-to-end tests, plus the formatting check
test:
	$(MVN) install

## format: rewrite sources with google-java-format
format:
	$(MVN) -q spotless:apply

## clean: remove build output and the embedded stack's state (.stack/)
clean:
	$(MVN) -q clean
	rm -rf .stack
