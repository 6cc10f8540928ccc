# exp8_activations.gp - experiment 8: why the sweep looks as it does. Four panels from
# RUN_FOLDER/exp8_activations.tsv (by column name), one curve per weight scale measured:
#   1. without normalisation, at initialisation: spread of each layer's pre-activations and of
#      the output scores ("out"), log axis: the signal vanishes or explodes layer after layer;
#   2. with batchnorm, at initialisation, before normalising, with sqrt(eps) as a reference:
#      below it, batchnorm's division by sqrt(var + eps) cannot restore the spread;
#   3. with batchnorm, at initialisation, after normalising: 1 where batchnorm normalises;
#   4. the output scores' spread against the weight scale, both nets, at initialisation and
#      after training: the output layer is not normalised, so batchnorm's scores grow with it.
# usage: gnuplot -c report/exp8_activations.gp RUN_FOLDER OUTPUT.svg [wide|narrow]
if (ARGC < 2 || ARGC > 3) { print "usage: gnuplot -c exp8_activations.gp RUN_FOLDER OUTPUT.svg [wide|narrow]"; exit status 2 }
if (ARGC >= 3) { layout = ARG3 }
fig_w = 1000; fig_h = 960; fig_h_narrow = 1860
load system("dirname '" . ARG0 . "'") . "/style.gp"
set output ARG2
act = ARG1 . "/exp8_activations.tsv"
info = ARG1 . "/exp8_activations.info.tsv"

# the points measured (sweep point numbers), increasing, and each one's weight scale
points = system(sprintf("awk -F '\\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { print $c[\"point\"] }' '%s' | sort -nu | tr '\\n' ' '", act))
scale(p) = system(sprintf("awk -F '\\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c[\"point\"] == %s { printf \"%%.2g\", $c[\"weight_scale\"]; exit }' '%s'", p, act))
stats info using (strcol(1) eq "eps" ? column(2) : NaN) nooutput
eps = STATS_min
if (words(points) < 1) { print "exp8_activations.gp: no rows in ", act; exit status 1 }
is(N, P, S) = strcol("norm") eq N && column("point") == P && strcol("stage") eq S
pos_or_nan(v) = (v == v && v > 0 && v < 1e300) ? v : NaN

place_wide = 'set lmargin at screen 0.1 + c * 0.5; set rmargin at screen 0.47 + c * 0.5; \
  set tmargin at screen mp_top - r * 0.45; set bmargin at screen mp_top - 0.29 - r * 0.45'
# narrow: four panels 252 px high, 405 px apart, one under another; the legends below them
place_narrow = 'k = r * 2 + c; set lmargin at screen 0.19; set rmargin at screen 0.96; \
  set tmargin at screen mp_top - k * 405.0 / svg_h; set bmargin at screen mp_top - (252 + k * 405.0) / svg_h'
place = narrow ? place_narrow : place_wide
unset key
set title offset 0, 0
set logscale y 10
set format y "1e%T"
set xtics ("1" 1, "2" 2, "3" 3, "4" 4, "5" 5, "6" 6, "7" 7, "out" 8)
set xrange [0.7:8.3]
set multiplot

r = 0; c = 0; @place
set title "No normalisation, at initialisation"
set xlabel "Layer (hidden 1-7, out = scores)"
set ylabel "Spread of pre-activations"
plot for [i = 1:words(points)] act using "layer":(is("none", word(points, i) + 0, "init") ? pos_or_nan(column("pre_sd")) : NaN) with linespoints ls (40 + i)

r = 0; c = 1; @place
set title "Batchnorm, at initialisation: before normalising"
set arrow 1 from graph 0, first sqrt(eps) to graph 1, first sqrt(eps) nohead ls 20 front
plot for [i = 1:words(points)] act using "layer":(is("batchnorm", word(points, i) + 0, "init") ? pos_or_nan(column("pre_sd")) : NaN) with linespoints ls (40 + i)
unset arrow 1

r = 1; c = 0; @place
set title "Batchnorm, at initialisation: after normalising"
set ylabel "Spread after normalising"
plot for [i = 1:words(points)] act using "layer":(is("batchnorm", word(points, i) + 0, "init") ? pos_or_nan(column("post_sd")) : NaN) with linespoints ls (40 + i)

r = 1; c = 1; @place
set title "Output scores (not normalised)"
# rows: per point, batchnorm init, batchnorm trained, none init, none trained, nl layers each;
# every picks each one's scores row, so that the points of a curve are consecutive (joined)
stats act using "layer" nooutput
nl = int(STATS_max)
set logscale x 10
set format x "%g"
set xtics auto
set xrange [*:*]
set xlabel "Weight initialisation scale"
set ylabel "Spread of the scores"
unset key
plot act using "weight_scale":(strcol("norm") eq "batchnorm" && strcol("stage") eq "init" && strcol("kind") eq "scores" ? pos_or_nan(column("pre_sd")) : NaN) every (4*nl)::(1*nl-1) smooth unique with linespoints ls 1 title "batchnorm, init", \
     act using "weight_scale":(strcol("norm") eq "batchnorm" && strcol("stage") eq "trained" && strcol("kind") eq "scores" ? pos_or_nan(column("pre_sd")) : NaN) every (4*nl)::(2*nl-1) smooth unique with linespoints ls 1 dt 2 pt 6 title "batchnorm, trained", \
     act using "weight_scale":(strcol("norm") eq "none" && strcol("stage") eq "init" && strcol("kind") eq "scores" ? pos_or_nan(column("pre_sd")) : NaN) every (4*nl)::(3*nl-1) smooth unique with linespoints ls 2 title "baseline, init", \
     act using "weight_scale":(strcol("norm") eq "none" && strcol("stage") eq "trained" && strcol("kind") eq "scores" ? pos_or_nan(column("pre_sd")) : NaN) every (4*nl)::(4*nl-1) smooth unique with linespoints ls 2 dt 2 pt 4 title "baseline, trained"
unset logscale x
unset key

# the legends under the panels, each a plot of its own so that no entry is as wide as the widest
# of all: the weight scales (a colour is one weight scale in panels 1-3), then the nets and
# stages of panel 4 with sqrt(eps) of panel 2. Wide: side by side in three rows; narrow: stacked,
# the scales in two rows, the nets in two, sqrt(eps) in one (two columns of it would not fit).
legend_box = 'set lmargin at screen lg_l; set rmargin at screen lg_r; set tmargin at screen lg_t; set bmargin at screen lg_b'
unset border; unset tics; unset xlabel; unset ylabel; unset title; unset grid; unset logscale y
set xrange [0:1]; set yrange [0:1]
set key default
if (narrow) { lg_l = 0.02; lg_r = 0.98; lg_t = 250.0 / svg_h; lg_b = 180.0 / svg_h } \
else { lg_l = 0.02; lg_r = 0.42; lg_t = 0.12; lg_b = 0.02 }
@legend_box
set key center center vertical maxrows (narrow ? 2 : 3) Left reverse samplen 2 width (narrow ? -2 : 0)
plot for [i = 1:words(points)] NaN with linespoints ls (40 + i) title "scale " . scale(word(points, i))
nets = 'NaN with linespoints ls 1 title "batchnorm, init", NaN with linespoints ls 1 dt 2 pt 6 title "batchnorm, trained", \
  NaN with linespoints ls 2 title "baseline, init", NaN with linespoints ls 2 dt 2 pt 4 title "baseline, trained"'
eps_entry = 'NaN with lines ls 20 title sprintf("sqrt(eps) = %.2g (panel 2)", sqrt(eps))'
if (narrow) {
  lg_t = 175.0 / svg_h; lg_b = 105.0 / svg_h; @legend_box
  set key center center vertical maxrows 2 Left reverse samplen 2 width 1
  plot @nets
  lg_t = 100.0 / svg_h; lg_b = 65.0 / svg_h; @legend_box
  plot @eps_entry
} else {
  lg_l = 0.42; lg_r = 0.98; @legend_box
  set key center center vertical maxrows 3 Left reverse samplen 2 width -2
  plot NaN with linespoints ls 1 title "batchnorm, init", NaN with linespoints ls 1 dt 2 pt 6 title "batchnorm, trained", \
       @eps_entry, \
       NaN with linespoints ls 2 title "baseline, init", NaN with linespoints ls 2 dt 2 pt 4 title "baseline, trained"
}
unset multiplot
