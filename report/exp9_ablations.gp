# exp9_ablations.gp - experiment 9: the sweep's batchnorm net trained again with one mechanism
# changed, against the sweep's own training at the same scale (same initial weights, same
# minibatches). One column of panels per change (in the order of exp9_ablations.tsv): training
# accuracy (top) and validation accuracy (middle) per epoch, the sweep's training solid and the
# changed one dashed, one colour per weight scale (the sequential palette of style.gp, placed by
# the point's position on the sweep's grid); at the bottom every ablation's final training loss
# against the sweep's, log axis, with ln 10 (a uniform guess) dotted.
# usage: gnuplot -c report/exp9_ablations.gp RUN_FOLDER OUTPUT.svg [wide|narrow]
# Reads RUN_FOLDER/exp9_ablations.tsv, exp9_ablations_acc.tsv, exp6_sweep.tsv, exp6_sweep_acc.tsv
# and params.info.tsv by column name. Non-finite values become gaps.
if (ARGC < 2 || ARGC > 3) { print "usage: gnuplot -c exp9_ablations.gp RUN_FOLDER OUTPUT.svg [wide|narrow]"; exit status 2 }
if (ARGC >= 3) { layout = ARG3 }
fig_w = 1100; fig_h = 1100; fig_h_narrow = 2400
load system("dirname '" . ARG0 . "'") . "/style.gp"
set output ARG2
ab = ARG1 . "/exp9_ablations.tsv"
abacc = ARG1 . "/exp9_ablations_acc.tsv"
sweep = ARG1 . "/exp6_sweep.tsv"
swacc = ARG1 . "/exp6_sweep_acc.tsv"
params = ARG1 . "/params.info.tsv"

# the changes, in file order, and the points each was trained at
kinds = system(sprintf("awk -F '\\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } !s[$c[\"ablation\"]]++ { printf \"%%s \", $c[\"ablation\"] }' '%s'", ab))
pts(K) = system(sprintf("awk -F '\\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c[\"ablation\"] == \"%s\" { printf \"%%s \", $c[\"point\"] }' '%s'", K, ab))
cellof(K, P, C) = system(sprintf("awk -F '\\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c[\"ablation\"] == \"%s\" && $c[\"point\"] == %s { printf \"%%.2g\", $c[\"%s\"]; exit }' '%s'", K, P, C, ab))
allp = system(sprintf("awk -F '\\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { print $c[\"point\"] }' '%s' | sort -nu | tr '\\n' ' '", ab))
nk = words(kinds)
if (nk < 1) { print "exp9_ablations.gp: no rows in ", ab; exit status 1 }
stats params using (strcol(1) eq "sweep_points" ? column(2) : NaN) nooutput
npts = int(STATS_min)
# a point's colour: its place on the sweep's grid, light (smallest scale) to dark (largest)
col(P) = 41 + (npts > 1 ? int(5.0 * P / (npts - 1) + 0.5) : 0)
# each change in a few words, with its value from the data
short_of(K) = K eq "tiny_eps" ? "ε " . cellof(K, word(pts(K), 1), "eps") : K eq "sgd" ? "SGD" : \
              K eq "output" ? "output at " . cellof(K, word(pts(K), 1), "out_scale") : K

is_ab(K, P) = strcol("ablation") eq K && column("point") == P
is_sw(P) = column("point") == P

place_wide = 'set lmargin at screen 0.08 + c * (0.9 / nk); set rmargin at screen 0.08 + c * (0.9 / nk) + 0.9 / nk - 0.05; \
  set tmargin at screen mp_top - r * 0.305; set bmargin at screen mp_top - 0.19 - r * 0.305; \
  if (c == 0) { set ylabel "Accuracy" } else { unset ylabel }'
place_narrow = 'k = c * 2 + r; set lmargin at screen mp_left; set rmargin at screen 0.96; \
  set tmargin at screen mp_top - k * (0.72 / (2 * nk)); set bmargin at screen mp_top - (0.72 / (2 * nk)) + 0.055 - k * (0.72 / (2 * nk))'
place = narrow ? place_narrow : place_wide
unset key
set title offset 0, 0
set xlabel "Epoch"
set yrange [0:*]
set multiplot

do for [c = 0:nk - 1] {
  K = word(kinds, c + 1)
  P = pts(K)
  do for [r = 0:1] {
    @place
    C = r == 0 ? "train" : "val"
    if (narrow) { set ylabel "Accuracy" }
    set title short_of(K) . ": " . (r == 0 ? "training accuracy" : "validation accuracy")
    plot for [i = 1:words(P)] swacc using "epoch":(is_sw(word(P, i) + 0) ? fin(column("batchnorm_" . C)) : NaN) with linespoints ls col(word(P, i) + 0), \
         for [i = 1:words(P)] abacc using "epoch":(is_ab(K, word(P, i) + 0) ? fin(column(C)) : NaN) with linespoints ls col(word(P, i) + 0) dt 2 pt 6
  }
}

# the final training losses: each ablation's (open) against the sweep's (filled) at its point
set print $loss
xl = ""
stats ab using 0 nooutput
nab = STATS_records
do for [j = 0:nab - 1] {
  stats ab every ::j::j using (kj = strcol("ablation"), pj = column("point"), wj = column("weight_scale"), lj = column("final_loss"), 0) nooutput
  undefine STATS_records
  stats sweep using (column("point") == pj ? fin(column("batchnorm_final_loss")) : NaN) nooutput
  sj = exists("STATS_records") && STATS_records > 0 ? STATS_min : NaN
  print sprintf("%d\t%d\t%.17g\t%.17g", j, pj, lj, sj)
  xl = xl . sprintf('"%s\nat %.2g" %d, ', short_of(kj), wj, j)
}
unset print
set datafile nocolumnheaders
if (narrow) {
  set lmargin at screen mp_left; set rmargin at screen 0.96
  set tmargin at screen 0.25; set bmargin at screen 0.15
} else {
  set lmargin at screen 0.08; set rmargin at screen 0.7
  set tmargin at screen mp_top - 2 * 0.305; set bmargin at screen mp_top - 0.2 - 2 * 0.305
}
set logscale y 10
set format y "%g"
set yrange [*:*]
set xrange [-0.5:nab - 0.5]
eval "set xtics (" . xl[1:strlen(xl) - 2] . ")"
set xlabel ""
set ylabel "Final training loss"
set title "Final training loss: the sweep filled, the change open"
set arrow 1 from graph 0, first log(10) to graph 1, first log(10) nohead ls 20 front
plot for [i = 1:words(allp)] $loss using 1:($2 == word(allp, i) + 0 ? pos($4) : NaN) with points ls col(word(allp, i) + 0) pt 7 ps 1.4, \
     for [i = 1:words(allp)] $loss using 1:($2 == word(allp, i) + 0 ? pos($3) : NaN) with points ls col(word(allp, i) + 0) pt 6 ps 1.8
unset arrow 1
unset logscale y
set datafile columnheaders

# one legend for every panel: a colour is one weight scale; solid the sweep, dashed the change
if (narrow) {
  set lmargin at screen 0.02; set rmargin at screen 0.98; set tmargin at screen 0.085; set bmargin at screen 0.005
} else {
  set lmargin at screen 0.72; set rmargin at screen 0.99; set tmargin at screen mp_top - 2 * 0.305; set bmargin at screen mp_top - 0.2 - 2 * 0.305
}
unset border; unset tics; unset xlabel; unset ylabel; unset title; unset grid
set xrange [0:1]; set yrange [0:1]
set key default
set key center center vertical maxrows 8 Left reverse samplen 2 width 1
wsof(P) = system(sprintf("awk -F '\\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c[\"point\"] == %s { printf \"%%.2g\", $c[\"weight_scale\"]; exit }' '%s'", P, ab))
plot for [i = 1:words(allp)] NaN with linespoints ls col(word(allp, i) + 0) title "weight scale " . wsof(word(allp, i)), \
     NaN with lines lc rgb c_ref lw 2 title "solid: the sweep", NaN with lines lc rgb c_ref lw 2 dt 2 title "dashed: with the change", \
     NaN with lines ls 20 title "ln 10 = 2.303: uniform guess"
unset multiplot
