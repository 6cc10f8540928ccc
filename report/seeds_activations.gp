# seeds_activations.gp - experiment 8 over several seeds: why the sweep looks as it does. Two
# stacked panels against the weight initialisation scale (log axes, x and y), from the output layer's row
# of each net (kind "scores"): 1. the spread (sd) of the output scores, 2. the loss, each at
# initialisation (open marks, dashed) and after training (filled marks), batchnorm vs baseline,
# with ln 10 (the loss of a uniform guess) dotted in the loss panel.
# Each point is the mean over the seeds, its bar the 95% interval of that mean (Student's t; it
# narrows as seeds are added). Where the interval reaches zero or below, the bar is cut at the
# axis (log scale), which starts a thousandth below the panel's smallest mean.
# usage: gnuplot -c report/seeds_activations.gp SEEDS_FOLDER OUTPUT.svg
# Reads SEEDS_FOLDER/exp8_activations_seeds.tsv (written by bnagg seeds) by column name.
if (ARGC != 2) { print "usage: gnuplot -c seeds_activations.gp SEEDS_FOLDER OUTPUT.svg"; exit status 2 }
act = ARG1 . "/exp8_activations_seeds.tsv"

load system("dirname '" . ARG0 . "'") . "/style.gp"
eval style_term(720, 1000)
set output ARG2
set datafile separator "\t"
set datafile columnheaders

is(N, S) = strcol("norm") eq N && strcol("stage") eq S && strcol("kind") eq "scores"
# value V of the selected rows (NaN elsewhere); the bar's ends, a lower end at or below zero cut
# at the panel's floor (a thousandth of its smallest mean), where the bar then stops at the axis
sel(N, S, V) = is(N, S) ? pos(column(V . "_mean")) : NaN
floor = 1e-300
cut(v) = (v == v && v < 1e300) ? (v > floor ? v : floor) : NaN
lo(N, S, V) = is(N, S) ? cut(column(V . "_mean_lo")) : NaN
hi(N, S, V) = is(N, S) ? pos(column(V . "_mean_hi")) : NaN

set style line 1 lc rgb c_batchnorm lw 2 pt 7 ps 0.9
set style line 2 lc rgb c_baseline lw 2 pt 5 ps 0.8
set style line 3 lc rgb c_batchnorm lw 1.5 dt 2 pt 6 ps 0.9
set style line 4 lc rgb c_baseline lw 1.5 dt 2 pt 4 ps 0.8
set key at screen 0.5, 0.985 center top horizontal maxcols 2 Left reverse samplen 2 width -2
# what the bars are, in the legend too; its five rows stand above the panels, which start at 0.72
# of the height, below it and the first title (left margin for labels like "2.5e+09")
bars_entry = 'keyentry with yerrorbars lc rgb "#777777" pt 7 ps 0.6 title "bars: 95% interval of the mean"' 

set logscale x 10
set format x "1e%L"
set xlabel "Weight initialisation scale"
set multiplot layout 2,1 margins 0.17, 0.93, 0.07, 0.72 spacing 0, 0.16

do for [V in "pre_sd loss"] {
  set title (V eq "pre_sd" ? "Spread (sd) of the output scores" : "Loss")
  # log axes for both: an exploding baseline's loss reaches 1e8 where a trained net's is near 1
  set logscale y 10
  if (V eq "pre_sd") { set format y "1e%L" } else { set format y "%g" }
  undefine STATS_min
  stats act using (strcol("kind") eq "scores" ? pos(column(V . "_mean")) : NaN) nooutput
  if (exists("STATS_min")) { floor = STATS_min / 1000; set yrange [floor:*] } else { floor = 1e-300; set yrange [*:*] }
  # the loss panel: ln 10, the loss of a uniform guess over the 10 classes, dotted
  if (V eq "loss") { ref = log(10); set label 2 "ln 10 = 2.303: uniform guess" at graph 0.02, first log(10) offset 0, 0.8 left tc rgb c_ref front } \
  else { ref = NaN; unset label 2 }
  plot ref with lines ls 20 notitle, \
       act using "weight_scale":(sel("batchnorm", "trained", V)):(lo("batchnorm", "trained", V)):(hi("batchnorm", "trained", V)) with yerrorlines ls 1 title "batchnorm, trained", \
       ""  using "weight_scale":(sel("none", "trained", V)):(lo("none", "trained", V)):(hi("none", "trained", V)) with yerrorlines ls 2 title "baseline, trained", \
       ""  using "weight_scale":(sel("batchnorm", "init", V)):(lo("batchnorm", "init", V)):(hi("batchnorm", "init", V)) with yerrorlines ls 3 title "batchnorm, at initialisation", \
       ""  using "weight_scale":(sel("none", "init", V)):(lo("none", "init", V)):(hi("none", "init", V)) with yerrorlines ls 4 title "baseline, at initialisation", \
       @bars_entry
  unset key
}
unset multiplot
