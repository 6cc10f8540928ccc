# seeds_activations.gp - experiment 8 over several seeds: why the sweep looks as it does. Two
# stacked panels against the weight initialisation scale (log axes), from the output layer's row
# of each net (kind "scores"): 1. the spread (sd) of the output scores, 2. the loss, each at
# initialisation (open marks, dashed) and after training (filled marks), batchnorm vs baseline.
# Each point is the mean over the seeds, its bar the 95% interval of that mean (Student's t; it
# narrows as seeds are added). Where the interval reaches zero or below, the bar is cut at the
# axis (log scale).
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
# value V of the selected rows (NaN elsewhere); the bar's ends, cut at a tiny positive floor
sel(N, S, V) = is(N, S) ? pos(column(V . "_mean")) : NaN
cut(v) = (v == v && v < 1e300) ? (v > 1e-300 ? v : 1e-300) : NaN
lo(N, S, V) = is(N, S) ? cut(column(V . "_mean_lo")) : NaN
hi(N, S, V) = is(N, S) ? pos(column(V . "_mean_hi")) : NaN

set style line 1 lc rgb c_batchnorm lw 2 pt 7 ps 0.9
set style line 2 lc rgb c_baseline lw 2 pt 5 ps 0.8
set style line 3 lc rgb c_batchnorm lw 1.5 dt 2 pt 6 ps 0.9
set style line 4 lc rgb c_baseline lw 1.5 dt 2 pt 4 ps 0.8
set key at screen 0.5, 0.995 center top horizontal maxcols 2 Left reverse samplen 2 width -2
# what the bars are, in the legend too
bars_entry = 'keyentry with yerrorbars lc rgb "#777777" pt 7 ps 0.6 title "bars: 95% interval of the mean"' 

set logscale x 10
set format x "1e%L"
set xlabel "Weight initialisation scale"
set multiplot layout 2,1 margins 0.14, 0.97, 0.07, 0.83 spacing 0, 0.14

do for [V in "pre_sd loss"] {
  set title (V eq "pre_sd" ? "Spread (sd) of the output scores" : "Loss")
  if (V eq "pre_sd") { set logscale y 10; set format y "1e%L" } else { unset logscale y; set format y "%g" }
  plot act using "weight_scale":(sel("batchnorm", "trained", V)):(lo("batchnorm", "trained", V)):(hi("batchnorm", "trained", V)) with yerrorlines ls 1 title "batchnorm, trained", \
       ""  using "weight_scale":(sel("none", "trained", V)):(lo("none", "trained", V)):(hi("none", "trained", V)) with yerrorlines ls 2 title "baseline, trained", \
       ""  using "weight_scale":(sel("batchnorm", "init", V)):(lo("batchnorm", "init", V)):(hi("batchnorm", "init", V)) with yerrorlines ls 3 title "batchnorm, at initialisation", \
       ""  using "weight_scale":(sel("none", "init", V)):(lo("none", "init", V)):(hi("none", "init", V)) with yerrorlines ls 4 title "baseline, at initialisation", \
       @bars_entry
  unset key
}
unset multiplot
