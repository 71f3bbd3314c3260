#ifndef LINKAGE_TEXT_MEMO_H
#define LINKAGE_TEXT_MEMO_H

#include <graphviz/gvc.h>

/// A memo of Graphviz's text measurements (Pango), shared by every render of the process.
///
/// Graphviz measures every label of every figure through its textlayout plugin (Pango), and
/// most labels (goal and target names, legends, captions) recur in hundreds of figures. The
/// memo is a textlayout plugin of our own that wraps Pango's engine: a span measured before
/// (same text, font name, size, flags) gets the stored size and offsets; any other is measured
/// by Pango and stored.
///
/// A remembered span carries no PangoLayout, which only the cairo renderers (png, pdf) draw
/// with: the memo is therefore used only while `linkage_text_memo_set_active(1)` says so, for
/// a render whose format never reads the layout (svg, plain, json). Everything here must be
/// called with the Graphviz lock held (Graphviz.swift): the memo has no lock of its own.

/// A Graphviz context, as gvContext() makes it, with the memo selected as its textlayout engine
/// in front of Pango's (NULL when Graphviz cannot make one). Pango's plugin is loaded when the
/// memo first meets a span it cannot answer, not before: a run whose spans all come from a
/// loaded store never loads Pango or starts fontconfig. When the memo is not selected (another
/// engine ranks higher), Graphviz measures with its own choice and the memo stays unused; when
/// Pango cannot be loaded, spans are not measured and Graphviz estimates their size.
GVC_t *linkage_graphviz_context(void);

/// Whether the memo answers (1) or every span goes to Pango as usual (0, the default). Set it
/// for one render at a time, before the layout.
void linkage_text_memo_set_active(int active);

/// Counts since the process started: spans answered from the memo, spans measured by Pango
/// and stored while the memo was active.
unsigned long long linkage_text_memo_hits(void);
unsigned long long linkage_text_memo_misses(void);

/// Spans Graphviz measured through the memo's engine, active or not (> 0 shows it is in use).
unsigned long long linkage_text_memo_calls(void);

/// Spans remembered now (the memo is emptied when it passes its bound).
unsigned long linkage_text_memo_count(void);

/// The memo as bytes, to keep between runs (the format is in text_memo.c). Sets *out to a
/// buffer the caller frees with free(), and returns its length; 0 (and NULL) when memory runs
/// out. The stored sizes are Pango's answers under this process's fonts and libraries: a store
/// may only be loaded back under the same (TextMeasurementStore keys it so).
size_t linkage_text_memo_export(unsigned char **out);

/// Adds the spans of a store `linkage_text_memo_export` wrote to the memo (spans it holds
/// already are kept as they are). Returns how many were added, or -1 when the memo is not
/// installed or the bytes are not a whole, well-formed store: then nothing is added.
long linkage_text_memo_import(const unsigned char *data, size_t length);

/// The paths of the shared objects loaded in this process, each followed by a newline (the
/// libraries a measurement passes through are among them). Free the result with free(); NULL
/// when memory runs out.
char *linkage_loaded_objects(void);

#endif
