# The two commands of the README: `make run` and `make test`. Each makes its own
# virtualenv in .venv on first use, so both work from a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test train fuzz browser-deps bench bench-scale bench-store bench-view bench-split bench-fuzz bench-load bench-ask bench-page clean

run: $(VENV)/.installed
	$(BIN)/kg build seeds -o output

test: $(VENV)/.installed-test browser-deps
	$(BIN)/python -m pytest -q

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

# The word lists (kg/data/lexicon.json: the seed vocabulary weighed on the annotated train part), the
# program judge (kg/data/programs_model.json), then the measured precision of each way a program is
# linked to its runners, places and amounts (kg/data/links_model.json), from the train part of ../shared's
# corpus: the same inputs give the same files byte for byte. Building never needs this.
train: $(VENV)/.installed-train
	$(BIN)/python tools/derive_lexicon.py
	$(BIN)/python tools/train_programs.py
	$(BIN)/python tools/train_links.py

$(VENV)/.installed-train: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[train]'
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

# The long property run: over ten thousand random and mutated pages through the whole extraction.
fuzz: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q tests/test_fuzz.py --hypothesis-profile=fuzz --hypothesis-show-statistics

# Debian's chromium, its driver and a CJK font for the browser test. Best effort:
# without root or apt the browser test skips and says why.
browser-deps:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null && fc-list 2>/dev/null | grep -qi wenquanyi; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing chromium, chromium-driver and fonts-wqy-microhei for the browser test"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei >/dev/null) \
		|| echo "could not install chromium; the browser test will skip"; \
	else echo "chromium not installed and no root to install it; the browser test will skip"; fi

# Speed and memory of a build on the seeds and on the seeds repeated 20 times.
bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_build.py

# Throughput by stage against bare jieba, --jobs 1 vs 2, and a store build, on 1 and 10 MB corpora
# (pass sizes: make bench-scale SIZES="1 10 30").
SIZES ?= 1 10
bench-scale: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_scale.py $(SIZES)

# A store after one file changed or removed, and kg serve --store to its first answer, at 1 and 30 MB
# (make bench-store STORE_ARGS="--old /tmp/kg-old" pairs them with an older checkout; kept in /tmp/kg-bench-store).
bench-store: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_store.py $(STORE_ARGS)

# Every saved query and kg stats on a graph file and on a store of a 30 MB corpus, as whole processes
# (make bench-ask ASK_ARGS="--old /tmp/kg-old" compares with an older checkout; the corpus stays in /tmp/kg-bench-ask).
bench-ask: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_ask.py $(ASK_ARGS)

# Split and extraction time of 0.1-20 MB pages (linear in page size).
bench-split: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_split.py

# Time per page over 10,000 pages drawn as make fuzz draws them (numbers of thousands of digits,
# keyword-dense lines of 15-60 KB): the 99.9th percentile must stay under 2 s.
bench-fuzz: $(VENV)/.installed-test
	$(BIN)/python benchmarks/bench_fuzz.py

# 20 clients x 60 s of saved queries on loopback, alone and beside slowloris, runaway and erring clients
# (the abusers from 127.0.0.2, ...; make bench-load LOAD_ARGS="--seconds 30").
bench-load: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_load.py $(LOAD_ARGS)

# The static page at 30 MB: kg build with and without it, and kg view, wall and peak RSS
# (make bench-page PAGE_ARGS="--old /tmp/kg-old" pairs them with an older checkout).
bench-page: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_page.py $(PAGE_ARGS)

# Time for the view of a 5,000-node graph to open, draw its first frame, search and expand in headless
# Chromium; then the explorer kg serve serves (/browse) on stores of 1 and 30 MB: its first view and each
# call of its API (a 30 MB store takes minutes to make; give one: make bench-view BROWSE_ARGS="--store 30=/tmp/ask/S30").
bench-view: $(VENV)/.installed-test browser-deps
	$(BIN)/python benchmarks/bench_view.py
	$(BIN)/python benchmarks/bench_browse.py $(BROWSE_ARGS)

clean:
	rm -rf output/graph.ttl output/graph.html output/ontology.ttl output/kg-build.json output/current \
		output/.kg-builds .pytest_cache
