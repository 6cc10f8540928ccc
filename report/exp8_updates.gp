# exp8_updates.gp - experiment 8: how fast each layer's weights move, with and without batchnorm.
# Six panels from RUN_FOLDER/exp8_updates.tsv (by column name), batchnorm left, baseline right,
# one curve per weight scale measured (the sequential palette of style.gp):
#   1-2. layer 2's relative update ||dW|| / ||W|| (the effective learning rate) against the
#        update's number, log axes: each of the first iterations, then each epoch's mean step
#        drawn at the epoch's last update;
#   3-4. layer 2's ||W|| before that update (for an epoch: after it), log axes;
#   5-6. the first update's ||dW|| / ||W|| of every layer (8 = the output layer).
# An update's number for an epoch row is epoch * (num_train / batch_size), from params.info.tsv,
# as the solver counts iterations per epoch.
# usage: gnuplot -c report/exp8_updates.gp RUN_FOLDER OUTPUT.svg [wide|narrow]
if (ARGC < 2 || ARGC > 3) { print "usage: gnuplot -c exp8_updates.gp RUN_FOLDER OUTPUT.svg [wide|narrow]"; exit status 2 }
if (ARGC >= 3) { layout = ARG3 }
fig_w = 1000; fig_h = 1260; fig_h_narrow = 2300
load system("dirname '" . ARG0 . "'") . "/style.gp"
set output ARG2
upd = ARG1 . "/exp8_updates.tsv"
params = ARG1 . "/params.info.tsv"

points = system(sprintf("awk -F '\\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { print $c[\"point\"] }' '%s' | sort -nu | tr '\\n' ' '", upd))
scale(p) = system(sprintf("awk -F '\\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c[\"point\"] == %s { printf \"%%.2g\", $c[\"weight_scale\"]; exit }' '%s'", p, upd))
if (words(points) < 1) { print "exp8_updates.gp: no rows in ", upd; exit status 1 }
if (words(points) > 6) { print "exp8_updates.gp: more than 6 weight scales in ", upd, " (the palette has 6)"; exit status 1 }
stats params using (strcol(1) eq "num_train" ? column(2) : NaN) nooutput
ntrain = STATS_min
stats params using (strcol(1) eq "batch_size" ? column(2) : NaN) nooutput
ipe = int(ntrain / STATS_min) < 1 ? 1 : int(ntrain / STATS_min)
stats upd using "layer" nooutput
nl = int(STATS_max)

is(N, P) = strcol("norm") eq N && column("point") == P
# the update's number: an iteration's own, an epoch's last
upd_x(post) = strcol("when") eq "iter" ? column("step") : column("step") * ipe + post
# Rows come per update in blocks of nl (one per layer), so `every nl::(l - 1)` keeps layer l's
# rows and a curve's points stay consecutive (a left-out row would break its line).
lay = 2
xlab = "Update: 1 to 10, then the end of each epoch"

place_wide = 'set lmargin at screen 0.1 + c * 0.49; set rmargin at screen 0.47 + c * 0.49; \
  set tmargin at screen mp_top - r * 0.295; set bmargin at screen mp_top - 0.2 - r * 0.295'
place_narrow = 'k = r * 2 + c; set lmargin at screen mp_left; set rmargin at screen 0.92; \
  set tmargin at screen mp_top - k * 0.148; set bmargin at screen mp_top - 0.095 - k * 0.148'
place = narrow ? place_narrow : place_wide
unset key
set title offset 0, 0
set logscale y 10
set format y "1e%T"
set multiplot

nets = "batchnorm none"
names = "Batchnorm Baseline"
do for [c = 0:1] {
  N = word(nets, c + 1)
  r = 0
  @place
  set logscale x 10
  if (narrow) { set xlabel xlab } else { unset xlabel }
  set ylabel "||dW|| / ||W||"
  set title sprintf("%s: relative update of layer %d", word(names, c + 1), lay)
  plot for [i = 1:words(points)] upd every nl::(lay - 1) using (upd_x(0)):(is(N, word(points, i) + 0) ? pos(column("rel_update")) : NaN) with linespoints ls (40 + i)

  r = 1
  @place
  set xlabel xlab
  set ylabel "||W||"
  set title sprintf("%s: weight norm of layer %d", word(names, c + 1), lay)
  plot for [i = 1:words(points)] upd every nl::(lay - 1) using (upd_x(1)):(is(N, word(points, i) + 0) ? pos(column("w_norm")) : NaN) with linespoints ls (40 + i)

  r = 2
  @place
  unset logscale x
  set xrange [0.7:nl + 0.3]
  set xtics 1
  set xlabel sprintf("Layer (%d = output)", nl)
  set ylabel "||dW|| / ||W||"
  set title sprintf("%s: first update of every layer", word(names, c + 1))
  plot for [i = 1:words(points)] upd using "layer":(is(N, word(points, i) + 0) && strcol("when") eq "iter" && column("step") == 1 ? pos(column("rel_update")) : NaN) with linespoints ls (40 + i)
  set xrange [*:*]
  set xtics autofreq
}

# one legend under the panels: a colour is one weight scale everywhere
set lmargin at screen 0.02; set rmargin at screen 0.98; set tmargin at screen (narrow ? 0.075 : 0.08); set bmargin at screen 0.01
unset border; unset tics; unset xlabel; unset ylabel; unset title; unset grid; unset logscale
set xrange [0:1]; set yrange [0:1]
set key default
set key center center horizontal maxrows (narrow ? 3 : 2) Left reverse samplen 2 width 1
plot for [i = 1:words(points)] NaN with linespoints ls (40 + i) title "weight scale " . scale(word(points, i))
unset multiplot
