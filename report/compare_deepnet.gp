# compare_deepnet.gp - experiment 5 in two runs A and B, overlaid: training loss per iteration,
# training and validation accuracy per epoch, batchnorm (blue) and baseline (vermilion); run A in
# solid lines with filled markers, run B dashed with open markers.
# usage: gnuplot -c report/compare_deepnet.gp RUN_A RUN_B OUTPUT.svg
# Reads exp5_deepnet_loss.tsv and exp5_deepnet_acc.tsv of each run by column name. A run without
# them is left out and the panel says so; non-finite values become gaps.
if (ARGC != 3) { print "usage: gnuplot -c compare_deepnet.gp RUN_A RUN_B OUTPUT.svg"; exit status 2 }
dirA = ARG1; dirB = ARG2

load system("dirname '" . ARG0 . "'") . "/style.gp"
eval style_term(720, 1260)
set output ARG3
set datafile separator "\t"
set datafile columnheaders

fin(v) = (v == v && abs(v) < 1e300) ? v : NaN
have(f) = int(system(sprintf("test -s '%s' && echo 1 || echo 0", f)))
file(R, name) = (R eq "A" ? dirA : dirB) . "/" . name
# the runs (A, B) that have file `name`, as words; a note naming those that do not
runs_with(name) = (have(file("A", name)) ? "A " : "") . (have(file("B", name)) ? "B" : "")
missing(name) = (have(file("A", name)) ? "" : "no data in A  ") . (have(file("B", name)) ? "" : "no data in B")

# line styles: 1 A batchnorm, 2 A baseline, 3 B batchnorm, 4 B baseline
set style line 1 lc rgb c_batchnorm lw 2 pt 7 ps 0.9
set style line 2 lc rgb c_baseline lw 2 pt 5 ps 0.8
set style line 3 lc rgb c_batchnorm lw 2 dt (8, 4) pt 6 ps 1.0
set style line 4 lc rgb c_baseline lw 2 dt (8, 4) pt 4 ps 0.9
ls_of(R, net) = (R eq "A" ? 0 : 2) + (net eq "batchnorm" ? 1 : 2)
# one legend, above the three panels (a legend beside them would take a third of a phone's width)
set key at screen 0.5, 0.995 center top horizontal maxcols 2 Left reverse samplen 2.5 width 1

# nfin: finite values of columns `cols` in `name` over the runs in `rs`; ymin, ymax their range
finite_count = 'nfin = 0; ymin = 1e300; ymax = -1e300; \
  do for [R in rs] { do for [c in cols] { undefine STATS_records; stats file(R, name) using (fin(column(c))) nooutput; \
    if (exists("STATS_records")) { nfin = nfin + STATS_records; \
      if (STATS_records > 0) { ymin = (STATS_min < ymin) ? STATS_min : ymin; ymax = (STATS_max > ymax) ? STATS_max : ymax } } } }'
panel = 'if (nfin == 0) { set yrange [0:1]; set label 1 "no finite values" at graph 0.5, 0.5 center tc rgb "#888888" } \
  else { set yrange [*:*]; unset label 1 }; \
  set label 2 missing(name) at graph 0.02, 0.95 left tc rgb "#aa0000"'
nets = "batchnorm baseline"
# each run's noise band at every check (compare_band_deepnet.tsv, written by bnagg compare beside
# the figure): its value -/+ the 95% interval of the noise model the page judges by (seed to
# seed from the study of A's configuration plus the binomial sampling part; sampling only
# without a study). A's band shaded, B's between thin solid lines (dotted is ln 10's); none when
# the file is absent.
bandf = system("dirname '" . ARG3 . "'") . "/compare_band_deepnet.tsv"
# (a file of its header only: the runs share no such point)
bands = have(bandf) && int(system(sprintf("awk 'END { print NR }' '%s'", bandf))) > 1
clip(v) = (v != v) ? v : (v < 0 ? 0 : v > 1 ? 1 : v)   # an accuracy's band stops at 0 and 1
bcol(N, C, R, end) = sprintf("%s_%s_%s%s", N, C, (R eq "A" ? "a" : "b"), end)
set style fill transparent solid 0.18 noborder
set xlabel offset 0, 0.5   # closer to its tick labels, farther from the next panel's title
set multiplot layout 3,1 margins 0.12, 0.95, 0.075, 0.875 spacing 0, 0.125

# 1. training loss, every iteration (thin lines: four noisy curves stay readable)
name = "exp5_deepnet_loss.tsv"; rs = runs_with(name); cols = nets
@finite_count
@panel
if (nfin > 0 && ymin > 0 && ymax / ymin > 100) { set logscale y } else { unset logscale y }
# ln 10, where every training starts (the seed page's loss panel shows it too), always in range
if (nfin > 0 && ymax < 1.08 * log(10)) { set yrange [*:1.08 * log(10)] }
set title "Training loss; " . ln10_note
set xlabel "Iteration"
unset ylabel   # the panel titles say what is plotted: no room for a rotated label on a phone
@ln10_line
# (the legend comes from the accuracy panels, whose lines carry the markers too)
plot for [R in rs] for [N in nets] file(R, name) using "iteration":(fin(column(N))) with lines ls ls_of(R, N) lw 1 \
       notitle, \
     NaN notitle
unset logscale y; @ln10_off

# 2. and 3. training and validation accuracy at each check
name = "exp5_deepnet_acc.tsv"; rs = runs_with(name)
set xlabel "Epoch"
# the bands as plot clauses for @bp (a clause over no file would warn): A's, B's, each when
# drawn; C is the panel's, read when it is plotted
bp = (bands && strstrt(rs, "A") ? 'for [N in nets] bandf using "epoch":(clip(fin(column(bcol(N, C, "A", "_lo"))))):(clip(fin(column(bcol(N, C, "A", "_hi"))))) \
    with filledcurves lc rgb (N eq "batchnorm" ? c_batchnorm : c_baseline) notitle, ' : '') . \
  (bands && strstrt(rs, "B") ? 'for [N in nets] for [E in "_lo _hi"] bandf using "epoch":(clip(fin(column(bcol(N, C, "B", E))))) \
    with lines lc rgb (N eq "batchnorm" ? c_batchnorm : c_baseline) lw 0.6 dt 1 notitle, ' : '')

do for [C in "train val"] {
  cols = sprintf("batchnorm_%s baseline_%s", C, C)
  @finite_count
  @panel
  set title (C eq "train" ? "Training" : "Validation") . " accuracy"
  if (C eq "val") { unset key }
  plot @bp \
       for [R in rs] for [N in nets] file(R, name) using "epoch":(fin(column(N . "_" . C))) with linespoints ls ls_of(R, N) \
         title sprintf("%s: %s", R, N), \
       NaN notitle
}

unset multiplot
