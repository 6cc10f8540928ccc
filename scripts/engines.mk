# scripts/engines.mk - where the trainings run, and `make merge`; included by the Makefile.
#   ENGINE=local (default)  every training on this machine (make -j, JOBS workers per bnlab)
#   ENGINE=slurm            make train / seeds / report / run [SEEDS=...] build the programs here,
#                           then every computation runs in Slurm jobs (scripts/engine-slurm.sh): a
#                           plan job, job arrays packing SEEDS_PER_TASK units per task, a collect
#                           job that retries failed tasks, merges, aggregates and runs the make
#                           goals themselves (checks, pages). This make submits, follows (or with
#                           DETACH=1 returns at once) and collects: it runs none of its recipes.
#                           SPLIT=points: units per seed and sweep point (and one per seed for
#                           experiments 5 and 7b). SLURM_FLAGS="..." goes to every sbatch, split
#                           into words as a shell would but never run by one; the resources per
#                           kind of job (SLURM_PARTITION, SLURM_ACCOUNT, SLURM_MEM, SLURM_TIME_TRAIN,
#                           SLURM_TIME_PAGE, SLURM_CPUS_PAGE), SLURM_MAX_RUNNING (the %N throttle) and SLURM_RETRIES
#                           come after them. make status [SEEDS=..]: where the studies are.
# ($(shell) gets no exported variables in make 4.3: each value goes to it quoted whole by sh_q)
#   make merge [SEEDS=...]  join sweep parts (bnlab --point K sweep) and aggregate existing
#                           runs; never trains; fails naming the runs that are incomplete.
ENGINE      ?= local
SPLIT       ?=
SLURM_FLAGS ?=
DETACH      ?=
$(call bn_check_enum,ENGINE,an engine,local slurm)
$(call bn_check_enum,SPLIT,a way to split,points,one unit per seed)
$(call bn_check_enum,DETACH,a DETACH setting,0 1,wait for the jobs)
# before any job is submitted: a bad poll interval would stop the follower with the jobs running
$(if $(SLURM_POLL),$(call bn_check_int,SLURM_POLL,a number of seconds between looks at the queue,1,3600))
$(if $(SEEDS_PER_TASK),$(call bn_check_int,SEEDS_PER_TASK,a number of units per array task,1,100000))
$(if $(SLURM_MAX_RUNNING),$(call bn_check_int,SLURM_MAX_RUNNING,a number of array tasks running at once,1,100000))
$(if $(SLURM_RETRIES),$(call bn_check_int,SLURM_RETRIES,a number of retries of a failed task,0,10))
$(if $(SLURM_CPUS_PAGE),$(call bn_check_int,SLURM_CPUS_PAGE,a number of CPUs for the plan and collect jobs,1,1024))
# $(call bn_check_chars,VAR,WHAT,ALLOWED CHARACTERS,REGEX,ACCEPTED): VAR is one word of those
# characters (so it may go to a shell in single quotes) matching the extended REGEX whole
bn_upper := A B C D E F G H I J K L M N O P Q R S T U V W X Y Z
bn_lower := a b c d e f g h i j k l m n o p q r s t u v w x y z
bn_check_chars = $(if $(or $(filter-out 1,$(words $($(1)))),$(call bn_drop_all,$(3),$($(1))),$(shell printf '%s\n' '$($(1))' | grep -Eqx '$(4)' || echo bad)),$(error $(1)='$(call bn_show,$($(1)))' is not $(2) (accepted: $(5))))
bn_name_chars := $(bn_upper) $(bn_lower) $(bn_digits) . _ - ,
bn_part_re := [A-Za-z0-9_.][A-Za-z0-9_.$(bn_comma)-]*
$(if $(SLURM_PARTITION),$(call bn_check_chars,SLURM_PARTITION,a partition,$(bn_name_chars),$(bn_part_re),one name of letters$(bn_comma) digits$(bn_comma) . _ - or a comma-separated list of them))
$(if $(SLURM_ACCOUNT),$(call bn_check_chars,SLURM_ACCOUNT,an account,$(bn_name_chars),[A-Za-z0-9_.][A-Za-z0-9_.-]*,one name of letters$(bn_comma) digits$(bn_comma) . _ -))
$(if $(SLURM_MEM),$(call bn_check_chars,SLURM_MEM,an amount of memory,$(bn_digits) K M G T,[1-9][0-9]*[KMGT]?,a number of megabytes or a number with K$(bn_comma) M$(bn_comma) G or T$(bn_comma) e.g. 4G))
bn_time_re := [0-9]+(:[0-9]+){0$(bn_comma)2}|[0-9]+-[0-9]+(:[0-9]+){0$(bn_comma)2}
bn_time_ok := Slurm's minutes$(bn_comma) M:S$(bn_comma) H:M:S$(bn_comma) D-H$(bn_comma) D-H:M or D-H:M:S$(bn_comma) e.g. 30 or 2:00:00
$(if $(SLURM_TIME_TRAIN),$(call bn_check_chars,SLURM_TIME_TRAIN,a time limit,$(bn_digits) : -,$(bn_time_re),$(bn_time_ok)))
$(if $(SLURM_TIME_PAGE),$(call bn_check_chars,SLURM_TIME_PAGE,a time limit,$(bn_digits) : -,$(bn_time_re),$(bn_time_ok)))

# One id for this make and all its sub-makes: a failed dataset download is tried once per
# invocation (scripts/fetch-cifar10.sh), not once per seed.
ifndef BNLAB_INVOCATION
BNLAB_INVOCATION := $(shell echo "$$PPID-$$(date +%s%N)")
endif
export BNLAB_INVOCATION

# The runs a study is made of, as RUN:SEED pairs: each seed's folder, or $(RUN) for one seed.
ENGINE_PAIRS = $(if $(SEED_LIST),$(foreach s,$(SEED_LIST),data/runs/seed-$(s):$(s)),$(RUN):$(SEED))

.PHONY: merge status
merge: build/bnlab build/bnagg
	@BNFLAGS="$$BN_FLAGS" scripts/merge.sh $(BNQ) $(if $(SEED_LIST),--out $(SEEDS_RUN)) $(ENGINE_PAIRS)

# make status: every study's progress in data/slurm/; with SEEDS=, or SEED= or RUN= on the
# command line, that study's
status:
	@scripts/engine-slurm.sh status $(if $(SEED_LIST),$(notdir $(SEEDS_RUN)),$(if $(filter command line,$(origin RUN) $(origin SEED)),$(notdir $(RUN))))

# ENGINE=slurm on the submitting host (BN_SUBMIT, set in the Makefile): the goals train, seeds,
# report and run are this one rule, whose recipe builds the programs here, then submits the
# study's jobs and follows them to their end (or returns, DETACH=1): the jobs run the make goals
# themselves, so the submitting host computes nothing. The local rules of those goals are named
# local-train, ... (BN_G) and are not made here. Sub-makes never submit again (MAKELEVEL); make -n
# prints the submission without running it. The goals go to the jobs as they are: only train,
# seeds, report and run, with no other goal beside them.
ENGINE_GOALS := $(filter train seeds report run,$(MAKECMDGOALS))
# make report/train/run SEEDS="3 7" also makes $(RUN) (seed $(SEED)): on the cluster too
ENGINE_ALSO  := $(if $(filter-out seeds,$(ENGINE_GOALS)),$(if $(filter $(RUN),$(SEED_RUNS)),,--also $(RUN):$(SEED)))
ENGINE_ENV   := SPLIT SLURM_FLAGS QUIET DETACH SEEDS_PER_TASK SLURM_MAX_RUNNING SLURM_RETRIES SLURM_PARTITION \
                SLURM_ACCOUNT SLURM_MEM SLURM_TIME_TRAIN SLURM_TIME_PAGE SLURM_CPUS_PAGE
ifeq ($(BN_SUBMIT),y)
$(if $(filter-out $(ENGINE_GOALS),$(MAKECMDGOALS)),$(error ENGINE=slurm runs the goals train, seeds, report and run in the cluster, not '$(filter-out $(ENGINE_GOALS),$(MAKECMDGOALS))': give those in a make command of their own))
.PHONY: engine-submit
$(ENGINE_GOALS): engine-submit ; @:
# every value reaches the script as one quoted word (sh_q), never read as shell syntax; a failure
# is the script's one line (make adds its own "*** [...] Error" line)
engine-submit: build/bnlab build/bnagg $(if $(filter report,$(ENGINE_GOALS)),build/bnreport)
	@BNFLAGS=$(call sh_q,$(BNFLAGS_ALL)) $(foreach v,$(ENGINE_ENV),$(v)=$(call sh_q,$($(v)))) \
	  $(if $(SLURM_POLL),SLURM_POLL=$(call sh_q,$(SLURM_POLL))) \
	  $(if $(CIFAR10_DIR),CIFAR10_DIR=$(call sh_q,$(CIFAR10_DIR))) \
	  BN_GOALS=$(call sh_q,$(ENGINE_GOALS)) BN_SEEDS=$(call sh_q,$(SEEDS)) BN_SEED=$(call sh_q,$(SEED)) \
	  BN_RUN=$(call sh_q,$(RUN)) BN_REPORT_SRC=$(call sh_q,$(REPORT_SRC)) BN_MAKE_PID=$$PPID \
	  scripts/engine-slurm.sh submit $(if $(SEED_LIST),--out $(SEEDS_RUN) $(ENGINE_ALSO)) $(ENGINE_PAIRS)
endif

# --- for the engines: the trainings as units of work, each leaving its run folder exactly as
# `make train` does (content stamps included), so the local make afterwards retrains nothing.
# BN_SPLIT (build/experiments.mk: the rows with .split) is the training bnlab can split by point
# (`bnlab --point K sweep`); every other training of the registry is in the seed's other unit,
# `make train-rest`.
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
