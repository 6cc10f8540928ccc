# report/report.mk - figures and the HTML writeups; included by the Makefile.
#   make report      run whatever experiment is out of date, draw the figures that are out of
#                    date, render $(RUN)/report/index.html (figures beside it: opens offline)
#   make report SEEDS=5 (or SEEDS="0 3 7")
#                    the same, and the study over those seeds: each seed's training experiments
#                    and its own page (data/runs/seed-N/report/index.html), the statistics across
#                    the seeds (bnagg seeds) and their page, $(SEEDS_RUN)/report/index.html
#   make compare A=... B=...
#                    a page comparing two runs, each a seed number (its run folder is made or
#                    brought up to date first) or a run folder (e.g. one made by another version
#                    of the code): data/compare/<A>-vs-<B>/index.html
#   make figures     redraw every figure from the existing data files; never runs an experiment
#   make e2e-report  the end-to-end test of all this (tests/e2e_report.sh), part of `make test`
# Every rule is incremental: a second call with nothing changed runs nothing.
# REPORT_SRC lets the end-to-end test work on a copy of report/ without touching the tree.
REPORT_SRC ?= report
REPORT_OUT := $(RUN)/report
HTML       := $(REPORT_OUT)/index.html
# Figures come from the registry (src/study/registry.c, through build/experiments.mk): experiment X's
# report/NAME.gp for each NAME of $(BN_EXP_FIGURE_X) (an experiment may have several), drawn
# twice: wide (desktop) and narrow (phones: panels stacked, chosen by <picture> on the page),
# redrawn when X's completion file changes.
fig_rows    = $(foreach x,$(BN_CHECKS) $(BN_TRAININGS),$(if $(BN_EXP_$(1)_$(x)),$(x)))
fig_svgs    = $(foreach n,$(BN_EXP_FIGURE_$(1)),$(REPORT_OUT)/$(n).svg $(REPORT_OUT)/$(n)-narrow.svg)
FIGURES    := $(foreach x,$(call fig_rows,FIGURE),$(call fig_svgs,$(x)))
PROVENANCE := $(RUN)/provenance.info.tsv
RUNS_ROOT    ?= data/runs
COMPARE_ROOT ?= data/compare
# make compare: the seeds of A's configuration whose spread is the noise (0: none trained for it)
COMPARE_SEEDS ?= 10
$(if $(filter 0,$(COMPARE_SEEDS)),,$(call bn_check_int,COMPARE_SEEDS,a number of seeds for make compare's noise (0 for none),5,10000))
# an empty COMPARE_ROOT would put the compare page in /
$(call bn_check_path,RUNS_ROOT,a folder of runs)
$(call bn_check_path,COMPARE_ROOT,a folder for compare pages)

.PHONY: report report-files figures compare quiet-run quiet-report
all: build/bnreport

build/bnreport: build/obj/main_bnreport.o $(patsubst src/%.c,build/obj/%.o,$(wildcard src/report/*.c)) build/obj/base/version.o $(BASE_OBJ) build/link.args
	$(LINK) $(filter %.o,$^) -o $@ $(CMARK_LIBS) $(REPORT_LIBS) $(LDLIBS)

# $(call draw,SCRIPT,SVG[,FOLDERS[,LAYOUT]]): `gnuplot -c SCRIPT FOLDERS TMP [LAYOUT]` (FOLDERS:
# $(RUN) unless given; LAYOUT: wide or narrow, for scripts that take it) writes beside the figure, and the result replaces it only when complete, so a failed
# drawing never leaves a truncated SVG for the page to show.
# (descriptors make was given closed are open on /dev/null: the Makefile's SHELL sees to it, so
# gnuplot's figure cannot take one)
draw = mkdir -p $(dir $(2)) && tmp=$(dir $(2)).$(notdir $(2)).tmp && \
	if gnuplot -c $(1) $(or $(3),$(RUN)) $$tmp $(4) && test -s $$tmp; then mv $$tmp $(2) && echo "drew $(2)"; \
	else rm -f $$tmp; echo "gnuplot: $(1): could not draw $(2)" >&2; exit 1; fi

# Goals for sub-makes: the same work as run and report, but silent when there is nothing to do
# (make says "Nothing to be done" only for a goal without a recipe of its own).
quiet-run: run ; @:
quiet-report: report-files ; @:

# ---------------------------------------------------------------- one run: $(RUN)/report

# Each figure depends on its script and on the file its experiment writes last (so it is
# drawn from complete data); the scripts read that experiment's other files too.
$(foreach x,$(call fig_rows,FIGURE),$(eval $(call fig_svgs,$(x)): $(RUN)/$(BN_EXP_DONE_$(x))))
# the ablations' figure draws the sweep's trainings beside them
$(call fig_svgs,ablations): $(RUN)/$(BN_EXP_DONE_sweep)
$(REPORT_OUT)/%-narrow.svg: $(REPORT_SRC)/%.gp $(REPORT_SRC)/style.gp | $(DEPS_OK)
	@$(call draw,$<,$@,,narrow)
$(REPORT_OUT)/%.svg: $(REPORT_SRC)/%.gp $(REPORT_SRC)/style.gp | $(DEPS_OK)
	@$(call draw,$<,$@)

# The code excerpts link to the file at the commit on the git remote when one is set, else to
# the file in this checkout (a relative link from the page). Computed when the page is made.
SRC_URL = $$(scripts/source-url.sh $(REPORT_OUT))

# Provenance describes the code and data that produced the results, so it is redone with them,
# and with any source file (the page's code excerpts are read from src/: the provenance says
# whether they match the commit).
$(PROVENANCE): scripts/provenance.sh build/bnlab $(CHECK_FILES) $(TRAIN_FILES) $(wildcard src/*.c src/*/*.c src/*/*.h)
	scripts/provenance.sh $(RUN) build/bnlab

# The noise the page judges batchnorm - baseline by (bnagg noise): the seed-to-seed SD from a
# several-seed study of this run's configuration beside it (seeds-*), or sampling noise only;
# redone when a study appears or is redone.
NOISE := $(REPORT_OUT)/noise_model.tsv
$(NOISE): build/bnagg $(TRAIN_FILES) $(wildcard $(dir $(RUN))seeds-*/runs.info.tsv)
	build/bnagg noise $(BNQ) --out $(REPORT_OUT) $(RUN)

# The page's comparisons (bnagg findings), each judged by a verdict function: the reference
# notebook's numbers (report/reference_notebook.tsv, the only numbers on the page the run did not
# write) against the run's, the ablations against the sweep, the batch sizes against each other.
FINDINGS := $(REPORT_OUT)/ledger.tsv
$(FINDINGS): build/bnagg $(REPORT_SRC)/reference_notebook.tsv $(TRAIN_FILES) $(CHECK_FILES) \
             $(wildcard $(dir $(RUN))seeds-*/runs.info.tsv)
	build/bnagg findings $(BNQ) --out $(REPORT_OUT) $(RUN) $(REPORT_SRC)/reference_notebook.tsv
# The page: bnreport fills the template (excerpts of src/*.c included), then scripts/katex.js
# renders its equations to HTML and copies KaTeX's stylesheet and fonts beside it.
$(HTML): build/bnreport $(REPORT_SRC)/report.md $(REPORT_SRC)/style.css $(PROVENANCE) $(NOISE) $(FINDINGS) \
         $(CHECK_FILES) $(TRAIN_FILES) $(FIGURES) $(wildcard src/*.c src/*/*.c src/*/*_impl.h) scripts/katex.js
	build/bnreport --run $(RUN) --template $(REPORT_SRC)/report.md --style $(REPORT_SRC)/style.css \
	  --src src --src-url "$(SRC_URL)" --out $@
	scripts/katex.js $@

# `make report` ends by naming the pages it made (one line each); sub-makes make report-files
$(BN_G)report: report-files
	@printf 'page: %s\n' $(HTML) $(if $(SEED_LIST),$(SEEDS_HTML))
report-files: $(HTML) $(RUN)/manifest.tsv

# ---------------------------------------------------------------- several seeds: $(SEEDS_RUN)/report
# The Makefile trains each seed of SEED_LIST in data/runs/seed-N (a sub-make per seed) and
# aggregates them into $(SEEDS_DATA) with bnagg. Here: each seed's own page (a sub-make per
# seed, after its training; the page of $(RUN) is this make's own), the figures over the seeds,
# and the page over the seeds, which links to every seed's page.
SEEDS_OUT     := $(SEEDS_RUN)/report
SEEDS_HTML    := $(SEEDS_OUT)/index.html
SEEDS_FIGURES := $(foreach x,$(call fig_rows,SEEDS_FIGURE),$(SEEDS_OUT)/$(BN_EXP_SEEDS_FIGURE_$(x)).svg)
SEED_PAGES    := $(foreach r,$(filter-out $(RUN),$(SEED_RUNS)),$(r)/report/index.html)

ifneq ($(SEED_LIST),)
# FORCE: the sub-make decides what is out of date (experiments 1-4, figures, page), and the
# page's time stamp changes only if it did something.
ifneq ($(SEED_PAGES),)
# after the study: each page judges its own differences by the study's seed-to-seed noise
$(SEED_PAGES): %/report/index.html: $(call train_files,%) $(SEEDS_DATA) FORCE
	@$(MAKE) --no-print-directory quiet-report SEED=$(patsubst seed-%,%,$(notdir $*)) RUN=$* SEEDS=
endif

$(SEEDS_OUT)/%.svg: $(REPORT_SRC)/%.gp $(SEEDS_DATA) | $(DEPS_OK)
	@$(call draw,$<,$@,$(SEEDS_RUN))

# the findings of every seed's page over the seeds (bnagg claims: in how many seeds each holds,
# the ledger's values with their spread), once each page has made its own
SEEDS_CLAIMS := $(SEEDS_RUN)/ledger_seeds.tsv
$(SEEDS_CLAIMS): build/bnagg $(SEEDS_DATA) $(SEED_PAGES) $(if $(filter $(RUN),$(SEED_RUNS)),$(FINDINGS))
	build/bnagg claims $(BNQ) --out $(SEEDS_RUN) $(SEED_RUNS)

$(SEEDS_HTML): build/bnreport $(REPORT_SRC)/seeds.md $(REPORT_SRC)/style.css $(SEEDS_DATA) $(SEEDS_CLAIMS) $(SEEDS_FIGURES) \
               $(SEED_PAGES) $(if $(filter $(RUN),$(SEED_RUNS)),$(HTML))
	build/bnreport --run $(SEEDS_RUN) --template $(REPORT_SRC)/seeds.md --style $(REPORT_SRC)/style.css --out $@

report-files: $(SEEDS_HTML)
# this make's own run, when it is one of the seeds, likewise
$(if $(filter $(RUN),$(SEED_RUNS)),$(eval $(NOISE) $(FINDINGS): $(SEEDS_DATA)))
endif

# ---------------------------------------------------------------- make compare A=... B=...
# A run named by a seed number is $(RUNS_ROOT)/seed-N, made or brought up to date by a sub-make
# `run` (the run of $(RUN) by this make's own rules); one named by a folder must be a run folder
# already. The page goes to $(COMPARE_ROOT)/<A>-vs-<B>/, each name a seed-N or the folder's path
# with every character other than letters, digits, . _ - replaced by _.
cmp_is_seed = $(call is_uint,$(1))
cmp_dir     = $(if $(call cmp_is_seed,$(1)),$(RUNS_ROOT)/seed-$(1),$(patsubst %/,%,$(1)))
cmp_name    = $(if $(call cmp_is_seed,$(1)),seed-$(1),$(or $(shell printf '%s' '$(subst ','',$(patsubst %/,%,$(1)))' | tr -c 'A-Za-z0-9._-' '_' | sed 's/^[._]*//'),run))
# the reason A or B cannot be compared (empty if it can): a folder must hold a run's files
cmp_bad     = $(if $(call cmp_is_seed,$(1)),,$(if $(call bn_path_why,$(1)),$(2)='$(call bn_show,$(1))' $(call bn_path_why,$(1)): give a seed number or a run folder without spaces or quotes or control characters,$(if $(wildcard $(1)/.),$(if $(wildcard $(1)/exp*.tsv),,$(2)=$(1) is not a run folder (it holds no exp*.tsv data file)),$(2)=$(1): no such folder (give a seed number or a run folder))))

ifneq ($(filter compare,$(MAKECMDGOALS)),)
CMP_ERR := $(if $(and $(strip $(A)),$(strip $(B))),$(or $(call cmp_bad,$(strip $(A)),A),$(call cmp_bad,$(strip $(B)),B)),needs A=... and B=... (a seed number or a run folder))
ifeq ($(CMP_ERR),)
CMP_A    := $(call cmp_dir,$(strip $(A)))
CMP_B    := $(call cmp_dir,$(strip $(B)))
CMP_OUT  := $(COMPARE_ROOT)/$(call cmp_name,$(strip $(A)))-vs-$(call cmp_name,$(strip $(B)))
CMP_DATA := $(CMP_OUT)/compare.info.tsv
CMP_FIGS := $(foreach x,$(call fig_rows,COMPARE_FIGURE),$(CMP_OUT)/$(BN_EXP_COMPARE_FIGURE_$(x)).svg)
# seed runs other than $(RUN): each brought up to date by its sub-make, whose last file is the
# manifest; a folder run: every data file in it
CMP_SEED_DIRS := $(sort $(filter-out $(RUN),$(foreach x,$(A) $(B),$(if $(call cmp_is_seed,$(x)),$(call cmp_dir,$(x))))))
cmp_deps = $(if $(call cmp_is_seed,$(1)),$(call cmp_dir,$(1))/manifest.tsv,$(wildcard $(call cmp_dir,$(1))/*.tsv))

ifneq ($(CMP_SEED_DIRS),)
$(CMP_SEED_DIRS:%=%/manifest.tsv): %/manifest.tsv: FORCE
	@$(MAKE) --no-print-directory quiet-run SEED=$(patsubst seed-%,%,$(notdir $*)) RUN=$* SEEDS=
# with SEEDS= too (make report compare SEEDS=... A=... B=..., -j): one sub-make at a time per folder
$(foreach d,$(filter $(SEED_RUNS),$(CMP_SEED_DIRS)),$(eval $(d)/manifest.tsv: | $(call train_files,$(d)) $(filter $(d)/report/index.html,$(SEED_PAGES))))
endif

# bnagg takes the seed-to-seed noise from a several-seed study beside A (seeds-*): a new or
# redone study redoes the comparison. When A is a seed number of data/runs (a run of this make's
# options), that study is made first: seeds 0..COMPARE_SEEDS-1, reusing the runs already made
# (scripts/compare-study.sh, which records in CMP_STUDY how many it trained and how long it took,
# and rewrites it only when it trained; bnagg leaves A and B out of the spread).
CMP_STUDY := $(if $(and $(call cmp_is_seed,$(strip $(A))),$(filter-out 0,$(COMPARE_SEEDS)),$(filter data/runs,$(RUNS_ROOT))),$(CMP_OUT)/compare_study.info.tsv)
ifneq ($(CMP_STUDY),)
# (after A's and B's own runs: two makes must never write one run folder at once)
$(CMP_STUDY): FORCE | build/bnlab build/bnagg $(call cmp_deps,$(strip $(A))) $(call cmp_deps,$(strip $(B)))
	@scripts/compare-study.sh $@ $(COMPARE_SEEDS) $(RUNS_ROOT) '$(foreach x,$(BN_TRAININGS),$(BN_EXP_DONE_$(x)))' \
	  $(MAKE) --no-print-directory seeds SEEDS=$(COMPARE_SEEDS)
endif
$(CMP_DATA): build/bnagg $(call cmp_deps,$(strip $(A))) $(call cmp_deps,$(strip $(B))) \
             $(wildcard $(dir $(CMP_A))seeds-*/runs.info.tsv) $(CMP_STUDY)
	build/bnagg compare $(BNQ) --out $(CMP_OUT) $(CMP_A) $(CMP_B)

$(CMP_OUT)/%.svg: $(REPORT_SRC)/%.gp $(CMP_DATA) | $(DEPS_OK)
	@$(call draw,$<,$@,$(CMP_A) $(CMP_B))

$(CMP_OUT)/index.html: build/bnreport $(REPORT_SRC)/compare.md $(REPORT_SRC)/style.css $(CMP_DATA) $(CMP_FIGS)
	build/bnreport --run $(CMP_OUT) --template $(REPORT_SRC)/compare.md --style $(REPORT_SRC)/style.css --out $@

compare: $(CMP_OUT)/index.html
else
compare:
	@echo 'bnlab: make compare $(subst ','',$(CMP_ERR))' >&2; exit 2
endif
endif

# ---------------------------------------------------------------- make figures
# Redraw from what is on disk: no dependency on the experiments' rules, so none can rerun.
# (every file of each experiment that has a figure)
FIGURE_DATA := $(foreach x,$(call fig_rows,FIGURE),$(addprefix $(RUN)/,$(BN_EXP_FILES_$(x))))
figures: | $(DEPS_OK)
	@for f in $(FIGURE_DATA); do test -s $$f || { echo "figures: $$f is missing or empty: run 'make report' first" >&2; exit 1; }; done
	@$(foreach f,$(FIGURES),$(call draw,$(REPORT_SRC)/$(patsubst %-narrow,%,$(basename $(notdir $(f)))).gp,$(f),,$(if $(filter %-narrow.svg,$(f)),narrow)) &&) true
	@$(if $(SEED_LIST),test -s $(SEEDS_DATA) || { echo "figures: $(SEEDS_DATA) is missing or empty: run 'make report SEEDS=...' first" >&2; exit 1; })
	@$(if $(SEED_LIST),$(foreach f,$(SEEDS_FIGURES),$(call draw,$(REPORT_SRC)/$(basename $(notdir $(f))).gp,$(f),$(SEEDS_RUN)) &&) true)

