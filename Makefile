# What people type. The logic lives in Maven and the code; see README.md.
MVN ?= mvn -B

.PHONY: build run test format clean helm-crds

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

.PHONY: images

## images: build the operator, api-bridge and worker images named in images/images.properties
##         with podman or docker (bases from Debian packages where no registry answers)
images:
	bash images/build.sh

## helm-crds: regenerate the CRDs and copy them into the chart (a test fails while they differ)
helm-crds:
	$(MVN) -q -pl crds process-classes
	cp crds/target/classes/META-INF/fabric8/*.media.ffmpeg-operator.io-v1.yml helm/ffmpeg-operator/crds/

.PHONY: bench bench-quick

## bench: measure the embedded stack (overhead, latency, throughput, API under wrk, upload memory,
##        operator scale, library operations, containers, webhooks, two clients sharing and a
##        parallel encode against one pod); writes docs/benchmarks.md (about 20 minutes;
##        make bench MVN="mvn -B -Dbench.only=9" runs one)
bench: build
	$(MVN) -q -Pbench -pl bench package exec:exec -Dbench.mode=full

## bench-quick: the same, shorter (4 s clip, 256 MiB upload, 2,000 tasks, a 20 s 720p clip to split,
##              fewer runs; about 5 minutes)
bench-quick: build
	$(MVN) -q -Pbench -pl bench package exec:exec -Dbench.mode=quick
