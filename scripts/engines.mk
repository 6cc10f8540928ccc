# scripts/engines.mk - where the trainings run, and `make merge` (issue 13); included by the Makefile.
#   ENGINE=local (default)  every training on this machine (make -j, JOBS workers per bnlab)
#   ENGINE=slurm            make train / seeds / report [SEEDS=...] build here, then run the
#                           trainings as one Slurm job array plus a merge job
#                           (scripts/engine-slurm.sh), then render the pages here.
#                           SPLIT=points: one task per seed and sweep point (and one per seed for
#                           experiments 5 and 7b) instead of one per seed. SLURM_FLAGS="..." is
#                           passed to sbatch (partition, time, --cpus-per-task, account...), split
#                           into words as a shell would but never run by one (scripts/engine-slurm.sh).
# ($(shell) gets no exported variables in make 4.3: each value goes to it quoted whole by sh_q)
#   make merge [SEEDS=...]  join sweep parts (bnlab --point K sweep) and aggregate existing
#                           runs; never trains; fails naming the runs that are incomplete.
ENGINE      ?= local
SPLIT       ?=
SLURM_FLAGS ?=
$(call bn_check_enum,ENGINE,an engine,local slurm)
$(call bn_check_enum,SPLIT,a way to split,points,one unit per seed)
# before any job is submitted: a bad poll interval would stop the follower with the jobs running
$(if $(SLURM_POLL),$(call bn_check_int,SLURM_POLL,a number of seconds between looks at the queue,1,3600))

# One id for this make and all its sub-makes: a failed dataset download is tried once per
# invocation (scripts/fetch-cifar10.sh), not once per seed.
ifndef BNLAB_INVOCATION
BNLAB_INVOCATION := $(shell echo "$$PPID-$$(date +%s%N)")
endif
export BNLAB_INVOCATION

# The runs a study is made of, as RUN:SEED pairs: each seed's folder, or $(RUN) for one seed.
ENGINE_PAIRS = $(if $(SEED_LIST),$(foreach s,$(SEED_LIST),data/runs/seed-$(s):$(s)),$(RUN):$(SEED))

.PHONY: merge
merge: build/bnlab build/bnagg
	@BNFLAGS="$$BN_FLAGS" scripts/merge.sh $(BNQ) $(if $(SEED_LIST),--out $(SEEDS_RUN)) $(ENGINE_PAIRS)

# ENGINE=slurm: the cluster makes every training file before make looks at any of them (make
# reads a file's time once, when it first meets it, so the cluster's work must come first): while
# this Makefile is read, a sub-make builds bnlab and bnagg, then the engine submits and follows the
# jobs; then this make finds the trainings up to date and renders the pages here. Sub-makes (one
# per seed's page) never submit again; make -n / -q submit nothing.
ENGINE_GOALS := $(filter train seeds report run,$(MAKECMDGOALS))
# make report/train/run SEEDS="3 7" also makes $(RUN) (seed $(SEED)): on the cluster too
ENGINE_ALSO  := $(if $(filter-out seeds,$(ENGINE_GOALS)),$(if $(filter $(RUN),$(SEED_RUNS)),,--also $(RUN):$(SEED)))
ifeq ($(ENGINE)-$(MAKELEVEL),slurm-0)
ifneq ($(ENGINE_GOALS),)
ifeq ($(findstring n,$(firstword -$(MAKEFLAGS)))$(findstring q,$(firstword -$(MAKEFLAGS))),)
ENGINE_RC := $(shell $(MAKE) --no-print-directory build/bnlab build/bnagg ENGINE=local >/dev/null && \
  BNFLAGS=$(call sh_q,$(BNFLAGS_ALL)) SPLIT=$(call sh_q,$(SPLIT)) SLURM_FLAGS=$(call sh_q,$(SLURM_FLAGS)) \
  QUIET=$(call sh_q,$(QUIET)) $(if $(SLURM_POLL),SLURM_POLL=$(call sh_q,$(SLURM_POLL))) \
  $(if $(CIFAR10_DIR),CIFAR10_DIR=$(call sh_q,$(CIFAR10_DIR))) \
  scripts/engine-slurm.sh submit $(if $(SEED_LIST),--out $(SEEDS_RUN) $(ENGINE_ALSO)) $(ENGINE_PAIRS) >&2; echo $$?)
$(if $(filter 0,$(ENGINE_RC)),,$(error ENGINE=slurm: the cluster run did not complete (see above); nothing rendered))
endif
endif
endif

# --- for the engines: the trainings as units of work, each leaving its run folder exactly as
# `make train` does (content stamps included), so the local make afterwards retrains nothing.
# BN_SPLIT is the training bnlab can split by point (`bnlab --point K sweep`); every other
# training of the registry is in the seed's other unit, `make train-rest`.
BN_SPLIT := sweep
.PHONY: plan train-rest
# make plan [RUN=..] [SEED=..]: one line per training of $(RUN), "NAME done" when its completion
# file is there and its content stamp is the one computed now (make would not rerun it), else
# "NAME todo". Writes the run's configuration, dataset choice and .stamps/NAME.want, as make does.
plan: $(foreach x,$(BN_TRAININGS),$(RUN)/.stamps/$(x).want)
	@$(foreach x,$(BN_TRAININGS),if [ -f $(RUN)/$(BN_EXP_DONE_$(x)) ] && \
	  ! [ $(RUN)/$(BN_EXP_DONE_$(x)) -ot $(RUN)/.stamps/$(x).want ]; then echo '$(x) done'; else echo '$(x) todo'; fi;)
train-rest: $(call done_files,$(filter-out $(BN_SPLIT),$(BN_TRAININGS)))
# make adopt-NAME [RUN=..]: record NAME's content stamp for result files made outside its make
# rule (the sweep's parts joined by `bnlab merge`), as the experiment rule does after bnlab.
adopt-%: $(RUN)/.stamps/%.want
	@[ -f $(RUN)/$(BN_EXP_DONE_$*) ] || { echo "make adopt-$*: $(RUN)/$(BN_EXP_DONE_$*) is missing" >&2; exit 1; }
	@cp $< $(RUN)/.stamps/$*.tmp && mv $(RUN)/.stamps/$*.tmp $(RUN)/.stamps/$* && touch -r $(RUN)/$(BN_EXP_DONE_$*) $<
