# report/report.mk - figures and the HTML writeup of the run in $(RUN); included by the Makefile.
#   make report      run whatever experiment is out of date, draw the figures that are out of
#                    date, render $(RUN)/report/index.html (figures beside it: opens offline)
#   make figures     redraw every figure from the existing data files; never runs an experiment
#   make e2e-report  the end-to-end test of all this (tests/e2e_report.sh), part of `make test`
# REPORT_SRC lets the end-to-end test work on a copy of report/ without touching the tree.
REPORT_SRC ?= report
REPORT_OUT := $(RUN)/report
HTML       := $(REPORT_OUT)/index.html
FIGURES    := $(REPORT_OUT)/exp5_deepnet.svg $(REPORT_OUT)/exp6_sweep.svg
PROVENANCE := $(RUN)/provenance.info.tsv
CMARK_LIBS := -lcmark-gfm-extensions -lcmark-gfm

.PHONY: report figures e2e-report
all: build/bnreport

build/bnreport: build/obj/main_bnreport.o build/obj/render.o build/obj/common.o
	$(CC) $(CFLAGS) $^ -o $@ $(CMARK_LIBS) $(LDLIBS)

# $(call draw,SCRIPT,SVG): gnuplot writes beside the figure and the result replaces it only
# when complete, so a failed drawing never leaves a truncated SVG for the page to show.
draw = mkdir -p $(dir $(2)) && tmp=$(dir $(2)).$(notdir $(2)).tmp && \
	if gnuplot -c $(1) $(RUN) $$tmp && test -s $$tmp; then mv $$tmp $(2) && echo "drew $(2)"; \
	else rm -f $$tmp; echo "gnuplot: $(1): could not draw $(2)" >&2; exit 1; fi

# Each figure depends on its script and on the file its experiment writes last (so it is
# drawn from complete data); the scripts read that experiment's other files too.
$(REPORT_OUT)/exp5_deepnet.svg: $(RUN)/exp5_deepnet.tsv
$(REPORT_OUT)/exp6_sweep.svg: $(RUN)/exp6_sweep.tsv
$(REPORT_OUT)/%.svg: $(REPORT_SRC)/%.gp | $(DEPS_OK)
	@$(call draw,$<,$@)

# Provenance describes the code and data that produced the results, so it is redone with them.
$(PROVENANCE): scripts/provenance.sh build/bnlab $(CHECK_FILES) $(TRAIN_FILES)
	scripts/provenance.sh $(RUN) build/bnlab

$(HTML): build/bnreport $(REPORT_SRC)/report.md $(REPORT_SRC)/style.css $(PROVENANCE) \
         $(CHECK_FILES) $(TRAIN_FILES) $(FIGURES)
	build/bnreport --run $(RUN) --template $(REPORT_SRC)/report.md --style $(REPORT_SRC)/style.css --out $@

report: $(HTML)

# Redraw from what is on disk: no dependency on the experiments' rules, so none can rerun.
FIGURE_DATA := $(RUN)/exp5_deepnet.tsv $(RUN)/exp5_deepnet_loss.tsv $(RUN)/exp5_deepnet_acc.tsv $(RUN)/exp6_sweep.tsv
figures: | $(DEPS_OK)
	@for f in $(FIGURE_DATA); do test -s $$f || { echo "figures: $$f is missing or empty: run 'make report' first" >&2; exit 1; }; done
	@$(foreach f,$(FIGURES),$(call draw,$(REPORT_SRC)/$(basename $(notdir $(f))).gp,$(f)) &&) true

e2e-report: build/bnlab build/bnreport
	@tests/e2e_report.sh

test: e2e-report
