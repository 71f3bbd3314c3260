#ifndef LINKAGE_PRINT_DOUBLE_H
#define LINKAGE_PRINT_DOUBLE_H

#include <stddef.h>

/// Graphviz 2.43 writes every coordinate of an SVG, and every other number its renderers print
/// alone, through `gvprintdouble`: `snprintf("%.02f")`, then trailing zeros and a bare point
/// trimmed, values within 1e-8 of zero written "0". glibc's printf of a double goes through
/// multi-precision arithmetic, and was about a sixth of the drawing thread's time in a
/// 1,000-element `run sdg-mapping` (issue 9). This file defines `gvprintdouble` in the program,
/// which the dynamic linker binds Graphviz's plugins to instead of libgvc's (the executable is
/// linked with `--export-dynamic-symbol=gvprintdouble`): the same text, from integer arithmetic
/// on the double's exact value. With any Graphviz other than 2.43.0 (whose function this copies
/// exactly), and for values it does not handle (not finite, 2^52 or more), it calls libgvc's.

/// Writes what Graphviz 2.43's gvprintdouble writes for `value` into `out` (at least 64 bytes),
/// without a NUL; returns the length, or 0 for a value it leaves to libgvc (not finite, or 2^52
/// or more in magnitude).
size_t linkage_format_double(double value, char *out);

/// The same through snprintf, as libgvc does it: what `linkage_format_double` must equal.
size_t linkage_format_double_reference(double value, char *out);

/// Numbers written by the program's gvprintdouble with `linkage_format_double` so far (0 when the
/// dynamic linker did not bind Graphviz to it, or Graphviz is not 2.43.0).
unsigned long long linkage_fast_doubles_printed(void);

#endif
