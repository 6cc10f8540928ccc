/* real.h - the element type of one instantiation of a dtype template (layers_t.h, net_t.h, ...).
 *
 * Training runs in float32 or float64 from one source per layer: a template file is included
 * twice, with BN_F32 defined as 0 (double; names as written, e.g. bn_affine_forward) and as 1
 * (float; names with the suffix _f32, e.g. bn_affine_forward_f32). This header maps the names
 * the templates use onto each type; with BN_F32 undefined it removes them again, so they never
 * leak into the files that include a template's public header.
 *
 * REAL            the element type
 * BN_FN(name)     name, or name_f32
 * R(c)            a constant of the element type: (REAL)(c). Double code is unchanged by it;
 *                 float code stays in float instead of widening to double, as NumPy float32
 *                 arrays do with Python-float constants.
 * R_SQRT, R_EXP, R_LOG                         sqrt of the type (IEEE: exact everywhere), and exp and
 *                                              log of fixedmath.h (the same bits on every CPU)
 * R_FMA                                        fma of the type (IEEE: one rounding, exact everywhere)
 * BN_GEMM, BN_MVIEW(_ARRAY), BN_MCVIEW(_ARRAY) GSL's gemm and matrix views of the type
 * BN_XSMM_FN, BN_XSMM_DISPATCH                 LIBXSMM's kernel type and dispatch of the type */
#undef REAL
#undef BN_FN
#undef R
#undef R_SQRT
#undef R_EXP
#undef R_LOG
#undef R_FMA
#undef BN_GEMM
#undef BN_XSMM_FN
#undef BN_XSMM_DISPATCH
#undef BN_MVIEW
#undef BN_MVIEW_ARRAY
#undef BN_MCVIEW
#undef BN_MCVIEW_ARRAY

#if defined(BN_F32)
#if BN_F32
#define REAL float
#define BN_FN(name) name##_f32
#define R_SQRT sqrtf
#define R_EXP bn_expf
#define R_LOG bn_logf
#define R_FMA fmaf
#define BN_GEMM gsl_blas_sgemm
#define BN_XSMM_FN libxsmm_smmfunction
#define BN_XSMM_DISPATCH libxsmm_smmdispatch
#define BN_MVIEW gsl_matrix_float_view
#define BN_MVIEW_ARRAY gsl_matrix_float_view_array
#define BN_MCVIEW gsl_matrix_float_const_view
#define BN_MCVIEW_ARRAY gsl_matrix_float_const_view_array
#else
#define REAL double
#define BN_FN(name) name
#define R_SQRT sqrt
#define R_EXP bn_exp
#define R_LOG bn_log
#define R_FMA fma
#define BN_GEMM gsl_blas_dgemm
#define BN_XSMM_FN libxsmm_dmmfunction
#define BN_XSMM_DISPATCH libxsmm_dmmdispatch
#define BN_MVIEW gsl_matrix_view
#define BN_MVIEW_ARRAY gsl_matrix_view_array
#define BN_MCVIEW gsl_matrix_const_view
#define BN_MCVIEW_ARRAY gsl_matrix_const_view_array
#endif
#define R(c) ((REAL)(c))
#endif
