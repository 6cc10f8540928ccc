/* page.h - one report page: a run folder's data files fill a Markdown template (render.h), which
 * cmark-gfm turns into one self-contained HTML page with a table of contents and the stylesheet
 * embedded. Figures are checked, not drawn: they must already be beside the page. */
#ifndef BN_PAGE_H
#define BN_PAGE_H

#include <stddef.h>
#include "render.h"

typedef struct {
    const char *run;        /* folder holding the data files (FILE.tsv, report/FILE.tsv) */
    const char *tmpl_path;  /* Markdown template with {{...}} placeholders */
    const char *style_path; /* stylesheet embedded in the page */
    const char *out_path;   /* the page; the figures it shows are looked up in its folder */
    const char *src_dir;    /* C sources that {{code(FUNCTION)}} lines excerpt; NULL: "src" */
    const char *src_url;    /* what the excerpts' file:line links start with; NULL: src_dir's parent */
} bn_page_opts;

/* The whole page appended to html. Returns 0, or an exit status (1: bad template, data file,
 * stylesheet, figure or source; 2: out_path names no file) with a one-line reason in err, which
 * names the file at fault. Reads files only: nothing is written. */
int bn_page_render(const bn_page_opts *o, bn_buf *html, char *err, size_t errlen);

/* bn_page_render, then the page written to out_path (its folder created) through a temporary
 * file renamed onto it. On a render error returns its status with nothing written; a write
 * error is fatal and names the file, as for every output file (outfile.h). */
int bn_page_write(const bn_page_opts *o, char *err, size_t errlen);

#endif
